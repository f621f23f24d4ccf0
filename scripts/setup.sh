#!/usr/bin/env bash
# Installs every Debian package LytDB needs to build, test and benchmark, then builds the web
# dashboard (web/build.sh: npm packages from web/package-lock.json) that lytdb embeds. Safe to run
# again: a no-op when everything is installed and built. Needs root (or sudo) on Debian 12.
#   scripts/setup.sh               everything
#   scripts/setup.sh --build-only  only what building lytdb and lyt needs, with tests off
#                                  (-DLYT_BUILD_TESTS=OFF; docker/Dockerfile's build stage)
set -euo pipefail
case ${1-} in
  "" | --build-only) ;;
  *) echo "usage: scripts/setup.sh [--build-only]" >&2; exit 2 ;;
esac

packages=(  # building lytdb and lyt
  build-essential g++ cmake ninja-build pkg-config
  libedit-dev libssl-dev
  libzstd-dev libxxhash-dev  # checkpoint compression, log checksums
  libabsl-dev                # abseil's b-tree for ordered indexes
  libboost1.81-dev libboost-json1.81-dev libspdlog-dev libtomlplusplus-dev libcli11-dev   # server: Asio, Beast, JSON, logging, config
  nodejs                     # builds the web dashboard (web/build.sh), runs the browser tests
  ca-certificates            # npm ci fetches the dashboard's packages over HTTPS
)
if [[ ${1-} != --build-only ]]; then
  packages+=(  # testing, fuzzing, benchmarking
    clang ccache libgtest-dev libgmock-dev
    libclang-rt-dev            # sanitizer and libFuzzer runtimes for clang
    python3                    # benchmark data generator, test scripts
    python3-venv python3-setuptools python3-wheel   # pip install of clients/python (docs/python.md)
    curl                       # the HTTP examples of the README and docs/getting-started.md
    redis-tools libhiredis-dev # Redis protocol tests: redis-cli and a C client library
    redis-server               # the Redis benchmark's peer (bench/run_redis.sh)
    chromium                   # the browser the dashboard's tests drive (tests/browser)
  )
fi
# Debian's nodejs comes without npm; a node from elsewhere (e.g. NodeSource) may bring its own,
# which Debian's npm package would conflict with.
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

bash "$(dirname "$0")/../web/build.sh"
