// hs_autograd.cpp: backward, .grad access, grad mode, functional gradients.
#include <sstream>

#include "hs_guard.h"

extern "C" {

int32_t hs_backward(const hs_tensor* t, const hs_tensor* grad, int32_t retain_graph,
                    int32_t create_graph) {
  // retain_graph is passed as given (not defaulted to create_graph as in Python): the C#
  // caller always states it.
  HS_GUARD("hs_backward", hs::T(t).backward(hs::Opt(grad), c10::optional<bool>(retain_graph != 0),
                                            create_graph != 0));
}

int32_t hs_grad(const hs_tensor* t, hs_tensor** out) {
  // Out turns an undefined gradient into NULL.
  HS_GUARD("hs_grad", hs::Out(out, hs::T(t).grad()));
}

int32_t hs_set_grad(hs_tensor* t, const hs_tensor* grad) {
  HS_GUARD("hs_set_grad", {
    at::Tensor& x = hs::M(t);
    if (grad == nullptr) {
      x.mutable_grad() = at::Tensor();
      return HS_OK;
    }
    const at::Tensor& g = hs::T(grad);
    // libtorch does not check an assigned .grad; a mismatch would only surface later,
    // inside an optimizer step or the next backward accumulation.
    if (!g.sizes().equals(x.sizes()) || g.scalar_type() != x.scalar_type() || g.device() != x.device()) {
      std::ostringstream os;
      os << "gradient must match the tensor: tensor " << x.sizes() << " " << x.scalar_type() << " "
         << x.device() << ", gradient " << g.sizes() << " " << g.scalar_type() << " " << g.device();
      throw std::invalid_argument(os.str());
    }
    x.mutable_grad() = g;
  });
}

int32_t hs_retain_grad(hs_tensor* t) {
  HS_GUARD("hs_retain_grad", hs::M(t).retain_grad());
}

int32_t hs_grad_mode_get(int32_t* out) {
  HS_GUARD("hs_grad_mode_get", *out = at::GradMode::is_enabled() ? 1 : 0);
}

int32_t hs_grad_mode_set(int32_t enabled) {
  HS_GUARD("hs_grad_mode_set", at::GradMode::set_enabled(enabled != 0));
}

int32_t hs_autograd_grad(const hs_tensor* const* outputs, int64_t n_out,
                         const hs_tensor* const* grad_outputs, const hs_tensor* const* inputs,
                         int64_t n_in, int32_t retain_graph, int32_t create_graph,
                         int32_t allow_unused, hs_tensor** outs) {
  HS_GUARD("hs_autograd_grad", {
    std::vector<at::Tensor> outv = hs::Handles(outputs, n_out, "outputs");
    std::vector<at::Tensor> inv = hs::Handles(inputs, n_in, "inputs");
    if (outs == nullptr) throw std::invalid_argument("output array is null");
    // An undefined grad_output is what autograd expects for a scalar output.
    std::vector<at::Tensor> gov;
    if (grad_outputs != nullptr) {
      gov.reserve(outv.size());
      for (int64_t i = 0; i < n_out; ++i) gov.push_back(hs::Opt(grad_outputs[i]));
    }
    hs::OutMany(outs, torch::autograd::grad(outv, inv, gov, c10::optional<bool>(retain_graph != 0),
                                            create_graph != 0, allow_unused != 0));
  });
}

}  // extern "C"
