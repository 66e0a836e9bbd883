#!/usr/bin/env bash
# Re-fetch the pinned iframe-worker shim (MIT) that lets Material's search run from file:// in
# the offline export, and check it against the recorded checksums. Material's offline plugin
# would otherwise load it from a CDN, which the offline export must never do.
set -euo pipefail
VERSION=1.0.4
INTEGRITY="sha512-roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SOkAtSUA5q7Q=="
SHIM_SHA256=e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609
DEST="$(cd "$(dirname "$0")/.." && pwd)/templates/assets/vendor/iframe-worker"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "iframe-worker@$VERSION" --silent >/dev/null)
actual="sha512-$(openssl dgst -sha512 -binary "$work/iframe-worker-$VERSION.tgz" | base64 -w0)"
[ "$actual" = "$INTEGRITY" ] || { echo "tarball integrity mismatch: $actual" >&2; exit 1; }
tar -xzf "$work/iframe-worker-$VERSION.tgz" -C "$work"
echo "$SHIM_SHA256  $work/package/shim/index.js" | sha256sum -c --quiet -
mkdir -p "$DEST"
cp "$work/package/shim/index.js" "$DEST/shim.js"
cp "$work/package/LICENSE" "$DEST/LICENSE"
echo "iframe-worker $VERSION shim verified and copied to $DEST"
