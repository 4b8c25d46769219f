#!/usr/bin/env python3
"""Writes copies of notebooks with their exercise cells replaced by the teacher's solutions.

Exercise cells carry the tag "exercise"; the solution of cell CELL-ID in NOTEBOOK.ipynb is the file
notebooks/solutions/NOTEBOOK.CELL-ID.jsh (with --wrong, notebooks/solutions/wrong/… where one exists:
typical wrong answers, which the checks must report as wrong). Prints the path of every copy written.
Without --wrong every given notebook is copied (exercise or not), so the copies can replace the originals
in a run; with --wrong only notebooks with a wrong answer are written. Run the copies with the runner's
default --cwd (notebooks/) so their relative paths resolve.
"""
import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TAG = "exercise"


def exercise_cells(nb):
    return [c for c in nb["cells"] if TAG in c.get("metadata", {}).get("tags", [])]


def source_lines(text):
    lines = text.rstrip("\n").split("\n")
    return [line + "\n" for line in lines[:-1]] + [lines[-1]]


def fill(path, solutions, wrong):
    """The notebook with its exercise cells filled in, and whether a wrong answer went in."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    used_wrong = False
    for cell in exercise_cells(nb):
        name = f"{path.stem}.{cell['id']}.jsh"
        chosen = solutions / "wrong" / name if wrong and (solutions / "wrong" / name).exists() else solutions / name
        if not chosen.exists():
            raise SystemExit(f"solutions: no solution for exercise cell '{cell['id']}' of {path.name}: expected {chosen}")
        used_wrong |= chosen.parent.name == "wrong"
        cell["source"] = source_lines(chosen.read_text(encoding="utf-8"))
        cell["outputs"] = []
        cell["execution_count"] = None
    return nb, used_wrong


def check_stale(notebooks, solutions):
    """Every solution file must name an exercise cell of a notebook in notebooks/."""
    known = {}
    for p in sorted((REPO / "notebooks").glob("*.ipynb")):
        known[p.stem] = {c["id"] for c in exercise_cells(json.loads(p.read_text(encoding="utf-8")))}
    for f in sorted(list(solutions.glob("*.jsh")) + list((solutions / "wrong").glob("*.jsh"))):
        stem, _, cell = f.name[:-len(".jsh")].rpartition(".")
        if cell not in known.get(stem, set()):
            raise SystemExit(f"solutions: {f} names no exercise cell (notebook '{stem}', cell '{cell}')")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("notebooks", nargs="+", type=Path)
    p.add_argument("--out", type=Path, required=True, help="folder for the copies")
    p.add_argument("--solutions", type=Path, default=REPO / "notebooks" / "solutions")
    p.add_argument("--wrong", action="store_true", help="fill in the wrong answers of solutions/wrong/")
    args = p.parse_args(argv)
    check_stale(args.notebooks, args.solutions)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in args.notebooks:
        nb, used_wrong = fill(path, args.solutions, args.wrong)
        if args.wrong and not used_wrong:
            continue
        target = args.out / path.name
        target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
