#!/usr/bin/python3
"""Peer for `hyperswarm bench trainer`: DenseNet-BC with MPELU and the Fixup-Dense layout,
in PyTorch eager mode on Debian's torch (the same libtorch as our shim).

Must stay op-for-op identical to src/GpuActors/Models/DenseNetBC.cs (norm none), as used by
bench/HyperSwarm.Bench/BenchPeers.cs ("trainer-step"):
stem conv3x3(2k) -> 3 blocks of (depth-4)/6 layers [x+b, mpelu, +b, conv1x1(4k), +b, mpelu,
+b, conv3x3(k), *s] concatenated -> transitions [x+b, mpelu, +b, conv1x1(theta C), avgpool2]
-> x+b, mpelu, global avgpool, +b, linear. One step = forward, cross-entropy, backward, and
an in-place SGD update (the optimizer is not what this benchmark compares).
Run modes (serve, or measure and print one JSON line): step_peer.py.
"""
import argparse

import torch
import torch.nn.functional as F

import step_peer


def mpelu(x, alpha, beta):
    shape = [1, -1] + [1] * (x.dim() - 2)
    a, b = alpha.view(shape), beta.view(shape)
    return torch.relu(x) + torch.expm1(torch.clamp_max(x, 0.0) * b) * a


class Net:
    def __init__(self, depth, k, in_ch, classes):
        self.params = []
        n = (depth - 4) // 6

        def p(t):
            t.requires_grad_()
            self.params.append(t)
            return t

        def scalar(v=0.0):
            return p(torch.full((1,), v))

        def act(c):
            return (p(torch.full((c,), 0.25)), p(torch.ones(c)))

        self.stem = p(torch.randn(2 * k, in_ch, 3, 3) * 0.1)
        self.blocks, self.trans = [], []
        c = 2 * k
        for b in range(3):
            layers = []
            for l in range(n):
                cin = c + l * k
                layers.append(dict(b1a=scalar(), a1=act(cin), b1b=scalar(),
                                   w1=p(torch.randn(4 * k, cin, 1, 1) * 0.1),
                                   b2a=scalar(), a2=act(4 * k), b2b=scalar(),
                                   w2=p(torch.randn(k, 4 * k, 3, 3) * 0.01), s=scalar(1.0)))
            self.blocks.append(layers)
            c = c + n * k
            if b < 2:
                out = int(0.5 * c)
                self.trans.append(dict(b1a=scalar(), a=act(c), b1b=scalar(),
                                       w=p(torch.randn(out, c, 1, 1) * 0.1)))
                c = out
        self.fin = dict(ba=scalar(), a=act(c), bf=scalar(),
                        w=p(torch.zeros(classes, c)), b=p(torch.zeros(classes)))

    def forward(self, x):
        x = F.conv2d(x, self.stem, None, 1, 1)
        for b in range(3):
            for L in self.blocks[b]:
                h = mpelu(x + L["b1a"], *L["a1"])
                h = F.conv2d(h + L["b1b"], L["w1"])
                h = mpelu(h + L["b2a"], *L["a2"])
                h = F.conv2d(h + L["b2b"], L["w2"], None, 1, 1)
                h = h * L["s"]
                x = torch.cat([x, h], 1)
            if b < 2:
                T = self.trans[b]
                h = mpelu(x + T["b1a"], *T["a"])
                h = F.conv2d(h + T["b1b"], T["w"])
                x = F.avg_pool2d(h, 2)
        f = self.fin
        x = mpelu(x + f["ba"], *f["a"])
        x = F.adaptive_avg_pool2d(x, (1, 1)).flatten(1)
        return F.linear(x + f["bf"], f["w"], f["b"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--depth", type=int, default=40)
    ap.add_argument("--growth", type=int, default=12)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--size", type=int, default=28)
    ap.add_argument("--channels", type=int, default=1)
    ap.add_argument("--device", default="cpu", help="cpu or cuda:N (needs torch >= 2.0 for cuda)")
    step_peer.add_arguments(ap)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.device != "cpu":
        torch.set_default_device(a.device)  # parameters and the batch are made on the GPU
    net = Net(a.depth, a.growth, a.channels, 10)
    x = torch.randn(a.batch, a.channels, a.size, a.size)   # (B, C, H, W)
    y = torch.randint(0, 10, (a.batch,))                   # (B,)

    def step():
        loss = F.cross_entropy(net.forward(x), y)
        loss.backward()
        with torch.no_grad():
            for p in net.params:
                p.add_(p.grad, alpha=-0.01)
                p.grad = None

    step_peer.run(step, a.batch, a, params=sum(p.numel() for p in net.params))


if __name__ == "__main__":
    main()
