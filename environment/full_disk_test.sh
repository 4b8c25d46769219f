#!/usr/bin/env bash
# Full-disk and read-only test (issue 10): ./cxr train into a work folder on a tiny tmpfs must stop with a message
# naming the file and "No space left on device", leave no temporary or zero-byte file and only complete JSON; on a
# read-only mount it must be refused before any work. Needs root to mount a tmpfs: skipped (exit 0) otherwise.
# Run by ./cxr test; exits non-zero on failure.
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
T="$(mktemp -d "${TMPDIR:-/tmp}/cxr-full-disk.XXXXXX")"
say() { echo "[full-disk] $*"; }
cleanup() { umount "$T/full" 2>/dev/null; umount "$T/ro" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
mkdir -p "$T/full" "$T/ro"
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=700k tmpfs "$T/full" 2>/dev/null; then
    say "skipped: mounting a small tmpfs needs root"
    exit 0
fi
fail=0
check() { if eval "$2"; then say "ok: $1"; else say "FAILED: $1" >&2; fail=1; fi; }

"$REPO/cxr" phantom --out "$T/data" --images 60 --size 32 --seed 5 --quiet > "$T/phantom.log" 2>&1
"$REPO/cxr" train --data "$T/data" --work "$T/full/work" --small --single-stage --scratch --size 32 --epochs 4 \
    --max-batches 3 --quiet > "$T/train.log" 2>&1
rc=$?
check "train on a full disk exits 2 (got $rc)" "[ $rc -eq 2 ]"
check "the message names the file and the cause" "grep -q '^cxr train: cannot write .*No space left on device' '$T/train.log'"
check "no temporary file left" "[ -z \"\$(find '$T/full' -name '*.tmp' -o -name '*.part')\" ]"
check "no zero-byte file" "[ -z \"\$(find '$T/full' -type f -empty)\" ]"
check "every JSON file is complete" \
    "find '$T/full' -name '*.json' -print0 | xargs -0 -r -n1 /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))'"
check "the work folder's lock is released" "[ ! -e '$T/full/work/.cxr-lock' ]"

mount -t tmpfs -o size=1m,ro tmpfs "$T/ro"
started=$SECONDS
"$REPO/cxr" train --data "$T/data" --work "$T/ro/work" --small --single-stage --scratch --size 32 --epochs 1 \
    --quiet > "$T/ro.log" 2>&1
rc=$?
check "a read-only work folder is refused with exit 2 (got $rc)" "[ $rc -eq 2 ]"
check "... naming it before any work" "grep -q 'cannot write into the work folder $T/ro/work: Read-only file system' '$T/ro.log'"
check "... within 60 s (took $((SECONDS - started)) s)" "[ $((SECONDS - started)) -lt 60 ]"

if [ "$fail" -ne 0 ]; then
    tail -n 5 "$T/train.log" "$T/ro.log" >&2
fi
[ "$fail" -eq 0 ] && say "PASSED" || say "FAILED"
exit "$fail"
