#!/usr/bin/env bash
# End-to-end tests of the `lyt` shell binary: usage, -c/-f/stdin input, output formats, timing,
# error reports, stop-at-first-error, and (when util-linux `script` is available) interactive
# mode on a pseudo-terminal.
#
# Usage: test_shell.sh /path/to/lyt
# Exits non-zero, listing every failed check, when anything is wrong.
set -u

LYT=${1:?usage: test_shell.sh /path/to/lyt}
if [[ ! -x $LYT ]]; then
  echo "test_shell.sh: $LYT is not an executable" >&2
  exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lyt_shell_test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
OUT=$WORK/out
ERR=$WORK/err
status=0
failures=0
unset LYT_HISTFILE LYT_PASSWORD

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"


# --- usage ------------------------------------------------------------------------------------
run --help
expect_status 0 "--help"
for option in -c -f --format --timing --help --version ON_ERROR_STOP; do
  expect_grep "--help lists $option" "$OUT" "(^|[^a-zA-Z-])$option"
done

run --version
expect_status 0 "--version"
expect_grep "--version" "$OUT" '^lyt .*[0-9]+\.[0-9]+'

run --no-such-option
expect_status 2 "unknown option"
expect_grep "unknown option" "$ERR" 'no-such-option'

run --format xml -c "SELECT 1"
expect_status 2 "bad --format"

run -c
expect_status 2 "-c without SQL"

# Remote mode has its own test (test_remote.sh, against a real lytdb); here only the failures
# that need no server: a closed port and a malformed URI.
LYT_PASSWORD=x run lyt://nobody@127.0.0.1:1/main -c "SELECT 1"
expect_status 1 "server that does not answer"
expect_grep "server that does not answer" "$ERR" '^lyt: connection to lyt://nobody@127\.0\.0\.1:1/main failed: 08001: '

run "lyt://h:99999999/main" -c "SELECT 1"
expect_status 2 "malformed URI"
expect_grep "malformed URI" "$ERR" 'invalid connection URI'

# A data directory opened in-process keeps its data from one run to the next.
run "$WORK/datadir" -c "CREATE TABLE kept(a INTEGER)" -c "INSERT INTO kept VALUES (41), (1)"
expect_status 0 "data directory"
run "$WORK/datadir" -c "SELECT sum(a) FROM kept" --format csv
expect_status 0 "data directory reopened"
expect_grep "data directory reopened" "$OUT" '^42$'

# --- -c, repeated, table format -----------------------------------------------------------------
run "${SETUP[@]}" -c "$SELECT_ALL"
expect_status 0 "table format"
expect_empty_stderr "table format"
expect_sample_table "table format"

run -c "SELECT 42 AS answer"
expect_status 0 "one row"
expect_stdout "one row" <<'EOF'
 answer
--------
     42
(1 row)

EOF

# --- csv and json -------------------------------------------------------------------------------
run --format csv "${SETUP[@]}" -c "$SELECT_ALL"
expect_status 0 "csv format"
expect_sample_csv "csv format"

run --format=json "${SETUP[@]}" -c "$SELECT_ALL"
expect_status 0 "json format"
expect_stdout "json format" <<'EOF'
[{"id":1,"name":"alice","score":9.5},
{"id":2,"name":null,"score":-1.25},
{"id":3,"name":"o'brien, jr","score":null}]
EOF

run --format json -c "SELECT 'tab	quote\" backslash\\' AS s" -c "SELECT 1 AS x WHERE 1 = 0"
expect_status 0 "json escapes"
expect_stdout "json escapes" <<'EOF'
[{"s":"tab\tquote\" backslash\\"}]
[]
EOF

# --- -f FILE, with backslash commands mixed in --------------------------------------------------
cat >"$WORK/script.sql" <<'EOF'
-- a comment line
CREATE TABLE t (id INTEGER, name VARCHAR);
INSERT INTO t VALUES (1, 'a'),
                     (2, 'b');
\format csv
SELECT id, name
  FROM t
 ORDER BY id; SELECT count(*) AS n FROM t;
EOF
run -f "$WORK/script.sql"
expect_status 0 "-f file"
expect_empty_stderr "-f file"
expect_stdout "-f file" <<'EOF'
CREATE TABLE
INSERT 0 2
Output format is csv.
id,name
1,a
2,b
n
2
EOF

run -f "$WORK/no-such-file.sql"
expect_status 1 "-f missing file"
expect_grep "-f missing file" "$ERR" 'no-such-file\.sql'

# --- standard input -----------------------------------------------------------------------------
run_stdin $'CREATE TABLE s (v INTEGER);\nINSERT INTO s VALUES (7);\nSELECT v FROM s\n' --format csv
expect_status 0 "stdin"
expect_stdout "stdin" <<'EOF'
v
7
EOF

run_stdin ""
expect_status 0 "empty stdin"
expect_empty_stderr "empty stdin"

# --- timing -------------------------------------------------------------------------------------
run --timing -c "SELECT 1 AS one" -c "SELECT 2 AS two"
expect_status 0 "--timing"
if [[ $(grep -Ec '^Time: [0-9]+\.[0-9]{3} ms$' "$OUT") -ne 2 ]]; then
  fail "--timing: expected two 'Time: N.NNN ms' lines, got: $(cat "$OUT")"
fi

run -c '\timing on' -c "SELECT 1 AS one"
expect_status 0 "\\timing on"
expect_grep "\\timing on" "$OUT" '^Timing is on\.$'
expect_grep "\\timing on" "$OUT" '^Time: [0-9]+\.[0-9]{3} ms$'

run -c "SELECT 1 AS one"
expect_no_grep "no timing by default" "$OUT" '^Time:'

# --- errors: message, caret, exit status, nothing run after ---------------------------------------
run -c "SELECT 1 AS a" -c "SELECT * FORM t" -c "SELECT 2 AS b"
expect_status 1 "syntax error"
expect_grep "syntax error" "$ERR" '^ERROR:  '
expect_grep "syntax error" "$OUT" '^ a$'
expect_no_grep "statement after the error" "$OUT" '^ b$'
line=$(grep -E '^LINE 1: ' "$ERR" | head -n 1)
caret=$(grep -A1 -E '^LINE 1: ' "$ERR" | sed -n 2p)
if [[ -z $line ]]; then
  fail "syntax error: no 'LINE 1:' line on stderr: $(cat "$ERR")"
elif [[ $line != "LINE 1: SELECT * FORM t" ]]; then
  fail "syntax error: wrong context line '$line'"
else
  want=${line%%FORM*}
  if [[ $caret != "${want//?/ }^" ]]; then
    fail "syntax error: caret line '$caret' does not point at FORM"
  fi
fi

cat >"$WORK/failing.sql" <<'EOF'
CREATE TABLE f (x INTEGER);
INSERT INTO f VALUES (1);
SELECT * FROM no_such_table;
INSERT INTO f VALUES (2);
EOF
run -f "$WORK/failing.sql"
expect_status 1 "error in -f file"
expect_grep "error in -f file" "$ERR" '^ERROR:  '
if [[ $(grep -c '^INSERT 0 1$' "$OUT") -ne 1 ]]; then
  fail "error in -f file: the INSERT after the failing statement ran: $(cat "$OUT")"
fi

run_stdin $'SELECT 1 AS a;\nSELECT 1/;\nSELECT 2 AS b;\n'
expect_status 1 "error on stdin"
expect_no_grep "error on stdin" "$OUT" '^ b$'

run -c '\nonsense'
expect_status 1 "unknown backslash command"
expect_grep "unknown backslash command" "$ERR" 'invalid command \\nonsense'

run -c "SELECT * FROM no_such_table"
expect_status 1 "SQLSTATE in errors"
expect_grep "SQLSTATE in errors" "$ERR" '^ERROR:  42P01: '

# --- backslash commands in the embedded database ----------------------------------------------
run "${SETUP[@]}" -c '\x' -c "SELECT id, name FROM t WHERE id <= 2 ORDER BY id" -c '\x off' \
  -c "SELECT 1 AS one WHERE false" -c '\x on' -c "SELECT 1 AS one WHERE false"
expect_status 0 "\\x"
expect_stdout "\\x" <<'EOF'
CREATE TABLE
INSERT 0 3
Expanded display is on.
-[ RECORD 1 ]
id   | 1
name | alice
-[ RECORD 2 ]
id   | 2
name |

Expanded display is off.
 one
-----
(0 rows)

Expanded display is on.
(0 rows)

EOF

run "${SETUP[@]}" -c '\dt' -c "CREATE DATABASE other" -c '\c other' -c '\conninfo' -c '\dt'
expect_status 0 "\\dt, \\c, \\conninfo"
expect_stdout "\\dt, \\c, \\conninfo" <<'EOF'
CREATE TABLE
INSERT 0 3
 name | type
------+-------
 t    | table
(1 row)

CREATE DATABASE
You are now connected to database "other".
You are connected to database "other" of an in-memory database in this process (no server).
 name | type
------+------
(0 rows)

EOF

run -c '\c no_such_db'
expect_status 1 "\\c to a missing database"
expect_grep "\\c to a missing database" "$ERR" '^ERROR:  3D000: '

run -c '\dt extra'
expect_status 1 "\\dt with an argument"
expect_grep "\\dt with an argument" "$ERR" '^\\dt: takes no argument$'

printf 'CREATE TABLE inc (v INTEGER);\nINSERT INTO inc VALUES (1), (2);\n' >"$WORK/inc1.sql"
printf '\\i %s\nSELECT sum(v) AS s FROM inc;\n' "$WORK/inc1.sql" >"$WORK/inc2.sql"
run --format csv -c "\\i $WORK/inc2.sql" -c "SELECT count(*) AS n FROM inc"
expect_status 0 "\\i"
expect_stdout "\\i" <<'EOF'
s
3
n
2
EOF

printf '\\i %s\n' "$WORK/self.sql" >"$WORK/self.sql"
run -c "\\i $WORK/self.sql"
expect_status 1 "\\i of itself"
expect_grep "\\i of itself" "$ERR" 'included more than 16 deep'

run -c "\\i $WORK/no-such.sql"
expect_status 1 "\\i of a missing file"
expect_grep "\\i of a missing file" "$ERR" 'no-such\.sql: No such file'

# --- interactive mode on a pseudo-terminal ------------------------------------------------------
if command -v script >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then
  mkdir -p "$WORK/home"
  {
    printf 'CREATE TABLE i (v INTEGER);\n'
    printf 'INSERT INTO i\n'
    printf 'VALUES (5);\n'
    printf '\\timing on\n'
    printf 'SELECT v\n'
    printf '  FROM i;\n'
    printf '\\q\n'
    sleep 1  # keep the terminal open until lyt has answered
  } | HOME=$WORK/home timeout 30 script -qfec "$LYT" /dev/null 2>&1 | tr -d '\r' >"$WORK/tty"
  tty_status=${PIPESTATUS[1]}
  [[ $tty_status -eq 0 ]] || fail "interactive: exit status $tty_status: $(cat "$WORK/tty")"
  expect_grep "interactive prompt" "$WORK/tty" 'main=> '
  expect_grep "interactive continuation prompt" "$WORK/tty" 'main-> '
  expect_grep "interactive result" "$WORK/tty" '^ v$'
  expect_grep "interactive result" "$WORK/tty" '^ 5$'
  expect_grep "interactive \\timing" "$WORK/tty" '^Time: [0-9]+\.[0-9]{3} ms$'
  [[ -f $WORK/home/.lyt_history ]] || fail "interactive: ~/.lyt_history was not written"
else
  echo "test_shell.sh: 'script' or 'timeout' not found; interactive checks skipped"
fi

if [[ $failures -gt 0 ]]; then
  echo "test_shell.sh: $failures check(s) failed" >&2
  exit 1
fi
echo "test_shell.sh: all checks passed"
