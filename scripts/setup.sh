#!/usr/bin/env bash
# Installs what HyperSwarm needs on a Debian 12 machine with the .NET 10 SDK, and nothing
# that is already there. Safe to run again and again.
#   bash scripts/setup.sh           what the main job needs (scripts/demo.sh)
#   bash scripts/setup.sh --tests   that, plus what only the tests and benchmarks need (scripts/test.sh)
set -euo pipefail

# Debian packages for the main job: libtorch (CPU) + toolchain for the native shim, and the
# Fashion-MNIST data.
APT_PACKAGES=(libtorch-dev cmake g++ dataset-fashion-mnist)
# Only for tests and benchmarks: the Python peers (use /usr/bin/python3: PyTorch for the
# trainer benchmarks and fixtures, grpcio for the interop tests), the PostgreSQL server the
# store tests start for themselves (initdb, pg_ctl), Prometheus, which a test points at a
# live coordinator's scrape endpoint, and Chromium, which the report tests open report.html in
# (headless, driven by Playwright with this executable: Playwright's own download cannot work here),
# ONNX's own checker, which validates the files hyperswarm export writes, Slurm and munge, which a
# test runs as a single-node cluster to submit the Slurm recipe to, and shellcheck for the recipes'
# and the container entrypoint's shell scripts.
TEST_PACKAGES=(python3-torch python3-grpcio postgresql prometheus chromium python3-onnx slurm-wlm munge shellcheck)
if [ "${1:-}" = "--tests" ]; then
  APT_PACKAGES+=("${TEST_PACKAGES[@]}")
fi

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
