#!/usr/bin/env bash
# Load on proactif serve from wrk (Debian), on loopback: a single household's
# POST /api/v1/evaluate (C2S), then the verification page with a code (a
# store lookup and an audit row written per request). Run after
# scripts/build.sh:
#   bench/serve_bench.sh [seconds] [connections]
# Prints wrk's requests per second and latency distribution for each.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
connections=${2:-16}
work=$(mktemp -d /tmp/proactif-serve-bench-XXXX)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The limit on codes per address would stop the load (it all comes from one address).
build/proactif serve --listen "127.0.0.1:$port" --store "sqlite:$work/store.db" \
  --citizen-per-minute 1000000000 --citizen-per-day 1000000000 2>"$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q listening "$work/serve.log" && break; sleep 0.1; done
head -1 examples/situations.jsonl > "$work/one.jsonl"
cat > "$work/evaluate.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-ndjson"
local f = io.open("$work/one.jsonl")
wrk.body = f:read("*a")
f:close()
LUA
echo "== POST /api/v1/evaluate?program=c2s, one household (${seconds}s, $connections connections) =="
curl -sf -XPOST "http://127.0.0.1:$port/api/v1/evaluate?program=c2s" -H 'Content-Type: application/x-ndjson' \
  --data-binary @"$work/one.jsonl" >/dev/null  # the first request compiles nothing, but warms the caches
wrk -t1 -c"$connections" -d"${seconds}s" --latency -s "$work/evaluate.lua" "http://127.0.0.1:$port/api/v1/evaluate?program=c2s"
echo
echo "== GET /verifier?code=... (${seconds}s, $connections connections) =="
wrk -t1 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/verifier?code=K7M2-Q9XD-4HRA"
