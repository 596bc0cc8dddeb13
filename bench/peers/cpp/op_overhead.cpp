// op_overhead: ns per `a + b` on two 16-element float32 CPU tensors, straight on
// libtorch. With tensors this small the kernel is negligible and the figure is the
// dispatcher + allocation floor that the C# binding's overhead is measured against.
//
// Usage: op_overhead --threads N --iters K
// Prints one JSON line: {"op":"add16","iters":K,"ns_per_op_median":...,"ns_per_op_min":...}
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

long ParseArg(int argc, char** argv, const char* name, long fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return std::strtol(argv[i + 1], nullptr, 10);
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const long threads = ParseArg(argc, argv, "--threads", 1);
  const long iters = ParseArg(argc, argv, "--iters", 100000);
  if (threads < 1 || iters < 1) {
    std::fprintf(stderr, "usage: op_overhead --threads N --iters K (both >= 1)\n");
    return 2;
  }
  at::set_num_threads(static_cast<int>(threads));

  at::Tensor a = at::rand({16}, at::kFloat);
  at::Tensor b = at::rand({16}, at::kFloat);

  // Warm-up fills the allocator's caches and the dispatcher's first-call paths.
  for (long i = 0; i < std::max(iters / 10, 1000L); ++i) {
    at::Tensor c = a + b;
  }

  constexpr int kRepeats = 5;
  std::vector<double> ns_per_op;
  for (int r = 0; r < kRepeats; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (long i = 0; i < iters; ++i) {
      // The result dies at the end of each iteration, as a C# caller frees its handle.
      at::Tensor c = a + b;
    }
    auto t1 = std::chrono::steady_clock::now();
    double ns = std::chrono::duration<double, std::nano>(t1 - t0).count();
    ns_per_op.push_back(ns / static_cast<double>(iters));
  }
  std::sort(ns_per_op.begin(), ns_per_op.end());
  std::printf("{\"op\":\"add16\",\"iters\":%ld,\"ns_per_op_median\":%.1f,\"ns_per_op_min\":%.1f}\n",
              iters, ns_per_op[kRepeats / 2], ns_per_op.front());
  return 0;
}
