#!/usr/bin/env python3
"""PIL + NumPy side of `cxr bench-images`: decode + resize + samplewise standardise, images/s.

Usage: bench_images.py DIR SIZES THREADS LOOPS  (SIZES / THREADS comma separated, e.g. 224,128 1,2;
LOOPS = passes over the cached images in the cached measurement)
Prints one line per measurement: size threads pass images seconds
"""
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image


def load(path, size):
    im = Image.open(path)
    im.load()
    if im.mode not in ("L", "I;16", "I"):
        im = im.getchannel(0)
    # PIL's BILINEAR widens its support when shrinking (antialiased): the same filter as the Java Resizer.
    return np.asarray(im.resize((size, size), Image.BILINEAR), dtype=np.float32)


def standardise(x):
    x = x - x.mean()
    x /= (x.std() + 1e-6)
    return x


def run(files, fn, threads):
    t0 = time.perf_counter()
    if threads == 1:
        out = [fn(f) for f in files]
    else:
        with ThreadPoolExecutor(threads) as ex:
            out = list(ex.map(fn, files))
    return time.perf_counter() - t0, out


def main():
    d, sizes, threads, loops = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    files = sorted(d.glob("*.png"))
    for size in [int(s) for s in sizes.split(",")]:
        for t in [int(s) for s in threads.split(",")]:
            cache = {}

            def cold_fn(f):
                x = load(f, size)
                cache[f] = x
                return standardise(x)

            secs, _ = run(files, cold_fn, t)
            print(f"{size} {t} cold {len(files)} {secs:.6f}", flush=True)
            secs, _ = run(files * loops, lambda f: standardise(cache[f].copy()), t)
            print(f"{size} {t} cached {len(files) * loops} {secs:.6f}", flush=True)


if __name__ == "__main__":
    main()
