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
    p.add_argument("--profile", default="", help="SIZExBATCH: per-op CPU times of one step")
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
    if a.profile:
        size, batch = (int(v) for v in a.profile.split("x"))
        out["profile"] = profile_step(size, batch)
    print(json.dumps(out))


def group_of(name):
    """The bench's kernel groups (test/bench/trainThroughput.ts) for an aten op."""
    n = name.lower()
    if "conv" in n and "backward" in n:
        return "conv_backward"  # input and weight gradients in one op
    if "conv" in n:
        return "conv_forward"
    if "max_pool" in n or "amax" in n:
        return "pooling"
    if "batch_norm" in n or n in ("aten::relu", "aten::threshold_backward", "aten::add_", "aten::mul", "aten::add"):
        return "batch_norm_and_elementwise"
    return "other"


def profile_step(size, batch):
    """Self CPU time per op group of one training step (after a warm-up step)."""
    net = MicraNet(1, 1)
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    x = torch.rand(batch, 1, size, size)
    y = (torch.rand(batch, 1) > 0.5).float()

    def step():
        opt.zero_grad()
        loss_fn(net(x), y).backward()
        opt.step()

    step()
    t0 = time.perf_counter()
    with torch.autograd.profiler.profile() as prof:
        step()
    wall = time.perf_counter() - t0
    groups = {}
    for ev in prof.key_averages():
        g = group_of(ev.key)
        groups[g] = groups.get(g, 0.0) + ev.self_cpu_time_total / 1000.0
    total = sum(groups.values())
    return {"size": size, "batch": batch, "step_s_profiled": wall, "groups_ms": groups, "total_self_ms": total}


if __name__ == "__main__":
    main()
