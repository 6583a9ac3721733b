#!/usr/bin/env bash
# Builds provider-sidecar and sidecar-bench in release mode, then runs the benchmark scenarios against the
# real binary and an in-process simulated upstream on 127.0.0.1. Arguments pass through: --quick (smoke
# run), --json, --scenario NAME (startup, ping, first-chunk, streams, idle). Not part of any test run: the
# numbers depend on what else the machine is doing, so the load average is printed next to them.
set -euo pipefail
cd "$(dirname "$0")/.."

# One product per invocation: given several --product flags, swift build builds only the last.
swift build -c release --product provider-sidecar
swift build -c release --product sidecar-bench
echo "loadavg before: $(cat /proc/loadavg)" >&2
exec .build/release/sidecar-bench "$@"
