#!/usr/bin/python3
"""PyTorch yardstick for `npm run bench:sweep`: the same sweep workload as the app's run —
the same number of crops of the same size scored (forward, eval mode, batch 1) and the same
number of positive crops explained (forward + Grad-CAM of all 8 blocks) — timed on this
machine's CPU with the reference architecture (micranet_baseline.py). Timing does not depend
on the weights or pixel values, so random ones are used. Prints one JSON object.
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from micranet_baseline import MicraNet, gradcam_all_blocks  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--crops", type=int, required=True)
    parser.add_argument("--positives", type=int, required=True)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = MicraNet().eval()
    x = torch.rand(1, 1, args.size, args.size)
    with torch.no_grad():
        net(x)  # warm-up
    t0 = time.perf_counter()
    with torch.no_grad():
        for _ in range(args.crops):
            net(torch.rand(1, 1, args.size, args.size))
    forward = time.perf_counter() - t0
    t1 = time.perf_counter()
    for _ in range(args.positives):
        xi = torch.rand(1, 1, args.size, args.size, requires_grad=False)
        gradcam_all_blocks(net, xi, 0)
    gradcam = time.perf_counter() - t1
    print(json.dumps({
        "torch": torch.__version__, "threads": args.threads, "size": args.size,
        "crops": args.crops, "positives": args.positives,
        "forwardSeconds": forward, "gradcamSeconds": gradcam, "totalSeconds": forward + gradcam,
    }))


if __name__ == "__main__":
    main()
