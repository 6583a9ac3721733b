"""The exceptions a client raises.

Catch `SidecarError` for everything. Errors the sidecar sends (`error` frames) become the subclass that
`ERROR_CLASSES` maps their wire code to, grouped in families: the transport (`SidecarConnectionError`), the
request itself (`ProtocolError`), spending limits (`BudgetError`), the upstream providers
(`UpstreamError`) and the sidecar's token ledger (`LedgerUnavailableError`). A code this version does not
know is treated as `internal`, as the protocol says.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Type

START_HINT = "is the sidecar running? start it with `provider-sidecar serve` or set PROVIDER_SIDECAR_SOCKET"


class SidecarError(Exception):
    """Base of every error this package raises.

    `code` is the protocol's error code (`rate_limited`, ...), or `connection_failed` / `connection_lost`
    for transport failures that never reached the sidecar. `retryable` says whether the same request may
    succeed if sent again later; `partial` whether chunks of the failed request were already delivered.
    """

    default_code = "internal"
    default_retryable = False

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        retryable: Optional[bool] = None,
        partial: bool = False,
        retry_after_ms: Optional[int] = None,
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.retryable = self.default_retryable if retryable is None else retryable
        self.partial = partial
        self.retry_after_ms = retry_after_ms
        self.request_id = request_id

    def __str__(self) -> str:
        return "%s: %s" % (self.code, self.message)


class SidecarConnectionError(SidecarError):
    """The socket is missing, refused the connection, or closed while requests were in flight."""

    default_code = "connection_failed"
    default_retryable = True


class ShuttingDownError(SidecarConnectionError):
    """`shutting_down`: the sidecar is stopping; reconnect when it is back."""

    default_code = "shutting_down"


class ProtocolError(SidecarError):
    """The request or the stream was refused as malformed, unknown or not allowed."""

    default_code = "bad_request"


class BadRequestError(ProtocolError):
    default_code = "bad_request"


class UnknownTypeError(ProtocolError):
    default_code = "unknown_type"


class FrameTooLargeError(ProtocolError):
    default_code = "frame_too_large"


class DuplicateIDError(ProtocolError):
    default_code = "duplicate_id"


class UnknownModelError(ProtocolError):
    default_code = "unknown_model"


class ForbiddenError(ProtocolError):
    """`forbidden`: the socket is bound to another agent than the one the request names."""

    default_code = "forbidden"


class InternalError(ProtocolError):
    default_code = "internal"


class BudgetError(SidecarError):
    """`budget_exceeded`: the agent's token or cost budget does not allow this request."""

    default_code = "budget_exceeded"


class UpstreamError(SidecarError):
    """Every provider that could serve the request failed or is unavailable."""

    default_code = "upstream_error"
    default_retryable = True


class RateLimitedError(UpstreamError):
    default_code = "rate_limited"


class OverloadedError(UpstreamError):
    default_code = "overloaded"


class UpstreamInterruptedError(UpstreamError):
    """The stream broke after chunks were sent (`partial` is then true)."""

    default_code = "upstream_interrupted"


class SidecarTimeoutError(UpstreamError):
    default_code = "timeout"


class NoProviderAvailableError(UpstreamError):
    default_code = "no_provider_available"


class LedgerUnavailableError(SidecarError):
    """`ledger_unavailable`: the sidecar cannot record usage (disk full, ledger file deleted or replaced) and
    refuses requests until its operator fixes the ledger; retry later."""

    default_code = "ledger_unavailable"
    default_retryable = True


class RequestCancelledError(SidecarError):
    """`cancelled`: the request was cancelled before it finished."""

    default_code = "cancelled"


#: Wire code -> exception class, in the order of the protocol's error table.
ERROR_CLASSES: Dict[str, Type[SidecarError]] = {
    "bad_request": BadRequestError,
    "unknown_type": UnknownTypeError,
    "frame_too_large": FrameTooLargeError,
    "duplicate_id": DuplicateIDError,
    "unknown_model": UnknownModelError,
    "forbidden": ForbiddenError,
    "budget_exceeded": BudgetError,
    "rate_limited": RateLimitedError,
    "overloaded": OverloadedError,
    "upstream_error": UpstreamError,
    "upstream_interrupted": UpstreamInterruptedError,
    "timeout": SidecarTimeoutError,
    "cancelled": RequestCancelledError,
    "no_provider_available": NoProviderAvailableError,
    "shutting_down": ShuttingDownError,
    "ledger_unavailable": LedgerUnavailableError,
    "internal": InternalError,
}


def error_from_frame(frame: Mapping[str, Any]) -> SidecarError:
    """The exception for one `error` frame."""
    body = frame.get("error")
    if not isinstance(body, dict):
        body = {}
    raw_code = body.get("code")
    message = str(body.get("message", ""))
    code = raw_code if isinstance(raw_code, str) else "internal"
    if code not in ERROR_CLASSES:  # a code from a newer protocol: treated as internal, as the spec says
        message = "(%s) %s" % (code, message)
        code = "internal"
    cls = ERROR_CLASSES[code]
    retry_after = body.get("retry_after_ms")
    return cls(
        message,
        code=code,
        retryable=bool(body["retryable"]) if isinstance(body.get("retryable"), bool) else None,
        partial=body.get("partial") is True,
        retry_after_ms=int(retry_after) if isinstance(retry_after, (int, float)) else None,
        request_id=frame.get("id") if isinstance(frame.get("id"), str) else None,
    )


def is_duplicate_id(frame: Mapping[str, Any]) -> bool:
    """A `duplicate_id` refusal: it ends nothing, not even the request whose id it carries."""
    body = frame.get("error")
    return frame.get("type") == "error" and isinstance(body, dict) and body.get("code") == "duplicate_id"
