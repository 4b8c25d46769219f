#!/usr/bin/env bash
# Launcher path test (issue 10): ./cxr called from another folder resolves the paths a user types against that
# folder and the workbook's own defaults against the repository. Run by ./cxr test; exits non-zero on failure.
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CALLER="$(mktemp -d "${TMPDIR:-/tmp}/cxr-caller.XXXXXX")"
trap 'rm -rf "$CALLER"' EXIT
fail=0
check() { if eval "$2"; then echo "[launcher-paths] ok: $1"; else echo "[launcher-paths] FAILED: $1" >&2; fail=1; fi; }
cd "$CALLER" || exit 1

name="cxr-launcher-test-$$"
"$REPO/cxr" phantom --out "$name" --images 12 --size 32 --seed 3 --quiet > phantom.log 2>&1
check "phantom --out $name writes into the caller's folder" "[ -f '$CALLER/$name/Data_Entry_2017_v2020.csv' ]"
check "... and nothing into the repository" "[ ! -e '$REPO/$name' ]"

"$REPO/cxr" inspect --data "$name" --json > inspect.json 2> inspect.err
check "inspect --data $name (relative) reads the caller's folder" "grep -q '\"images\" *: *12' inspect.json"

"$REPO/cxr" inspect --data "no-such-$name" --json > missing.json 2> missing.err
check "a missing relative --data is named as given, not as a repository path" \
    "grep -q 'no-such-$name' missing.json && ! grep -q '$REPO/no-such' missing.json"

"$REPO/cxr" split --data "$name" --out lists > split.log 2>&1
check "split --out lists writes into the caller's folder" "[ -f '$CALLER/lists/train_list.txt' ] && [ ! -e '$REPO/lists' ]"

"$REPO/cxr" train --help > help.txt 2>&1
check "train --help shows the repository's default data and work folders" \
    "grep -q '$REPO/data/phantom' help.txt && grep -q '$REPO/output/work' help.txt"

"$REPO/cxr" report --help > report-help.txt 2>&1
check "report --help defaults to the repository's output/" "grep -q '$REPO/output' report-help.txt"

# A set of the classic renderer (its phantom.json names no renderer) in a default data folder is moved aside, not
# deleted, and drawn again with the default renderer; an attenuation set is left alone. The launcher's own
# ensure_phantom function is run, with exec_java calling the launcher.
old_set="classic-$name"
"$REPO/cxr" phantom --out "$old_set" --images 12 --size 32 --seed 3 --renderer classic --quiet > classic.log 2>&1
(
    log() { echo "[cxr] $*"; }
    exec_java() { "$REPO/cxr" "$@"; }
    eval "$(sed -n '/^ensure_phantom() {/,/^}/p' "$REPO/cxr")"
    ensure_phantom "$old_set" --images 12 --size 32 --seed 3 --quiet
    ensure_phantom "$old_set" --images 12 --size 32 --seed 3 --quiet
) > ensure.log 2>&1
check "a classic set in a default folder is moved to FOLDER-classic and drawn again with the attenuation renderer" \
    "[ -f '$old_set-classic/Data_Entry_2017_v2020.csv' ] && ! grep -q renderer '$old_set-classic/phantom.json' \
     && grep -q '\"renderer\": \"attenuation\"' '$old_set/phantom.json' && [ \$(grep -c 'moved to' ensure.log) -eq 1 ]"

[ "$fail" -eq 0 ] && echo "[launcher-paths] PASSED" || echo "[launcher-paths] FAILED (logs in $CALLER kept)" >&2
[ "$fail" -eq 0 ] || trap - EXIT
exit "$fail"
