#!/usr/bin/env bash
# The whole benchmark in one command, from any directory:
#   bench/run.sh [bench.mjs options]      e.g. bench/run.sh --rows 10000000
# Installs what is missing (Debian packages, the DuckDB npm package from bench/package-lock.json),
# builds lyt_bench and lytdb (the server of the lytwire engine) in Release into build/release, then
# runs bench/bench.mjs with the arguments.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/apt_install.sh

# Set-up and build talk on stderr, so stdout carries only the report.
{
  bash scripts/setup.sh
  apt_install libsqlite3-dev python3
  command -v node >/dev/null || apt_install nodejs npm
  npm ci --prefix bench --no-audit --no-fund --loglevel=error
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DLYT_BUILD_TESTS=OFF \
    -DLYT_BUILD_BENCH=ON
  cmake --build build/release --target lyt_bench lytdb
} >&2

exec node bench/bench.mjs "$@"
