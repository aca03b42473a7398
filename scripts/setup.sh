#!/usr/bin/env bash
# Install the pinned pnpm and the workspace's dependencies. better-sqlite3 compiles from source here (no prebuilt
# binary can be downloaded); where Node's headers are installed system-wide, node-gyp is pointed at them so that it
# does not try to download them.
set -euo pipefail
cd "$(dirname "$0")/.."
want=12.4.2
if [ "$(pnpm --version 2>/dev/null || true)" != "$want" ]; then
  npm install -g "pnpm@$want" >/dev/null
fi
if [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
pnpm install --frozen-lockfile=false
