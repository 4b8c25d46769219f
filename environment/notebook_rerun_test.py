#!/usr/bin/python3
"""Rerun test of notebook 06 through the kernel, as a student would use it (issue 9, "rerunning cells is safe").

1. Runs notebooks/06-densenet-training.ipynb with tiny CXR_* values in one `cxr-java` kernel.
2. Edits its Parameters cell (tag "parameters"): adds `.stage1LearningRate(NEW)` on the student's line.
3. Reruns only that cell and the stage-1 training cell (tag "stage1-train").
4. Checks, in the same kernel, that the recorded stage-1 history shows NEW as the learning rate of epoch 1.
5. Sets the learning rate back to the first value, reruns the same two cells and checks that epoch 1's training
   loss equals the first run's: training restarted from the same initial weights, not from the trained ones
   (continuing from them would give a lower loss).

Uses Debian's python3-nbclient like run_notebooks.py. Exit status 0 = pass, 1 = fail (message says why).

    environment/notebook_rerun_test.py --data DIR --work DIR [--notebook PATH]
"""
import argparse
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("JUPYTER_DATA_DIR", str(REPO / "environment" / ".jupyter"))

import nbformat  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

KERNEL = "cxr-java"
# tiny run: a few images at a small size, short stages (the feature cache makes reruns of stage 1 cheap)
TINY = {"CXR_MAX_IMAGES": "120", "CXR_IMAGE_SIZE": "64", "CXR_STAGE1_EPOCHS": "2", "CXR_STAGE2_EPOCHS": "1",
        "CXR_BOOTSTRAP": "20", "CXR_EARLY_STOPPING_PATIENCE": "0", "CXR_REDUCE_LR_PATIENCE": "0"}
NEW_RATE = "3e-4"
STUDENT_LINE = re.compile(r"^(\s*)// your changes here.*$", re.M)
PROBE = ('var h = stage1.history().epochs().get(0);\n'
         'String.format(java.util.Locale.ROOT, "PROBE lr=%.6g loss=%.9g", h.learningRate(), h.trainLoss())')


class Failure(Exception):
    """The test failed; the message says how."""


def tagged(nb, tag):
    found = [i for i, c in enumerate(nb.cells) if tag in c.get("metadata", {}).get("tags", [])]
    if len(found) != 1:
        raise Failure(f"expected one cell tagged {tag!r}, found {len(found)}")
    return found[0]


def text(cell):
    out = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            raise Failure(f"cell failed: {o.get('ename')}: {o.get('evalue')} {' '.join(o.get('traceback', []))[:600]}")
        out.append(o.get("text", ""))
        data = o.get("data", {})
        out.append(data.get("text/plain", "") or data.get("text/html", ""))  # rapaio shows a String as text/html
    return "\n".join(out)


def probe(client, nb):
    cell = nbformat.v4.new_code_cell(PROBE)
    nb.cells.append(cell)  # nbclient writes the executed cell back at its index
    try:
        cell = client.execute_cell(cell, len(nb.cells) - 1) or nb.cells[-1]
    finally:
        nb.cells.pop()
    m = re.search(r"PROBE lr=(\S+) loss=([-0-9.eE+naNinf]+)", text(cell))
    if not m:
        raise Failure("probe printed no history: " + text(cell)[:300] + " outputs: " + repr(cell.get("outputs"))[:600])
    return float(m.group(1)), float(m.group(2))


def with_rate(source, rate):
    """The Parameters cell with the student's line setting stage 1's learning rate (None = the original line)."""
    if not STUDENT_LINE.search(source):
        raise Failure("the Parameters cell has no '// your changes here' line to edit")
    if rate is None:
        return source
    return STUDENT_LINE.sub(lambda m: f"{m.group(1)}.stage1LearningRate({rate})", source, count=1)


def rerun(client, nb, params, stage1, source):
    """Puts `source` into the Parameters cell, reruns only it and the stage-1 cell, and probes the history."""
    nb.cells[params].source = source
    for i in (params, stage1):
        client.execute_cell(nb.cells[i], i)
        text(nb.cells[i])
    return probe(client, nb)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, required=True, help="dataset folder (phantom)")
    p.add_argument("--work", type=Path, required=True, help="work folder of this test (created)")
    p.add_argument("--notebook", type=Path, default=REPO / "notebooks" / "06-densenet-training.ipynb")
    p.add_argument("--cell-timeout-min", type=float, default=float(os.environ.get("CXR_CELL_TIMEOUT_MIN", "20")))
    args = p.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    for k in [k for k in os.environ if k.startswith("CXR_") and k not in ("CXR_KERNEL_HEAP", "CXR_CELL_TIMEOUT_MIN")]:
        del os.environ[k]  # only this test's values reach the kernel
    os.environ.update(TINY)
    os.environ["CXR_DATA_DIR"] = str(args.data.resolve())
    os.environ["CXR_WORK_DIR"] = str(args.work.resolve())

    nb = nbformat.read(str(args.notebook), as_version=4)
    params, stage1 = tagged(nb, "parameters"), tagged(nb, "stage1-train")
    original = nb.cells[params].source
    timeout_ms = int(args.cell_timeout_min * 60_000)
    km = KernelManager(kernel_name=KERNEL)
    key = "IJAVA_TIMEOUT" if "IJAVA_TIMEOUT" in km.kernel_spec.env else "RJK_TIMEOUT_MILLIS"
    km.kernel_spec.env[key] = str(timeout_ms)
    client = NotebookClient(nb, km=km, kernel_name=KERNEL, timeout=timeout_ms // 1000 + 120, startup_timeout=90,
                            resources={"metadata": {"path": str(args.notebook.parent.resolve())}})
    try:
        with client.setup_kernel():
            for i, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, i)
                    text(cell)
            first_lr, first_loss = probe(client, nb)
            print(f"first run: stage-1 epoch 1 learning rate {first_lr:g}, training loss {first_loss:.9g}")
            if abs(first_lr - float(NEW_RATE)) < 1e-12:
                raise Failure(f"the default stage-1 learning rate is already {NEW_RATE}: pick another NEW_RATE")

            lr, loss = rerun(client, nb, params, stage1, with_rate(original, NEW_RATE))
            print(f"after setting {NEW_RATE} in the Parameters cell: learning rate {lr:g}, training loss {loss:.9g}")
            if abs(lr - float(NEW_RATE)) > 1e-12:
                raise Failure(f"the rerun stage 1 recorded learning rate {lr:g}, not the {NEW_RATE} set in the cell")

            back_lr, back_loss = rerun(client, nb, params, stage1, with_rate(original, None))
            print(f"back to the first settings: learning rate {back_lr:g}, training loss {back_loss:.9g}")
            if abs(back_lr - first_lr) > 1e-12:
                raise Failure(f"learning rate {back_lr:g} after resetting the cell, expected {first_lr:g}")
            if abs(back_loss - first_loss) > 1e-6 * max(1.0, abs(first_loss)):
                raise Failure(f"epoch-1 training loss {back_loss:.9g} differs from the first run's {first_loss:.9g}: "
                              "the rerun did not start from the same initial weights (it continued from trained ones?)")
    except Failure as e:
        print(f"notebook rerun test FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    print("notebook rerun test passed: the new learning rate is recorded and stage 1 restarts from fresh weights")
    return 0


if __name__ == "__main__":
    sys.exit(main())
