#!/usr/bin/env bash
# Unpacks a bundle made by scripts/gpu/bundle.sh into DEST (default /tmp/hyperswarm-gpu):
# DEST/dotnet/dotnet runs the apps, DEST/app/hyperswarm and DEST/app/gpu-check hold them,
# DEST/data the dataset when bundled.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bundle="$root/artifacts/gpu"
dest="${1:-/tmp/hyperswarm-gpu}"
mkdir -p "$dest"
xz -dc "$bundle/dotnet.tar.xz" | tar -C "$dest" -xf -
xz -dc "$bundle/app.tar.xz" | tar -C "$dest" -xf -
if [[ -d "$bundle/data" ]]; then
  mkdir -p "$dest/data"
  for f in "$bundle"/data/*.xz; do xz -dc "$f" > "$dest/data/$(basename "$f" .xz)"; done
fi
echo "unbundled into $dest"
