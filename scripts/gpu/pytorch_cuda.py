#!/usr/bin/python3
"""PyTorch's figures for the GPU run (scripts/gpu/run.sh): the reference MICRA-Net
(test/bench/pytorch/micranet_baseline.py) doing the work gpuBench.ts times on webgpu, on the
same GPU in the same run. Prints one JSON object:
  sweep:   eval forward of a batch of crops, logits and the block-4b map back on the host;
  gradcam: forward + Grad-CAM of all 8 blocks of one crop, maps back on the host;
  train:   one Adam step with BCE-with-logits on a batch (every layer trained).
Each figure is the median over --repeats runs after one warm-up run, with the device synchronised
before the clock is read. --device cpu runs it anywhere (to check the script, not for figures).
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.environ.get("MICRA_PYTORCH_BASELINE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../test/bench/pytorch")))
from micranet_baseline import MicraNet, gradcam_all_blocks  # noqa: E402


def configs(text):
    return [tuple(int(v) for v in c.split("x")) for c in text.split(",") if c]


def timed(fn, repeats, sync):
    fn()
    sync()
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        sync()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), runs


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cuda")
    p.add_argument("--sweep", default="256x1,256x16,512x1,512x16", help="SIZExBATCH,...")
    p.add_argument("--train", default="256x32,512x8", help="SIZExBATCH,...")
    p.add_argument("--repeats", type=int, default=5)
    a = p.parse_args()
    dev = torch.device(a.device)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    torch.manual_seed(0)
    out = {
        "device": a.device,
        "gpu": torch.cuda.get_device_name(dev) if dev.type == "cuda" else None,
        "torch": torch.__version__,
        "cudnn": torch.backends.cudnn.version() if dev.type == "cuda" else None,
        "repeats": a.repeats,
        "sweep": [],
        "gradcam": [],
        "train": [],
    }

    net = MicraNet(1, 1).to(dev).eval()
    w = net.linear1.weight[0]
    for size, batch in configs(a.sweep):
        x = torch.rand(batch, 1, size, size, device=dev)

        def sweep():
            with torch.inference_mode():
                acts = []
                logits = net(x, keep=acts)
                a4 = acts[-1]
                cam = F.relu(torch.einsum("nchw,c->nhw", a4, w) / (a4.shape[2] * a4.shape[3]))
                logits.cpu()
                cam.cpu()

        med, runs = timed(sweep, a.repeats, sync)
        out["sweep"].append({"size": size, "batch": batch, "crops_per_s": batch / med, "s_per_batch": med, "runs_s": runs})

    for size in sorted({s for s, _ in configs(a.sweep)}):
        x = torch.rand(1, 1, size, size, device=dev)

        def explain():
            logits, maps = gradcam_all_blocks(net, x, 0)
            logits.cpu()
            for m in maps:
                m.cpu()

        med, runs = timed(explain, a.repeats, sync)
        out["gradcam"].append({"size": size, "crops_per_s": 1 / med, "s_per_crop": med})

    for size, batch in configs(a.train):
        tnet = MicraNet(1, 1).to(dev).train()
        opt = torch.optim.Adam(tnet.parameters(), lr=1e-3)
        x = torch.rand(batch, 1, size, size, device=dev)
        y = (torch.arange(batch, device=dev) % 2).float().view(batch, 1)

        def step():
            opt.zero_grad()
            loss = F.binary_cross_entropy_with_logits(tnet(x), y)
            loss.backward()
            opt.step()
            loss.item()

        med, runs = timed(step, a.repeats, sync)
        out["train"].append({"size": size, "batch": batch, "crops_per_s": batch / med, "s_per_step": med, "runs_s": runs})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
