#!/usr/bin/env bash
# Durability benchmark, part two (bench/README.md, "Durability"): recovery time and checkpoint size.
#   bench/run_recovery.sh [--rows N] [--wal-rows N]
# Builds lytdb and lyt in Release, loads N rows (default 10,000,000) from a CSV file into a
# throwaway lytdb (table: BIGINT primary key, TEXT, DOUBLE, DATE), writes a checkpoint, commits
# --wal-rows more rows (default 1,000,000, in 1,000-row INSERTs) that stay in the write-ahead log,
# kills lytdb with SIGKILL and restarts it. Reports: recovery time (lytdb's own "recovered in"
# line and the time until it listens again), the checkpoint's size beside the CSV's, and the
# offline check (lytdb --check). Commit throughput beside PostgreSQL comes from the wire
# benchmark: bench/run_wire.sh --workloads insert --pg-insert-modes sync_on.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROWS=10000000
WAL_ROWS=1000000
while (($#)); do
  case "$1" in
    --rows) ROWS=$2; shift 2 ;;
    --wal-rows) WAL_ROWS=$2; shift 2 ;;
    *) echo "run_recovery.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
{
  bash scripts/setup.sh
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DLYT_BUILD_TESTS=OFF -DLYT_BUILD_BENCH=ON
  cmake --build build/release --target lytdb lyt
} >&2
LYTDB=$ROOT/build/release/tools/lytdb
LYT=$ROOT/build/release/tools/lyt
WORK=$(mktemp -d /tmp/lyt-recovery.XXXXXX)
PID=""
trap '[ -n "$PID" ] && kill -9 $PID 2>/dev/null; rm -rf "$WORK"' EXIT
export LYT_ADMIN_PASSWORD=bench-password

now() { date +%s.%N; }
start() {  # starts lytdb on the data directory; sets PID, PORT and START_SECONDS (until it listens)
  local t0; t0=$(now)
  rm -f "$WORK/data/lytdb.pid"
  "$LYTDB" --data-dir "$WORK/data" --listen 127.0.0.1:0 --resp 127.0.0.1:0 --http 127.0.0.1:0 --log-file "" >>"$WORK/lytdb.out" 2>&1 &
  PID=$!
  until [ "$(cat "$WORK/data/lytdb.pid" 2>/dev/null | wc -l)" -ge 2 ]; do
    kill -0 "$PID" 2>/dev/null || { cat "$WORK/lytdb.out" >&2; exit 1; }
    sleep 0.01
  done
  PORT=$(sed -n 2p "$WORK/data/lytdb.pid")
  START_SECONDS=$(python3 -c "print(f'{$(now) - $t0:.3f}')")
}
sql() { "$LYT" "lyt://admin:$LYT_ADMIN_PASSWORD@127.0.0.1:$PORT/main" -c "$1" >/dev/null; }

echo "generating $ROWS rows of CSV" >&2
python3 - "$ROWS" "$WORK/rows.csv" <<'PY'
import sys, random
n, path = int(sys.argv[1]), sys.argv[2]
random.seed(7)
with open(path, "w") as f:
    for start in range(1, n + 1, 100000):
        f.write("".join(f"{i},name-{i % 9973},{(i * 37 % 100000) / 100:.2f},20{i % 25:02d}-0{1 + i % 9}-1{i % 10}\n"
                        for i in range(start, min(n, start + 99999) + 1)))
PY
CSV_BYTES=$(stat -c %s "$WORK/rows.csv")
start
echo "loading and checkpointing" >&2
sql "CREATE TABLE t(id BIGINT PRIMARY KEY, name TEXT, amount DOUBLE, day DATE)"
sql "COPY t FROM '$WORK/rows.csv' WITH (FORMAT csv)"
t0=$(now); sql "CHECKPOINT"; CHECKPOINT_SECONDS=$(python3 -c "print(f'{$(now) - $t0:.2f}')")
CHECKPOINT_BYTES=$(stat -c %s "$WORK"/data/checkpoint-*.lyt)
echo "committing $WAL_ROWS rows into the log" >&2
python3 - "$ROWS" "$WAL_ROWS" > "$WORK/wal.sql" <<'PY'
import sys
base, n = int(sys.argv[1]), int(sys.argv[2])
for s in range(0, n, 1000):
    print("INSERT INTO t VALUES " + ",".join(f"({base + i + 1},'wal-{i}',{i}.5,'2024-01-01')" for i in range(s, min(n, s + 1000))) + ";")
PY
"$LYT" "lyt://admin:$LYT_ADMIN_PASSWORD@127.0.0.1:$PORT/main" -f "$WORK/wal.sql" >/dev/null
WAL_BYTES=$(du -cb "$WORK"/data/wal/*.wal | tail -1 | cut -f1)
kill -9 "$PID"; wait "$PID" 2>/dev/null || true
start
RECOVERED=$(grep -o "recovered in [0-9.]* s.*" "$WORK/lytdb.out" | tail -1)
COUNT=$("$LYT" "lyt://admin:$LYT_ADMIN_PASSWORD@127.0.0.1:$PORT/main" -c "SELECT count(*) FROM t" --format csv 2>/dev/null | tail -1 || true)
kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; PID=""
CHECK=$( { /usr/bin/time -f "%e s" "$LYTDB" --check "$WORK/data"; } 2>&1 | tr '\n' ' ')
cat <<REPORT
# Durability: recovery and checkpoint size ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)
rows in the checkpoint: $ROWS; rows committed after it (in the log): $WAL_ROWS
checkpoint: $CHECKPOINT_BYTES bytes, written in $CHECKPOINT_SECONDS s; CSV of the same rows: $CSV_BYTES bytes; checkpoint/CSV = $(python3 -c "print(f'{$CHECKPOINT_BYTES / $CSV_BYTES:.3f}')")
log after the checkpoint: $WAL_BYTES bytes (preallocated segments included)
after SIGKILL: lytdb listening again after $START_SECONDS s; lytdb: $RECOVERED
rows after recovery: $COUNT
lytdb --check: $CHECK
REPORT
