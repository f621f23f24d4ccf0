#!/usr/bin/env bash
# Sets everything up, builds LytDB (Release) and starts the `lyt` shell on an in-memory database.
# Extra arguments are passed to lyt, e.g. scripts/start.sh -c "SELECT 1".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DLYT_BUILD_TESTS=OFF >/dev/null
ninja -C build/release lyt >/dev/null
exec build/release/tools/lyt "$@"
