#!/usr/bin/env bash
# Usage: wasm/e2e/run.sh SITE_DIR [SCRIPT]
# Serves a copy of SITE_DIR under a sub-path (as GitHub Pages serves a project site:
# /meshlight/) with bin/serve -prefix on a free 127.0.0.1 port, runs the end-to-end test
# (or SCRIPT, e.g. soak.mjs) against it (screenshots and results.json in wasm/e2e/out/), and
# stops the server. The copy adds test fixtures in e2e/: a 200 MB model file (sparse; its
# Content-Length is over the page's cap) and a model whose data set name leaves data/.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SITE=${1:?usage: run.sh SITE_DIR}
SERVE=${SERVE:-$ROOT/bin/serve}
SCRIPT=${2:-e2e.mjs}
LOG=$(mktemp)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cp -r "$SITE"/. "$TMP/site"
mkdir "$TMP/site/e2e"
truncate -s 200M "$TMP/site/e2e/huge-model.json"
sed 's|"dataset": "vowel4"|"dataset": "../../../evil"|' "$SITE/models/vowel-mlp.json" >"$TMP/site/e2e/evil-dataset.json"
grep -q '"dataset": "../../../evil"' "$TMP/site/e2e/evil-dataset.json"
"$SERVE" -dir "$TMP/site" -prefix /meshlight/ -addr 127.0.0.1:0 >"$LOG" 2>&1 &
SRV=$!
trap 'kill "$SRV" 2>/dev/null || true; wait "$SRV" 2>/dev/null || true; rm -f "$LOG"; rm -rf "$TMP"' EXIT
# Up to two minutes for the server to listen (a busy machine is slow to start a process),
# as the scripts' waits are capped (browser.mjs CAP).
for _ in $(seq 1200); do grep -q '^listening on ' "$LOG" && break; kill -0 "$SRV" 2>/dev/null || break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$LOG")
[ -n "$URL" ] || { echo "waiting for bin/serve to listen: it did not (exited, or not after 120 s):"; cat "$LOG"; exit 1; }
URL="${URL}meshlight/"
echo "serving $SITE at $URL (pid $SRV)"
BASE_URL="$URL" OUT="${OUT:-$HERE/out}" node "$HERE/$SCRIPT"
