#!/usr/bin/env bash
# Soak: the churn and front-door tests (tests/EndToEndTests/ChurnTests.swift, FrontDoorTests.swift) against
# the release binary, each churn test repeating whole rounds, checked after every round, for SECONDS
# (default 600). Not part of CI. Usage: bash scripts/soak.sh [SECONDS] [CYCLES_PER_PATTERN]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
swift build -c release --product provider-sidecar
swift build --build-tests
export PROVIDER_SIDECAR_BIN="$PWD/.build/release/provider-sidecar"
export SIDECAR_SOAK_SECONDS="$seconds"
[ -n "${2:-}" ] && export SIDECAR_CHURN_CYCLES="$2"
echo "== soak: ${seconds}s per churn test, binary $PROVIDER_SIDECAR_BIN"
swift test --skip-build --filter 'ChurnTests|FrontDoorTests'
