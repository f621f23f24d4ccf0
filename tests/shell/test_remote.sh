#!/usr/bin/env bash
# End-to-end tests of the `lyt` shell against a real `lytdb` server: queries, -f, output
# formats, errors with their SQLSTATE, passwords (URI, LYT_PASSWORD, wrong), backslash commands
# (\l \dt \d \du \conninfo \c \x \i), and a server that restarts or dies under an open session.
#
# Usage: test_remote.sh /path/to/lyt /path/to/lytdb
# Every wait is bounded; the server is stopped (SIGTERM, then SIGKILL) whatever happens.
set -u

LYT=${1:?usage: test_remote.sh /path/to/lyt /path/to/lytdb}
LYTDB=${2:?usage: test_remote.sh /path/to/lyt /path/to/lytdb}
for binary in "$LYT" "$LYTDB"; do
  if [[ ! -x $binary ]]; then
    echo "test_remote.sh: $binary is not an executable" >&2
    exit 2
  fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lyt_remote_test.XXXXXX")
OUT=$WORK/out
ERR=$WORK/err
PASSWORD='s3cret-Pass:word'
ENCODED_PASSWORD='s3cret-Pass%3Aword'  # ':' percent-encoded in the URI
SERVER_PID=
PORT=
LYT_PID=
status=0
failures=0
export HOME=$WORK/home  # no history or settings of the person running the tests
mkdir -p "$HOME"
unset LYT_PASSWORD LYT_HISTFILE

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

# stop_process PID: SIGTERM, up to 10 s for it to end, then SIGKILL.
stop_process() {
  local pid=$1 i
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  { kill -KILL "$pid" && wait "$pid"; } 2>/dev/null
  return 0
}

cleanup() {
  exec 3>&- 2>/dev/null
  stop_process "$LYT_PID"
  stop_process "$SERVER_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT

# start_server LISTEN: starts lytdb on a fresh data directory listening on LISTEN
# (127.0.0.1:0 picks a free port); waits up to 20 s for DATA/lytdb.pid ("pid\nport\nresp port\nhttp port\n"), then
# sets SERVER_PID and PORT. Exits the test when the server does not come up.
start_server() {
  local data i pid port
  data=$(mktemp -d "$WORK/data.XXXXXX")/d
  LYT_ADMIN_PASSWORD=$PASSWORD "$LYTDB" --data-dir "$data" --listen "$1" --resp 127.0.0.1:0 --http 127.0.0.1:0 \
    >"$data.log" 2>&1 &
  SERVER_PID=$!
  for ((i = 0; i < 200; i++)); do
    if [[ -f $data/lytdb.pid ]]; then
      { read -r pid && read -r port; } <"$data/lytdb.pid"
      if [[ $pid == "$SERVER_PID" && ${port:-0} -gt 0 ]]; then
        PORT=$port
        return 0
      fi
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "test_remote.sh: lytdb did not start: $(cat "$data.log" 2>/dev/null)" >&2
  exit 1
}

# wait_for_grep FILE REGEX: up to 20 s for a line matching REGEX to appear in FILE.
wait_for_grep() {
  local i
  for ((i = 0; i < 200; i++)); do
    grep -Eq -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# wait_for_exit PID: up to 20 s for PID to end; sets $status to its exit status (124: it did not).
wait_for_exit() {
  local i
  for ((i = 0; i < 200; i++)); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$1" 2>/dev/null; then
    status=124
    return
  fi
  wait "$1"
  status=$?
}

start_server 127.0.0.1:0
URI="lyt://admin:$ENCODED_PASSWORD@127.0.0.1:$PORT/main"
BARE_URI="lyt://admin@127.0.0.1:$PORT/main"

# --- queries ----------------------------------------------------------------------------------
run "$URI" "${SETUP[@]}" -c "$SELECT_ALL"
expect_status 0 "queries"
expect_empty_stderr "queries"
expect_sample_table "queries"

run "$URI" --format csv -c "$SELECT_ALL"
expect_status 0 "csv"
expect_sample_csv "csv"

run "$URI" --format json -c "SELECT id, name FROM t WHERE id < 3 ORDER BY id"
expect_status 0 "json"
expect_stdout "json" <<'EOF'
[{"id":1,"name":"alice"},
{"id":2,"name":null}]
EOF

cat >"$WORK/script.sql" <<'EOF'
-- a comment
CREATE TABLE f (x INTEGER);
INSERT INTO f VALUES (1),
                     (2);
\format csv
SELECT sum(x) AS total FROM f; SELECT count(*) AS n FROM f;
EOF
run "$URI" -f "$WORK/script.sql"
expect_status 0 "-f file"
expect_empty_stderr "-f file"
expect_stdout "-f file" <<'EOF'
CREATE TABLE
INSERT 0 2
Output format is csv.
total
3
n
2
EOF

run_stdin $'SELECT 40 + 2 AS answer;\n' "$URI" --format csv
expect_status 0 "stdin"
expect_stdout "stdin" <<'EOF'
answer
42
EOF

# --- a failing statement ----------------------------------------------------------------------
run "$URI" -c "SELECT 1 AS a" -c "SELECT * FROM no_such_table" -c "SELECT 2 AS b"
expect_status 1 "failing statement"
expect_grep "failing statement" "$ERR" '^ERROR:  42P01: '
expect_grep "failing statement" "$OUT" '^ a$'
expect_no_grep "statement after the error" "$OUT" ' b'

run "$URI" -c "SELECT * FORM t"
expect_status 1 "syntax error"
expect_grep "syntax error" "$ERR" '^ERROR:  42601: '
expect_grep "syntax error" "$ERR" '^LINE 1: SELECT \* FORM t$'

# --- passwords --------------------------------------------------------------------------------
run "lyt://admin:wrong-guess-77@127.0.0.1:$PORT/main" -c "SELECT 1"
expect_status 1 "wrong password"
expect_grep "wrong password" "$ERR" "^lyt: connection to lyt://admin:\\*\\*\\*@127\\.0\\.0\\.1:$PORT/main failed: 28P01: "
expect_no_grep "wrong password not shown" "$ERR" "wrong-guess-77"
if [[ $(wc -l <"$ERR") -ne 1 ]]; then fail "wrong password: expected one line on stderr: $(cat "$ERR")"; fi

LYT_PASSWORD=$PASSWORD run "$BARE_URI" -c "SELECT 7 AS seven"
expect_status 0 "LYT_PASSWORD"
expect_grep "LYT_PASSWORD" "$OUT" '^     7$'

run "$BARE_URI" -c "SELECT 1"
expect_status 1 "no password, not interactive"
expect_grep "no password, not interactive" "$ERR" 'failed: 28P01: '

# --- backslash commands -----------------------------------------------------------------------
run "$URI" -c '\conninfo'
expect_status 0 "\\conninfo"
expect_grep "\\conninfo" "$OUT" "^You are connected to database \"main\" as user \"admin\" on server \"127\\.0\\.0\\.1:$PORT\" \\(lyt://admin:\\*\\*\\*@127\\.0\\.0\\.1:$PORT/main\\)\\.$"
expect_no_grep "\\conninfo hides the password" "$OUT" "$PASSWORD"

LYT_PASSWORD=$PASSWORD run "$BARE_URI" -c '\conninfo'
expect_grep "\\conninfo without password" "$OUT" "\\(lyt://admin@127\\.0\\.0\\.1:$PORT/main\\)\\.$"

run "$URI" -c '\dt'
expect_status 0 "\\dt"
expect_stdout "\\dt" <<'EOF'
 name | type
------+-------
 f    | table
 t    | table
(2 rows)

EOF

run "$URI" -c '\d t'
expect_status 0 "\\d t"
expect_grep "\\d t" "$OUT" '^ column_name \| +column_type'
expect_grep "\\d t" "$OUT" '^ score +\| DOUBLE'

run "$URI" -c '\d no_such_table'
expect_status 1 "\\d of a missing table"
expect_grep "\\d of a missing table" "$ERR" '^ERROR:  42P01: '

run "$URI" -c '\du'
expect_status 0 "\\du"
expect_grep "\\du" "$OUT" '^ admin '

run "$URI" -c "CREATE DATABASE other" -c '\l'
expect_status 0 "\\l"
expect_grep "\\l" "$OUT" '^ main$'
expect_grep "\\l" "$OUT" '^ other$'

run "$URI" -c '\x' -c "SELECT id, name AS customer_name FROM t WHERE id <= 2 ORDER BY id" \
  -c '\x off' -c "SELECT 1 AS one"
expect_status 0 "\\x"
expect_stdout "\\x" <<'EOF'
Expanded display is on.
-[ RECORD 1 ]-+------
id            | 1
customer_name | alice
-[ RECORD 2 ]-+------
id            | 2
customer_name |

Expanded display is off.
 one
-----
   1
(1 row)

EOF

cat >"$WORK/include.sql" <<'EOF'
SELECT count(*) AS rows_in_t FROM t;
EOF
run "$URI" --format csv -c "\\i $WORK/include.sql" -c "SELECT 'after' AS s"
expect_status 0 "\\i"
expect_stdout "\\i" <<'EOF'
rows_in_t
3
s
after
EOF

run "$URI" -c '\nonsense'
expect_status 1 "unknown backslash command"
expect_grep "unknown backslash command" "$ERR" '^invalid command \\nonsense$'

# \c: a new connection to another database, same user and password; the prompt's database.
run "$URI" -c '\c other' -c "CREATE TABLE only_here (v INTEGER)" -c '\dt' -c '\conninfo'
expect_status 0 "\\c other"
expect_grep "\\c other" "$OUT" '^You are now connected to database "other"\.$'
expect_grep "\\c other" "$OUT" '^ only_here \| table$'
expect_grep "\\c other" "$OUT" "^You are connected to database \"other\" as user \"admin\""

run "$URI" -c '\c no_such_db' -c "SELECT 1"
expect_status 1 "\\c to a missing database"
expect_grep "\\c to a missing database" "$ERR" '^ERROR:  3D000: '
expect_grep "\\c to a missing database" "$ERR" '^Previous connection kept\.$'

run_stdin $'\\c no_such_db\n' "$URI"
expect_status 1 "\\c failure on stdin"

# USE changes the database the shell reports (and reconnects to).
run "$URI" -c "USE other" -c '\conninfo'
expect_status 0 "USE"
expect_grep "USE" "$OUT" '^You are connected to database "other"'

# --- interactive mode: prompt, banner, history ------------------------------------------------
if command -v script >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then
  {
    printf 'SELECT 5 AS v;\n'
    printf '\\c other\n'
    printf 'sel\t count(*) AS n FROM only_h\t;\n'  # Tab completes a key word and a table name
    printf '\\q\n'
    sleep 1  # keep the terminal open until lyt has answered
  } | LYT_HISTFILE=$WORK/histfile timeout 30 script -qfec "$LYT $URI" /dev/null 2>&1 \
    | tr -d '\r' >"$WORK/tty"
  tty_status=${PIPESTATUS[1]}
  [[ $tty_status -eq 0 ]] || fail "interactive: exit status $tty_status: $(cat "$WORK/tty")"
  expect_grep "interactive banner" "$WORK/tty" "server 127\\.0\\.0\\.1:$PORT"
  expect_grep "interactive prompt" "$WORK/tty" 'main=> '
  expect_grep "interactive prompt after \\c" "$WORK/tty" 'other=> '
  expect_grep "interactive result" "$WORK/tty" '^ 5$'
  # libedit redraws a completed line with a bell and cursor moves: drop them before matching.
  sed $'s/\a//g; s/\e\\[[0-9]*G//g' "$WORK/tty" >"$WORK/tty.plain"
  expect_grep "tab completion" "$WORK/tty.plain" 'select +count\(\*\) AS n FROM only_here ;'
  expect_grep "tab completion" "$WORK/tty" '^ n$'
  [[ -f $WORK/histfile ]] || fail "interactive: \$LYT_HISTFILE was not written"
  if [[ -f $WORK/histfile && $(stat -c %a "$WORK/histfile") != 600 ]]; then
    fail "interactive: history file mode $(stat -c %a "$WORK/histfile"), expected 600"
  fi

  # The password prompt: on the terminal, without echo; typed only once the prompt is there
  # (the prompt flushes what was typed ahead, as psql's does).
  {
    wait_for_grep "$WORK/typescript" 'Password for user admin: ' || fail "no password prompt"
    printf '%s\n' "$PASSWORD"
    wait_for_grep "$WORK/typescript" 'main=> ' || fail "no prompt after the password"
    printf '\\conninfo\n\\q\n'
    sleep 1
  } | timeout 30 script -qfec "$LYT $BARE_URI" "$WORK/typescript" >/dev/null 2>&1
  expect_grep "password prompt" "$WORK/typescript" '^You are connected to database "main" as user "admin"'
  expect_no_grep "password prompt does not echo" "$WORK/typescript" "$PASSWORD"
else
  echo "test_remote.sh: 'script' or 'timeout' not found; interactive checks skipped"
fi

# --- lost connection --------------------------------------------------------------------------
# lyt reads statements from a FIFO one at a time, so the server can be restarted (on the same
# port) between two of them: the second fails (08006), lyt says so, reconnects, and exits 1.
mkfifo "$WORK/fifo"
"$LYT" "$URI" --format csv <"$WORK/fifo" >"$OUT" 2>"$ERR" &
LYT_PID=$!
exec 3>"$WORK/fifo"
printf 'SELECT 1 AS before_restart;\n' >&3
wait_for_grep "$OUT" '^1$' || fail "restart: no answer before the restart: $(cat "$ERR")"
stop_process "$SERVER_PID"
start_server "127.0.0.1:$PORT"
printf 'SELECT 2 AS after_restart;\n' >&3
exec 3>&-
wait_for_exit "$LYT_PID"
LYT_PID=
expect_status 1 "restart"
# The server says goodbye (57P01) when it is told to stop; a connection cut without it is 08006.
expect_grep "restart" "$ERR" '^ERROR:  (57P01|08006): '
expect_grep "restart" "$ERR" '^connection to server lost; reconnecting\.\.\. \(the failed statement was not retried\)$'
expect_grep "restart" "$ERR" '^reconnected to database "main"'
expect_no_grep "restart: the statement was not retried" "$OUT" "after_restart"

# The same, but the server stays down: the notice, a failed reconnect, exit 1, no crash.
"$LYT" "$URI" --format csv <"$WORK/fifo" >"$OUT" 2>"$ERR" &
LYT_PID=$!
exec 3>"$WORK/fifo"
printf 'SELECT 1 AS before_kill;\n' >&3
wait_for_grep "$OUT" '^1$' || fail "server gone: no answer before the kill: $(cat "$ERR")"
{ kill -KILL "$SERVER_PID" && wait "$SERVER_PID"; } 2>/dev/null  # no "Killed" job notice
SERVER_PID=
printf 'SELECT 2 AS after_kill;\n' >&3
exec 3>&-
wait_for_exit "$LYT_PID"
LYT_PID=
expect_status 1 "server gone"
expect_grep "server gone" "$ERR" '^connection to server lost; reconnecting\.\.\.'
expect_grep "server gone" "$ERR" '^could not reconnect: 08001: '

if [[ $failures -gt 0 ]]; then
  echo "test_remote.sh: $failures check(s) failed" >&2
  exit 1
fi
echo "test_remote.sh: all checks passed"
