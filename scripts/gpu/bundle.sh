#!/usr/bin/env bash
# Bundles what a GPU machine without .NET needs to run HyperSwarm and its GPU checks:
#   artifacts/gpu/dotnet.tar.xz  this machine's .NET runtime (shared frameworks and host; the
#                                debugger, XML and data libraries, which nothing here loads, left out)
#   artifacts/gpu/app.tar.xz     hyperswarm (framework-dependent publish, linux-x64 natives only)
#                                and gpu-check (runs the Gpu-category tests without the SDK)
#   artifacts/gpu/data/*.xz      with --data DIR: the dataset's files, xz-compressed
# On the GPU machine: scripts/gpu/build-cuda-shim.sh, then scripts/gpu/unbundle.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/artifacts/gpu"
data=""
[[ "${1:-}" == "--data" ]] && data="$2"
rm -rf "$out" && mkdir -p "$out/stage/app/hyperswarm" "$out/stage/app/gpu-check"
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
version="$(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ {v=$2} END {print v}')"
mkdir -p "$out/stage/dotnet/shared"
cp -r "$dotnet_root/dotnet" "$dotnet_root/host" "$out/stage/dotnet/"
cp -r "$dotnet_root/shared/Microsoft.NETCore.App" "$dotnet_root/shared/Microsoft.AspNetCore.App" "$out/stage/dotnet/shared/"
( cd "$out/stage/dotnet/shared/Microsoft.NETCore.App/$version" &&
  rm -f createdump libmscordaccore.so libmscordbi.so Microsoft.VisualBasic.Core.dll System.Data.Common.dll System.Data.dll \
        System.Private.DataContractSerialization.dll System.Private.Xml.dll System.Private.Xml.Linq.dll System.Xml*.dll )
dotnet publish "$root/src/Cli" -c Release -o "$out/stage/app/hyperswarm" -p:HsSkipNative=true --nologo -v q
find "$out/stage/app/hyperswarm/runtimes" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
dotnet build "$root/tests/GpuCheck" -c Release -o "$out/stage/app/gpu-check" -p:HsSkipNative=true --nologo -v q
tar -C "$out/stage" -cf - dotnet | xz -T0 -9 > "$out/dotnet.tar.xz"
tar -C "$out/stage" -cf - app | xz -T0 -9 > "$out/app.tar.xz"
if [[ -n "$data" ]]; then
  mkdir -p "$out/data"
  for f in "$data"/*; do
    name="$(basename "$f" .gz)"
    if [[ "$f" == *.gz ]]; then zcat "$f"; else cat "$f"; fi | xz -T0 -9 > "$out/data/$name.xz"
  done
fi
rm -rf "$out/stage"
du -sh "$out"/* 
