#!/usr/bin/env bash
# Sets everything up, builds LytDB with AddressSanitizer + UndefinedBehaviorSanitizer and runs
# every test (unit tests, SQL tests, SQLite conformance files, shell and example tests), then
# checks that the sources also build warning-free with clang.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

jobs=$(nproc)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

echo "== build (g++, Debug, ASan+UBSan)"
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLYT_SANITIZE=ON -DCMAKE_CXX_COMPILER=g++ >/dev/null
ninja -C build/asan -j "$jobs"

echo "== tests"
ctest --test-dir build/asan -j "$jobs" --output-on-failure --timeout 600

echo "== build (clang, warnings as errors)"
cmake -S . -B build/clang -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ -DLYT_BUILD_TESTS=OFF >/dev/null
ninja -C build/clang -j "$jobs"
echo "== all tests passed"
