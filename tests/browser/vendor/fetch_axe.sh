#!/bin/sh
# Vendors axe-core (the accessibility rules engine) for the browser tests, from the npm registry:
#   sh tests/browser/vendor/fetch_axe.sh          (or: make vendor-axe)
# npm checks the package's integrity against the registry; the file is test-only and never
# served by the app (Playwright injects it into the page under test). Bump AXE_VERSION to update.
set -eu
AXE_VERSION=4.14.1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "axe-core@$AXE_VERSION" >/dev/null
tar -xzf "axe-core-$AXE_VERSION.tgz"
cp package/axe.min.js "$here/axe.min.js"
cp package/LICENSE "$here/axe-core-LICENSE.txt"
echo "$AXE_VERSION" > "$here/axe-core-VERSION.txt"
echo "axe-core $AXE_VERSION vendored into $here"
