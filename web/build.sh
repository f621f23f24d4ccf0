#!/usr/bin/env bash
# Builds the web dashboard into web/dist (index.html, app.js, app.css), which lytdb embeds.
#   web/build.sh          install the npm packages of package-lock.json (npm ci), then build
#   web/build.sh --deps   install only (the browser tests need playwright-core)
# npm ci is skipped when node_modules was installed from the same package.json and lock file.
# Needs node >= 18 and npm >= 9. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "web: $tool not found (apt-get install nodejs npm)" >&2; exit 1; }
done

stamp=node_modules/.lytdb-installed
want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
  echo "web: npm packages up to date (npm ci skipped)"
else
  echo "web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$want" > "$stamp"
fi

[[ ${1-} == --deps ]] && exit 0
echo "web: npm run build -> web/dist"
npm run --silent build
