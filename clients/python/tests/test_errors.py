"""Error frames become typed exceptions; connection failures say how to start the sidecar."""

import os

import pytest

import provider_sidecar as ps
from provider_sidecar.errors import error_from_frame

WIRE_CODES = [
    "bad_request", "unknown_type", "frame_too_large", "duplicate_id", "unknown_model", "forbidden", "budget_exceeded",
    "rate_limited", "overloaded", "upstream_error", "upstream_interrupted", "timeout", "cancelled",
    "no_provider_available", "shutting_down", "ledger_unavailable", "internal",
]


def test_every_wire_code_has_a_class():
    assert sorted(ps.ERROR_CLASSES) == sorted(WIRE_CODES)


@pytest.mark.parametrize(
    "code,family",
    [("rate_limited", ps.UpstreamError), ("budget_exceeded", ps.BudgetError), ("bad_request", ps.ProtocolError),
     ("unknown_model", ps.ProtocolError), ("shutting_down", ps.SidecarConnectionError),
     ("cancelled", ps.RequestCancelledError), ("ledger_unavailable", ps.LedgerUnavailableError)],
)
def test_error_frame_maps_to_family(code, family):
    err = error_from_frame({"type": "error", "id": "r", "error": {"code": code, "message": "m", "retryable": True,
                                                                  "partial": True, "retry_after_ms": 1500}})
    assert isinstance(err, family) and isinstance(err, ps.SidecarError)
    assert (err.code, err.message, err.retryable, err.partial, err.retry_after_ms, err.request_id) == (
        code, "m", True, True, 1500, "r")


def test_unknown_code_is_treated_as_internal():
    err = error_from_frame({"type": "error", "id": None, "error": {"code": "from_the_future", "message": "x",
                                                                   "retryable": False}})
    assert type(err) is ps.InternalError and err.code == "internal" and err.request_id is None
    assert "from_the_future" in err.message


def test_missing_socket_says_how_to_start_the_sidecar(socket_dir):
    with pytest.raises(ps.SidecarConnectionError) as info:
        ps.Client(os.path.join(socket_dir, "absent.sock"))
    assert "provider-sidecar serve" in str(info.value) and "PROVIDER_SIDECAR_SOCKET" in str(info.value)


def test_refused_socket_says_how_to_start_the_sidecar(socket_dir):
    import socket

    path = os.path.join(socket_dir, "stale.sock")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.close()  # the file stays, nobody listens: ECONNREFUSED
    with pytest.raises(ps.SidecarConnectionError) as info:
        ps.Client(path)
    assert "refused" in str(info.value) and "provider-sidecar serve" in str(info.value)


def test_default_socket_path_follows_the_documented_order():
    assert ps.default_socket_path({"PROVIDER_SIDECAR_SOCKET": "/x.sock", "XDG_RUNTIME_DIR": "/run"}) == "/x.sock"
    assert ps.default_socket_path({"XDG_RUNTIME_DIR": "/run/user/7"}) == "/run/user/7/provider-sidecar/sidecar.sock"
    assert ps.default_socket_path({"XDG_RUNTIME_DIR": "/run/user/7/"}) == "/run/user/7/provider-sidecar/sidecar.sock"
    assert ps.default_socket_path({}) == "/tmp/provider-sidecar-%d/sidecar.sock" % os.getuid()
    assert ps.default_socket_path({"XDG_RUNTIME_DIR": "relative"}) == "/tmp/provider-sidecar-%d/sidecar.sock" % os.getuid()
