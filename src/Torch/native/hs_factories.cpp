// hs_factories.cpp: tensor creation and in-place initialisation.
#include "hs_guard.h"

namespace {

at::TensorOptions Options(int32_t dtype, int32_t device_type, int32_t device_index) {
  return at::TensorOptions().dtype(hs::ToScalarType(dtype)).device(hs::ToDevice(device_type, device_index));
}

}  // namespace

extern "C" {

int32_t hs_empty(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t device_type,
                 int32_t device_index, hs_tensor** out) {
  HS_GUARD("hs_empty", hs::Out(out, at::empty(hs::Dims(shape, ndim), Options(dtype, device_type, device_index))));
}

int32_t hs_zeros(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t device_type,
                 int32_t device_index, hs_tensor** out) {
  HS_GUARD("hs_zeros", hs::Out(out, at::zeros(hs::Dims(shape, ndim), Options(dtype, device_type, device_index))));
}

int32_t hs_ones(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t device_type,
                int32_t device_index, hs_tensor** out) {
  HS_GUARD("hs_ones", hs::Out(out, at::ones(hs::Dims(shape, ndim), Options(dtype, device_type, device_index))));
}

int32_t hs_full(const int64_t* shape, int64_t ndim, double value, int32_t dtype,
                int32_t device_type, int32_t device_index, hs_tensor** out) {
  HS_GUARD("hs_full", hs::Out(out, at::full(hs::Dims(shape, ndim), value, Options(dtype, device_type, device_index))));
}

int32_t hs_arange(double start, double end, double step, int32_t dtype, int32_t device_type,
                  int32_t device_index, hs_tensor** out) {
  HS_GUARD("hs_arange", hs::Out(out, at::arange(start, end, step, Options(dtype, device_type, device_index))));
}

int32_t hs_rand(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t device_type,
                int32_t device_index, hs_tensor** out) {
  HS_GUARD("hs_rand", hs::Out(out, at::rand(hs::Dims(shape, ndim), Options(dtype, device_type, device_index))));
}

int32_t hs_randn(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t device_type,
                 int32_t device_index, hs_tensor** out) {
  HS_GUARD("hs_randn", hs::Out(out, at::randn(hs::Dims(shape, ndim), Options(dtype, device_type, device_index))));
}

int32_t hs_randint(int64_t low, int64_t high, const int64_t* shape, int64_t ndim, int32_t dtype,
                   int32_t device_type, int32_t device_index, hs_tensor** out) {
  HS_GUARD("hs_randint", hs::Out(out, at::randint(low, high, hs::Dims(shape, ndim), Options(dtype, device_type, device_index))));
}

int32_t hs_randperm(int64_t n, int32_t dtype, int32_t device_type, int32_t device_index,
                    hs_tensor** out) {
  HS_GUARD("hs_randperm", hs::Out(out, at::randperm(n, Options(dtype, device_type, device_index))));
}

int32_t hs_rand_like(const hs_tensor* t, hs_tensor** out) {
  HS_GUARD("hs_rand_like", hs::Out(out, at::rand_like(hs::T(t))));
}

int32_t hs_bernoulli(const hs_tensor* probs, hs_tensor** out) {
  HS_GUARD("hs_bernoulli", hs::Out(out, at::bernoulli(hs::T(probs))));
}

int32_t hs_normal_(hs_tensor* t, double mean, double std) {
  HS_GUARD("hs_normal_", hs::M(t).normal_(mean, std));
}

int32_t hs_uniform_(hs_tensor* t, double low, double high) {
  HS_GUARD("hs_uniform_", hs::M(t).uniform_(low, high));
}

int32_t hs_zero_(hs_tensor* t) {
  HS_GUARD("hs_zero_", hs::M(t).zero_());
}

int32_t hs_fill_(hs_tensor* t, double value) {
  HS_GUARD("hs_fill_", hs::M(t).fill_(value));
}

}  // extern "C"
