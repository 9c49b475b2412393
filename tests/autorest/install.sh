#!/usr/bin/env bash
# Installs the autorest test server pinned by tests/autorest/package.json and package-lock.json
# (`npm ci`, so every transitive dependency is pinned too) into target/autorest-testserver, or
# into $AUTOREST_TESTSERVER_DIR. Does nothing when that folder already holds this exact install.
# Run by `.ci/run` before `cargo test`, and by the test harness (tests/autorest/harness) when the
# server is missing. Prints the folder on its last line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dest="${AUTOREST_TESTSERVER_DIR:-$root/target/autorest-testserver}"
server="$dest/node_modules/@microsoft.azure/autorest.testserver/dist/cli/cli.js"

command -v node >/dev/null || { echo "install.sh: node is not installed" >&2; exit 1; }
command -v npm >/dev/null || { echo "install.sh: npm is not installed" >&2; exit 1; }

mkdir -p "$dest"
# One install at a time (the scenario tests run in parallel, and each may call this script).
exec 9>"$dest/.install.lock"
flock 9
if [[ -f "$server" ]] && cmp -s "$here/package-lock.json" "$dest/package-lock.json"; then
    echo "$dest"
    exit 0
fi
cp "$here/package.json" "$here/package-lock.json" "$dest/"
# `npm ci` installs exactly the lock file; the npm cache (~/.npm) makes repeated installs fast.
(cd "$dest" && npm ci --no-audit --no-fund --loglevel=error --prefer-offline >&2)
[[ -f "$server" ]] || { echo "install.sh: $server is missing after npm ci" >&2; exit 1; }
echo "$dest"
