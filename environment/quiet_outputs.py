#!/usr/bin/python3
"""Quiet notebook outputs: settles progress bars in executed notebooks and checks that nothing noisy is left.

settle_streams(nb): merges each cell's consecutive stream outputs of one name and keeps, on every line, only what
follows its last carriage return, so a progress bar redrawn in place with "\\r" is saved as the one line a reader
saw last (run_notebooks.py applies it before writing a notebook).

problems(nb): what a reader should not see in an executed notebook, one sentence each:
  - a setup cell (the one that %load-s setup.jshell) printing more than one line;
  - framework log lines (`[thread] INFO org.nd4j...`, `INFO`/`DEBUG` of slf4j-simple);
  - a number with 9 or more decimals in any text output;
  - text results sent as text/html that are not HTML (rapaio's default, rendered as one wrapped paragraph);
  - a stream line still holding a carriage return (an unsettled progress bar).

    environment/quiet_outputs.py OUTPUT_DIR_OR_NOTEBOOK...   # exit 1 and one line per problem if any
"""
import re
import sys
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
LOG_LINE = re.compile(r"^\s*(\[[^\]]*\]\s+)?(TRACE|DEBUG|INFO)\s+[a-z][\w.$]*\s+-\s", re.MULTILINE)
LONG_DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d{9,}(?![\w])")
HTML_TAG = re.compile(r"<\s*(/?[a-zA-Z][a-zA-Z0-9]*)(\s[^>]*)?/?>")
SETUP_MARK = "%load ../environment/setup.jshell"


def _text(value):
    return "".join(value) if isinstance(value, list) else str(value)


def settle_text(text):
    """The text as a terminal shows it: on each line only what follows the last carriage return."""
    lines = text.split("\n")
    settled = []
    for line in lines:
        if "\r" in line:
            parts = [p for p in line.split("\r")]
            while len(parts) > 1 and parts[-1] == "":
                parts.pop()
            line = parts[-1]
        settled.append(line)
    return "\n".join(settled)


def settle_streams(nb):
    """Merges consecutive stream outputs of the same name and settles carriage returns, in place; returns nb."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        merged = []
        for out in cell.get("outputs", []):
            if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                    and merged[-1].get("name") == out.get("name")):
                merged[-1]["text"] = _text(merged[-1]["text"]) + _text(out.get("text", ""))
            else:
                merged.append(out)
        for out in merged:
            if out.get("output_type") == "stream":
                out["text"] = settle_text(_text(out.get("text", "")))
        cell["outputs"] = merged
    return nb


def _texts(out):
    """(kind, text) of every textual part of one output."""
    if out.get("output_type") == "stream":
        yield out.get("name", "stream"), ANSI.sub("", _text(out.get("text", "")))
    for mime, value in (out.get("data") or {}).items():
        if mime.startswith("text/"):
            yield mime, ANSI.sub("", _text(value))


def problems(nb, name="notebook"):
    found = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        where = f"{name} cell {index + 1}"
        source = _text(cell.get("source", ""))
        outputs = cell.get("outputs", [])
        if SETUP_MARK in source:
            lines = [line for out in outputs for _, text in _texts(out) for line in text.splitlines() if line.strip()]
            if len(lines) > 1:
                found.append(f"{where} (setup) prints {len(lines)} lines, at most 1 allowed: {lines[:2]}")
        for out in outputs:
            for kind, text in _texts(out):
                log = LOG_LINE.search(text)
                if log:
                    found.append(f"{where}: framework log line in {kind}: {text[log.start():].splitlines()[0][:120]!r}")
                number = LONG_DECIMAL.search(text)
                if number:
                    found.append(f"{where}: {len(number.group().split('.')[1])}-decimal number {number.group()} "
                                 f"in {kind}")
                if kind == "text/html" and not HTML_TAG.search(text):
                    found.append(f"{where}: plain text sent as text/html (shown as one wrapped paragraph): "
                                 f"{text.strip()[:60]!r}")
                if kind in ("stdout", "stderr") and "\r" in text:
                    found.append(f"{where}: {kind} still holds a carriage return (unsettled progress bar)")
    return found


def main(argv):
    import nbformat
    paths = []
    for arg in argv:
        p = Path(arg)
        paths += sorted(p.glob("*.ipynb")) if p.is_dir() else [p]
    if not paths:
        print("quiet_outputs: no executed notebooks given", file=sys.stderr)
        return 2
    found = []
    for path in paths:
        found += problems(nbformat.read(str(path), as_version=4), path.name)
    for line in found:
        print(line)
    print(f"quiet outputs: {len(paths)} notebook(s), {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
