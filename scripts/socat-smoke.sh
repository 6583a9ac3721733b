#!/usr/bin/env bash
# The README's socat session, run for real: line mode and one binary frame through printf.
set -euo pipefail
bin="${PROVIDER_SIDECAR_BIN:-.build/debug/provider-sidecar}"
dir=$(mktemp -d /tmp/ps-socat-XXXXXX)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
env -u ANTHROPIC_API_KEY -u OPENAI_API_KEY "$bin" serve --socket "$dir/s.sock" --ledger "$dir/ledger.sqlite" 2>"$dir/log" &
pid=$!
for _ in $(seq 1 200); do [ -S "$dir/s.sock" ] && break; sleep 0.05; done

reply=$(printf '{"type":"ping","id":"1"}\n' | socat -t 2 - "UNIX-CONNECT:$dir/s.sock")
[ "$reply" = '{"type":"pong","id":"1"}' ] || { echo "line-mode ping: got '$reply'"; exit 1; }

reply=$(printf '\x00\x00\x00\x18{"type":"ping","id":"2"}' | socat -t 2 - "UNIX-CONNECT:$dir/s.sock" | tail -c +5)
[ "$reply" = '{"type":"pong","id":"2"}' ] || { echo "framed ping: got '$reply'"; exit 1; }

out=$( (printf '{"type":"complete","id":"c","messages":[{"role":"user","content":"hi"}]}\n'; sleep 2) \
    | socat -t 3 - "UNIX-CONNECT:$dir/s.sock")
echo "$out" | grep -q '"type":"done"' || { echo "line-mode completion: got '$out'"; cat "$dir/log"; exit 1; }
echo "socat: 3 passed, 0 failed"
