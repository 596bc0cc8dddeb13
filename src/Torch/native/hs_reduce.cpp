// hs_reduce.cpp: reductions.
//
// ndims == 0 means "every dimension" and keepdim is still honoured, so a full sum with
// keepdim of a [2,3] tensor has shape [1,1]. Listing the dims explicitly avoids relying
// on what an empty dim list means, which is not the same for every op and libtorch
// version.
#include <numeric>

#include "hs_guard.h"

namespace {

std::vector<int64_t> DimsOrAll(const at::Tensor& t, const int64_t* dims, int64_t ndims) {
  at::IntArrayRef given = hs::Dims(dims, ndims);
  if (ndims > 0) return given.vec();
  std::vector<int64_t> all(static_cast<size_t>(t.dim()));
  std::iota(all.begin(), all.end(), 0);
  return all;
}

}  // namespace

extern "C" {

int32_t hs_sum(const hs_tensor* t, const int64_t* dims, int64_t ndims, int32_t keepdim,
               hs_tensor** out) {
  HS_GUARD("hs_sum", {
    const at::Tensor& x = hs::T(t);
    std::vector<int64_t> d = DimsOrAll(x, dims, ndims);
    // A 0-dim tensor has no dims to list; its full reduction is the plain overload.
    hs::Out(out, d.empty() ? at::sum(x) : at::sum(x, at::IntArrayRef(d), keepdim != 0));
  });
}

int32_t hs_mean(const hs_tensor* t, const int64_t* dims, int64_t ndims, int32_t keepdim,
                hs_tensor** out) {
  HS_GUARD("hs_mean", {
    const at::Tensor& x = hs::T(t);
    std::vector<int64_t> d = DimsOrAll(x, dims, ndims);
    hs::Out(out, d.empty() ? at::mean(x) : at::mean(x, at::IntArrayRef(d), keepdim != 0));
  });
}

int32_t hs_var(const hs_tensor* t, const int64_t* dims, int64_t ndims, int32_t unbiased,
               int32_t keepdim, hs_tensor** out) {
  HS_GUARD("hs_var", {
    const at::Tensor& x = hs::T(t);
    std::vector<int64_t> d = DimsOrAll(x, dims, ndims);
    hs::Out(out, d.empty() ? at::var(x, unbiased != 0)
                           : at::var(x, at::IntArrayRef(d), unbiased != 0, keepdim != 0));
  });
}

int32_t hs_norm(const hs_tensor* t, double p, const int64_t* dims, int64_t ndims, int32_t keepdim,
                hs_tensor** out) {
  HS_GUARD("hs_norm", {
    const at::Tensor& x = hs::T(t);
    std::vector<int64_t> d = DimsOrAll(x, dims, ndims);
    c10::optional<at::Scalar> order = at::Scalar(p);
    hs::Out(out, d.empty() ? at::norm(x, at::Scalar(p))
                           : at::norm(x, order, at::IntArrayRef(d), keepdim != 0));
  });
}

int32_t hs_logsumexp(const hs_tensor* t, const int64_t* dims, int64_t ndims, int32_t keepdim,
                     hs_tensor** out) {
  HS_GUARD("hs_logsumexp", {
    const at::Tensor& x = hs::T(t);
    std::vector<int64_t> d = DimsOrAll(x, dims, ndims);
    // logsumexp of a single value is the value itself.
    hs::Out(out, d.empty() ? x.clone() : at::logsumexp(x, at::IntArrayRef(d), keepdim != 0));
  });
}

int32_t hs_max_all(const hs_tensor* t, hs_tensor** out) {
  HS_GUARD("hs_max_all", hs::Out(out, at::max(hs::T(t))));
}

int32_t hs_min_all(const hs_tensor* t, hs_tensor** out) {
  HS_GUARD("hs_min_all", hs::Out(out, at::min(hs::T(t))));
}

int32_t hs_max_dim(const hs_tensor* t, int64_t dim, int32_t keepdim, hs_tensor** values,
                   hs_tensor** indices) {
  HS_GUARD("hs_max_dim", {
    // Both slots are checked up front so a null second slot cannot leak the first result.
    if (values == nullptr || indices == nullptr) throw std::invalid_argument("output pointer is null");
    auto r = at::max(hs::T(t), dim, keepdim != 0);
    hs::Out(values, std::move(std::get<0>(r)));
    hs::Out(indices, std::move(std::get<1>(r)));
  });
}

int32_t hs_argmax(const hs_tensor* t, int32_t has_dim, int64_t dim, int32_t keepdim,
                  hs_tensor** out) {
  HS_GUARD("hs_argmax", {
    c10::optional<int64_t> d;
    if (has_dim != 0) d = dim;
    hs::Out(out, at::argmax(hs::T(t), d, keepdim != 0));
  });
}

}  // extern "C"
