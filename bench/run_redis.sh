#!/usr/bin/env bash
# The Redis-protocol benchmark in one command, from any directory (bench/README.md, "Redis protocol"):
#   bench/run_redis.sh [--requests N] [--clients C] [--pipelines "1 16"] [--keys N] [--rounds R]
#                      [--lytdb-fsync batch|always|off] [--redis-appendfsync everysec|always|no]
#                      [--lytdb-io-threads "default 2"]
# Builds lytdb in Release, starts a throwaway lytdb and a throwaway redis-server (from apt) on
# free loopback ports, runs redis-benchmark (SET and GET, C clients, each pipeline depth) against
# each in turn, then loads --keys keys into each with redis-benchmark and measures the memory per
# key as the growth of the server's resident set. Durability is like for like by default: lytdb
# with fsync=batch (log flushed every 10 ms) against redis-server with appendonly yes and
# appendfsync everysec. LytDB runs once per distinct --lytdb-io-threads value (event loops;
# "default" is lytdb's own choice, one per core but one, as its --help says), each reported
# against the same Redis figures: with the benchmark client on the same cores, fewer loops leave
# it more CPU. The report goes to stdout and to bench/results/redis_latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source bench/apt_install.sh

REQUESTS=1000000
CLIENTS=50
PIPELINES="1 16"
KEYS=1000000
ROUNDS=3
LYT_FSYNC=batch
REDIS_FSYNC=everysec
LYT_IO_THREADS="default 2"
COMMAND_LINE="bench/run_redis.sh $*"
while (($#)); do
  case "$1" in
    --requests) REQUESTS=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --pipelines) PIPELINES=$2; shift 2 ;;
    --keys) KEYS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --lytdb-fsync) LYT_FSYNC=$2; shift 2 ;;
    --redis-appendfsync) REDIS_FSYNC=$2; shift 2 ;;
    --lytdb-io-threads) LYT_IO_THREADS=$2; shift 2 ;;
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

# lytdb's own default (its --help prints it for this machine), and the distinct loop counts to run.
DEFAULT_IO_THREADS=$("$LYTDB" --help | sed -n 's/.*--io-threads .*\[default: \([0-9]*\);.*/\1/p')
[[ -n $DEFAULT_IO_THREADS ]] || { echo "run_redis.sh: no io_threads default in lytdb --help" >&2; exit 1; }
IO_THREAD_COUNTS=$(for config in $LYT_IO_THREADS; do [[ $config == default ]] && echo "$DEFAULT_IO_THREADS" || echo "$config"; done | awk '!seen[$0]++')

# start_lytdb [IO_THREADS]
start_lytdb() {
  rm -rf "$WORK/lytdb"
  LYT_PORT=$(free_port)
  LYT_ADMIN_PASSWORD=$PASSWORD "$LYTDB" --data-dir "$WORK/lytdb" --listen 127.0.0.1:0 --resp "127.0.0.1:$LYT_PORT" --http 127.0.0.1:0 \
    --fsync "$LYT_FSYNC" --io-threads "${1:-$DEFAULT_IO_THREADS}" --log-file "" >>"$WORK/lytdb.out" 2>&1 &
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

# cpu_ticks PID: the user + system CPU the process has used so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICKS_PER_SECOND=$(getconf CLK_TCK)

# run_benchmark NAME PORT PID AUTH...: one line per pipeline depth and test,
# "NAME P TEST ops/s server-CPU-us/op client-CPU-us/op", appended to $WORK/runs.
run_benchmark() {
  local name=$1 port=$2 pid=$3; shift 3
  for p in $PIPELINES; do
    for test in set get; do
      local before after csv client ops
      before=$(cpu_ticks "$pid")
      # bash's `time` gives the client's own CPU (user + system seconds).
      client=$( { TIMEFORMAT='%U %S'; time redis-benchmark -h 127.0.0.1 -p "$port" "$@" -t "$test" \
        -n "$REQUESTS" -c "$CLIENTS" -P "$p" -r 100000 --csv >"$WORK/csv" 2>/dev/null; } 2>&1)
      after=$(cpu_ticks "$pid")
      ops=$(awk -F'","' 'NR > 1 {print $2}' "$WORK/csv")
      read -r cu cs <<<"$client"
      python3 -c "print('$name $p ${test^^} $ops', f'{($after - $before) * 1e6 / $TICKS_PER_SECOND / $REQUESTS:.2f}', f'{($cu + $cs) * 1e6 / $REQUESTS:.2f}')" >>"$WORK/runs"
    done
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

LYT_AUTH=(--user admin -a $PASSWORD)
REDIS_AUTH=(-a $PASSWORD)
# The servers take turns, ROUNDS times, so that a slow spell of the VM does not fall on one of
# them only; the report gives each figure's median.
for _ in $(seq "$ROUNDS"); do
  for threads in $IO_THREAD_COUNTS; do
    start_lytdb "$threads"
    run_benchmark "LytDB:$threads" "$LYT_PORT" "$LYT_PID" "${LYT_AUTH[@]}"
    stop_lytdb
  done
  start_redis
  run_benchmark Redis "$REDIS_PORT" "$REDIS_PID" "${REDIS_AUTH[@]}"
  stop_redis
done
start_lytdb
LYT_MEMORY=$(memory_per_key "$LYT_PORT" "$LYT_PID" "${LYT_AUTH[@]}")
stop_lytdb
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
  echo "Redis $REDIS_VERSION: appendonly yes, appendfsync $REDIS_FSYNC. All on loopback with the benchmark on the same $(nproc) cores."
  echo "LytDB with N event loops: \`--io-threads N\` (lytdb's default here: $DEFAULT_IO_THREADS). Medians of $ROUNDS rounds."
  echo
  python3 - "$WORK/runs" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, p, test, ops, server_us, client_us = line.split()
    runs[(name, int(p), test)].append((float(ops), float(server_us), float(client_us)))
def median(name, p, test, i):
    return statistics.median(r[i] for r in runs[(name, p, test)])
lyts = sorted({k[0] for k in runs if k[0].startswith("LytDB:")}, key=lambda n: -int(n.split(":")[1]))
def label(name):
    n = int(name.split(":")[1])
    return f"LytDB, {n} loop{'s' if n > 1 else ''}"
pipelines = sorted({k[1] for k in runs})
head = "| test | pipeline | Redis ops/s |" + "".join(f" {label(n)} ops/s | / Redis |" for n in lyts)
print(head)
print("| --- | ---: | ---: |" + " ---: | ---: |" * len(lyts))
for p in pipelines:
    for test in ("SET", "GET"):
        red = median("Redis", p, test, 0)
        cells = "".join(f" {median(n, p, test, 0):,.0f} | {median(n, p, test, 0) / red:.2f}x |" for n in lyts)
        print(f"| {test} | {p} | {red:,.0f} |{cells}")
print()
print("CPU per request, µs (user + system, from /proc; the client is redis-benchmark):")
print()
print("| test | pipeline | Redis server | Redis's client |" + "".join(f" {label(n)} | its client |" for n in lyts))
print("| --- | ---: | ---: | ---: |" + " ---: | ---: |" * len(lyts))
for p in pipelines:
    for test in ("SET", "GET"):
        cells = "".join(f" {median(n, p, test, 1):.2f} | {median(n, p, test, 2):.2f} |" for n in lyts)
        print(f"| {test} | {p} | {median('Redis', p, test, 1):.2f} | {median('Redis', p, test, 2):.2f} |{cells}")
PY
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
