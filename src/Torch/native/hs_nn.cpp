// hs_nn.cpp: functional NN ops and losses, all straight to ATen so that the same code
// compiles against libtorch 1.13 and 2.x (the torch::nn::functional option structs
// drifted between them).
#include "hs_guard.h"

namespace {

// ATen's "Tensor?" parameters: NULL becomes an empty optional rather than an undefined
// tensor inside one, which not every kernel treats as absent.
c10::optional<at::Tensor> OptT(const hs_tensor* t) {
  c10::optional<at::Tensor> r;
  if (t != nullptr) r = hs::T(t);
  return r;
}

at::IntArrayRef Pair(const int64_t* p, const char* what) {
  if (p == nullptr) throw std::invalid_argument(std::string(what) + " array is null");
  return at::IntArrayRef(p, 2);
}

int64_t Reduction(int32_t code) {
  switch (code) {
    case HS_REDUCE_NONE: return at::Reduction::None;
    case HS_REDUCE_MEAN: return at::Reduction::Mean;
    case HS_REDUCE_SUM: return at::Reduction::Sum;
  }
  throw std::invalid_argument("unknown reduction code " + std::to_string(code));
}

}  // namespace

extern "C" {

int32_t hs_conv2d(const hs_tensor* x, const hs_tensor* w, const hs_tensor* b,
                  const int64_t* stride, const int64_t* padding, const int64_t* dilation,
                  int64_t groups, hs_tensor** out) {
  HS_GUARD("hs_conv2d", {
    hs::Out(out, at::conv2d(hs::T(x), hs::T(w), OptT(b), Pair(stride, "stride"),
                            Pair(padding, "padding"), Pair(dilation, "dilation"), groups));
  });
}

int32_t hs_batch_norm(const hs_tensor* x, const hs_tensor* weight, const hs_tensor* bias,
                      hs_tensor* running_mean, hs_tensor* running_var, int32_t training,
                      double momentum, double eps, hs_tensor** out) {
  HS_GUARD("hs_batch_norm", {
    // The optionals hold handles to the caller's tensors, so running stats update in place.
    hs::Out(out, at::batch_norm(hs::T(x), OptT(weight), OptT(bias), OptT(running_mean),
                                OptT(running_var), training != 0, momentum, eps,
                                /*cudnn_enabled=*/true));
  });
}

int32_t hs_linear(const hs_tensor* x, const hs_tensor* w, const hs_tensor* b, hs_tensor** out) {
  HS_GUARD("hs_linear", hs::Out(out, at::linear(hs::T(x), hs::T(w), OptT(b))));
}

int32_t hs_matmul(const hs_tensor* a, const hs_tensor* b, hs_tensor** out) {
  HS_GUARD("hs_matmul", hs::Out(out, at::matmul(hs::T(a), hs::T(b))));
}

int32_t hs_max_pool2d(const hs_tensor* x, const int64_t* kernel, const int64_t* stride,
                      const int64_t* padding, int32_t ceil_mode, hs_tensor** out) {
  HS_GUARD("hs_max_pool2d", {
    const int64_t dilation[2] = {1, 1};
    hs::Out(out, at::max_pool2d(hs::T(x), Pair(kernel, "kernel"), Pair(stride, "stride"),
                                Pair(padding, "padding"), at::IntArrayRef(dilation, 2),
                                ceil_mode != 0));
  });
}

int32_t hs_avg_pool2d(const hs_tensor* x, const int64_t* kernel, const int64_t* stride,
                      const int64_t* padding, int32_t ceil_mode, int32_t count_include_pad,
                      hs_tensor** out) {
  HS_GUARD("hs_avg_pool2d", {
    hs::Out(out, at::avg_pool2d(hs::T(x), Pair(kernel, "kernel"), Pair(stride, "stride"),
                                Pair(padding, "padding"), ceil_mode != 0,
                                count_include_pad != 0, /*divisor_override=*/{}));
  });
}

int32_t hs_adaptive_avg_pool2d(const hs_tensor* x, int64_t out_h, int64_t out_w, hs_tensor** out) {
  HS_GUARD("hs_adaptive_avg_pool2d", {
    const int64_t size[2] = {out_h, out_w};
    hs::Out(out, at::adaptive_avg_pool2d(hs::T(x), at::IntArrayRef(size, 2)));
  });
}

int32_t hs_dropout(const hs_tensor* x, double p, int32_t train, hs_tensor** out) {
  HS_GUARD("hs_dropout", {
    // Checked here so that every backend and libtorch version reports it the same way.
    if (!(p >= 0.0 && p <= 1.0))
      throw std::invalid_argument("dropout probability must be in [0, 1], got " + std::to_string(p));
    hs::Out(out, at::dropout(hs::T(x), p, train != 0));
  });
}

int32_t hs_relu_(hs_tensor* x) {
  HS_GUARD("hs_relu_", at::relu_(hs::M(x)));
}

int32_t hs_elu(const hs_tensor* x, double alpha, double scale, double input_scale, hs_tensor** out) {
  HS_GUARD("hs_elu", hs::Out(out, at::elu(hs::T(x), alpha, scale, input_scale)));
}

int32_t hs_softplus(const hs_tensor* x, double beta, double threshold, hs_tensor** out) {
  HS_GUARD("hs_softplus", hs::Out(out, at::softplus(hs::T(x), beta, threshold)));
}

int32_t hs_softmax(const hs_tensor* x, int64_t dim, hs_tensor** out) {
  HS_GUARD("hs_softmax", hs::Out(out, at::softmax(hs::T(x), dim)));
}

int32_t hs_log_softmax(const hs_tensor* x, int64_t dim, hs_tensor** out) {
  HS_GUARD("hs_log_softmax", hs::Out(out, at::log_softmax(hs::T(x), dim)));
}

int32_t hs_cross_entropy(const hs_tensor* logits, const hs_tensor* target, const hs_tensor* weight,
                         int32_t reduction, int64_t ignore_index, double label_smoothing,
                         hs_tensor** out) {
  HS_GUARD("hs_cross_entropy", {
    hs::Out(out, at::cross_entropy_loss(hs::T(logits), hs::T(target), OptT(weight),
                                        Reduction(reduction), ignore_index, label_smoothing));
  });
}

int32_t hs_nll_loss(const hs_tensor* logp, const hs_tensor* target, const hs_tensor* weight,
                    int32_t reduction, int64_t ignore_index, hs_tensor** out) {
  HS_GUARD("hs_nll_loss", {
    hs::Out(out, at::nll_loss(hs::T(logp), hs::T(target), OptT(weight), Reduction(reduction),
                              ignore_index));
  });
}

int32_t hs_mse_loss(const hs_tensor* a, const hs_tensor* b, int32_t reduction, hs_tensor** out) {
  HS_GUARD("hs_mse_loss", hs::Out(out, at::mse_loss(hs::T(a), hs::T(b), Reduction(reduction))));
}

}  // extern "C"
