#!/usr/bin/env bash
# Installs what the notebooks need, idempotently (each step is skipped when already done):
#   1. Debian packages: Jupyter (nbconvert, nbclient, client, core) and, when missing, JDK 17 + Maven;
#      with --test (./cxr test) also chromium, for the report's headless-browser check;
#   2. the rapaio Java kernel jar from Maven Central into environment/.kernel/;
#   3. our kernel fixes (kernel-fix/: start-up race in LoopThread, interrupt in ControlChannel and
#      RapaioExecutionControl), compiled and put ahead of the jar on the kernel class path;
#   4. the kernel spec "cxr-java" into environment/.jupyter (used as JUPYTER_DATA_DIR; no root needed).
# Settings (environment): CXR_KERNEL_HEAP (JVM -Xmx of the kernel, default 8g),
#   CXR_CELL_TIMEOUT_MIN (per-cell time limit written to the spec, default 20 minutes),
#   CXR_IJAVA_JAR=/path/to/ijava-1.3.0.jar: write the spec for that IJava release instead of rapaio
#   (steps 2-3 are then skipped; see README).
set -euo pipefail

ENV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$ENV_DIR")"
KERNEL_DIR="$ENV_DIR/.kernel"
RJK_VERSION="3.0.1"
RJK_JAR="$KERNEL_DIR/rapaio-jupyter-kernel-$RJK_VERSION.jar"
PATCH_SRC_DIR="$ENV_DIR/kernel-fix"
PATCH_DIR="$KERNEL_DIR/patch"
PATCH_STAMP="$PATCH_DIR/.compiled"
export JUPYTER_DATA_DIR="$ENV_DIR/.jupyter"
SPEC_DIR="$JUPYTER_DATA_DIR/kernels/cxr-java"
HEAP="${CXR_KERNEL_HEAP:-8g}"
TIMEOUT_MIN="${CXR_CELL_TIMEOUT_MIN:-20}"

say() { echo "[install] $*"; }

# --- 1. Debian packages ------------------------------------------------------------------------
missing_packages() {
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
    done
}

apt_install() {
    local need
    need=$(missing_packages "$@")
    [ -z "$need" ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "[install] missing Debian packages: $need" >&2
        echo "[install] run as root: apt-get update && apt-get install -y --no-install-recommends $need" >&2
        exit 1
    fi
    say "apt-get install $need"
    # shellcheck disable=SC2086
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need; then
        say "package lists stale or empty: apt-get update"
        apt-get update -q
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need
    fi
}

command -v javac >/dev/null 2>&1 || apt_install openjdk-17-jdk-headless
command -v mvn >/dev/null 2>&1 || apt_install maven
apt_install jupyter-nbconvert python3-nbclient jupyter-client jupyter-core
# ./cxr test (--test) renders report.html in a headless browser: Debian's chromium
if [ "${1:-}" = "--test" ]; then
    apt_install chromium
fi

if [ -n "${CXR_IJAVA_JAR:-}" ]; then
    [ -f "$CXR_IJAVA_JAR" ] || { echo "[install] CXR_IJAVA_JAR=$CXR_IJAVA_JAR is not a file" >&2; exit 1; }
    KERNEL_KIND=ijava
else
    KERNEL_KIND=rapaio
fi

# --- 2. kernel jar ---------------------------------------------------------------------------
mkdir -p "$KERNEL_DIR"
if [ "$KERNEL_KIND" = rapaio ] && [ ! -s "$RJK_JAR" ]; then
    say "downloading io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION from Maven Central"
    (cd "$REPO" && mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
        -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION" \
        -DoutputDirectory="$KERNEL_DIR")
fi

# --- 3. kernel fixes (start-up race, interrupt) ----------------------------------------------
if [ "$KERNEL_KIND" = rapaio ] && { [ ! -f "$PATCH_STAMP" ] || [ -n "$(find "$PATCH_SRC_DIR" -name '*.java' -newer "$PATCH_STAMP" -print -quit)" ]; }; then
    say "compiling kernel fixes (environment/kernel-fix)"
    rm -rf "$PATCH_DIR"
    # shellcheck disable=SC2046
    javac --release 17 -nowarn -cp "$RJK_JAR" -d "$PATCH_DIR" $(find "$PATCH_SRC_DIR" -name '*.java' | sort)
    touch "$PATCH_STAMP"
fi

# --- 4. kernel spec ----------------------------------------------------------------------------
JAVA_BIN="$(command -v java)"
JAVA_BIN="$(readlink -f "$JAVA_BIN")"
mkdir -p "$SPEC_DIR"
SPEC_JSON="$SPEC_DIR/kernel.json" JAVA_BIN="$JAVA_BIN" HEAP="$HEAP" TIMEOUT_MIN="$TIMEOUT_MIN" \
CLASSPATH_ARG="$PATCH_DIR:$RJK_JAR" MIMA="$KERNEL_DIR/mima_cache" KIND="$KERNEL_KIND" \
IJAVA_JAR="${CXR_IJAVA_JAR:-}" /usr/bin/python3 - <<'PY'
import json, os
jvm = [os.environ["JAVA_BIN"], "-Xmx" + os.environ["HEAP"], "-Djava.awt.headless=true",
       "-Dorg.eclipse.deeplearning4j.helpers.disable=false"]
timeout_ms = str(int(float(os.environ["TIMEOUT_MIN"]) * 60_000))
if os.environ["KIND"] == "ijava":
    argv = jvm + ["-jar", os.path.abspath(os.environ["IJAVA_JAR"]), "{connection_file}"]
    env = {"IJAVA_CLASSPATH": "", "IJAVA_COMPILER_OPTS": "", "IJAVA_TIMEOUT": timeout_ms}
else:
    argv = jvm + ["-cp", os.environ["CLASSPATH_ARG"], "org.rapaio.jupyter.kernel.MainApp", "{connection_file}"]
    env = {"RJK_CLASSPATH": "", "RJK_COMPILER_OPTIONS": "", "RJK_INIT_SCRIPT": "",
           "RJK_TIMEOUT_MILLIS": timeout_ms, "RJK_MIMA_CACHE": os.environ["MIMA"]}
spec = {"argv": argv, "display_name": "Java (cxr-workbook)", "language": "java",
        "interrupt_mode": "message", "env": env}
path = os.environ["SPEC_JSON"]
text = json.dumps(spec, indent=2) + "\n"
old = open(path).read() if os.path.exists(path) else None
if old != text:
    with open(path, "w") as f:
        f.write(text)
    print("[install] kernel spec written:", path)
PY

say "ready: $KERNEL_KIND kernel cxr-java in JUPYTER_DATA_DIR=$JUPYTER_DATA_DIR (heap $HEAP, cell limit ${TIMEOUT_MIN} min)"
