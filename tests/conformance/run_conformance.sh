#!/usr/bin/env bash
# Runs one of SQLite's sqllogictest files with lyt-slt and passes when exactly the records listed
# for it in known_differences.txt fail (and nothing else does).
# Usage: run_conformance.sh LYT_SLT CONFORMANCE_DIR RELATIVE_FILE
set -u
slt=$1 dir=$2 rel=$3
here=$(cd "$(dirname "$0")" && pwd)
out=$("$slt" "$dir/$rel" 2>&1)
echo "$out" | tail -n 1
got=$(echo "$out" | grep -oE "^[^ ]*\.test:[0-9]+:" | sed -E "s|.*/([^/]*/)?([^/]*\.test):([0-9]+):|\3|" | sort -n | uniq)
want=$(grep -E "^$rel:[0-9]+ " "$here/known_differences.txt" | sed -E "s|^[^:]*:([0-9]+) .*|\1|" | sort -n | uniq)
if [ "$got" != "$want" ]; then
  echo "unexpected conformance result for $rel"
  echo "failing records: $(echo $got)"
  echo "listed in known_differences.txt: $(echo $want)"
  echo "$out" | grep -A6 "test:[0-9]*:" | head -60
  exit 1
fi
exit 0
