#!/usr/bin/env bash
# Installs oav (OpenAPI validation tools) pinned by tests/oav/package.json and package-lock.json
# (`npm ci`, so every transitive dependency is pinned too) into target/oav, or into $OAV_DIR.
# Does nothing when that folder already holds this exact install. Run by `cargo xtask oav`, which
# validates the HTTP traffic of the conformance suite and the quickstart with
# `oav validate-traffic`. Prints the folder on its last line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dest="${OAV_DIR:-$root/target/oav}"
oav="$dest/node_modules/oav/dist/cli.js"

command -v node >/dev/null || { echo "install.sh: node is not installed" >&2; exit 1; }
command -v npm >/dev/null || { echo "install.sh: npm is not installed" >&2; exit 1; }

mkdir -p "$dest"
# One install at a time.
exec 9>"$dest/.install.lock"
flock 9
if [[ -f "$oav" ]] && cmp -s "$here/package-lock.json" "$dest/package-lock.json"; then
    echo "$dest"
    exit 0
fi
cp "$here/package.json" "$here/package-lock.json" "$dest/"
# `npm ci` installs exactly the lock file; the npm cache (~/.npm) makes repeated installs fast.
(cd "$dest" && npm ci --no-audit --no-fund --loglevel=error --prefer-offline >&2)
[[ -f "$oav" ]] || { echo "install.sh: $oav is missing after npm ci" >&2; exit 1; }
echo "$dest"
