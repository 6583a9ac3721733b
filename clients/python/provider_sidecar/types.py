"""The values a completion stream yields: `Chunk` per `chunk` frame, `Result` from the `done` frame."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


@dataclass(frozen=True)
class Chunk:
    """One streamed piece of an answer. `delta` is the frame's delta object as sent."""

    id: str
    seq: int
    delta: Dict[str, Any]

    @property
    def type(self) -> str:
        """`text`, `tool_use` (a tool call starts), `tool_input` (a fragment of its JSON arguments), `thinking`
        (more reasoning), `signature` (closes the thinking block) or `redacted_thinking` (a whole block)."""
        return str(self.delta.get("type", ""))

    @property
    def text(self) -> str:
        """The text of a `text` delta; empty for the other kinds."""
        return str(self.delta.get("text", "")) if self.type == "text" else ""

    @property
    def thinking(self) -> str:
        """The reasoning text of a `thinking` delta; empty for the other kinds."""
        return str(self.delta.get("text", "")) if self.type == "thinking" else ""

    @property
    def signature(self) -> Optional[str]:
        """The signature of a `signature` delta."""
        return self.delta.get("signature") if self.type == "signature" else None

    @property
    def data(self) -> Optional[str]:
        """The opaque data of a `redacted_thinking` delta."""
        return self.delta.get("data") if self.type == "redacted_thinking" else None

    @property
    def index(self) -> Optional[int]:
        value = self.delta.get("index")
        return value if isinstance(value, int) else None

    @property
    def tool_use_id(self) -> Optional[str]:
        return self.delta.get("tool_use_id")

    @property
    def name(self) -> Optional[str]:
        return self.delta.get("name")

    @property
    def partial_json(self) -> str:
        return str(self.delta.get("partial_json", ""))

    @classmethod
    def from_frame(cls, frame: Dict[str, Any]) -> "Chunk":
        delta = frame.get("delta")
        return cls(id=str(frame.get("id")), seq=int(frame.get("seq", 0)), delta=delta if isinstance(delta, dict) else {})


@dataclass(frozen=True)
class Usage:
    """Token counts normalized across providers; `input_tokens` excludes cached input.

    `reported` is false when the upstream never reported usage: the counts are then unknown, not zero.
    `cache_write_1h_tokens` and `reasoning_tokens` are parts of `cache_write_tokens` and `output_tokens`, not
    further classes: the cache writes with a 1-hour TTL (the rest are 5-minute writes), and the output tokens
    spent reasoning (None when the upstream did not report them). `web_search_requests` counts server-side web
    searches (requests, not tokens); `service_tier` is the tier that served the request, None when not reported.
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost_usd: Optional[float] = None
    reported: bool = True
    cache_write_1h_tokens: int = 0
    reasoning_tokens: Optional[int] = None
    web_search_requests: int = 0
    service_tier: Optional[str] = None

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens + self.cache_read_tokens + self.cache_write_tokens

    @classmethod
    def from_json(cls, value: Any) -> "Usage":
        v = value if isinstance(value, dict) else {}
        cost = v.get("cost_usd")
        return cls(
            input_tokens=int(v.get("input_tokens") or 0),
            output_tokens=int(v.get("output_tokens") or 0),
            cache_read_tokens=int(v.get("cache_read_tokens") or 0),
            cache_write_tokens=int(v.get("cache_write_tokens") or 0),
            cost_usd=float(cost) if isinstance(cost, (int, float)) else None,
            reported=v.get("reported", True) is not False,
            cache_write_1h_tokens=int(v.get("cache_write_1h_tokens") or 0),
            reasoning_tokens=int(v["reasoning_tokens"]) if isinstance(v.get("reasoning_tokens"), int) else None,
            web_search_requests=int(v.get("web_search_requests") or 0),
            service_tier=v["service_tier"] if isinstance(v.get("service_tier"), str) else None,
        )


@dataclass(frozen=True)
class Attempt:
    """One try of one (provider, model) candidate; `error` is the code it failed with, None on success."""

    provider: str
    model: str
    error: Optional[str] = None
    duration_ms: int = 0


@dataclass(frozen=True)
class ToolCall:
    """A tool call from a `done` frame's content, with its arguments parsed.

    An `incomplete` call (arguments cut off by `max_tokens`, or not a JSON object) has `input` None and the
    raw argument text in `partial_json`: do not run it.
    """

    id: str
    name: str
    input: Optional[Dict[str, Any]]
    partial_json: Optional[str] = None
    incomplete: bool = False

    @classmethod
    def from_block(cls, block: Dict[str, Any]) -> "ToolCall":
        if block.get("incomplete") is True:
            partial = block.get("partial_json")
            return cls(id=str(block.get("id")), name=str(block.get("name")), input=None,
                       partial_json=partial if isinstance(partial, str) else "", incomplete=True)
        return cls(id=str(block.get("id")), name=str(block.get("name")), input=block.get("input") or {})


@dataclass(frozen=True)
class Thinking:
    """A `thinking` or `redacted_thinking` block of a `done` frame's content (`redacted` tells which).

    A thinking block has its reasoning in `thinking` and the upstream's `signature` (None when the upstream
    does not sign); a redacted one only opaque `data`. `assistant_message()` sends them back unchanged, as
    Anthropic requires in a tool-use loop with thinking on.
    """

    thinking: str = ""
    signature: Optional[str] = None
    redacted: bool = False
    data: Optional[str] = None

    @classmethod
    def from_block(cls, block: Dict[str, Any]) -> "Thinking":
        if block.get("type") == "redacted_thinking":
            return cls(redacted=True, data=str(block.get("data", "")))
        signature = block.get("signature")
        return cls(thinking=str(block.get("thinking", "")), signature=signature if isinstance(signature, str) else None)


class StopReason:
    """The `done.stop_reason` values PROTOCOL.md lists. `Result.stop_reason` stays a plain `str`: an upstream's
    own reason arrives under its own name (or `unknown`), so treat a value not listed here like `END_TURN`."""

    END_TURN = "end_turn"
    MAX_TOKENS = "max_tokens"
    STOP_SEQUENCE = "stop_sequence"  # `Result.stop_sequence` says which, when the upstream did
    TOOL_USE = "tool_use"
    CONTENT_FILTER = "content_filter"
    REFUSAL = "refusal"  # the refusal's text, if any, is in the content as text
    PAUSE_TURN = "pause_turn"  # send the answer back as is to continue the turn
    COMPACTION = "compaction"
    MODEL_CONTEXT_WINDOW_EXCEEDED = "model_context_window_exceeded"


@dataclass(frozen=True)
class Result:
    """Everything a `done` frame reports. `raw` keeps the frame for fields this version does not model."""

    id: str
    provider: str
    model: str
    stop_reason: str
    content: List[Dict[str, Any]]
    usage: Usage
    attempts: List[Attempt] = field(default_factory=list)
    ttft_ms: Optional[int] = None
    latency_ms: int = 0
    stop_sequence: Optional[str] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def text(self) -> str:
        """The concatenated text blocks."""
        return "".join(str(b.get("text", "")) for b in self.content if b.get("type") == "text")

    @property
    def tool_calls(self) -> List[ToolCall]:
        """The tool_use blocks; check `incomplete` (or `stop_reason`) before running one."""
        return [ToolCall.from_block(b) for b in self.content if b.get("type") == "tool_use"]

    @property
    def thinking(self) -> List[Thinking]:
        """The thinking and redacted_thinking blocks, in order."""
        return [Thinking.from_block(b) for b in self.content if b.get("type") in ("thinking", "redacted_thinking")]

    def assistant_message(self) -> Dict[str, Any]:
        """This answer as a message to append to the conversation for the next turn."""
        return {"role": "assistant", "content": self.content}

    @classmethod
    def from_frame(cls, frame: Dict[str, Any]) -> "Result":
        attempts = [
            Attempt(
                provider=str(a.get("provider", "")),
                model=str(a.get("model", "")),
                error=a.get("error"),
                duration_ms=int(a.get("duration_ms") or 0),
            )
            for a in frame.get("attempts") or []
            if isinstance(a, dict)
        ]
        content = frame.get("content")
        return cls(
            id=str(frame.get("id")),
            provider=str(frame.get("provider", "")),
            model=str(frame.get("model", "")),
            stop_reason=str(frame.get("stop_reason", "")),
            content=[b for b in content if isinstance(b, dict)] if isinstance(content, list) else [],
            usage=Usage.from_json(frame.get("usage")),
            attempts=attempts,
            ttft_ms=frame.get("ttft_ms") if isinstance(frame.get("ttft_ms"), int) else None,
            latency_ms=int(frame.get("latency_ms") or 0),
            stop_sequence=frame.get("stop_sequence") if isinstance(frame.get("stop_sequence"), str) else None,
            raw=frame,
        )


def tool_result(tool_use_id: str, content: Any, *, is_error: bool = False) -> Dict[str, Any]:
    """A user message answering one tool call. Non-string content is sent as its JSON text."""
    text = content if isinstance(content, str) else json.dumps(content)
    block: Dict[str, Any] = {"type": "tool_result", "tool_use_id": tool_use_id, "content": text}
    if is_error:
        block["is_error"] = True
    return {"role": "user", "content": [block]}
