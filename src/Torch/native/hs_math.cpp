// hs_math.cpp: elementwise arithmetic, out of place and in place, clamp, where.
#include <cmath>

#include "hs_guard.h"

namespace {

[[noreturn]] void BadOp(const char* kind, int32_t op) {
  throw std::invalid_argument(std::string("unknown ") + kind + " op code " + std::to_string(op));
}

[[noreturn]] void NotInPlace(const char* kind, int32_t op) {
  throw std::invalid_argument(std::string(kind) + " op code " + std::to_string(op) +
                              " is not available in place");
}

// The ABI carries every scalar as a double, but libtorch promotes int_tensor + 1.0 to
// float while int_tensor + 1 stays integral. An integral tensor with a whole-number
// scalar therefore gets an int64 Scalar, which is what a C# caller writing `labels + 1`
// means.
at::Scalar S(const at::Tensor& t, double v) {
  if (c10::isIntegralType(t.scalar_type(), /*includeBool=*/true) && std::trunc(v) == v &&
      std::fabs(v) < 9.0e18)
    return at::Scalar(static_cast<int64_t>(v));
  return at::Scalar(v);
}

c10::optional<at::Scalar> Bound(const at::Tensor& t, int32_t has, double v) {
  c10::optional<at::Scalar> r;
  if (has != 0) r = S(t, v);
  return r;
}

}  // namespace

extern "C" {

int32_t hs_unary(int32_t op, const hs_tensor* a, hs_tensor** out) {
  HS_GUARD("hs_unary", {
    const at::Tensor& x = hs::T(a);
    at::Tensor r;
    switch (op) {
      case HS_NEG: r = at::neg(x); break;
      case HS_SQRT: r = at::sqrt(x); break;
      case HS_RSQRT: r = at::rsqrt(x); break;
      case HS_EXP: r = at::exp(x); break;
      case HS_LOG: r = at::log(x); break;
      case HS_ABS: r = at::abs(x); break;
      case HS_SIGMOID: r = at::sigmoid(x); break;
      case HS_TANH: r = at::tanh(x); break;
      case HS_RELU: r = at::relu(x); break;
      case HS_GELU: r = at::gelu(x); break;
      case HS_SIGN: r = at::sign(x); break;
      case HS_FLOOR: r = at::floor(x); break;
      case HS_SQUARE: r = at::square(x); break;
      case HS_RECIPROCAL: r = at::reciprocal(x); break;
      case HS_LOG1P: r = at::log1p(x); break;
      case HS_EXPM1: r = at::expm1(x); break;
      case HS_LOGICAL_NOT: r = at::logical_not(x); break;
      case HS_ISFINITE: r = at::isfinite(x); break;
      default: BadOp("unary", op);
    }
    hs::Out(out, std::move(r));
  });
}

int32_t hs_binary(int32_t op, const hs_tensor* a, const hs_tensor* b, hs_tensor** out) {
  HS_GUARD("hs_binary", {
    const at::Tensor& x = hs::T(a);
    const at::Tensor& y = hs::T(b);
    at::Tensor r;
    switch (op) {
      case HS_ADD: r = at::add(x, y); break;
      case HS_SUB: r = at::sub(x, y); break;
      case HS_MUL: r = at::mul(x, y); break;
      case HS_DIV: r = at::div(x, y); break;
      case HS_MAXIMUM: r = at::maximum(x, y); break;
      case HS_MINIMUM: r = at::minimum(x, y); break;
      case HS_POW: r = at::pow(x, y); break;
      case HS_EQ: r = at::eq(x, y); break;
      case HS_NE: r = at::ne(x, y); break;
      case HS_GT: r = at::gt(x, y); break;
      case HS_LT: r = at::lt(x, y); break;
      case HS_GE: r = at::ge(x, y); break;
      case HS_LE: r = at::le(x, y); break;
      case HS_RSUB: r = at::rsub(x, y); break;
      default: BadOp("binary", op);
    }
    hs::Out(out, std::move(r));
  });
}

int32_t hs_binary_scalar(int32_t op, const hs_tensor* a, double b, hs_tensor** out) {
  HS_GUARD("hs_binary_scalar", {
    const at::Tensor& x = hs::T(a);
    at::Scalar s = S(x, b);
    at::Tensor r;
    switch (op) {
      case HS_ADD: r = at::add(x, s); break;
      case HS_SUB: r = at::sub(x, s); break;
      case HS_MUL: r = at::mul(x, s); break;
      case HS_DIV: r = at::div(x, s); break;
      case HS_MAXIMUM: r = at::clamp_min(x, s); break;
      case HS_MINIMUM: r = at::clamp_max(x, s); break;
      case HS_POW: r = at::pow(x, s); break;
      case HS_EQ: r = at::eq(x, s); break;
      case HS_NE: r = at::ne(x, s); break;
      case HS_GT: r = at::gt(x, s); break;
      case HS_LT: r = at::lt(x, s); break;
      case HS_GE: r = at::ge(x, s); break;
      case HS_LE: r = at::le(x, s); break;
      case HS_RSUB: r = at::rsub(x, s); break;
      default: BadOp("binary", op);
    }
    hs::Out(out, std::move(r));
  });
}

int32_t hs_add_alpha(const hs_tensor* a, const hs_tensor* b, double alpha, hs_tensor** out) {
  HS_GUARD("hs_add_alpha", {
    const at::Tensor& x = hs::T(a);
    hs::Out(out, at::add(x, hs::T(b), S(x, alpha)));
  });
}

int32_t hs_pow_scalar(const hs_tensor* a, double exponent, hs_tensor** out) {
  HS_GUARD("hs_pow_scalar", {
    const at::Tensor& x = hs::T(a);
    hs::Out(out, at::pow(x, S(x, exponent)));
  });
}

int32_t hs_clamp(const hs_tensor* a, int32_t has_min, double min, int32_t has_max, double max,
                 hs_tensor** out) {
  HS_GUARD("hs_clamp", {
    const at::Tensor& x = hs::T(a);
    hs::Out(out, at::clamp(x, Bound(x, has_min, min), Bound(x, has_max, max)));
  });
}

int32_t hs_where(const hs_tensor* cond, const hs_tensor* a, const hs_tensor* b, hs_tensor** out) {
  HS_GUARD("hs_where", hs::Out(out, at::where(hs::T(cond), hs::T(a), hs::T(b))));
}

int32_t hs_unary_(int32_t op, hs_tensor* t) {
  HS_GUARD("hs_unary_", {
    at::Tensor& x = hs::M(t);
    switch (op) {
      case HS_NEG: x.neg_(); break;
      case HS_SQRT: x.sqrt_(); break;
      case HS_RSQRT: x.rsqrt_(); break;
      case HS_EXP: x.exp_(); break;
      case HS_LOG: x.log_(); break;
      case HS_ABS: x.abs_(); break;
      case HS_SIGMOID: x.sigmoid_(); break;
      case HS_TANH: x.tanh_(); break;
      case HS_RELU: x.relu_(); break;
      case HS_GELU: at::gelu_(x); break;
      case HS_SIGN: x.sign_(); break;
      case HS_FLOOR: x.floor_(); break;
      case HS_SQUARE: x.square_(); break;
      case HS_RECIPROCAL: x.reciprocal_(); break;
      case HS_LOG1P: x.log1p_(); break;
      case HS_EXPM1: x.expm1_(); break;
      // Their results are bool: writing them into a float tensor in place would
      // silently change meaning, so the out-of-place form is the only one.
      case HS_LOGICAL_NOT:
      case HS_ISFINITE: NotInPlace("unary", op);
      default: BadOp("unary", op);
    }
  });
}

int32_t hs_binary_(int32_t op, hs_tensor* t, const hs_tensor* other) {
  HS_GUARD("hs_binary_", {
    at::Tensor& x = hs::M(t);
    const at::Tensor& y = hs::T(other);
    switch (op) {
      case HS_ADD: x.add_(y); break;
      case HS_SUB: x.sub_(y); break;
      case HS_MUL: x.mul_(y); break;
      case HS_DIV: x.div_(y); break;
      // clamp_min_/clamp_max_ with a tensor bound are maximum/minimum in place, and
      // unlike maximum_out they are differentiable.
      case HS_MAXIMUM: x.clamp_min_(y); break;
      case HS_MINIMUM: x.clamp_max_(y); break;
      case HS_POW: x.pow_(y); break;
      case HS_EQ: case HS_NE: case HS_GT: case HS_LT: case HS_GE: case HS_LE: case HS_RSUB:
        NotInPlace("binary", op);
      default: BadOp("binary", op);
    }
  });
}

int32_t hs_binary_scalar_(int32_t op, hs_tensor* t, double other) {
  HS_GUARD("hs_binary_scalar_", {
    at::Tensor& x = hs::M(t);
    at::Scalar s = S(x, other);
    switch (op) {
      case HS_ADD: x.add_(s); break;
      case HS_SUB: x.sub_(s); break;
      case HS_MUL: x.mul_(s); break;
      case HS_DIV: x.div_(s); break;
      case HS_MAXIMUM: x.clamp_min_(s); break;
      case HS_MINIMUM: x.clamp_max_(s); break;
      case HS_POW: x.pow_(s); break;
      case HS_EQ: case HS_NE: case HS_GT: case HS_LT: case HS_GE: case HS_LE: case HS_RSUB:
        NotInPlace("binary", op);
      default: BadOp("binary", op);
    }
  });
}

int32_t hs_add_alpha_(hs_tensor* t, const hs_tensor* other, double alpha) {
  HS_GUARD("hs_add_alpha_", {
    at::Tensor& x = hs::M(t);
    x.add_(hs::T(other), S(x, alpha));
  });
}

int32_t hs_addcmul_(hs_tensor* t, const hs_tensor* a, const hs_tensor* b, double value) {
  HS_GUARD("hs_addcmul_", hs::M(t).addcmul_(hs::T(a), hs::T(b), value));
}

int32_t hs_addcdiv_(hs_tensor* t, const hs_tensor* a, const hs_tensor* b, double value) {
  HS_GUARD("hs_addcdiv_", hs::M(t).addcdiv_(hs::T(a), hs::T(b), value));
}

int32_t hs_lerp_(hs_tensor* t, const hs_tensor* end, double weight) {
  HS_GUARD("hs_lerp_", hs::M(t).lerp_(hs::T(end), weight));
}

int32_t hs_clamp_(hs_tensor* t, int32_t has_min, double min, int32_t has_max, double max) {
  HS_GUARD("hs_clamp_", {
    at::Tensor& x = hs::M(t);
    x.clamp_(Bound(x, has_min, min), Bound(x, has_max, max));
  });
}

int32_t hs_copy_(hs_tensor* t, const hs_tensor* src) {
  HS_GUARD("hs_copy_", hs::M(t).copy_(hs::T(src)));
}

}  // extern "C"
