#!/usr/bin/env bash
# End-to-end tests of the Redis protocol with redis-cli (Debian's redis-tools) against a real
# `lytdb`: login, the command families as redis-cli prints them, errors, RESP3 output (-3),
# --scan, mass insertion with --pipe, and the keys read back through the lyt shell's SQL.
#
# Usage: test_redis_cli.sh /path/to/lyt /path/to/lytdb
# Every wait is bounded; the server is stopped (SIGTERM, then SIGKILL) whatever happens.
set -u

LYT=${1:?usage: test_redis_cli.sh /path/to/lyt /path/to/lytdb}
LYTDB=${2:?usage: test_redis_cli.sh /path/to/lyt /path/to/lytdb}
if ! command -v redis-cli >/dev/null; then
  echo "test_redis_cli.sh: redis-cli is missing (scripts/setup.sh installs redis-tools)" >&2
  exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lyt_redis_cli_test.XXXXXX")
OUT=$WORK/out
ERR=$WORK/err
PASSWORD='redis-cli-secret'
SERVER_PID=
status=0
failures=0
export HOME=$WORK/home
mkdir -p "$HOME"

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

cleanup() {
  if [[ -n $SERVER_PID ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    for ((i = 0; i < 100; i++)); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    { kill -KILL "$SERVER_PID" && wait "$SERVER_PID"; } 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

data=$WORK/data
LYT_ADMIN_PASSWORD=$PASSWORD "$LYTDB" --data-dir "$data" --listen 127.0.0.1:0 --resp 127.0.0.1:0 --http 127.0.0.1:0 >"$WORK/lytdb.log" 2>&1 &
SERVER_PID=$!
PORT=
RESP_PORT=
for ((i = 0; i < 200; i++)); do
  if [[ -f $data/lytdb.pid ]]; then
    { read -r pid && read -r PORT && read -r RESP_PORT; } <"$data/lytdb.pid"
    [[ $pid == "$SERVER_PID" && ${RESP_PORT:-0} -gt 0 ]] && break
  fi
  sleep 0.1
done
if [[ ${RESP_PORT:-0} -eq 0 ]]; then
  echo "lytdb did not start:" >&2
  cat "$WORK/lytdb.log" >&2
  exit 1
fi

# cli ARGS...: redis-cli logged in as admin; fills $OUT and $ERR.
cli() {
  redis-cli -h 127.0.0.1 -p "$RESP_PORT" --user admin --pass "$PASSWORD" --no-auth-warning "$@" >"$OUT" 2>"$ERR" </dev/null
  status=$?
}

# Without a password: refused.
redis-cli -h 127.0.0.1 -p "$RESP_PORT" get k >"$OUT" 2>&1 </dev/null
expect_stdout "no login" <<'EOF2'
NOAUTH Authentication required.

EOF2
redis-cli -h 127.0.0.1 -p "$RESP_PORT" --user admin --pass wrong --no-auth-warning ping >"$OUT" 2>&1 </dev/null
if ! grep -q "WRONGPASS" "$OUT"; then fail "wrong password: $(cat "$OUT")"; fi

cli set greeting hello
expect_stdout "set" <<'EOF2'
OK
EOF2
cli get greeting
expect_stdout "get" <<'EOF2'
hello
EOF2
cli rpush list a b c
cli lrange list 0 -1
expect_stdout "lrange" <<'EOF2'
a
b
c
EOF2
cli hset user:1 name Ada
cli hget user:1 name
expect_stdout "hget" <<'EOF2'
Ada
EOF2
cli zadd scores 10 alice 20 bob
cli zrange scores 0 -1 withscores
expect_stdout "zrange withscores" <<'EOF2'
alice
10
bob
20
EOF2
cli incr greeting
expect_stdout "incr of text" <<'EOF2'
ERR value is not an integer or out of range

EOF2
cli lpush greeting x
expect_stdout "wrong type" <<'EOF2'
WRONGTYPE Operation against a key holding the wrong kind of value

EOF2

# RESP3: redis-cli -3 prints maps and doubles as RESP3 types (--no-raw: with their type marks).
cli -3 --no-raw hgetall user:1
expect_stdout "RESP3 map" <<'EOF2'
1# "name" => "Ada"
EOF2
cli -3 --no-raw zscore scores bob
expect_stdout "RESP3 double" <<'EOF2'
(double) 20
EOF2

# --pipe: mass insertion of 10,000 SETs in the Redis protocol.
for ((i = 0; i < 10000; i++)); do printf 'SET bulk:%d %d\r\n' "$i" "$i"; done >"$WORK/pipe.txt"
redis-cli -h 127.0.0.1 -p "$RESP_PORT" --user admin --pass "$PASSWORD" --no-auth-warning --pipe <"$WORK/pipe.txt" >"$OUT" 2>"$ERR"
if ! grep -q "errors: 0, replies: 10000" "$OUT"; then fail "--pipe: $(cat "$OUT" "$ERR")"; fi
cli dbsize
expect_stdout "dbsize" <<'EOF2'
10004
EOF2
cli --scan --pattern 'bulk:99?'
sort "$OUT" >"$WORK/scan" && mv "$WORK/scan" "$OUT"
expect_stdout "--scan" <<'EOF2'
bulk:990
bulk:991
bulk:992
bulk:993
bulk:994
bulk:995
bulk:996
bulk:997
bulk:998
bulk:999
EOF2

# The same keys through SQL.
LYT_PASSWORD=$PASSWORD "$LYT" "lyt://admin@127.0.0.1:$PORT/main" --format csv \
  -c "SELECT type, count(*) FROM lyt_kv GROUP BY type ORDER BY type" >"$OUT" 2>"$ERR" </dev/null
expect_stdout "lyt_kv from the shell" <<'EOF2'
type,count
hash,1
list,1
string,10001
zset,1
EOF2

if ((failures)); then
  echo "test_redis_cli.sh: $failures failure(s); lytdb log:" >&2
  tail -n 20 "$WORK/lytdb.log" >&2
  exit 1
fi
echo "test_redis_cli.sh: all passed"
