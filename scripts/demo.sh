#!/usr/bin/env bash
# The main job for a newcomer: installs what is missing, builds, and trains a model on the real
# Fashion-MNIST with no hyperparameters given (AGD, self-tuning dropout and augmentation,
# DenseNet-BC with MPELU and Fixup-Dense), then scores the exported model on the test split.
# HS_DEMO_BUDGET shortens or lengthens the training (default 5m; `hyperswarm train` alone uses 15m).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
echo "demo: building (Release)"
dotnet build "$root/src/Cli" -c Release --nologo --verbosity quiet
hs="$root/src/Cli/bin/Release/net10.0/hyperswarm"
cd "$root"
"$hs" train --budget "${HS_DEMO_BUDGET:-5m}" --runs runs
run="runs/$(ls -t runs | head -n 1)"
"$hs" eval --model "$run/model" --data /usr/share/datasets/fashion-mnist
