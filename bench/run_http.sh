#!/usr/bin/env bash
# The HTTP API benchmark in one command (bench/README.md, "HTTP API"):
#   bench/run_http.sh [--rows N] [--connections C] [--seconds S]
# Builds lytdb in Release, starts a throwaway lytdb on free loopback ports, loads table kv with
# --rows rows through POST /v1/query, then drives it with wrk (from apt) for --seconds per test
# from --connections keep-alive connections (default 8), each sending its next request when the
# last is answered:
#   - a point SELECT by primary key with a bearer token (the figure issue 8 asks for),
#   - the same with Basic credentials (remembered after the first check),
#   - GET /healthz, the floor of the HTTP layer alone.
# Prints p50/p90/p99 latency and requests/s per test, to stdout and bench/results/http_latest.md.
# The per-token rate limit is off (--http-rate-limit 0): the benchmark measures the server.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source bench/apt_install.sh

ROWS=100000
CONNECTIONS=8
SECONDS_PER_TEST=10
COMMAND_LINE="bench/run_http.sh $*"
while (($#)); do
  case "$1" in
    --rows) ROWS=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --seconds) SECONDS_PER_TEST=$2; shift 2 ;;
    *) echo "run_http.sh: unknown argument '$1' (see the comment at the top)" >&2; exit 2 ;;
  esac
done

{
  bash scripts/setup.sh
  apt_install wrk
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DLYT_BUILD_TESTS=OFF -DLYT_BUILD_BENCH=ON
  cmake --build build/release --target lytdb
} >&2

WORK=$(mktemp -d /tmp/lyt-http.XXXXXX)
PASSWORD=bench-password
LYT_PID=""
cleanup() {
  [[ -n $LYT_PID ]] && kill "$LYT_PID" 2>/dev/null && wait "$LYT_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LYT_ADMIN_PASSWORD=$PASSWORD build/release/tools/lytdb --data-dir "$WORK/data" --listen 127.0.0.1:0 --resp 127.0.0.1:0 \
  --http "127.0.0.1:$PORT" --http-rate-limit 0 --log-file "" >"$WORK/lytdb.out" 2>&1 &
LYT_PID=$!

# Waits for the server, loads kv and prints a bearer token.
TOKEN=$(python3 - "$PORT" "$PASSWORD" "$ROWS" <<'PY'
import http.client, json, sys, time
port, password, rows = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def post(path, body, token=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token: headers["Authorization"] = "Bearer " + token
    connection.request("POST", path, json.dumps(body), headers)
    response = connection.getresponse()
    data = json.loads(response.read())
    if response.status != 200: sys.exit(f"{path}: {response.status} {data}")
    return data
deadline = time.time() + 30
while True:
    try:
        token = post("/v1/login", {"user": "admin", "password": password})["token"]
        break
    except (ConnectionError, OSError):
        if time.time() > deadline: sys.exit("lytdb did not start")
        time.sleep(0.05)
post("/v1/query", {"sql": "CREATE TABLE kv (id INTEGER PRIMARY KEY, v TEXT)"}, token)
for start in range(1, rows + 1, 1000):
    values = ",".join(f"({i}, 'value-{i}')" for i in range(start, min(start + 1000, rows + 1)))
    post("/v1/query", {"sql": f"INSERT INTO kv VALUES {values}"}, token)
print(token)
PY
) || { cat "$WORK/lytdb.out" >&2; exit 1; }

# run_wrk NAME AUTHORIZATION [PATH]: one wrk run; appends "NAME p50 p90 p99 req/s" (ms, tab-separated) to $WORK/runs.
run_wrk() {
  local name=$1 authorization=$2 path=${3:-}
  local script=(-s bench/http/point_select.lua) url="http://127.0.0.1:$PORT"
  [[ -n $path ]] && { script=(); url+=$path; }
  LYT_ROWS=$ROWS LYT_AUTHORIZATION=$authorization \
    wrk -t 2 -c "$CONNECTIONS" -d "${SECONDS_PER_TEST}s" --latency "${script[@]}" "$url" >"$WORK/wrk.out"
  if grep -q "Non-2xx" "$WORK/wrk.out"; then cat "$WORK/wrk.out" >&2; echo "run_http.sh: $name got errors" >&2; exit 1; fi
  python3 - "$name" "$WORK/wrk.out" >>"$WORK/runs" <<'PY'
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
latency = {p: ms(*re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()) for p in ("50", "90", "99")}
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
print(name, latency["50"], latency["90"], latency["99"], rate, sep="\t")
PY
}

BASIC="Basic $(printf 'admin:%s' "$PASSWORD" | base64)"
run_wrk "point SELECT, bearer token" "Bearer $TOKEN"
run_wrk "point SELECT, Basic auth" "$BASIC"
run_wrk "GET /healthz" "" /healthz

{
  echo "# HTTP API benchmark"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores; \`$COMMAND_LINE\`"
  echo
  echo "wrk $(wrk -v 2>&1 | head -n 1 | awk '{print $2}'), $CONNECTIONS keep-alive connections (2 threads), ${SECONDS_PER_TEST} s per test, on the"
  echo "same cores as lytdb (Release, fsync=batch). Point SELECT: \`SELECT id, v FROM kv WHERE id = \$1\`, a random"
  echo "id of $ROWS rows, through POST /v1/query."
  echo
  echo "| test | p50 ms | p90 ms | p99 ms | requests/s |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  while IFS=$'\t' read -r name p50 p90 p99 rate; do
    printf '| %s | %.3f | %.3f | %.3f | %.0f |\n' "$name" "$p50" "$p90" "$p99" "$rate"
done <"$WORK/runs"
} | tee "$ROOT/bench/results/http_latest.md"
