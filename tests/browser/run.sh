#!/usr/bin/env bash
# The dashboard's browser tests: tests/browser/run.sh <path-to-lytdb> [output-dir]
# Starts the given lytdb itself, drives Debian's chromium (/usr/bin/chromium, or $CHROMIUM) with
# playwright-core, and saves one screenshot per test in the output directory (default
# tests/browser/output). Exits non-zero when any test fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
[[ $# -ge 1 ]] || { echo "usage: $0 <path-to-lytdb> [output-dir]" >&2; exit 2; }
lytdb=$(realpath "$1")
[[ -x $lytdb ]] || { echo "browser tests: $1 is not an executable" >&2; exit 1; }
chromium=${CHROMIUM:-/usr/bin/chromium}
[[ -x $chromium ]] || { echo "browser tests: $chromium not found (apt-get install chromium)" >&2; exit 1; }

"$root/web/build.sh" --deps
out=${2:-$root/tests/browser/output}
mkdir -p "$out"
export LYTDB_BIN=$lytdb LYT_TEST_OUTPUT=$(realpath "$out") CHROMIUM=$chromium
exec node --test --test-reporter=spec "$root"/tests/browser/*.test.mjs
