// hs_guard.h: the one place where C++ exceptions become status codes (TORCH-BINDING.md §2.3).
#pragma once

#include <torch/torch.h>

#include <atomic>
#include <string>
#include <vector>

#include "hs_torch.h"

struct hs_tensor {};  // never instantiated: an hs_tensor* is really an at::Tensor*

namespace hs {

// thread-local like libtorch's own state: read on the thread that made the call.
void set_last_error(std::string message);

// Handles created minus handles freed, for leak tests.
extern std::atomic<int64_t> live_tensors;

inline const at::Tensor& T(const hs_tensor* t) {
  if (t == nullptr) throw std::invalid_argument("tensor handle is null (freed or never set)");
  return *reinterpret_cast<const at::Tensor*>(t);
}
inline at::Tensor& M(hs_tensor* t) {
  if (t == nullptr) throw std::invalid_argument("tensor handle is null (freed or never set)");
  return *reinterpret_cast<at::Tensor*>(t);
}
// Optional tensor argument: NULL -> undefined tensor.
inline at::Tensor Opt(const hs_tensor* t) {
  return t == nullptr ? at::Tensor() : *reinterpret_cast<const at::Tensor*>(t);
}
// Hands a new reference to the caller. An undefined result becomes NULL.
inline void Out(hs_tensor** out, at::Tensor value) {
  if (out == nullptr) throw std::invalid_argument("output pointer is null");
  if (!value.defined()) { *out = nullptr; return; }
  *out = reinterpret_cast<hs_tensor*>(new at::Tensor(std::move(value)));
  live_tensors.fetch_add(1, std::memory_order_relaxed);
}
inline at::IntArrayRef Dims(const int64_t* p, int64_t n) {
  if (n < 0) throw std::invalid_argument("negative dimension count " + std::to_string(n));
  if (n > 0 && p == nullptr) throw std::invalid_argument("dimension array is null but count is " + std::to_string(n));
  return at::IntArrayRef(p, static_cast<size_t>(n));
}
// Array of handles (cat, stack, autograd): n > 0 and every entry set.
inline std::vector<at::Tensor> Handles(const hs_tensor* const* ts, int64_t n, const char* what) {
  if (n <= 0) throw std::invalid_argument(std::string(what) + ": need at least one tensor, got " + std::to_string(n));
  if (ts == nullptr) throw std::invalid_argument(std::string(what) + ": tensor array is null");
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    if (ts[i] == nullptr) throw std::invalid_argument(std::string(what) + ": tensor " + std::to_string(i) + " is null");
    v.push_back(T(ts[i]));
  }
  return v;
}
// Several results at once: checks every slot first so that a failure cannot leave
// some handles written (and leaked) and others not.
inline void OutMany(hs_tensor** outs, std::vector<at::Tensor> values) {
  if (outs == nullptr && !values.empty()) throw std::invalid_argument("output array is null");
  for (size_t i = 0; i < values.size(); ++i) Out(&outs[i], std::move(values[i]));
}
at::ScalarType ToScalarType(int32_t dtype);
int32_t FromScalarType(at::ScalarType t);
at::Device ToDevice(int32_t device_type, int32_t device_index);
// Copies s into buf (NUL-terminated, truncated) and reports the full length.
void CopyString(const std::string& s, char* buf, int64_t cap, int64_t* len);

}  // namespace hs

// Runs the body (variadic: braces with commas inside, like {1, 1}, stay one argument);
// every exception type becomes HS_ERROR with its message in the error slot.
// c10::Error's what_without_backtrace keeps messages short. The body is variadic so that
// a comma outside parentheses in it (`{1, 1}`, `std::pair<a, b>`) does not split it
// into several macro arguments.
#define HS_GUARD(name, ...)                                                      \
  try {                                                                          \
    __VA_ARGS__;                                                                 \
    return HS_OK;                                                                \
  } catch (const c10::Error& e) {                                                \
    hs::set_last_error(std::string(name) + ": " + e.what_without_backtrace());  \
  } catch (const std::exception& e) {                                            \
    hs::set_last_error(std::string(name) + ": " + e.what());                     \
  } catch (...) {                                                                \
    hs::set_last_error(std::string(name) + ": unknown C++ exception");           \
  }                                                                              \
  return HS_ERROR;
