#!/usr/bin/env bash
# Runs every test suite: Swift (unit + end-to-end against the real binary), the Python and Go clients,
# and a socat smoke test. Installs what a fresh Debian/Ubuntu machine lacks: golang-go and socat through
# apt-get (when root), pytest through pip.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
need_apt=()
command -v go >/dev/null 2>&1 || need_apt+=(golang-go)
command -v socat >/dev/null 2>&1 || need_apt+=(socat)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "== installing ${need_apt[*]} (apt-get)"
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if ! python3 -c 'import pytest' 2>/dev/null; then
    echo "== installing pytest"
    python3 -m pip install -q pytest 2>/dev/null \
        || python3 -m pip install -q --break-system-packages pytest 2>/dev/null \
        || { $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pytest >/dev/null; }
fi

echo "== swift format lint (the tree follows .swift-format)"
swift format lint --strict -r --configuration .swift-format Sources Tests Package.swift

echo "== swift build"
swift build --build-tests
# Two runs: the end-to-end suites block on sockets of the real binary in synchronous tests, which holds
# threads of the test process's small cooperative pool (2 on 2 cores); the in-process suites assert the
# order of events on HTTP streams and must not wait behind them.
echo "== swift test (in-process suites)"
swift test --skip-build --skip EndToEndTests
echo "== swift test (end-to-end suites, the real binary)"
swift test --skip-build --filter EndToEndTests

export PROVIDER_SIDECAR_BIN="$PWD/.build/debug/provider-sidecar"
export SIM_UPSTREAM_BIN="$PWD/.build/debug/sim-upstream"

echo "== python client"
(cd clients/python && python3 -m pytest -q)

echo "== go client"
(cd clients/go && GOFLAGS=-mod=mod go test -count=1 ./...)

echo "== socat smoke test"
bash scripts/socat-smoke.sh
echo "all suites passed"
