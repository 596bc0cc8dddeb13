#!/usr/bin/python3
"""Peer for `hyperswarm bench binding`: one training step of the small conv net in
PyTorch eager mode (Debian's python3-torch, the same libtorch 1.13 as our shim).

Must stay op-for-op identical to src/GpuActors/Models/SmallCnn.cs as used by
bench/HyperSwarm.Bench/BenchPeers.cs ("binding-step"):
conv(1->16, 5x5, pad 2) -> relu -> maxpool 2 -> conv(16->32, 5x5, pad 2) -> relu ->
maxpool 2 -> flatten -> linear(1568->10) -> cross-entropy -> backward -> SGD in place.
Run modes (serve, or measure and print one JSON line): step_peer.py.
"""
import argparse

import torch
import torch.nn.functional as F

import step_peer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--batch", type=int, default=128)
    step_peer.add_arguments(ap)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    params = [
        (torch.randn(16, 1, 5, 5) * 0.2).requires_grad_(),   # conv1 weight
        torch.zeros(16, requires_grad=True),                  # conv1 bias
        (torch.randn(32, 16, 5, 5) * 0.05).requires_grad_(),  # conv2 weight
        torch.zeros(32, requires_grad=True),                  # conv2 bias
        (torch.randn(10, 32 * 7 * 7) * 0.025).requires_grad_(),  # fc weight
        torch.zeros(10, requires_grad=True),                  # fc bias
    ]
    x = torch.randn(a.batch, 1, 28, 28)         # (B, 1, 28, 28)
    y = torch.randint(0, 10, (a.batch,))        # (B,)
    lr = 0.01

    def step():
        w1, b1, w2, b2, w3, b3 = params
        h = F.max_pool2d(F.relu(F.conv2d(x, w1, b1, 1, 2)), 2)   # (B, 16, 14, 14)
        h = F.max_pool2d(F.relu(F.conv2d(h, w2, b2, 1, 2)), 2)   # (B, 32, 7, 7)
        logits = F.linear(h.flatten(1), w3, b3)                  # (B, 10)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.add_(p.grad, alpha=-lr)
                p.grad = None
        return loss

    step_peer.run(step, a.batch, a)


if __name__ == "__main__":
    main()
