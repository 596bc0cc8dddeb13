// hs_shape.cpp: views, reshapes, joins, splits, indexing.
#include "hs_guard.h"

extern "C" {

int32_t hs_reshape(const hs_tensor* t, const int64_t* shape, int64_t ndim, hs_tensor** out) {
  HS_GUARD("hs_reshape", hs::Out(out, hs::T(t).reshape(hs::Dims(shape, ndim))));
}

int32_t hs_view(const hs_tensor* t, const int64_t* shape, int64_t ndim, hs_tensor** out) {
  HS_GUARD("hs_view", hs::Out(out, hs::T(t).view(hs::Dims(shape, ndim))));
}

int32_t hs_expand(const hs_tensor* t, const int64_t* shape, int64_t ndim, hs_tensor** out) {
  HS_GUARD("hs_expand", hs::Out(out, hs::T(t).expand(hs::Dims(shape, ndim))));
}

int32_t hs_permute(const hs_tensor* t, const int64_t* dims, int64_t ndims, hs_tensor** out) {
  HS_GUARD("hs_permute", hs::Out(out, hs::T(t).permute(hs::Dims(dims, ndims))));
}

int32_t hs_transpose(const hs_tensor* t, int64_t dim0, int64_t dim1, hs_tensor** out) {
  HS_GUARD("hs_transpose", hs::Out(out, hs::T(t).transpose(dim0, dim1)));
}

int32_t hs_flatten(const hs_tensor* t, int64_t start_dim, int64_t end_dim, hs_tensor** out) {
  HS_GUARD("hs_flatten", hs::Out(out, hs::T(t).flatten(start_dim, end_dim)));
}

int32_t hs_squeeze(const hs_tensor* t, int32_t has_dim, int64_t dim, hs_tensor** out) {
  HS_GUARD("hs_squeeze", {
    const at::Tensor& x = hs::T(t);
    hs::Out(out, has_dim != 0 ? x.squeeze(dim) : x.squeeze());
  });
}

int32_t hs_unsqueeze(const hs_tensor* t, int64_t dim, hs_tensor** out) {
  HS_GUARD("hs_unsqueeze", hs::Out(out, hs::T(t).unsqueeze(dim)));
}

int32_t hs_narrow(const hs_tensor* t, int64_t dim, int64_t start, int64_t length, hs_tensor** out) {
  HS_GUARD("hs_narrow", hs::Out(out, hs::T(t).narrow(dim, start, length)));
}

int32_t hs_flip(const hs_tensor* t, const int64_t* dims, int64_t ndims, hs_tensor** out) {
  HS_GUARD("hs_flip", hs::Out(out, hs::T(t).flip(hs::Dims(dims, ndims))));
}

int32_t hs_cat(const hs_tensor* const* ts, int64_t n, int64_t dim, hs_tensor** out) {
  HS_GUARD("hs_cat", hs::Out(out, at::cat(hs::Handles(ts, n, "tensors"), dim)));
}

int32_t hs_stack(const hs_tensor* const* ts, int64_t n, int64_t dim, hs_tensor** out) {
  HS_GUARD("hs_stack", hs::Out(out, at::stack(hs::Handles(ts, n, "tensors"), dim)));
}

int32_t hs_split(const hs_tensor* t, int64_t split_size, int64_t dim, hs_tensor** outs,
                 int64_t cap, int64_t* count) {
  HS_GUARD("hs_split", {
    if (count == nullptr) throw std::invalid_argument("count pointer is null");
    if (split_size <= 0)
      throw std::invalid_argument("split_size must be positive, got " + std::to_string(split_size));
    // The pieces are views, so computing them before the cap check costs no tensor memory.
    std::vector<at::Tensor> parts = hs::T(t).split(split_size, dim);
    int64_t n = static_cast<int64_t>(parts.size());
    *count = n;
    if (cap < n)
      throw std::invalid_argument("output array too small: " + std::to_string(n) +
                                  " pieces, capacity " + std::to_string(cap));
    hs::OutMany(outs, std::move(parts));
  });
}

int32_t hs_split_with_sizes(const hs_tensor* t, const int64_t* sizes, int64_t n, int64_t dim,
                            hs_tensor** outs) {
  HS_GUARD("hs_split_with_sizes", {
    // libtorch checks that the sizes add up to the dim's length, so exactly n pieces
    // come back and outs needs n slots.
    hs::OutMany(outs, hs::T(t).split_with_sizes(hs::Dims(sizes, n), dim));
  });
}

int32_t hs_index_select(const hs_tensor* t, int64_t dim, const hs_tensor* index, hs_tensor** out) {
  HS_GUARD("hs_index_select", hs::Out(out, at::index_select(hs::T(t), dim, hs::T(index))));
}

int32_t hs_gather(const hs_tensor* t, int64_t dim, const hs_tensor* index, hs_tensor** out) {
  HS_GUARD("hs_gather", hs::Out(out, at::gather(hs::T(t), dim, hs::T(index))));
}

int32_t hs_one_hot(const hs_tensor* labels, int64_t num_classes, hs_tensor** out) {
  HS_GUARD("hs_one_hot", hs::Out(out, at::one_hot(hs::T(labels), num_classes)));
}

}  // extern "C"
