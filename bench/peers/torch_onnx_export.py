#!/usr/bin/python3
"""Peer of `hyperswarm bench compress`: the same dense model, exported by PyTorch.

Two ways to get the model, both written with torch.onnx.export (Debian's python3-torch, opset
13, constant folding on, dynamic batch); the harness checks the logits match ours:

- `--module WEIGHTS.json` (DenseNet-BC): the network as one would write it in PyTorch
  (`DenseNetBC` below: Fixup biases and scales as adds and multiplies, MPELU by its formula),
  loaded with the trained tensors that bench/HyperSwarm.Bench/Compression/DenseNetPeerWeights.cs
  writes (hyper layers already folded at the final hyperparameters, which favours this side).
  This compares exporters on the same model.
- otherwise (replay): IN.onnx's own layer sequence (Conv, Gemm, Relu, BatchNormalization, Max, Min, Exp, Add,
  Concat, pools, Flatten) rebuilt op for op as eager PyTorch with the file's weights. Both files
  then hold the same graph and only the exporter differs; for the small CNN this is also how
  one would write it.

usage: torch_onnx_export.py IN.onnx OUT.onnx [--module WEIGHTS.json]
       -> prints one JSON line {"out", "bytes", "torch"}
"""
import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


class Replayed(torch.nn.Module):
    """The file's graph as eager PyTorch ops, its initializers as buffers."""

    def __init__(self, graph):
        super().__init__()
        self.nodes = list(graph.node)
        self.input = graph.input[0].name
        self.output = graph.output[0].name
        self.names = {}
        for i, init in enumerate(graph.initializer):
            key = f"w{i}"
            self.register_buffer(key, torch.from_numpy(numpy_helper.to_array(init).copy()))
            self.names[init.name] = key

    def value(self, env, name):
        return getattr(self, self.names[name]) if name in self.names else env[name]

    def forward(self, images):
        env = {self.input: images}
        for node in self.nodes:
            x = [self.value(env, i) for i in node.input]
            a = attrs(node)
            op = node.op_type
            if op == "Conv":
                p = a.get("pads", [0, 0, 0, 0])
                y = F.conv2d(x[0], x[1], x[2] if len(x) > 2 else None, stride=a.get("strides", [1, 1]), padding=(p[0], p[1]))
            elif op == "Gemm":
                y = F.linear(x[0], x[1], x[2])                      # transB = 1 in every file we write
            elif op == "Relu":
                y = torch.relu(x[0])
            elif op in ("Add", "Sub", "Mul", "Min", "Max"):
                y = {"Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Min": torch.minimum, "Max": torch.maximum}[op](x[0], x[1])
            elif op == "BatchNormalization":
                y = F.batch_norm(x[0], x[3], x[4], x[1], x[2], False, 0.0, a.get("epsilon", 1e-5))
            elif op == "Exp":
                y = torch.exp(x[0])
            elif op == "Concat":
                y = torch.cat(x, dim=a["axis"])
            elif op == "MaxPool":
                y = F.max_pool2d(x[0], a["kernel_shape"], a["strides"])
            elif op == "AveragePool":
                y = F.avg_pool2d(x[0], a["kernel_shape"], a["strides"])
            elif op == "GlobalAveragePool":
                y = x[0].mean(dim=(2, 3), keepdim=True)
            elif op == "Flatten":
                y = torch.flatten(x[0], a.get("axis", 1))
            elif op == "Identity":
                y = x[0]
            else:
                raise SystemExit(f"op {op} is not one hyperswarm's float export writes")
            env[node.output[0]] = y
        return env[self.output]


def mpelu(x, alpha, beta):
    """MPELU (ALGORITHMS 3.1) by its formula: relu(y) + alpha * (exp(beta * min(y, 0)) - 1)."""
    shape = [1, -1] + [1] * (x.dim() - 2)
    a, b = alpha.view(shape), beta.view(shape)
    return torch.relu(x) + a * (torch.exp(torch.clamp_max(x, 0.0) * b) - 1)


class DenseNetBC(torch.nn.Module):
    """DenseNet-BC with MPELU and Fixup (norm none), as src/GpuActors/Models/DenseNetBC.cs computes it in evaluation."""

    def __init__(self, card, data):
        super().__init__()
        self.layers = card["layers_per_block"]
        self.npp = card["norm_preserving_pools"]
        self.keys = {}
        for i, (name, t) in enumerate(card["tensors"].items()):
            n = int(np.prod(t["shape"]))
            value = torch.from_numpy(data[t["offset"]:t["offset"] + n].copy()).view(t["shape"])
            self.register_buffer(f"t{i}", value)
            self.keys[name] = f"t{i}"

    def t(self, name):
        return getattr(self, self.keys[name]) if name in self.keys else None

    def forward(self, x):
        t = self.t
        x = F.conv2d(x, t("stem.weight"), None, 1, 1)                       # (B, 2k, H, W)
        for b in range(3):
            for l in range(self.layers[b]):
                n = f"block{b + 1}.layer{l + 1}"
                h = mpelu(x + t(f"{n}.bias1a"), t(f"{n}.act1.alpha"), t(f"{n}.act1.beta"))
                h = F.conv2d(h + t(f"{n}.bias1b"), t(f"{n}.conv1.weight"))  # (B, 4k, H, W)
                h = mpelu(h + t(f"{n}.bias2a"), t(f"{n}.act2.alpha"), t(f"{n}.act2.beta"))
                h = F.conv2d(h + t(f"{n}.bias2b"), t(f"{n}.conv2.weight"), None, 1, 1) * t(f"{n}.scale")
                x = torch.cat([x, h], 1)                                      # (B, C + k, H, W)
            if b < 2:
                n = f"trans{b + 1}"
                h = mpelu(x + t(f"{n}.bias1a"), t(f"{n}.act.alpha"), t(f"{n}.act.beta"))
                x = F.avg_pool2d(F.conv2d(h + t(f"{n}.bias1b"), t(f"{n}.conv.weight")), 2)
                if self.npp:
                    x = x * 2.0
        x = mpelu(x + t("final.bias_act"), t("final.act.alpha"), t("final.act.beta"))
        area = x.shape[2] * x.shape[3]
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)                            # (B, C)
        if self.npp:
            x = x * float(area) ** 0.5
        return F.linear(x + t("final.bias_fc"), t("fc.weight"), t("fc.bias"))  # (B, classes)


def main():
    source, target = sys.argv[1], sys.argv[2]
    model = onnx.load(source)
    dims = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim[1:]]
    if len(sys.argv) > 4 and sys.argv[3] == "--module":
        with open(sys.argv[4]) as f:
            card = json.load(f)
        data = np.fromfile(os.path.join(os.path.dirname(sys.argv[4]), card["bin"]), dtype="<f4")
        module = DenseNetBC(card, data).eval()
    else:
        module = Replayed(model.graph).eval()
    example = torch.zeros([1] + dims)
    torch.onnx.export(module, (example,), target, input_names=["images"], output_names=["logits"],
                      dynamic_axes={"images": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=13, do_constant_folding=True)
    # The same metadata (model card, preprocessing) as the input, so the harness loads both files
    # the same way; it does not touch the graph ONNX Runtime runs.
    exported = onnx.load(target)
    exported.metadata_props.extend(model.metadata_props)
    onnx.save(exported, target)
    print(json.dumps({"out": target, "bytes": os.path.getsize(target), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
