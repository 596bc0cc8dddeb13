// hs_runtime.cpp: errors, version, threads, seeding, CUDA queries, live-handle count.
#include <ATen/Parallel.h>
#include <torch/version.h>

#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "hs_guard.h"

#ifdef HS_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDACachingAllocator.h>
#endif

namespace hs {

std::atomic<int64_t> live_tensors{0};
static thread_local std::string last_error;

void set_last_error(std::string message) { last_error = std::move(message); }

void CopyString(const std::string& s, char* buf, int64_t cap, int64_t* len) {
  if (len != nullptr) *len = static_cast<int64_t>(s.size());
  if (buf == nullptr || cap <= 0) return;
  size_t n = std::min(static_cast<size_t>(cap - 1), s.size());
  std::memcpy(buf, s.data(), n);
  buf[n] = '\0';
}

at::ScalarType ToScalarType(int32_t dtype) {
  switch (dtype) {
    case HS_FLOAT32: return at::kFloat;
    case HS_FLOAT64: return at::kDouble;
    case HS_INT64: return at::kLong;
    case HS_UINT8: return at::kByte;
    case HS_BOOL: return at::kBool;
    case HS_INT32: return at::kInt;
    case HS_FLOAT16: return at::kHalf;
    case HS_BFLOAT16: return at::kBFloat16;
  }
  throw std::invalid_argument("unknown dtype code " + std::to_string(dtype));
}

int32_t FromScalarType(at::ScalarType t) {
  switch (t) {
    case at::kFloat: return HS_FLOAT32;
    case at::kDouble: return HS_FLOAT64;
    case at::kLong: return HS_INT64;
    case at::kByte: return HS_UINT8;
    case at::kBool: return HS_BOOL;
    case at::kInt: return HS_INT32;
    case at::kHalf: return HS_FLOAT16;
    case at::kBFloat16: return HS_BFLOAT16;
    default: throw std::invalid_argument(std::string("dtype not supported by the binding: ") + c10::toString(t));
  }
}

at::Device ToDevice(int32_t device_type, int32_t device_index) {
  switch (device_type) {
    case HS_CPU: return at::Device(at::kCPU);
    case HS_CUDA: {
      // Without this check a CPU-only build answers with a dispatcher error that lists
      // every backend key, several hundred characters long.
      int64_t count = static_cast<int64_t>(torch::cuda::device_count());
      if (count == 0) throw std::invalid_argument("CUDA device requested but CUDA is not available");
      // -1 is libtorch's "current device".
      if (device_index < -1 || device_index >= count)
        throw std::invalid_argument("CUDA device index " + std::to_string(device_index) +
                                    " out of range (" + std::to_string(count) + " devices)");
      return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(device_index));
    }
  }
  throw std::invalid_argument("unknown device type code " + std::to_string(device_type));
}

}  // namespace hs

extern "C" {

int32_t hs_last_error(char* buf, int64_t cap, int64_t* len) {
  hs::CopyString(hs::last_error, buf, cap, len);
  return HS_OK;
}

int32_t hs_version(char* buf, int64_t cap, int64_t* len) {
  HS_GUARD("hs_version", hs::CopyString(std::string("libtorch ") + TORCH_VERSION, buf, cap, len));
}

int32_t hs_set_num_threads(int32_t n) {
  HS_GUARD("hs_set_num_threads", {
    if (n < 1) throw std::invalid_argument("thread count must be at least 1, got " + std::to_string(n));
    at::set_num_threads(n);
  });
}

int32_t hs_get_num_threads(int32_t* out) {
  HS_GUARD("hs_get_num_threads", *out = at::get_num_threads());
}

int32_t hs_manual_seed(int64_t seed) {
  // torch::manual_seed seeds the CPU generator and every CUDA device when CUDA is present.
  HS_GUARD("hs_manual_seed", torch::manual_seed(static_cast<uint64_t>(seed)));
}

int32_t hs_rng_state_get(hs_tensor** out) {
  HS_GUARD("hs_rng_state_get", {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    hs::Out(out, gen.get_state());
  });
}

int32_t hs_rng_state_set(const hs_tensor* state) {
  HS_GUARD("hs_rng_state_set", {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(hs::T(state));
  });
}

int32_t hs_with_cuda(int32_t* out) {
#ifdef HS_WITH_CUDA
  HS_GUARD("hs_with_cuda", *out = 1);
#else
  HS_GUARD("hs_with_cuda", *out = 0);
#endif
}

int32_t hs_cuda_is_available(int32_t* out) {
  HS_GUARD("hs_cuda_is_available", *out = torch::cuda::is_available() ? 1 : 0);
}

int32_t hs_cuda_device_count(int32_t* out) {
  HS_GUARD("hs_cuda_device_count", *out = static_cast<int32_t>(torch::cuda::device_count()));
}

int32_t hs_cuda_synchronize(int32_t device_index) {
#ifdef HS_WITH_CUDA
  HS_GUARD("hs_cuda_synchronize", torch::cuda::synchronize(device_index));
#else
  hs::set_last_error("hs_cuda_synchronize: libhstorch was built without HS_WITH_CUDA");
  return HS_UNSUPPORTED;
#endif
}

int32_t hs_cuda_empty_cache(void) {
#ifdef HS_WITH_CUDA
  HS_GUARD("hs_cuda_empty_cache", c10::cuda::CUDACachingAllocator::emptyCache());
#else
  hs::set_last_error("hs_cuda_empty_cache: libhstorch was built without HS_WITH_CUDA");
  return HS_UNSUPPORTED;
#endif
}

int32_t hs_cuda_memory_allocated(int32_t device_index, int64_t* out) {
#ifdef HS_WITH_CUDA
  HS_GUARD("hs_cuda_memory_allocated", {
    auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device_index);
    // Index 0 is StatType::AGGREGATE. The enum moved from c10::cuda::CUDACachingAllocator
    // (1.13) to c10::CachingAllocator / CachingDeviceAllocator (2.x); its order did not.
    *out = stats.allocated_bytes[0].current;
  });
#else
  hs::set_last_error("hs_cuda_memory_allocated: libhstorch was built without HS_WITH_CUDA");
  return HS_UNSUPPORTED;
#endif
}

int32_t hs_live_tensors(int64_t* out) {
  HS_GUARD("hs_live_tensors", *out = hs::live_tensors.load(std::memory_order_relaxed));
}

int32_t hs_keep_freed_host_memory(int64_t trim_threshold, int32_t* applied) {
  HS_GUARD("hs_keep_freed_host_memory", {
    if (trim_threshold < 0) throw std::invalid_argument("trim threshold must be >= 0");
#if defined(__GLIBC__)
    // M_MMAP_MAX 0: large blocks come from the heap, so a free does not munmap them.
    // M_TRIM_THRESHOLD: the heap top is returned to the kernel only past this size.
    // Setting either also turns off glibc's dynamic mmap threshold, whose state differs from
    // process to process and made identical runs differ threefold in page faults and speed.
    // M_TOP_PAD 64 MiB: model threads are not the main thread, so they allocate from secondary
    // arenas, whose heaps (64 MiB each) heap_trim unmaps as soon as they are empty whatever
    // the trim threshold; a pad that large keeps them (DenseNet step: 70 -> 133 images/s).
    const int ok = mallopt(M_MMAP_MAX, 0) &
                   mallopt(M_TRIM_THRESHOLD, static_cast<int>(std::min<int64_t>(trim_threshold, INT32_MAX))) &
                   mallopt(M_TOP_PAD, 64 << 20);
    *applied = ok ? 1 : 0;
#else
    *applied = 0;
#endif
  });
}

}  // extern "C"
