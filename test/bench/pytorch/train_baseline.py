"""Training-throughput baseline for `npm run bench:train`: MICRA-Net (same architecture as
micranet_baseline.py) trained with Adam + BCE-with-logits on random crops, in PyTorch on the
CPU with N threads. Prints JSON: crops/s per (size, batch)."""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from micranet_baseline import MicraNet  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--configs", default="256x4,512x2", help="SIZExBATCH,...")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    out = {"torch": torch.__version__, "threads": a.threads, "runs": []}
    for cfg in a.configs.split(","):
        size, batch = (int(v) for v in cfg.split("x"))
        net = MicraNet(1, 1)
        net.train()
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        x = torch.rand(batch, 1, size, size)
        y = (torch.rand(batch, 1) > 0.5).float()
        times = []
        for i in range(a.steps + 1):
            t0 = time.perf_counter()
            opt.zero_grad()
            loss = loss_fn(net(x), y)
            loss.backward()
            opt.step()
            if i > 0:  # the first step warms up allocators
                times.append(time.perf_counter() - t0)
        times.sort()
        med = times[len(times) // 2]
        out["runs"].append({"size": size, "batch": batch, "step_s": med, "crops_per_s": batch / med})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
