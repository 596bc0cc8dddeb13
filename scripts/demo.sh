#!/usr/bin/env bash
# The main job for a newcomer: installs what is missing, builds, and runs HyperSwarm.
# Until the trainer lands this shows the runtime (`hyperswarm info`) and measures the
# libtorch binding against PyTorch (`hyperswarm bench binding`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
echo "demo: building (Release)"
dotnet build "$root/src/Cli" -c Release --nologo --verbosity quiet
hs="$root/src/Cli/bin/Release/net10.0/hyperswarm"
"$hs" info
"$hs" bench binding
