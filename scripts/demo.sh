#!/usr/bin/env bash
# The main job for a newcomer: installs what is missing, builds, and runs population-based
# training on the real Fashion-MNIST with no hyperparameters given: `hyperswarm run` starts a
# coordinator and two local workers over loopback gRPC, four self-tuning members (AGD, tuned
# dropout and augmentation) train and exchange hyperparameters and weights, and the best member
# is exported; then the exported model is scored on the test split.
# HS_DEMO_BUDGET shortens or lengthens the run (default 5m; `hyperswarm run` alone uses 15m).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
echo "demo: building (Release)"
dotnet build "$root/src/Cli" -c Release --nologo --verbosity quiet
hs="$root/src/Cli/bin/Release/net10.0/hyperswarm"
cd "$root"
"$hs" run --budget "${HS_DEMO_BUDGET:-5m}" --runs runs
run="runs/$(ls -t runs | head -n 1)"
"$hs" eval --model "$run/model" --data /usr/share/datasets/fashion-mnist
