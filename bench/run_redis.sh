#!/usr/bin/env bash
# The Redis-protocol benchmark in one command, from any directory (bench/README.md, "Redis protocol"):
#   bench/run_redis.sh [--requests N] [--clients C] [--pipelines "1 16"] [--keys N]
#                      [--lytdb-fsync batch|always|off] [--redis-appendfsync everysec|always|no]
# Builds lytdb in Release, starts a throwaway lytdb and a throwaway redis-server (from apt) on
# free loopback ports, runs redis-benchmark (SET and GET, C clients, each pipeline depth) against
# each in turn, then loads --keys keys into each with redis-benchmark and measures the memory per
# key as the growth of the server's resident set. Durability is like for like by default: lytdb
# with fsync=batch (log flushed every 10 ms) against redis-server with appendonly yes and
# appendfsync everysec. The report goes to stdout and to bench/results/redis_latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source bench/apt_install.sh

REQUESTS=1000000
CLIENTS=50
PIPELINES="1 16"
KEYS=1000000
LYT_FSYNC=batch
REDIS_FSYNC=everysec
COMMAND_LINE="bench/run_redis.sh $*"
while (($#)); do
  case "$1" in
    --requests) REQUESTS=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --pipelines) PIPELINES=$2; shift 2 ;;
    --keys) KEYS=$2; shift 2 ;;
    --lytdb-fsync) LYT_FSYNC=$2; shift 2 ;;
    --redis-appendfsync) REDIS_FSYNC=$2; shift 2 ;;
    *) echo "run_redis.sh: unknown argument '$1' (see the comment at the top)" >&2; exit 2 ;;
  esac
done

{
  bash scripts/setup.sh
  apt_install redis-server redis-tools
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DLYT_BUILD_TESTS=OFF -DLYT_BUILD_BENCH=ON
  cmake --build build/release --target lytdb
} >&2

LYTDB=$ROOT/build/release/tools/lytdb
WORK=$(mktemp -d /tmp/lyt-redis.XXXXXX)
PASSWORD=bench-password
LYT_PID=""
REDIS_PID=""
cleanup() {
  [[ -n $LYT_PID ]] && kill "$LYT_PID" 2>/dev/null && wait "$LYT_PID" 2>/dev/null
  [[ -n $REDIS_PID ]] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

start_lytdb() {
  rm -rf "$WORK/lytdb"
  LYT_PORT=$(free_port)
  LYT_ADMIN_PASSWORD=$PASSWORD "$LYTDB" --data-dir "$WORK/lytdb" --listen 127.0.0.1:0 --resp "127.0.0.1:$LYT_PORT" \
    --fsync "$LYT_FSYNC" --log-file "" >>"$WORK/lytdb.out" 2>&1 &
  LYT_PID=$!
  for _ in $(seq 200); do redis-cli -p "$LYT_PORT" --user admin --pass $PASSWORD --no-auth-warning ping >/dev/null 2>&1 && return; sleep 0.05; done
  echo "lytdb did not start:" >&2; cat "$WORK/lytdb.out" >&2; exit 1
}
stop_lytdb() { kill "$LYT_PID"; wait "$LYT_PID" 2>/dev/null || true; LYT_PID=""; }

start_redis() {
  rm -rf "$WORK/redis"; mkdir -p "$WORK/redis"
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis" --save "" --appendonly yes \
    --appendfsync "$REDIS_FSYNC" --requirepass $PASSWORD --daemonize no --logfile "$WORK/redis.log" &
  REDIS_PID=$!
  for _ in $(seq 200); do redis-cli -p "$REDIS_PORT" -a $PASSWORD --no-auth-warning ping >/dev/null 2>&1 && return; sleep 0.05; done
  echo "redis-server did not start" >&2; exit 1
}
stop_redis() { kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true; REDIS_PID=""; }

# bench PORT AUTH... : "SET ops/s GET ops/s" per pipeline depth, as "P set get" lines.
run_benchmark() {
  local port=$1; shift
  for p in $PIPELINES; do
    local csv
    csv=$(redis-benchmark -h 127.0.0.1 -p "$port" "$@" -t set,get -n "$REQUESTS" -c "$CLIENTS" -P "$p" -r 100000 --csv 2>/dev/null)
    local set get
    set=$(echo "$csv" | awk -F'","' '/^"SET"/ {print $2}')
    get=$(echo "$csv" | awk -F'","' '/^"GET"/ {print $2}')
    echo "$p $set $get"
  done
}

# memory PORT PID AUTH...: bytes per key for KEYS keys (RSS growth / KEYS).
memory_per_key() {
  local port=$1 pid=$2; shift 2
  local before after
  before=$(rss_kb "$pid")
  redis-benchmark -h 127.0.0.1 -p "$port" "$@" -t set -n "$KEYS" -r "$KEYS" -c 50 -P 16 -q >/dev/null 2>&1
  # -r draws keys at random: count what is really there.
  local keys
  keys=$(redis-cli -h 127.0.0.1 -p "$port" "$@" --no-auth-warning dbsize)
  after=$(rss_kb "$pid")
  python3 -c "print(f'{($after - $before) * 1024 / $keys:.1f} {$keys}')"
}

start_lytdb
LYT_AUTH=(--user admin -a $PASSWORD)
LYT_RESULTS=$(run_benchmark "$LYT_PORT" "${LYT_AUTH[@]}")
stop_lytdb
start_lytdb
LYT_MEMORY=$(memory_per_key "$LYT_PORT" "$LYT_PID" "${LYT_AUTH[@]}")
stop_lytdb

start_redis
REDIS_AUTH=(-a $PASSWORD)
REDIS_RESULTS=$(run_benchmark "$REDIS_PORT" "${REDIS_AUTH[@]}")
stop_redis
start_redis
REDIS_MEMORY=$(memory_per_key "$REDIS_PORT" "$REDIS_PID" "${REDIS_AUTH[@]}")
stop_redis

REDIS_VERSION=$(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')
{
  echo "# Redis protocol benchmark"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores; \`$COMMAND_LINE\`"
  echo
  echo "redis-benchmark, $CLIENTS clients, $REQUESTS requests per test, keys drawn from 100,000. LytDB: fsync=$LYT_FSYNC;"
  echo "Redis $REDIS_VERSION: appendonly yes, appendfsync $REDIS_FSYNC. Both on loopback with the benchmark on the same 2 cores."
  echo
  echo "| test | pipeline | LytDB ops/s | Redis ops/s | LytDB / Redis |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  paste <(echo "$LYT_RESULTS") <(echo "$REDIS_RESULTS") | while read -r p lset lget _ rset rget; do
    python3 -c "print(f'| SET | $p | {float($lset):,.0f} | {float($rset):,.0f} | {float($lset)/float($rset):.2f}x |')"
    python3 -c "print(f'| GET | $p | {float($lget):,.0f} | {float($rget):,.0f} | {float($lget)/float($rget):.2f}x |')"
  done
  echo
  read -r lbytes lkeys <<<"$LYT_MEMORY"
  read -r rbytes rkeys <<<"$REDIS_MEMORY"
  echo "Memory per key (resident set growth while loading, SET of 3-byte values under \`key:NNNNNNNNNNNN\`):"
  echo
  echo "| | keys | bytes per key |"
  echo "| --- | ---: | ---: |"
  echo "| LytDB | $lkeys | $lbytes |"
  echo "| Redis | $rkeys | $rbytes |"
  python3 -c "print(f'\nLytDB uses {float($lbytes)/float($rbytes):.2f}x the memory per key of Redis.')"
} | tee "$ROOT/bench/results/redis_latest.md"
