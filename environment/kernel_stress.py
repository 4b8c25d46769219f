#!/usr/bin/python3
"""Kernel start-up stress test: starts the `cxr-java` kernel N times in a row; each time waits for
kernel_info_reply (a start that gets none within --hang-timeout counts as a hang), executes `1+1`,
checks the answer and shuts the kernel down. Prints starts, hangs, failures and start times.

    environment/kernel_stress.py [-n 50] [--hang-timeout 60] [--no-fix]

--no-fix runs the same kernel without our corrected LoopThread (the jar's own class), for comparison.
Exit status 1 when any start hung or failed.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("JUPYTER_DATA_DIR", str(REPO / "environment" / ".jupyter"))

from jupyter_client.manager import KernelManager  # noqa: E402

PATCH_DIR = str(REPO / "environment" / ".kernel" / "patch")


def without_fix(argv):
    """The kernel command with our patch directory taken off the -cp value."""
    out = list(argv)
    i = out.index("-cp") + 1
    out[i] = os.pathsep.join(p for p in out[i].split(os.pathsep) if p != PATCH_DIR)
    return out


def one_start(no_fix, hang_timeout, log):
    """Returns (outcome, seconds to kernel_info_reply or None, detail)."""
    km = KernelManager(kernel_name="cxr-java")
    if no_fix:
        km.kernel_spec.argv = without_fix(km.kernel_spec.argv)
    t0 = time.monotonic()
    km.start_kernel(stdout=log, stderr=log)
    kc = km.client()
    kc.start_channels()
    try:
        try:
            kc.wait_for_ready(timeout=hang_timeout)
        except RuntimeError as e:
            return "hang", None, str(e).splitlines()[0]
        started = time.monotonic() - t0
        results = []

        def keep(msg):
            if msg["msg_type"] == "execute_result":
                results.append(msg["content"]["data"])

        reply = kc.execute_interactive("1+1", timeout=hang_timeout, output_hook=keep)
        text = " ".join(str(v) for d in results for v in d.values())
        if reply["content"]["status"] != "ok" or "2" not in text:
            return "failed", started, f"1+1 gave {reply['content']['status']} {text!r}"
        return "ok", started, ""
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=50, help="number of starts (default 50)")
    p.add_argument("--hang-timeout", type=float, default=60, help="seconds before a start counts as hung")
    p.add_argument("--no-fix", action="store_true", help="run without the corrected LoopThread")
    p.add_argument("--log", type=Path, default=Path("/tmp/cxr-kernel-stress.log"), help="kernel output")
    args = p.parse_args()

    outcomes, times = {"ok": 0, "hang": 0, "failed": 0}, []
    label = "without fix" if args.no_fix else "with LoopThread fix"
    print(f"starting cxr-java {args.n} times ({label}), hang timeout {args.hang_timeout:.0f} s", flush=True)
    with open(args.log, "w") as log:
        for i in range(1, args.n + 1):
            outcome, seconds, detail = one_start(args.no_fix, args.hang_timeout, log)
            outcomes[outcome] += 1
            if seconds is not None:
                times.append(seconds)
            shown = f"{seconds:.2f} s" if seconds is not None else "-"
            print(f"  {i:3d} {outcome:6s} {shown} {detail}", flush=True)
    summary = (f"starts: {args.n}, ok: {outcomes['ok']}, hangs: {outcomes['hang']}, "
               f"failed: {outcomes['failed']} ({label})")
    if times:
        summary += (f"; kernel_info_reply after median {statistics.median(times):.2f} s, "
                    f"min {min(times):.2f} s, max {max(times):.2f} s")
    print(summary, flush=True)
    return 0 if outcomes["ok"] == args.n else 1


if __name__ == "__main__":
    sys.exit(main())
