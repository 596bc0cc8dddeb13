#!/usr/bin/python3
"""Produces ops.json: inputs and PyTorch's outputs for the binding's value tests.

Run once with Debian's PyTorch (the same libtorch 1.13 as the shim) and commit the result:
    /usr/bin/python3 tests/Torch.Tests/Fixtures/make_fixtures.py
Every case name here has a twin in ValueTests.cs (the test checks both directions).
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def wavy(seed, *shape):
    n = math.prod(shape)
    vals = [1.5 * math.sin(0.7 * i + 1.3 * seed + 0.1) + 0.01 * (i % 7) + 0.003 for i in range(n)]
    return torch.tensor(vals, dtype=torch.float64).reshape(shape)


def pos(seed, *shape):
    return wavy(seed, *shape).abs() + 0.5


def enc(t):
    t = t.detach().contiguous()
    dt = {torch.float64: "float64", torch.float32: "float32", torch.int64: "int64",
          torch.bool: "bool", torch.uint8: "uint8"}[t.dtype]
    data = t.flatten().tolist()
    if t.dtype == torch.bool:
        data = [1 if v else 0 for v in data]
    return {"dtype": dt, "shape": list(t.shape), "data": data}


cases = []


def case(name, inputs, fn):
    out = fn(*[i.clone() for i in inputs])
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    cases.append({"name": name, "inputs": [enc(i) for i in inputs], "outputs": [enc(o) for o in outs]})


x23 = wavy(1, 2, 3)
for op in ["neg", "exp", "abs", "sigmoid", "tanh", "relu", "sign", "floor", "square", "expm1"]:
    case(op, [x23], getattr(torch, op))
case("gelu", [x23], F.gelu)
for op in ["sqrt", "rsqrt", "log", "reciprocal", "log1p"]:
    case(op, [pos(2, 2, 3)], getattr(torch, op))
case("logical_not", [x23 > 0], torch.logical_not)
case("isfinite", [torch.tensor([1.0, float("inf"), float("nan"), -2.0])], torch.isfinite)

a, b = wavy(3, 2, 3), wavy(4, 3)
case("add_alpha", [a, b], lambda a, b: torch.add(a, b, alpha=2.5))
case("sub", [a, b], torch.sub)
case("mul", [a, b], torch.mul)
case("div", [a, pos(5, 3)], torch.div)
case("maximum", [a, wavy(6, 2, 3)], torch.maximum)
case("minimum", [a, wavy(6, 2, 3)], torch.minimum)
case("pow_tensor", [pos(7, 2, 3), wavy(8, 2, 3)], torch.pow)
case("pow_scalar", [pos(7, 2, 3)], lambda x: torch.pow(x, 1.7))
for op in ["eq", "ne", "gt", "lt", "ge", "le"]:
    case(op, [torch.tensor([1.0, 2.0, 3.0]), torch.tensor([3.0, 2.0, 1.0])], getattr(torch, op))
case("scalar_arith", [a], lambda x: ((x + 2) * 3 - 1) / 4)
case("rsub_scalar", [a], lambda x: 5 - x)
case("scalar_compare", [a], lambda x: x.gt(0.25))
case("clamp", [wavy(9, 3, 4)], lambda x: x.clamp(-0.5, 0.75))
case("clamp_min", [wavy(9, 3, 4)], lambda x: x.clamp(min=0.1))
case("where", [a > 0, a, wavy(10, 2, 3)], torch.where)
case("addcmul_", [a, wavy(11, 2, 3), wavy(12, 2, 3)], lambda t, x, y: t.addcmul_(x, y, value=0.5))
case("addcdiv_", [a, wavy(11, 2, 3), pos(12, 2, 3)], lambda t, x, y: t.addcdiv_(x, y, value=-2.0))
case("lerp_", [a, wavy(13, 2, 3)], lambda t, e: t.lerp_(e, 0.3))

r = wavy(14, 2, 3, 4)
case("sum_all", [r], torch.sum)
case("sum_dims_keepdim", [r], lambda x: x.sum(dim=[0, 2], keepdim=True))
case("mean_dim", [r], lambda x: x.mean(dim=[1]))
case("var_unbiased", [r], lambda x: x.var(dim=[2]))
case("var_biased", [r], lambda x: x.var(dim=[2], unbiased=False))
case("norm_2", [r], lambda x: torch.norm(x, 2, dim=[1]))
case("norm_1_all", [r], lambda x: torch.norm(x, 1))
case("logsumexp", [r], lambda x: torch.logsumexp(x, dim=[2]))
case("max_all", [r], torch.max)
case("min_all", [r], torch.min)
case("max_dim", [r], lambda x: tuple(torch.max(x, 1)))
case("argmax_dim", [r], lambda x: torch.argmax(x, 2))
case("argmax_all", [r], torch.argmax)

case("permute", [r], lambda x: x.permute(2, 0, 1))
case("transpose", [r], lambda x: x.transpose(0, 2))
case("flip", [r], lambda x: x.flip([1, 2]))
case("narrow", [r], lambda x: x.narrow(2, 1, 2))
case("cat", [a, wavy(15, 2, 3)], lambda x, y: torch.cat([x, y], 1))
case("stack", [a, wavy(15, 2, 3)], lambda x, y: torch.stack([x, y], 0))
case("split", [wavy(16, 5, 2)], lambda x: tuple(torch.split(x, 2)))
case("split_sizes", [wavy(16, 5, 2)], lambda x: tuple(torch.split(x, [1, 4])))
case("index_select", [wavy(17, 4, 3), torch.tensor([2, 0, 2])], lambda x, i: x.index_select(0, i))
case("gather", [wavy(18, 3, 4), torch.tensor([[0, 3], [1, 1], [2, 0]])], lambda x, i: x.gather(1, i))
case("one_hot", [torch.tensor([0, 3, 1])], lambda y: F.one_hot(y, 5))

img = wavy(19, 2, 3, 7, 6)
case("conv2d", [img, wavy(20, 4, 3, 3, 3), wavy(21, 4)], lambda x, w, b: F.conv2d(x, w, b, 1, 1))
case("conv2d_stride_pad_dilation", [img, wavy(22, 5, 3, 3, 2)], lambda x, w: F.conv2d(x, w, None, (2, 1), (1, 2), (2, 1)))
case("conv2d_groups", [wavy(23, 1, 4, 5, 5), wavy(24, 6, 2, 3, 3), wavy(25, 6)], lambda x, w, b: F.conv2d(x, w, b, groups=2))
case("batch_norm_train", [img, wavy(26, 3) * 0.1, pos(27, 3), pos(28, 3), wavy(29, 3)],
     lambda x, rm, rv, w, b: (F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.2, eps=1e-5), rm, rv))
case("batch_norm_eval", [img, wavy(26, 3) * 0.1, pos(27, 3)], lambda x, rm, rv: F.batch_norm(x, rm, rv, training=False))
case("linear", [wavy(30, 4, 5), wavy(31, 3, 5), wavy(32, 3)], F.linear)
case("matmul", [wavy(33, 2, 3, 4), wavy(34, 4, 2)], torch.matmul)
case("max_pool2d", [img], lambda x: F.max_pool2d(x, 3, 2, 1))
case("max_pool2d_ceil", [img], lambda x: F.max_pool2d(x, 2, 2, 0, ceil_mode=True))
case("avg_pool2d", [img], lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False))
case("adaptive_avg_pool2d", [img], lambda x: F.adaptive_avg_pool2d(x, (3, 2)))
case("elu", [wavy(35, 3, 4)], lambda x: torch.ops.aten.elu(x, 0.7, 1.2, 0.9))
case("softplus", [wavy(36, 3, 4) * 10], lambda x: F.softplus(x, 2, 5))
case("softmax", [wavy(37, 3, 4)], lambda x: F.softmax(x, 1))
case("log_softmax", [wavy(38, 3, 4)], lambda x: F.log_softmax(x, 0))
labels = torch.tensor([1, 0, 4, 2])
case("cross_entropy", [wavy(39, 4, 5), labels], F.cross_entropy)
case("cross_entropy_smoothing", [wavy(39, 4, 5), labels], lambda x, y: F.cross_entropy(x, y, label_smoothing=0.1))
case("cross_entropy_weight_none", [wavy(39, 4, 5), labels, pos(40, 5)], lambda x, y, w: F.cross_entropy(x, y, w, reduction="none"))
case("cross_entropy_ignore", [wavy(39, 4, 5), labels], lambda x, y: F.cross_entropy(x, y, ignore_index=4, reduction="sum"))
case("nll_loss", [F.log_softmax(wavy(41, 4, 5), 1), labels], F.nll_loss)
case("mse_loss_sum", [wavy(42, 3, 4), wavy(43, 3, 4)], lambda x, y: F.mse_loss(x, y, reduction="sum"))

# Factories: values must equal PyTorch's for the same seed (same generator, same kernels).
def seeded(fn):
    def run():
        torch.manual_seed(1234)
        return fn()
    return run


case("arange", [], lambda: torch.arange(2.0, 9.0, 1.5))
case("full", [], lambda: torch.full((2, 3), 0.25))
case("rand_seeded", [], seeded(lambda: torch.rand(2, 5)))
case("randn_seeded", [], seeded(lambda: torch.randn(3, 4)))
case("randint_seeded", [], seeded(lambda: torch.randint(0, 10, (6,))))
case("randperm_seeded", [], seeded(lambda: torch.randperm(12)))
case("rand_float32_seeded", [], seeded(lambda: torch.rand(4, dtype=torch.float32)))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ops.json")
with open(path, "w") as f:
    json.dump({"generator": "make_fixtures.py", "torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {path}")
