#!/usr/bin/env bash
# Sets everything up, builds LytDB (Release) and starts the server `lytdb` on its safe default:
# data directory ./lytdb-data, the lyt protocol on 127.0.0.1:7878 (loopback only). Extra
# arguments go to lytdb, e.g. scripts/start.sh --listen 127.0.0.1:9000 (see lytdb --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DLYT_BUILD_TESTS=OFF >/dev/null
ninja -C build/release lytdb lyt >/dev/null
cat <<MSG
lytdb is starting. On first start it prints the generated password of user admin (also kept in
lytdb-data/admin.password; set LYT_ADMIN_PASSWORD beforehand to choose it). Connect from another
terminal with:

    build/release/tools/lyt lyt://admin@127.0.0.1:7878/main

Stop the server with Ctrl-C (SIGINT) or SIGTERM.
MSG
exec build/release/tools/lytdb "$@"
