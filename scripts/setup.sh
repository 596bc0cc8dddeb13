#!/usr/bin/env bash
# Installs what HyperSwarm needs on a Debian 12 machine with the .NET 10 SDK, and nothing
# that is already there. Safe to run again and again.
set -euo pipefail

# Debian packages: libtorch (CPU) + toolchain for the native shim, the Fashion-MNIST data,
# the Python peers used by benchmarks and interop tests (use /usr/bin/python3), and the
# PostgreSQL server the coordinator's store tests start for themselves (initdb, pg_ctl).
APT_PACKAGES=(libtorch-dev cmake g++ dataset-fashion-mnist python3-torch python3-grpcio postgresql)

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (dotnet was not found on PATH)." >&2
  exit 1
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "setup: Debian packages installed"
else
  echo "setup: Debian packages present (${APT_PACKAGES[*]})"
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
echo "setup: restoring NuGet packages"
dotnet restore "$root/HyperSwarm.sln" --verbosity quiet
