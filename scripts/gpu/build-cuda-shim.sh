#!/usr/bin/env bash
# Builds libhstorch against the CUDA libtorch of a pip/Debian PyTorch install on a GPU
# machine (no .NET needed) and smoke-tests it through its C ABI from Python (ctypes):
# CUDA compiled in and available, a tensor made on the device, a device sync.
#   usage: scripts/gpu/build-cuda-shim.sh [BUILD_DIR]   (default artifacts/native/cuda)
# The library lands in BUILD_DIR/libhstorch.so; point HS_TORCH_LIB at it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/artifacts/native/cuda}"
py="${HS_PYTHON:-python3}"
prefix="$("$py" -c 'import torch; print(torch.utils.cmake_prefix_path)')"
echo "torch $("$py" -c 'import torch; print(torch.__version__, "cuda", torch.version.cuda)') at $prefix"
cmake -S "$root/src/Torch/native" -B "$build" -DCMAKE_BUILD_TYPE=Release -DHS_WITH_CUDA=ON \
  -DCMAKE_PREFIX_PATH="$prefix" >"$build.cmake.log" 2>&1 || { cat "$build.cmake.log"; exit 1; }
cmake --build "$build" --parallel "$(nproc)"
"$py" "$root/scripts/gpu/smoke.py" "$build/libhstorch.so"
