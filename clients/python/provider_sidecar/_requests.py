"""Builds the request messages both clients send, so the sync and asyncio APIs cannot drift apart."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, TypedDict, Union

PROTOCOL_VERSION = 1

Messages = Union[str, Sequence[Mapping[str, Any]]]

Effort = Literal["minimal", "low", "medium", "high"]
"""The `effort` field: how hard the model should work; `minimal` is OpenAI's and becomes `low` for Anthropic."""


class ThinkingConfig(TypedDict, total=False):
    """The `thinking` field: `{"type": "enabled", "budget_tokens": N}` (N >= 1024), `{"type": "adaptive"}` or
    `{"type": "disabled"}`. Each provider kind maps it to its own field (PROTOCOL.md, Reasoning)."""

    type: Literal["enabled", "adaptive", "disabled"]
    budget_tokens: int


def hello(request_id: str, client_name: str) -> Dict[str, Any]:
    return {"type": "hello", "id": request_id, "protocol": PROTOCOL_VERSION, "client": client_name}


def complete(
    request_id: str,
    messages: Messages,
    *,
    model: Optional[str] = None,
    agent: Optional[str] = None,
    system: Optional[str] = None,
    tools: Optional[Iterable[Mapping[str, Any]]] = None,
    tool_choice: Any = None,
    max_tokens: Optional[int] = None,
    temperature: Optional[float] = None,
    top_p: Optional[float] = None,
    stop: Optional[Sequence[str]] = None,
    stream: bool = True,
    cache: Optional[bool] = None,
    metadata: Optional[Mapping[str, Any]] = None,
    thinking: Optional[ThinkingConfig] = None,
    effort: Optional[Effort] = None,
) -> Dict[str, Any]:
    """A `complete` message. A bare string as `messages` is one user turn. Unset options are left out."""
    if isinstance(messages, str):
        turns: List[Any] = [{"role": "user", "content": messages}]
    else:
        turns = [dict(m) for m in messages]
    if not turns:
        raise ValueError("messages must not be empty")
    msg: Dict[str, Any] = {"type": "complete", "id": request_id, "messages": turns, "stream": stream}
    optional = {
        "model": model,
        "agent": agent,
        "system": system,
        "tool_choice": tool_choice,
        "max_tokens": max_tokens,
        "temperature": temperature,
        "top_p": top_p,
        "cache": cache,
        "effort": effort,
    }
    msg.update({k: v for k, v in optional.items() if v is not None})
    if tools:
        msg["tools"] = [dict(t) for t in tools]
    if stop:
        msg["stop"] = list(stop)
    if metadata is not None:
        msg["metadata"] = dict(metadata)
    if thinking is not None:
        msg["thinking"] = dict(thinking)
    return msg


def cancel(target_id: str) -> Dict[str, Any]:
    return {"type": "cancel", "id": target_id}


def simple(kind: str, request_id: str, fields: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """`ping`, `status` or `usage` (whose query fields go alongside `type` and `id`)."""
    msg: Dict[str, Any] = {k: v for k, v in (fields or {}).items() if v is not None}
    msg.update({"type": kind, "id": request_id})
    return msg


When = Union[None, str, _dt.date, _dt.datetime]


def usage_query(
    *,
    since: When = None,
    until: When = None,
    agent: Optional[str] = None,
    provider: Optional[str] = None,
    model: Optional[str] = None,
    group_by: Optional[str] = None,
) -> Dict[str, Any]:
    """The filter fields of a `usage` request. Times are RFC 3339 strings, dates or datetimes (naive = UTC)."""
    fields = {"since": _time(since), "until": _time(until), "agent": agent, "provider": provider,
              "model": model, "group_by": group_by}
    return {k: v for k, v in fields.items() if v is not None}


def _time(value: When) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        text = value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")
        return text + "Z"
    return value.isoformat()
