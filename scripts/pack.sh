#!/usr/bin/env bash
# Pack the built workspace packages into tarballs that npm installs anywhere, without the workspace:
#   bash scripts/pack.sh [dir]     writes dir/cryptotrace-{core,adapters,fixtures,cli}-<version>.tgz (default .tmp/packs)
# Then `npm install -g <dir>/*.tgz` puts `ctrace` on PATH, and `npm install <dir>/*.tgz` in a project of your own
# makes @cryptotrace/core and @cryptotrace/adapters importable. Run scripts/setup.sh (or `npm run demo`) first: this
# packs what is built, it does not build (so that it never rewrites dist/ under a running command).
# pnpm replaces the workspace:* dependencies with the packed versions; third-party ones come from the npm registry
# when installed (better-sqlite3 compiles there, about 90 s).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$root/.tmp/packs}" && cd "${1:-$root/.tmp/packs}" && pwd)"
for pkg in packages/core packages/adapters fixtures packages/cli; do
  if [ ! -f "$root/$pkg/dist/index.js" ]; then
    echo "pack: $pkg is not built: run \"bash scripts/setup.sh\" first" >&2
    exit 2
  fi
done
rm -f "$out"/cryptotrace-*.tgz
for pkg in packages/core packages/adapters fixtures packages/cli; do
  (cd "$root/$pkg" && pnpm pack --pack-destination "$out" >/dev/null)
done
ls "$out"/cryptotrace-*.tgz
