#!/usr/bin/env bash
# The wire benchmark in one command, from any directory (bench/README.md, "Wire protocol"):
#   bench/run_wire.sh [--duration S] [--warmup S] [--connections "1 8 64"] [--workloads "select insert"]
#                     [--rows N] [--pg-insert-modes "sync_off sync_on"] [--idle N] [--busy N]
#                     [--no-scale] [--profile]
# Installs what is missing (scripts/setup.sh, PostgreSQL from apt), builds lytdb and
# lyt_wire_bench in Release into build/release, starts a throwaway lytdb and a throwaway
# PostgreSQL cluster on free loopback ports, loads the same tables into both, then runs each
# workload at each connection count on LytDB (lyt_wire_bench) and on PostgreSQL (pgbench,
# -M prepared), one after the other. The report goes to stdout and to bench/results/wire_latest.md;
# the raw records to bench/results/wire_latest.json.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source bench/apt_install.sh

DURATION=10
WARMUP=2
CONNECTIONS="1 8 64"
WORKLOADS="select insert"
ROWS=100000
PG_INSERT_MODES="sync_off sync_on"
IDLE=2000
BUSY=100
SCALE=1
PROFILE=0
COMMAND_LINE="bench/run_wire.sh $*"
while (($#)); do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --workloads) WORKLOADS=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --pg-insert-modes) PG_INSERT_MODES=$2; shift 2 ;;
    --idle) IDLE=$2; shift 2 ;;
    --busy) BUSY=$2; shift 2 ;;
    --no-scale) SCALE=0; shift ;;
    --profile) PROFILE=1; shift ;;
    *) echo "run_wire.sh: unknown argument '$1' (see the comment at the top)" >&2; exit 2 ;;
  esac
done

# Set-up and build talk on stderr, so stdout carries only the report.
{
  bash scripts/setup.sh
  apt_install libsqlite3-dev python3 postgresql
  if ((PROFILE)) && ! command -v perf >/dev/null; then apt_install linux-perf; fi
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DLYT_BUILD_TESTS=OFF -DLYT_BUILD_BENCH=ON
  cmake --build build/release --target lytdb lyt_wire_bench
} >&2

LYTDB=$ROOT/build/release/tools/lytdb
BENCH=$ROOT/build/release/bench/lyt_wire_bench
REPORT="python3 $ROOT/bench/wire/wire_report.py"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
WORK=$(mktemp -d /tmp/lyt-wire.XXXXXX)
chmod 755 "$WORK"  # the postgres user reaches its cluster below it
RESULTS=$WORK/results.jsonl
LYT_PID=""
PG_STARTED=0

log() { echo "bench: $*" >&2; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cleanup() {
  if [ -n "$LYT_PID" ]; then kill "$LYT_PID" 2>/dev/null && wait "$LYT_PID" 2>/dev/null || true; fi
  if ((PG_STARTED)); then runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- lytdb: defaults, except a data directory of its own and a free loopback port ---------------
start_lytdb() {
  LYT_PASSWORD=wire-bench-$RANDOM$RANDOM
  ulimit -n "$(ulimit -Hn)"  # the connection-scale run opens thousands of connections
  LYT_ADMIN_PASSWORD=$LYT_PASSWORD "$LYTDB" --data-dir "$WORK/lytdb" --listen 127.0.0.1:0 --resp 127.0.0.1:0 --http 127.0.0.1:0 \
    --max-connections 4096 >"$WORK/lytdb.out" 2>&1 &
  LYT_PID=$!
  for _ in $(seq 100); do
    [ "$(wc -l <"$WORK/lytdb/lytdb.pid" 2>/dev/null || echo 0)" -ge 2 ] && break
    kill -0 "$LYT_PID" 2>/dev/null || { cat "$WORK/lytdb.out" >&2; exit 1; }
    sleep 0.1
  done
  LYT_PORT=$(sed -n 2p "$WORK/lytdb/lytdb.pid")
  LYT_URI="lyt://admin:$LYT_PASSWORD@127.0.0.1:$LYT_PORT/main"
  log "lytdb pid $LYT_PID on port $LYT_PORT"
}

# --- PostgreSQL: a throwaway cluster run by the postgres user (it refuses root), default settings
# except where it listens; synchronous_commit is chosen per INSERT run (PGOPTIONS) ---------------
start_pg() {
  mkdir -p "$WORK/pg"
  chown postgres: "$WORK/pg"
  PG_PORT=$(free_port)
  runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust --no-sync >"$WORK/pg/initdb.log" 2>&1
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$WORK/pg" start >&2
  PG_STARTED=1
  PG_POSTMASTER=$(head -1 "$WORK/pg/data/postmaster.pid")
  log "PostgreSQL pid $PG_POSTMASTER on port $PG_PORT"
}

pg_psql() { PGOPTIONS="-c client_min_messages=warning" "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"; }

load_data() {
  log "loading $ROWS accounts into lytdb and PostgreSQL"
  "$BENCH" load --uri "$LYT_URI" --rows "$ROWS"
  { "$BENCH" sql accounts --rows "$ROWS"; "$BENCH" sql events; } | pg_psql >/dev/null
  pg_psql -c "VACUUM ANALYZE accounts" -c "CHECKPOINT"
}

# CPU time (clock ticks) for telling how much of the machine other processes took during a run:
# all CPUs' busy and total time, and ours (this shell's finished children, i.e. the clients,
# plus lytdb, and the postmaster with its children, finished and live).
cpu_snapshot() {
  python3 - "$$" "$LYT_PID" "$PG_POSTMASTER" <<'EOF'
import glob, sys
def ticks(pid, children):
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    t = int(f[11]) + int(f[12])
    return t + int(f[13]) + int(f[14]) if children else t
cpu = [int(x) for x in open("/proc/stat").readline().split()[1:9]]
busy = sum(cpu) - cpu[3] - cpu[4]
ours = ticks(sys.argv[1], True) + ticks(sys.argv[2], False) + ticks(sys.argv[3], True)
for stat in glob.glob("/proc/[0-9]*/stat"):  # the postmaster's live children (walwriter, ...)
    try:
        if open(stat).read().rsplit(")", 1)[1].split()[1] == sys.argv[3]:
            ours += ticks(stat.split("/")[2], False)
    except (OSError, IndexError):
        pass
print(busy, sum(cpu), ours)
EOF
}

# Adds "other_cpu_pct" (share of all CPU time taken by other processes between two snapshots) to
# the JSON record on stdin and appends it to the results.
record() {
  python3 -c '
import json, sys
b, a = [list(map(int, s.split())) for s in sys.argv[1:3]]
r = json.loads(sys.stdin.read())
total = a[1] - b[1]
r["other_cpu_pct"] = round(100 * max(0, (a[0] - b[0]) - (a[2] - b[2])) / total, 1) if total else None
print(json.dumps(r))' "$1" "$2" | tee -a "$RESULTS" >&2
}

run_lytdb() {  # workload connections
  local before
  before=$(cpu_snapshot)
  "$BENCH" run --uri "$LYT_URI" --workload "$1" --connections "$2" --warmup "$WARMUP" \
    --duration "$DURATION" --rows "$ROWS" >"$WORK/lyt.json"
  record "$before" "$(cpu_snapshot)" <"$WORK/lyt.json"
}

run_pg() {  # workload connections [sync_off|sync_on]
  local workload=$1 n=$2 mode=${3:-} before status=0 options=""
  [ "$mode" = sync_off ] && options="-c synchronous_commit=off"
  [ "$workload" = insert ] && "$BENCH" sql events | pg_psql >/dev/null
  rm -rf "$WORK/pgbench" && mkdir -p "$WORK/pgbench"
  before=$(cpu_snapshot)
  PGOPTIONS=$options "$PGBIN/pgbench" -n -M prepared -c "$n" -j "$n" -T "$((WARMUP + DURATION + 1))" \
    -f "$ROOT/bench/wire/pgbench_$workload.sql" -D rows="$ROWS" -D n=0 -l --log-prefix "$WORK/pgbench/log" \
    -h 127.0.0.1 -p "$PG_PORT" -U postgres postgres >"$WORK/pgbench.out" 2>&1 || status=$?
  sleep 0.5  # the backends exit after pgbench; their CPU time reaches the postmaster's
  $REPORT pgbench-log "$WORK/pgbench/log" --warmup "$WARMUP" --duration "$DURATION" --workload "$workload" \
    --connections "$n" --mode "$mode" --exit-status "$status" --pgbench-output "$WORK/pgbench.out" \
    | record "$before" "$(cpu_snapshot)"
}

# perf on lytdb during an extra 8-connection point SELECT run (not in the results: perf slows it).
profile_lytdb() {
  local out=$ROOT/bench/results/wire_profile.txt
  log "profiling lytdb (perf record -g) during an extra point SELECT run at 8 connections"
  (sleep "$((WARMUP + 1))"; perf record -g -p "$LYT_PID" -o "$WORK/perf.data" -- sleep 5 >/dev/null 2>&1) &
  "$BENCH" run --uri "$LYT_URI" --workload select --connections 8 --warmup "$WARMUP" --duration "$DURATION" \
    --rows "$ROWS" >&2
  wait $!
  # sed reads to the end (head would end perf with SIGPIPE, which pipefail turns into a failure).
  perf report -i "$WORK/perf.data" --no-children --sort symbol -F overhead,sym --stdio -g none 2>/dev/null \
    | sed -E -e 's/ +- +-$//' -e 's/ {3,}/  /g' -e 's/ *$//' -e '/^$/d' | sed -n '1,60p' >"$out"
  log "profile written to $out"
}

machine_json() {
  python3 - "$@" <<'EOF'
import json, os, platform, subprocess, sys
def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"
def cpuinfo(key):
    for line in open("/proc/cpuinfo"):
        if line.startswith(key):
            return line.split(":", 1)[1].strip()
mem = int(open("/proc/meminfo").readline().split()[1]) / 2**20
rev = sh("git", "rev-parse", "--short", "HEAD") + ("-dirty" if sh("git", "status", "--porcelain", "--untracked-files=no") else "")
os_name = next((l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release") if l.startswith("PRETTY_NAME")), platform.system())
pg, pgbench, command, duration, warmup, rows = sys.argv[1:7]
print(json.dumps({
    "date": sh("date", "-u", "+%Y-%m-%d %H:%M UTC"),
    "machine": f"{os.cpu_count()} × {cpuinfo('model name')}, {mem:.1f} GiB RAM, {os_name}",
    "LytDB": f"commit {rev}, Release build, lytdb defaults (io_threads and worker_threads by core count)",
    "PostgreSQL": f"{pg}; default settings (shared_buffers 128MB, fsync on) except listen address and port",
    "client": f"lyt_wire_bench (C++ client, lyt_client) for LytDB; {pgbench} (libpq) for PostgreSQL; both -M prepared, one thread per connection, TCP over 127.0.0.1",
    "data": f"{int(rows):,} accounts rows; events emptied before each INSERT run",
    "timing": f"{warmup} s warm-up, then {duration} s measured per run",
    "load average at start": open("/proc/loadavg").read().split()[0],
    "command": command,
}, ensure_ascii=False))
EOF
}

start_lytdb
start_pg
load_data
machine_json "$("$PGBIN/postgres" --version)" "$("$PGBIN/pgbench" --version)" "$COMMAND_LINE" "$DURATION" \
  "$WARMUP" "$ROWS" >"$WORK/machine.json"

for workload in $WORKLOADS; do
  for n in $CONNECTIONS; do
    log "$workload, $n connections: lytdb"
    run_lytdb "$workload" "$n"
    if [ "$workload" = insert ]; then
      for mode in $PG_INSERT_MODES; do
        log "$workload, $n connections: PostgreSQL ($mode)"
        run_pg "$workload" "$n" "$mode"
      done
    else
      log "$workload, $n connections: PostgreSQL"
      run_pg "$workload" "$n"
    fi
  done
done

if ((SCALE)); then
  log "connection scale: $BUSY busy connections, then $IDLE idle ones more"
  before=$(cpu_snapshot)
  "$BENCH" scale --uri "$LYT_URI" --idle "$IDLE" --busy "$BUSY" --pid "$LYT_PID" --warmup "$WARMUP" \
    --duration "$DURATION" --rows "$ROWS" >"$WORK/scale.json"
  record "$before" "$(cpu_snapshot)" <"$WORK/scale.json"
fi

((PROFILE)) && profile_lytdb

mkdir -p bench/results
cp "$RESULTS" bench/results/wire_latest.json
cp "$WORK/machine.json" bench/results/wire_machine.json
$REPORT report "$RESULTS" "$WORK/machine.json" | tee bench/results/wire_latest.md
