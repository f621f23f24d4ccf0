#!/usr/bin/env bash
# Sets everything up, builds LytDB with AddressSanitizer + UndefinedBehaviorSanitizer and runs
# every test (unit tests, concurrency tests, SQL tests, SQLite conformance files, shell and
# example tests), runs the concurrency tests again under ThreadSanitizer, then checks that the
# sources also build warning-free with clang and fuzzes briefly.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS=0
phase() { echo "== $1 (at $((SECONDS / 60)) min $((SECONDS % 60)) s)"; }
bash scripts/setup.sh

jobs=$(nproc)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

phase "build (g++, Debug, ASan+UBSan)"
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLYT_SANITIZE=ON -DCMAKE_CXX_COMPILER=g++ >/dev/null
ninja -C build/asan -j "$jobs"

phase "tests"
ctest --test-dir build/asan -j "$jobs" --output-on-failure --timeout 600

phase "concurrency tests under ThreadSanitizer (clang)"
cmake -S . -B build/tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLYT_TSAN=ON -DCMAKE_CXX_COMPILER=clang++ >/dev/null
ninja -C build/tsan -j "$jobs" lyt_concurrency_tests lytdb lyt_integration_tests
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 build/tsan/tests/lyt_concurrency_tests --gtest_brief=1
phase "the server and the client under ThreadSanitizer (clang)"
# The tests start the TSan-built lytdb, which inherits TSAN_OPTIONS: a race makes it exit, the
# tests fail, and the report is printed from the log directory.
tsan_logs=$(mktemp -d)
# The crash test runs a few kill/restart cycles here too: group commit, the flusher and the
# background checkpointer under concurrent writers.
if ! LYT_CRASH_CYCLES=5 TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$tsan_logs/tsan" \
    build/tsan/tests/lyt_integration_tests --gtest_brief=1 --gtest_filter='ServerTest.*:ServerInline.*:ServerLifecycle.*:ClientTest.*:Crash.*:Resp*'; then
  cat "$tsan_logs"/tsan* 2>/dev/null | head -n 80
  echo "server tests under ThreadSanitizer failed"
  exit 1
fi
if compgen -G "$tsan_logs/tsan*" >/dev/null; then
  cat "$tsan_logs"/tsan* | head -n 80
  echo "ThreadSanitizer reported a problem"
  exit 1
fi
rm -rf "$tsan_logs"

phase "build (clang, warnings as errors, libFuzzer instrumentation)"
cmake -S . -B build/clang -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DLYT_BUILD_TESTS=OFF -DLYT_FUZZ=ON >/dev/null
ninja -C build/clang -j "$jobs"

phase "fuzz smoke run (${LYT_FUZZ_SECONDS:=20}s per target, $jobs at a time)"
# Runs one fuzz target over its seeds; prints its summary line, or the end of its log.
fuzz_one() {
  local target=$1 seeds=$2 corpus
  corpus=$(mktemp -d)
  if ! build/clang/fuzz/$target -max_total_time="$LYT_FUZZ_SECONDS" -timeout=10 -rss_limit_mb=4096 \
      "$corpus" "$seeds" >"$corpus.log" 2>&1; then
    tail -n 40 "$corpus.log"
    echo "fuzz target $target failed (log: $corpus.log)"
    return 1
  fi
  echo "$target: $(grep -E "^Done|#[0-9]+.*DONE" "$corpus.log" | tail -n 1)"
  rm -rf "$corpus" "$corpus.log"
}
running=0
fuzz_failed=0
for target in parser_fuzzer query_fuzzer frame_fuzzer uri_fuzzer scram_fuzzer log_fuzzer resp_fuzzer; do
  case $target in
    frame_fuzzer) seeds=tests/fuzz/frames ;;
    uri_fuzzer) seeds=tests/fuzz/uri ;;
    scram_fuzzer) seeds=tests/fuzz/scram ;;
    log_fuzzer) seeds=tests/fuzz/log ;;
    resp_fuzzer) seeds=tests/fuzz/resp ;;
    *) seeds=tests/sql ;;
  esac
  fuzz_one "$target" "$seeds" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || fuzz_failed=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || fuzz_failed=1
  running=$((running - 1))
done
[ "$fuzz_failed" -eq 0 ] || exit 1
phase "all tests passed"
