"""Python client for ProviderSidecar: LLM completions over the sidecar's Unix socket.

    from provider_sidecar import Client

    with Client() as client:                      # PROVIDER_SIDECAR_SOCKET or the default path
        stream = client.complete("Say hi", model="sim-echo")
        for chunk in stream:
            print(chunk.text, end="")
        print(stream.result.usage)

`AsyncClient` is the asyncio equivalent, multiplexing many requests over one connection.
"""

from .aio import AsyncClient, AsyncCompletion
from ._requests import Effort, ThinkingConfig
from .client import Client, Completion
from .connection import default_socket_path
from .errors import (
    ERROR_CLASSES,
    BadRequestError,
    BudgetError,
    DuplicateIDError,
    ForbiddenError,
    FrameTooLargeError,
    InternalError,
    LedgerUnavailableError,
    NoProviderAvailableError,
    OverloadedError,
    ProtocolError,
    RateLimitedError,
    RequestCancelledError,
    ShuttingDownError,
    SidecarConnectionError,
    SidecarError,
    SidecarTimeoutError,
    UnknownModelError,
    UnknownTypeError,
    UpstreamError,
    UpstreamInterruptedError,
)
from .types import Attempt, Chunk, Result, StopReason, Thinking, ToolCall, Usage, tool_result

__version__ = "0.1.0"

__all__ = [
    "AsyncClient", "AsyncCompletion", "Client", "Completion", "default_socket_path",
    "Attempt", "Chunk", "Effort", "Result", "StopReason", "Thinking", "ThinkingConfig", "ToolCall", "Usage",
    "tool_result",
    "ERROR_CLASSES", "SidecarError", "SidecarConnectionError", "ShuttingDownError", "ProtocolError",
    "BadRequestError", "UnknownTypeError", "FrameTooLargeError", "DuplicateIDError", "UnknownModelError",
    "ForbiddenError", "InternalError", "BudgetError", "UpstreamError", "RateLimitedError", "OverloadedError",
    "UpstreamInterruptedError", "SidecarTimeoutError", "NoProviderAvailableError", "RequestCancelledError",
    "LedgerUnavailableError",
]
