"""Run modes shared by the step peers (binding_step.py, densenet_step.py).

After the warm-up, a peer either serves (the C# harness, bench/HyperSwarm.Bench/InterleavedPeer.cs,
alternates short rounds with it so machine-speed drift hits both sides alike: each 'run N' line
on stdin times N steps) or measures on its own and prints one JSON line."""
import json
import statistics
import sys
import time

import torch


def add_arguments(ap):
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--serve", action="store_true", help="answer 'run N' lines on stdin, one JSON line each")


def run(step, batch, args, **extra):
    for _ in range(args.warmup):
        step()
    sync()
    if args.serve:
        serve(step, batch)
        return
    rates = [timed(step, batch, args.steps) for _ in range(args.reps)]
    print(json.dumps({"images_per_s": statistics.median(rates), "max_images_per_s": max(rates),
                      "threads": torch.get_num_threads(), "torch": torch.__version__, **extra}))


def serve(step, batch):
    print(json.dumps({"ready": True, "threads": torch.get_num_threads(), "torch": torch.__version__}), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] != "run":
            break
        print(json.dumps({"images_per_s": timed(step, batch, int(words[1]))}), flush=True)


def timed(step, batch, n):
    sync()
    t0 = time.perf_counter()
    for _ in range(n):
        step()
    sync()  # GPU kernels run asynchronously: the time ends when the last one has
    return n * batch / (time.perf_counter() - t0)


def sync():
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        torch.cuda.synchronize()
