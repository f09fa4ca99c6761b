#!/usr/bin/python3
"""PyTorch yardstick for `npm run bench:engine`: the MICRA-Net architecture (as in the
published reference) timed on this machine's CPU. Run with Debian's python3 (torch 1.13).

Measures, with medians over repeats:
  - forward throughput on 512×512×1 crops, eval mode, batch 1 and batch 4 (crops/s);
  - forward + Grad-CAM of all 8 blocks for one class (one forward, one backward of the class
    logit w.r.t. the 8 block activations, then the 8 maps), batch 1 (crops/s);
  - one Adam training step, batch 8 at 256×256, BCE-with-logits (ms).
Prints one JSON object on stdout.
"""
import argparse
import json
import platform
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BLOCKS = ["1a", "1b", "2a", "2b", "3a", "3b", "4a", "4b"]
WIDTHS = [32, 32, 64, 64, 128, 128, 256, 256]
POOL_AFTER = {"1b", "2b", "3b"}


class MicraNet(nn.Module):
    """conv3×3 → BN → ReLU ×8, 2×2 max pool after 1b/2b/3b, global max pool, dropout, linear."""

    def __init__(self, in_channels=1, num_classes=1):
        super().__init__()
        c = in_channels
        for name, width in zip(BLOCKS, WIDTHS):
            setattr(self, f"conv{name}", nn.Conv2d(c, width, 3, padding=1))
            setattr(self, f"bnorm{name}", nn.BatchNorm2d(width))
            c = width
        self.dropout = nn.Dropout(0.5)
        self.linear1 = nn.Linear(256, num_classes)

    def forward(self, x, keep=None):
        for name in BLOCKS:
            x = F.relu(getattr(self, f"bnorm{name}")(getattr(self, f"conv{name}")(x)))
            if keep is not None:
                keep.append(x)
            if name in POOL_AFTER:
                x = F.max_pool2d(x, 2)
        x = torch.amax(x, dim=(2, 3))
        return self.linear1(self.dropout(x))


def median_seconds(fn, repeats, warmup=1):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def gradcam_all_blocks(net, x, class_index):
    acts = []
    logits = net(x, keep=acts)
    grads = torch.autograd.grad(logits[0, class_index], acts)
    maps = []
    for i, (a, g) in enumerate(zip(acts, grads)):
        alpha = g.mean(dim=(2, 3), keepdim=True)
        m = (alpha * a).sum(dim=1)
        maps.append(F.relu(m) if i == len(acts) - 1 else m)
    return logits.detach(), [m.detach() for m in maps]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--train-size", type=int, default=256)
    parser.add_argument("--train-batch", type=int, default=8)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = MicraNet(1, 1)
    out = {
        "torch": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        "repeats": args.repeats,
        "crop": [args.size, args.size, 1],
    }

    net.eval()
    for batch in (1, 4):
        x = torch.rand(batch, 1, args.size, args.size)
        with torch.inference_mode():
            med, times = median_seconds(lambda: net(x), args.repeats)
        out[f"forward_batch{batch}"] = {
            "ms_per_batch": med * 1e3,
            "crops_per_s": batch / med,
            "runs_ms": [t * 1e3 for t in times],
        }
    out["forward_crops_per_s"] = max(out["forward_batch1"]["crops_per_s"], out["forward_batch4"]["crops_per_s"])

    x = torch.rand(1, 1, args.size, args.size)
    med, times = median_seconds(lambda: gradcam_all_blocks(net, x, 0), args.repeats)
    out["gradcam"] = {"ms_per_crop": med * 1e3, "crops_per_s": 1 / med, "runs_ms": [t * 1e3 for t in times]}

    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    xb = torch.rand(args.train_batch, 1, args.train_size, args.train_size)
    yb = (torch.rand(args.train_batch, 1) > 0.5).float()

    def step():
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(net(xb), yb)
        loss.backward()
        opt.step()

    med, times = median_seconds(step, args.repeats)
    out["train_step"] = {
        "batch": args.train_batch,
        "size": args.train_size,
        "ms": med * 1e3,
        "runs_ms": [t * 1e3 for t in times],
    }
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


if __name__ == "__main__":
    main()
