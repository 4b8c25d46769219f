#!/usr/bin/python3
"""Renders a run's report.html in headless Chromium (Debian's `chromium`) and checks what a reader sees.

Asserts on the DOM after the page's load event: every embedded picture decoded (the page records
`data-images-loaded="n/N"` on <body> once loaded), at least one picture, the headline with the mean test AUC
and its interval, the comparison with the reference run, the receipt naming commit and kernel, and the notebook
table. Keeps a screenshot next to the report (report-screenshot.png) and checks it is a real picture.

    environment/report_browser_test.py OUTPUT_DIR        # exit 0 and one line if all holds, else 1 and what failed
"""
import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def browser():
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit("report_browser_test: no Chromium found (apt-get install chromium; environment/install.sh "
                     "--test installs it)")


def chromium(args, profile):
    cmd = [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
           f"--user-data-dir={profile}", "--virtual-time-budget=10000", "--run-all-compositor-stages-before-draw",
           *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def visible_text(dom):
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom)))


def check(dom, screenshot):
    problems = []
    m = re.search(r'<body[^>]*data-images-loaded="(\d+)/(\d+)"', dom)
    if not m:
        problems.append("the page's load handler did not run (no data-images-loaded on <body>)")
    else:
        loaded, total = int(m.group(1)), int(m.group(2))
        if total == 0:
            problems.append("no picture on the page")
        elif loaded != total:
            problems.append(f"only {loaded} of {total} pictures decoded")
    text = visible_text(dom)
    for pattern, what in [
            (r"Mean test AUC \d\.\d{3} \(95 % CI \d\.\d{3}–\d\.\d{3}", "headline with mean test AUC and CI"),
            (r"trained on [\d,]+ \w+ ?\w* films?", "headline naming the data"),
            (r"Notebooks .* in total", "headline with the times"),
            (r"Compared with the reference run (Matches the reference|Differs from the reference|Not comparable)",
             "comparison with the reference run"),
            (r"Run receipt commit [0-9a-f]{7,}", "receipt with the commit"),
            (r"kernel (rapaio-jupyter-kernel|IJava)", "receipt naming the kernel"),
            (r"Test AUC per finding finding positives AUC", "per-finding AUC table"),
            (r"07-roc-auc\.ipynb ok", "notebook table")]:
        if not re.search(pattern, text):
            problems.append(f"missing: {what} (/{pattern}/)")
    if not screenshot.is_file():
        problems.append("no screenshot written")
    else:
        data = screenshot.read_bytes()
        if not data.startswith(b"\x89PNG") or len(data) < 20_000:
            problems.append(f"screenshot is not a real picture ({len(data)} bytes)")
    return problems, m.group(0) if m else ""


def main(argv):
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0]).resolve()
    report = out / "report.html"
    if not report.is_file():
        print(f"report_browser_test: no {report}", file=sys.stderr)
        return 1
    screenshot = out / "report-screenshot.png"
    with tempfile.TemporaryDirectory(prefix="cxr-chromium-") as profile:
        dom = chromium(["--dump-dom", report.as_uri()], profile)
        shot = chromium([f"--screenshot={screenshot}", "--window-size=1280,2400", report.as_uri()], profile)
    if dom.returncode != 0 or not dom.stdout.strip():
        print(f"report_browser_test: chromium --dump-dom failed ({dom.returncode}): {dom.stderr.strip()[-400:]}")
        return 1
    if shot.returncode != 0:
        print(f"report_browser_test: chromium --screenshot failed ({shot.returncode}): {shot.stderr.strip()[-400:]}")
    problems, images = check(dom.stdout, screenshot)
    for p in problems:
        print(f"report_browser_test: {p}")
    if problems:
        return 1
    print(f"report_browser_test: ok, {report} rendered in Chromium ({images.split('=')[-1].strip(chr(34))} pictures "
          f"decoded), screenshot {screenshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
