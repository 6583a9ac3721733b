"""Loading proto-spec/vectors and the normalized form of client messages (vectors/README.md)."""

from __future__ import annotations

import json
from typing import Any, Dict, List

from conftest import VECTORS


def load(relative: str) -> Any:
    path = VECTORS / relative
    assert path.is_file(), "missing conformance vector file %s" % path
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def vectors(relative: str) -> List[Dict[str, Any]]:
    return list(load(relative)["vectors"])


def normalize(msg: Dict[str, Any]) -> Dict[str, Any]:
    """The normalized form of an accepted client message, as the README defines it."""
    kind = msg["type"]
    out: Dict[str, Any] = {"type": kind, "id": msg.get("id")}
    if kind == "hello":
        out.update(protocol=msg["protocol"], client=msg.get("client"))
    elif kind == "complete":
        def opt(key: str) -> Any:
            return msg.get(key)

        tools = [{"name": t["name"], "description": t.get("description"),
                  "input_schema": t.get("input_schema") or {"type": "object"}} for t in msg.get("tools") or []]
        out.update(
            agent=opt("agent"), model=opt("model"), system=opt("system"),
            messages=[{"role": m["role"], "content": _content(m["content"])} for m in msg["messages"]],
            max_tokens=opt("max_tokens"), temperature=opt("temperature"), top_p=opt("top_p"),
            stop=list(msg.get("stop") or []), tools=tools, tool_choice=opt("tool_choice"),
            stream=True if msg.get("stream") is None else msg["stream"],
            cache=bool(msg.get("cache") or False), metadata=opt("metadata"),
            thinking=_thinking(msg.get("thinking")), effort=opt("effort"),
        )
    return out


def _thinking(thinking: Any) -> Any:
    if thinking is None:
        return None
    if thinking["type"] == "enabled":
        return {"type": "enabled", "budget_tokens": thinking["budget_tokens"]}
    return {"type": thinking["type"]}


def _content(content: Any) -> List[Dict[str, Any]]:
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return [_block(b) for b in content]


def _block(b: Dict[str, Any]) -> Dict[str, Any]:
    kind = b["type"]
    if kind == "text":
        return {"type": "text", "text": b["text"]}
    if kind == "image":
        return {"type": "image", "media_type": b["media_type"], "data": b["data"]}
    if kind == "tool_use":
        return {"type": "tool_use", "id": b["id"], "name": b["name"], "input": b.get("input") or {}}
    if kind == "tool_result":
        return {"type": "tool_result", "tool_use_id": b["tool_use_id"], "content": _content(b["content"]),
                "is_error": bool(b.get("is_error") or False)}
    if kind == "thinking":
        block = {"type": "thinking", "thinking": b["thinking"]}
        if b.get("signature") is not None:
            block["signature"] = b["signature"]
        return block
    if kind == "redacted_thinking":
        return {"type": "redacted_thinking", "data": b["data"]}
    raise ValueError("unknown block type %r" % kind)
