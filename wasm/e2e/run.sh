#!/usr/bin/env bash
# Usage: wasm/e2e/run.sh SITE_DIR
# Serves SITE_DIR under a sub-path (as GitHub Pages serves a project site: /meshlight/) with
# bin/serve -prefix on a free 127.0.0.1 port, runs the end-to-end test against it
# (screenshots and results.json in wasm/e2e/out/), and stops the server.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SITE=${1:?usage: run.sh SITE_DIR}
SERVE=${SERVE:-$ROOT/bin/serve}
LOG=$(mktemp)
"$SERVE" -dir "$SITE" -prefix /meshlight/ -addr 127.0.0.1:0 >"$LOG" 2>&1 &
SRV=$!
trap 'kill "$SRV" 2>/dev/null || true; wait "$SRV" 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 100); do grep -q '^listening on ' "$LOG" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$LOG")
[ -n "$URL" ] || { echo "server did not start:"; cat "$LOG"; exit 1; }
URL="${URL}meshlight/"
echo "serving $SITE at $URL (pid $SRV)"
BASE_URL="$URL" OUT="${OUT:-$HERE/out}" node "$HERE/e2e.mjs"
