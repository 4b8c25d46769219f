#!/usr/bin/python3
"""A notebook run before the one it depends on must say in one line which notebook to run first.

Runs notebook 07 (ROC/AUC) with an empty work folder — as a student who opens it before running 06 — and checks
that it stops at the cell that loads the model with one line, "Run notebook 06-densenet-training.ipynb first ...",
and no Java stack trace (helpers throw data.RunFirstException, which carries none).

    environment/out_of_order_test.py OUT_DIR     # uses CXR_DATA_DIR as set; exit 0 if the hint is right
"""
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
HINT = "Run notebook 06-densenet-training.ipynb first"


def main(argv):
    out = Path(argv[0] if argv else tempfile.mkdtemp(prefix="cxr-order-")).resolve()
    work = out / "empty-work"
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CXR_WORK_DIR=str(work))
    notebook = next((REPO / "notebooks").glob("07-*.ipynb"))
    run = subprocess.run([sys.executable, str(REPO / "environment" / "run_notebooks.py"), "--out", str(out),
                          str(notebook)], env=env, capture_output=True, text=True)
    problems = []
    if run.returncode == 0:
        problems.append("notebook 07 ran through without a model")
    if HINT not in run.stderr + run.stdout:
        problems.append(f"the runner's message does not name notebook 06: {run.stderr.strip()[-300:]!r}")
    import nbformat
    nb = nbformat.read(str(out / notebook.name), as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    if not errors:
        problems.append("no cell shows an error")
    else:
        lines = [line for line in ANSI.sub("", "\n".join(errors[0].get("traceback", []))).splitlines() if line.strip()]
        if not any(HINT in line for line in lines):
            problems.append(f"the failing cell does not show the hint: {lines[:3]}")
        frames = [line for line in lines if line.strip().startswith("at ")]
        if frames or len(lines) > 2:
            problems.append(f"the failing cell shows {len(lines)} lines ({len(frames)} stack frames), not one: {lines[:4]}")
    for p in problems:
        print(f"out_of_order_test: {p}")
    if problems:
        return 1
    print(f"out_of_order_test: ok, notebook 07 without a model says: {lines[0].strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
