# Helpers shared by the shell's end-to-end tests (test_shell.sh, test_remote.sh), sourced by
# them. The caller sets LYT (the lyt binary), WORK (a scratch directory), OUT and ERR (files in
# it), status=0 and failures=0.

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  failures=$((failures + 1))
}

# run ARGS...: runs lyt with stdin from /dev/null; sets $status, fills $OUT and $ERR.
run() {
  "$LYT" "$@" >"$OUT" 2>"$ERR" </dev/null
  status=$?
}

# run_stdin INPUT ARGS...: like run, with INPUT piped to standard input.
run_stdin() {
  local input=$1
  shift
  printf '%s' "$input" | "$LYT" "$@" >"$OUT" 2>"$ERR"
  status=$?
}

expect_status() {  # expect_status CODE NAME
  if [[ $status -ne $1 ]]; then
    fail "$2: exit status $status, expected $1; stderr: $(head -c 400 "$ERR")"
  fi
}

expect_stdout() {  # expect_stdout NAME <<'EOF' ... (exact expected standard output)
  if ! diff -u - "$OUT" >"$WORK/diff"; then
    fail "$1: standard output differs (- expected, + got):
$(cat "$WORK/diff")"
  fi
}

expect_empty_stderr() {  # expect_empty_stderr NAME
  if [[ -s $ERR ]]; then
    fail "$1: unexpected standard error: $(head -c 400 "$ERR")"
  fi
}

expect_grep() {  # expect_grep NAME FILE EXTENDED-REGEX
  if ! grep -Eq -- "$3" "$2"; then
    fail "$1: no line matching /$3/ in $(basename "$2"): $(head -c 400 "$2")"
  fi
}

expect_no_grep() {  # expect_no_grep NAME FILE EXTENDED-REGEX
  if grep -Eq -- "$3" "$2"; then
    fail "$1: unexpected line matching /$3/ in $(basename "$2")"
  fi
}

# The sample table both tests create, and what it prints: the same in-process and over the wire.
SETUP=(
  -c "CREATE TABLE t (id INTEGER, name VARCHAR, score DOUBLE PRECISION)"
  -c "INSERT INTO t VALUES (1, 'alice', 9.5), (2, NULL, -1.25), (3, 'o''brien, jr', NULL)"
)
SELECT_ALL="SELECT id, name, score FROM t ORDER BY id"

expect_sample_table() {  # expect_sample_table NAME: stdout is SETUP's tags, then SELECT_ALL
  expect_stdout "$1" <<'EOF'
CREATE TABLE
INSERT 0 3
 id |    name     | score
----+-------------+-------
  1 | alice       |   9.5
  2 |             | -1.25
  3 | o'brien, jr |
(3 rows)

EOF
}

expect_sample_csv() {  # expect_sample_csv NAME: stdout is SELECT_ALL in CSV
  expect_stdout "$1" <<'EOF'
id,name,score
1,alice,9.5
2,,-1.25
3,"o'brien, jr",
EOF
}
