#!/usr/bin/python3
"""Peer of `hyperswarm bench compress`: the same dense model, exported by PyTorch.

Reads a float .onnx file written by `hyperswarm export` only to get the model: its weights
(initializers) and its plain layer sequence (Conv, Gemm, Relu, MPELU as Min/Exp/Mul/Sub/Add,
Concat, pools, Flatten). It rebuilds that network as a torch.nn.Module with the same weights,
checks it gives the file's logits under ONNX Runtime's numbers (the harness compares), and
writes it again with torch.onnx.export (Debian's python3-torch, opset 13, constant folding on,
dynamic batch), so both files hold the same function and only the exporter differs.

usage: torch_onnx_export.py IN.onnx OUT.onnx  -> prints one JSON line {"out", "bytes", "torch"}
"""
import json
import os
import sys

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
            elif op in ("Add", "Sub", "Mul", "Min"):
                y = {"Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Min": torch.minimum}[op](x[0], x[1])
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


def main():
    source, target = sys.argv[1], sys.argv[2]
    model = onnx.load(source)
    dims = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim[1:]]
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
