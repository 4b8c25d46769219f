"""PyTorch peer of OpBenchmark: DenseNet121's operations one by one, forward and backward, median milliseconds.

Usage: python3 torch_densenet_ops.py OPS_JSON WARMUP ITERATIONS SEED THREADS
OPS_JSON holds the list the Java side made (OpCase.toJson): key, kind, n, c, h, cout, k, stride, pad.
The modules are those torchvision's densenet121 uses (Conv2d without bias, BatchNorm2d + in-place ReLU, MaxPool2d,
AvgPool2d, torch.cat; a whole dense layer as its nn.Sequential), NCHW, training mode. Prints "OP {json}" per operation and "RESULT {json}" last.
"""
import json
import statistics
import sys
import time

import torch
from torch import nn


def build(op):
    kind, c, cout, k = op["kind"], op["c"], op["cout"], op["k"]
    if kind == "CONV":
        return nn.Conv2d(c, cout, k, stride=op["stride"], padding=op["pad"], bias=False)
    if kind in ("BN_RELU", "BN_RELU_NCHW"):
        return nn.Sequential(nn.BatchNorm2d(c, eps=1.001e-5), nn.ReLU(inplace=True))
    if kind == "MAX_POOL":
        return nn.MaxPool2d(k, stride=op["stride"], padding=op["pad"])
    if kind == "AVG_POOL":
        return nn.AvgPool2d(k, stride=op["stride"])
    if kind == "CONCAT":
        return None
    if kind == "DENSE_LAYER":  # torchvision's _DenseLayer after its torch.cat
        mid = 4 * cout
        return nn.Sequential(nn.BatchNorm2d(c, eps=1.001e-5), nn.ReLU(inplace=True), nn.Conv2d(c, mid, 1, bias=False),
                             nn.BatchNorm2d(mid, eps=1.001e-5), nn.ReLU(inplace=True),
                             nn.Conv2d(mid, cout, 3, padding=1, bias=False))
    raise ValueError("unknown kind " + kind)


def main():
    ops_file, warmup, iters, seed, threads = sys.argv[1], *map(int, sys.argv[2:6])
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    with open(ops_file) as f:
        ops = json.load(f)
    rows = []
    for op in ops:
        n, c, h = op["n"], op["c"], op["h"]
        module = build(op)
        inputs = [torch.randn(n, c, h, h, requires_grad=True)]
        if op["kind"] == "CONCAT":
            inputs.append(torch.randn(n, op["cout"], h, h, requires_grad=True))
            forward = lambda xs: torch.cat(xs, 1)
        else:
            module.train()
            forward = lambda xs, m=module: m(xs[0])
        with torch.no_grad():
            grad = torch.randn_like(forward([x.detach() for x in inputs]))
        fwd, bwd = [], []
        for i in range(warmup + iters):
            for x in inputs:
                x.grad = None
            if module is not None:
                module.zero_grad(set_to_none=True)
            t0 = time.perf_counter()
            y = forward(inputs)
            t1 = time.perf_counter()
            y.backward(grad)
            t2 = time.perf_counter()
            if i >= warmup:
                fwd.append((t1 - t0) * 1e3)
                bwd.append((t2 - t1) * 1e3)
        row = {"key": op["key"], "torch_fwd_ms": statistics.median(fwd), "torch_bwd_ms": statistics.median(bwd)}
        rows.append(row)
        print("OP " + json.dumps(row, ensure_ascii=False), flush=True)
    print("RESULT " + json.dumps({"impl": "torch", "torch": torch.__version__, "threads": torch.get_num_threads(),
                                  "ops": rows}, ensure_ascii=False))


if __name__ == "__main__":
    main()
