"""PyTorch peer of DenseNetBenchmark: torchvision densenet121(num_classes=14), BCEWithLogits, Adam, fixed threads.

Usage: python3 torch_densenet_bench.py MODE SIZE BATCH WARMUP ITERATIONS SEED THREADS
Prints one line: RESULT {json}.
"""
import json
import statistics
import sys
import time

import torch
import torchvision


def peak_rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def main():
    mode, size, batch, warmup, iters, seed, threads = sys.argv[1], *map(int, sys.argv[2:8])
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    model = torchvision.models.densenet121(num_classes=14)
    x = torch.rand(batch, 3, size, size)
    y = (torch.rand(batch, 14) > 0.7).float()
    loss_fn = torch.nn.BCEWithLogitsLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    seconds = []
    first = 0.0
    if mode == "train":
        model.train()
    else:
        model.eval()
    for i in range(warmup + iters):
        t0 = time.perf_counter()
        if mode == "train":
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
        else:
            with torch.inference_mode():
                model(x).sum().item()
        s = time.perf_counter() - t0
        if i == 0:
            first = s
        if i >= warmup:
            seconds.append(s)
    median = statistics.median(seconds)
    print("RESULT " + json.dumps({"impl": "torch", "mode": mode, "size": size, "batch": batch,
                                  "images_per_s": batch / median, "median_s": median, "first_s": first,
                                  "peak_rss_kb": peak_rss_kb(), "seconds": seconds,
                                  "torch": torch.__version__}))


if __name__ == "__main__":
    main()
