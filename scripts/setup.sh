#!/usr/bin/env bash
# Set up a fresh clone: the pinned pnpm, the workspace's dependencies, a build.
#   scripts/setup.sh          what the demo needs (Node and npm only)
#   scripts/setup.sh --test   also the Debian packages the tests run for real (litecoind, chromium), when missing
# better-sqlite3 compiles from source here (no prebuilt binary can be downloaded); where Node's headers are installed
# system-wide, node-gyp is pointed at them so that it does not try to download them.
set -euo pipefail
cd "$(dirname "$0")/.."
want=12.4.2
if [ "$(pnpm --version 2>/dev/null || true)" != "$want" ]; then
  echo "setup: installing pnpm $want" >&2
  npm install -g "pnpm@$want" >/dev/null 2>&1
fi
if [ "${1:-}" = "--test" ]; then
  missing=()
  command -v litecoind >/dev/null 2>&1 || missing+=(litecoind)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "setup: apt-get install ${missing[*]}" >&2
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "setup: the tests need ${missing[*]} (Debian: apt-get install ${missing[*]}); their tests will fail without them" >&2
    fi
  fi
fi
if [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
pnpm install --reporter=silent
pnpm run --silent build
