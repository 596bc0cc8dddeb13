"""Serve mode shared by the step peers: the C# harness (bench/HyperSwarm.Bench/InterleavedPeer.cs)
alternates short rounds with a peer process, so that machine-speed drift hits both sides alike."""
import json
import sys
import time

import torch


def serve(step, batch):
    """Interleaved mode: the C# harness alternates short rounds with this process, so that
    machine-speed drift hits both sides alike. Each 'run N' line times N steps."""
    print(json.dumps({"ready": True, "threads": torch.get_num_threads(), "torch": torch.__version__}), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] != "run":
            break
        n = int(words[1])
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        print(json.dumps({"images_per_s": n * batch / (time.perf_counter() - t0)}), flush=True)
