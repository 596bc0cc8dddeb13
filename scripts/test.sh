#!/usr/bin/env bash
# Runs every test: installs what is missing, builds the solution (native shim included),
# runs all test projects, and closes with one "N passed, N failed, N skipped" line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh" --tests
echo "test: building"
dotnet build "$root/HyperSwarm.sln" --nologo --verbosity quiet --no-restore

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test "$root/HyperSwarm.sln" --no-build --nologo 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# dotnet test prints one summary per test project ("Passed!  - Failed: 0, Passed: 12, ...").
awk '/(Passed|Failed)! +- Failed:/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$rc"
