#!/usr/bin/python3
"""Interrupt test of the notebook kernel (cxr-java): starts it, runs a cell that never ends on its own, sends
interrupt_request on the control channel, and checks that (1) the interrupt is answered, (2) the running cell
ends with an error instead of hanging, (3) the next cells run and print their output, and (4) so does a cell
after interrupting a busy loop that ignores Java interrupts. Exit status 0 when all hold.

    environment/kernel_interrupt_test.py [--kernel cxr-java] [--timeout 60]
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("JUPYTER_DATA_DIR", str(REPO / "environment" / ".jupyter"))

from jupyter_client.manager import start_new_kernel  # noqa: E402


def drain(kc, msg_id, timeout):
    """iopub output of one request until its 'idle': (text printed or returned, error names)."""
    text, errors = [], []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        except Exception:  # queue.Empty
            break
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            text.append(content["text"])
        elif kind in ("execute_result", "display_data"):
            data = content.get("data", {})
            text.append(data.get("text/plain") or data.get("text/html") or "")
        elif kind == "error":
            errors.append(content.get("ename", "") + ": " + content.get("evalue", ""))
        elif kind == "status" and content["execution_state"] == "idle":
            break
    return "".join(text), errors


def shell_reply(kc, msg_id, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reply = kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply
    raise TimeoutError(f"no execute_reply within {timeout} s")


def interrupt(kc, timeout):
    """Sends interrupt_request on the control channel and waits for interrupt_reply; returns seconds taken."""
    started = time.monotonic()
    msg = kc.session.msg("interrupt_request", {})
    kc.control_channel.send(msg)
    deadline = started + timeout
    while time.monotonic() < deadline:
        reply = kc.get_control_msg(timeout=max(0.1, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            if reply["msg_type"] != "interrupt_reply":
                raise AssertionError(f"expected interrupt_reply, got {reply['msg_type']}")
            return time.monotonic() - started
    raise TimeoutError(f"no interrupt_reply within {timeout} s")


def run(kc, code, timeout):
    msg_id = kc.execute(code)
    text, errors = drain(kc, msg_id, timeout)
    return shell_reply(kc, msg_id, timeout)["content"]["status"], text, errors


def interrupt_long_cell(kc, code, label, timeout, failures):
    msg_id = kc.execute(code)
    time.sleep(3)  # let it start
    try:
        seconds = interrupt(kc, timeout)
        print(f"  {label}: interrupt_reply after {seconds:.2f} s")
    except Exception as e:  # noqa: BLE001
        failures.append(f"{label}: interrupt not answered: {e}")
    try:
        status = shell_reply(kc, msg_id, timeout)["content"]["status"]
        print(f"  {label}: interrupted cell replied '{status}'")
        if status != "error":
            failures.append(f"{label}: interrupted cell replied '{status}', expected 'error'")
    except Exception as e:  # noqa: BLE001
        failures.append(f"{label}: interrupted cell never replied: {e}")
    drain(kc, msg_id, 2)
    status, text, errors = run(kc, 'System.out.println("after " + (6 * 7));', timeout)
    print(f"  {label}: next cell replied '{status}' with output {text.strip()!r}")
    if status != "ok" or "after 42" not in text:
        failures.append(f"{label}: next cell gave status {status!r}, output {text!r}, errors {errors}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--kernel", default="cxr-java")
    p.add_argument("--timeout", type=float, default=60)
    args = p.parse_args(argv)
    started = time.monotonic()
    log = tempfile.NamedTemporaryFile("w+", prefix="kernel-interrupt-", suffix=".log", delete=False)
    km, kc = start_new_kernel(kernel_name=args.kernel, startup_timeout=120, stdout=log, stderr=log)
    failures = []
    try:
        status, text, _ = run(kc, 'System.out.println("before");', args.timeout)
        if status != "ok" or "before" not in text:
            failures.append(f"first cell: status {status}, output {text!r}")
        interrupt_long_cell(kc, "Thread.sleep(600_000);", "sleeping cell", args.timeout, failures)
        interrupt_long_cell(kc, "long n = 0; while (n >= 0) { n = (n + 1) % 1_000_000_007L; }",
                            "busy loop ignoring interrupts", args.timeout, failures)
    finally:
        km.shutdown_kernel(now=True)
    verdict = "FAILED: " + "; ".join(failures) if failures else "passed"
    if failures:
        log.seek(0)
        print("kernel log (last lines):\n" + "".join(log.readlines()[-30:]), file=sys.stderr)
    log.close()
    os.unlink(log.name)
    print(f"kernel interrupt test {verdict} ({time.monotonic() - started:.0f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
