// hs_tensor.cpp: handle lifecycle, metadata, host copies, rendering.
#include <cstring>
#include <sstream>

#include "hs_guard.h"

namespace {

// numel * element size of a prospective tensor, checked before anything is allocated
// so that a wrong shape cannot trigger a huge allocation or an overflow.
int64_t HostBytes(at::IntArrayRef shape, at::ScalarType dtype) {
  int64_t n = static_cast<int64_t>(c10::elementSize(dtype));
  for (int64_t s : shape) {
    if (s < 0) throw std::invalid_argument("negative dimension " + std::to_string(s) + " in shape");
    if (__builtin_mul_overflow(n, s, &n)) throw std::invalid_argument("shape is too large (byte size overflows int64)");
  }
  return n;
}

void CheckBytes(int64_t expected, int64_t got) {
  if (expected != got)
    throw std::invalid_argument("byte count mismatch: expected " + std::to_string(expected) +
                                " (numel * element size), got " + std::to_string(got));
}

}  // namespace

extern "C" {

int32_t hs_tensor_free(hs_tensor* t) {
  HS_GUARD("hs_tensor_free", {
    if (t != nullptr) {
      delete reinterpret_cast<at::Tensor*>(t);
      hs::live_tensors.fetch_sub(1, std::memory_order_relaxed);
    }
  });
}

int32_t hs_tensor_alias(const hs_tensor* t, hs_tensor** out) {
  // A second handle to the same TensorImpl, so C# can own two wrappers independently.
  HS_GUARD("hs_tensor_alias", hs::Out(out, hs::T(t)));
}

int32_t hs_tensor_clone(const hs_tensor* t, hs_tensor** out) {
  HS_GUARD("hs_tensor_clone", hs::Out(out, hs::T(t).clone()));
}

int32_t hs_tensor_detach(const hs_tensor* t, hs_tensor** out) {
  HS_GUARD("hs_tensor_detach", hs::Out(out, hs::T(t).detach()));
}

int32_t hs_tensor_contiguous(const hs_tensor* t, hs_tensor** out) {
  HS_GUARD("hs_tensor_contiguous", hs::Out(out, hs::T(t).contiguous()));
}

int32_t hs_tensor_to(const hs_tensor* t, int32_t device_type, int32_t device_index,
                     int32_t dtype, int32_t non_blocking, hs_tensor** out) {
  HS_GUARD("hs_tensor_to", {
    const at::Tensor& x = hs::T(t);
    at::Device device = device_type < 0 ? x.device() : hs::ToDevice(device_type, device_index);
    at::ScalarType st = dtype < 0 ? x.scalar_type() : hs::ToScalarType(dtype);
    hs::Out(out, x.to(device, st, non_blocking != 0, /*copy=*/false));
  });
}

int32_t hs_tensor_set_data(hs_tensor* t, const hs_tensor* src) {
  HS_GUARD("hs_tensor_set_data", {
    // set_data swaps the TensorImpl's storage in place (what nn.Module.to does with
    // param.data = ...), so optimizers and modules holding this tensor follow it.
    hs::M(t).set_data(hs::T(src).detach());
  });
}

int32_t hs_tensor_dim(const hs_tensor* t, int64_t* out) {
  HS_GUARD("hs_tensor_dim", *out = hs::T(t).dim());
}

int32_t hs_tensor_shape(const hs_tensor* t, int64_t* buf, int64_t cap, int64_t* ndim) {
  HS_GUARD("hs_tensor_shape", {
    at::IntArrayRef sizes = hs::T(t).sizes();
    int64_t n = static_cast<int64_t>(sizes.size());
    if (ndim != nullptr) *ndim = n;
    if (buf != nullptr)
      for (int64_t i = 0; i < std::min(n, cap); ++i) buf[i] = sizes[static_cast<size_t>(i)];
  });
}

int32_t hs_tensor_dtype(const hs_tensor* t, int32_t* out) {
  HS_GUARD("hs_tensor_dtype", *out = hs::FromScalarType(hs::T(t).scalar_type()));
}

int32_t hs_tensor_device(const hs_tensor* t, int32_t* type, int32_t* index) {
  HS_GUARD("hs_tensor_device", {
    at::Device d = hs::T(t).device();
    int32_t ty;
    if (d.is_cpu()) ty = HS_CPU;
    else if (d.is_cuda()) ty = HS_CUDA;
    else throw std::invalid_argument("device not supported by the binding: " + d.str());
    // CPU has no index in libtorch (-1); report 0 so a round trip through hs_tensor_to
    // and equality on the C# side do not depend on that quirk.
    *type = ty;
    *index = d.has_index() ? d.index() : 0;
  });
}

int32_t hs_tensor_numel(const hs_tensor* t, int64_t* out) {
  HS_GUARD("hs_tensor_numel", *out = hs::T(t).numel());
}

int32_t hs_tensor_requires_grad(const hs_tensor* t, int32_t* out) {
  HS_GUARD("hs_tensor_requires_grad", *out = hs::T(t).requires_grad() ? 1 : 0);
}

int32_t hs_tensor_set_requires_grad(hs_tensor* t, int32_t requires_grad) {
  HS_GUARD("hs_tensor_set_requires_grad", hs::M(t).set_requires_grad(requires_grad != 0));
}

int32_t hs_tensor_is_leaf(const hs_tensor* t, int32_t* out) {
  HS_GUARD("hs_tensor_is_leaf", *out = hs::T(t).is_leaf() ? 1 : 0);
}

int32_t hs_tensor_item_double(const hs_tensor* t, double* out) {
  HS_GUARD("hs_tensor_item_double", *out = hs::T(t).item<double>());
}

int32_t hs_tensor_item_int64(const hs_tensor* t, int64_t* out) {
  HS_GUARD("hs_tensor_item_int64", *out = hs::T(t).item<int64_t>());
}

int32_t hs_tensor_copy_to_host(const hs_tensor* t, void* buf, int64_t nbytes) {
  HS_GUARD("hs_tensor_copy_to_host", {
    const at::Tensor& x = hs::T(t);
    CheckBytes(x.numel() * static_cast<int64_t>(x.element_size()), nbytes);
    if (nbytes == 0) return HS_OK;
    if (buf == nullptr) throw std::invalid_argument("host buffer is null");
    // detach: reading values must not record an autograd node.
    at::Tensor host = x.detach().to(at::kCPU).contiguous();
    std::memcpy(buf, host.data_ptr(), static_cast<size_t>(nbytes));
  });
}

int32_t hs_tensor_from_host(const void* buf, int64_t nbytes, const int64_t* shape, int64_t ndim,
                            int32_t dtype, int32_t device_type, int32_t device_index,
                            hs_tensor** out) {
  HS_GUARD("hs_tensor_from_host", {
    at::IntArrayRef sizes = hs::Dims(shape, ndim);
    at::ScalarType st = hs::ToScalarType(dtype);
    at::Device device = hs::ToDevice(device_type, device_index);
    CheckBytes(HostBytes(sizes, st), nbytes);
    if (nbytes > 0 && buf == nullptr) throw std::invalid_argument("host buffer is null");
    // Own copy: the caller's buffer (often a pinned managed array) may go away after return.
    at::Tensor host = at::empty(sizes, at::TensorOptions().dtype(st));
    if (nbytes > 0) std::memcpy(host.data_ptr(), buf, static_cast<size_t>(nbytes));
    hs::Out(out, device.is_cpu() ? host : host.to(device));
  });
}

int32_t hs_tensor_copy_from_host(hs_tensor* t, const void* buf, int64_t nbytes) {
  HS_GUARD("hs_tensor_copy_from_host", {
    at::Tensor& x = hs::M(t);
    CheckBytes(x.numel() * static_cast<int64_t>(x.element_size()), nbytes);
    if (nbytes == 0) return HS_OK;
    if (buf == nullptr) throw std::invalid_argument("host buffer is null");
    if (x.is_cpu() && x.is_contiguous()) {
      std::memcpy(x.data_ptr(), buf, static_cast<size_t>(nbytes));
      // Tensors saved for backward must notice the overwrite, as with any in-place op;
      // inference tensors have no version counter (bumping one throws).
      if (!x.is_inference()) x.unsafeGetTensorImpl()->bump_version();
    } else {
      // Loading values is not a differentiable op, and copy_ on a leaf that requires
      // grad is refused while grad mode is on.
      at::NoGradGuard no_grad;
      at::Tensor src = at::from_blob(const_cast<void*>(buf), x.sizes(),
                                     at::TensorOptions().dtype(x.scalar_type()));
      x.copy_(src);
    }
  });
}

int32_t hs_tensor_to_string(const hs_tensor* t, char* buf, int64_t cap, int64_t* len) {
  HS_GUARD("hs_tensor_to_string", {
    std::ostringstream os;
    os << hs::T(t);
    hs::CopyString(os.str(), buf, cap, len);
  });
}

}  // extern "C"
