#!/usr/bin/python3
"""Executes the workbook's notebooks headless, each in a fresh `cxr-java` kernel, and writes the
executed notebooks, their HTML and a run.json timing summary to an output folder.

Uses Debian's python3-nbclient / jupyter-nbconvert only (no pip). Parameters reach the notebooks as
CXR_* environment variables of the kernel process (`--param EPOCHS=1` sets CXR_EPOCHS=1; CXR_*
variables already set are passed through); `Params.loadEnvironment()` in setup.jshell turns them into
system properties. The per-cell limit is the kernel's own RJK_TIMEOUT_MILLIS (the kernel stops the cell).
Any cell error stops the run with a message naming notebook, cell and exception; exit status 1.

    environment/run_notebooks.py [--out DIR] [--param NAME=VALUE ...] [NOTEBOOK ...]
"""
import argparse
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("JUPYTER_DATA_DIR", str(REPO / "environment" / ".jupyter"))

import nbformat  # noqa: E402  (after JUPYTER_DATA_DIR is set)
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError  # noqa: E402
from nbconvert import HTMLExporter  # noqa: E402
from quiet_outputs import settle_streams  # noqa: E402

KERNEL = "cxr-java"
# CXR_* variables that configure the launcher/kernel rather than the notebooks: not listed as parameters
LAUNCHER_SETTINGS = {"CXR_PROFILE", "CXR_MVN_FLAGS", "CXR_HEAP", "CXR_KERNEL_HEAP", "CXR_CELL_TIMEOUT_MIN",
                     "CXR_IJAVA_JAR", "CXR_TEST_DATA_DIR", "CXR_TEST_IMAGES", "CXR_TEST_SIZE"}


class NotebookFailure(Exception):
    """A notebook that did not run through; the message names notebook, cell and cause."""


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("notebooks", nargs="*", type=Path,
                   help="notebooks to run in this order (default: notebooks/*.ipynb by name)")
    p.add_argument("--out", type=Path, default=REPO / "output", help="output folder (default output/)")
    p.add_argument("--cwd", type=Path, default=REPO / "notebooks",
                   help="kernel working directory; notebook paths like ../target/lib/ resolve from it")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="notebook parameter, passed as CXR_NAME to the kernel (repeatable)")
    p.add_argument("--cell-timeout-min", type=float,
                   default=float(os.environ.get("CXR_CELL_TIMEOUT_MIN", "20")),
                   help="per-cell limit in minutes (kernel-side RJK_TIMEOUT_MILLIS; default 20)")
    p.add_argument("--startup-timeout", type=float, default=90, help="seconds to wait for the kernel")
    p.add_argument("--require-images", action="store_true",
                   help="fail a notebook that produced no image/png output")
    return p.parse_args(argv)


def cxr_params(extra):
    """Sets CXR_* variables from --param and returns all CXR_* variables now in the environment."""
    for item in extra:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise SystemExit(f"--param needs NAME=VALUE, got {item!r}")
        name = name if name.startswith("CXR_") else "CXR_" + name
        os.environ[name] = value
    return {k: v for k, v in sorted(os.environ.items())
            if k.startswith("CXR_") and k not in LAUNCHER_SETTINGS}


def first_line(source):
    line = source.strip().splitlines()[0] if source.strip() else ""
    return line if len(line) <= 80 else line[:77] + "..."


ANSI = re.compile(r"\x1b\[[0-9;]*m")
SEPARATOR = re.compile(r"[-=_*^~─]+")  # IJava: dashes above an error, carets under code


def error_text(cell):
    """ename: evalue (or the traceback, rapaio leaves evalue empty) of a cell's error output,
    else the tail of its stderr, else ''."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            # IJava's traceback opens with a row of dashes; such separator lines name nothing
            lines = [line.strip() for line in ANSI.sub("", "\n".join(out.get("traceback", []))).splitlines()
                     if line.strip() and not SEPARATOR.fullmatch(line.strip())]
            if out.get("ename") == "EvalException" and lines:
                text = lines[0]  # rapaio wraps the notebook's exception; its first line names the real one
            else:
                detail = out.get("evalue", "") or " / ".join(lines)
                text = f"{out.get('ename', '')}: {detail}".strip(": ")
            return text if len(text) <= 600 else text[:597] + "..."
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            return out.get("text", "").strip()[-500:]
    return ""


def kernel_facts(spec):
    """Which kernel ran, from its spec: name, display name, implementation and version, patched or not."""
    argv = list(spec.argv)
    text = " ".join(argv)
    facts = {"name": KERNEL, "display_name": spec.display_name}
    ijava = re.search(r"ijava-?([0-9][0-9.]*)?[^/\s]*\.jar", text, re.IGNORECASE)
    rapaio = re.search(r"rapaio-jupyter-kernel-([0-9][0-9.]*[0-9])\.jar", text)
    if ijava:
        facts.update(implementation="IJava", version=ijava.group(1) or "unknown")
    elif rapaio:
        facts.update(implementation="rapaio-jupyter-kernel", version=rapaio.group(1),
                     patches="environment/kernel-fix" if "/patch" in text else "none")
    else:
        facts.update(implementation="unknown")
    heap = next((a[4:] for a in argv if a.startswith("-Xmx")), None)
    if heap:
        facts["heap"] = heap
    return facts


def commit():
    """The repository's commit, with "+ uncommitted changes" when the work tree differs; "unknown" without git."""
    import subprocess
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + (" + uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def count_images(nb):
    return sum(1 for c in nb.cells if c.cell_type == "code"
               for o in c.get("outputs", []) if "image/png" in o.get("data", {}))


def run_one(path, args, timeout_ms):
    """Runs one notebook in a fresh kernel; writes NAME.ipynb and NAME.html; returns a result dict."""
    nb = nbformat.read(str(path), as_version=4)
    state = {"index": None}

    def on_cell_start(cell, cell_index, **_):
        state["index"] = cell_index

    def on_cell_executed(cell, cell_index, **_):
        # rapaio answers "ok" for some failures (e.g. a %load whose import fails) but sends an error output
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            raise NotebookFailure(error_text(cell))

    started = time.monotonic()
    failure = None
    for attempt in (1, 2):
        km = KernelManager(kernel_name=KERNEL)
        # the spec's env would override ours: set the limit there (rapaio's variable, or IJava's)
        key = "IJAVA_TIMEOUT" if "IJAVA_TIMEOUT" in km.kernel_spec.env else "RJK_TIMEOUT_MILLIS"
        km.kernel_spec.env[key] = str(timeout_ms)
        client = NotebookClient(
            nb, km=km, kernel_name=KERNEL,
            timeout=timeout_ms // 1000 + 120,    # backstop only: the kernel enforces the limit itself
            interrupt_on_timeout=False,
            startup_timeout=int(args.startup_timeout),
            resources={"metadata": {"path": str(args.cwd)}},
            on_cell_start=on_cell_start,
            on_cell_executed=on_cell_executed,
        )
        logs = args.out / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        try:
            with open(logs / f"{path.stem}.kernel.log", "w") as log:
                client.execute(stdout=log, stderr=log)
            break
        except RuntimeError as e:
            if state["index"] is None and attempt == 1 and "Kernel didn't respond" in str(e):
                print(f"  kernel did not start within {args.startup_timeout:.0f} s; retrying once",
                      flush=True)
                continue
            failure = e
            break
        except (CellExecutionError, CellTimeoutError, DeadKernelError, NotebookFailure) as e:
            failure = e
            break
        finally:
            # nbclient shuts down only kernels it started itself; this one was handed in, so stop it here
            # (otherwise every notebook leaves a JVM with an 8 GB heap behind)
            if km.has_kernel:
                km.shutdown_kernel(now=True)
    seconds = time.monotonic() - started

    args.out.mkdir(parents=True, exist_ok=True)
    stem = path.stem
    settle_streams(nb)   # a progress bar redrawn with \r is saved as its last line
    nbformat.write(nb, str(args.out / f"{stem}.ipynb"))
    html, _ = HTMLExporter().from_notebook_node(nb)
    (args.out / f"{stem}.html").write_text(html, encoding="utf-8")

    images = count_images(nb)
    result = {"notebook": path.name, "html": f"{stem}.html", "seconds": round(seconds, 1),
              "images": images, "status": "ok"}
    if failure is not None:
        idx = state["index"]
        if idx is None:
            where, cause = "kernel start", str(failure).strip().splitlines()[0]
        else:
            cell = nb.cells[idx]
            where = f"cell {idx + 1} ({first_line(cell.source)!r})"
            cause = error_text(cell) or str(failure).strip().splitlines()[-1]
            if isinstance(failure, CellTimeoutError):
                cause = f"no reply within {timeout_ms / 60000:.1f} min; " + cause
        result.update(status="failed", message=f"{path.name}, {where}: {cause}")
    elif args.require_images and images == 0:
        result.update(status="failed", message=f"{path.name}: no image/png output in any cell")
    return result


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    args.cwd = args.cwd.resolve()
    args.cwd.mkdir(parents=True, exist_ok=True)
    args.out = args.out.resolve()
    notebooks = args.notebooks or sorted((REPO / "notebooks").glob("*.ipynb"))
    if not notebooks:
        print("no notebooks to run", file=sys.stderr)
        return 1
    params = cxr_params(args.param)
    timeout_ms = int(args.cell_timeout_min * 60_000)
    print(f"running {len(notebooks)} notebook(s) -> {args.out}; params: "
          + (" ".join(f"{k}={v}" for k, v in params.items()) or "defaults"), flush=True)

    results, started = [], time.monotonic()
    for path in notebooks:
        print(f"> {path.name} ...", end=" ", flush=True)
        r = run_one(path.resolve(), args, timeout_ms)
        results.append(r)
        print(f"{r['status']} in {r['seconds']:.1f} s, {r['images']} image(s)", flush=True)
        if r["status"] != "ok":
            print(f"FAILED {r['message']}", file=sys.stderr, flush=True)
            break
    total = time.monotonic() - started
    summary = {"params": params, "commit": commit(),
               "kernel": kernel_facts(KernelSpecManager().get_kernel_spec(KERNEL)),
               "notebooks": results, "total_seconds": round(total, 1),
               "host": platform.node(), "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (args.out / "run.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    ok = len(results) == len(notebooks) and all(r["status"] == "ok" for r in results)
    print(f"notebooks: {sum(r['status'] == 'ok' for r in results)}/{len(notebooks)} ok "
          f"in {total:.1f} s", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
