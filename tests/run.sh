#!/usr/bin/env bash
# The test command: sets up one virtualenv per supported Datasette line and runs
# the whole pytest suite in each.
#
#   bash tests/run.sh                  # everything, both lines
#   bash tests/run.sh -k search -x     # extra arguments go to pytest (both runs)
#
# Environment:
#   REPORTCORPUS_SHARED     shared corpora (default: ../shared beside the repository)
#   REPORTCORPUS_DATASETTE  "0.65", "1.0" or "both" (default) - which lines to run
#   REPORTCORPUS_UPGRADE=1  reinstall the virtualenvs (e.g. to pick up a newer 1.0 alpha)
#   PYTHON                  interpreter used to create the virtualenvs (default: python3)
#
# The last line printed is "N passed, N failed, N skipped" summed over both runs.
# Exit status is non-zero if either run failed or collected no tests.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENVS="$ROOT/.venvs"
PYTHON="${PYTHON:-python3}"
mkdir -p "$VENVS"

if [ -z "${REPORTCORPUS_SHARED:-}" ]; then
    REPORTCORPUS_SHARED="$(dirname "$ROOT")/shared"
fi
case "$REPORTCORPUS_SHARED" in
    /*) ;;
    *) REPORTCORPUS_SHARED="$ROOT/$REPORTCORPUS_SHARED" ;;
esac
export REPORTCORPUS_SHARED

# name | pip requirement | extra pip flags
LINES=()
case "${REPORTCORPUS_DATASETTE:-both}" in
    0.65) LINES=("0.65") ;;
    1.0) LINES=("1.0") ;;
    both) LINES=("0.65" "1.0") ;;
    *) echo "REPORTCORPUS_DATASETTE must be 0.65, 1.0 or both" >&2; exit 2 ;;
esac

requirement() {
    case "$1" in
        0.65) echo "datasette>=0.65,<0.66" ;;
        1.0) echo "datasette>=1.0a0,<1.1" ;;
    esac
}

# The stamp ties a virtualenv to the dependency list and interpreter it was built
# from, so an unchanged checkout re-uses it without touching the network.
# Only what decides the install counts (dependencies, entry points, packaging),
# so editing e.g. pytest options does not rebuild the virtualenvs.
stamp_for() {
    {
        "$PYTHON" - "$ROOT/pyproject.toml" <<'PY' 2>/dev/null || cat "$ROOT/pyproject.toml"
import json, sys, tomllib
with open(sys.argv[1], "rb") as f:
    data = tomllib.load(f)
project = {k: v for k, v in data.get("project", {}).items() if k not in {"description", "classifiers"}}
print(json.dumps([data.get("build-system"), project, data.get("tool", {}).get("setuptools")], sort_keys=True))
PY
        requirement "$1"
        "$PYTHON" -c 'import sys; print(sys.version)'
    } | sha256sum | cut -d' ' -f1
}

venv_ready() {
    local venv="$VENVS/datasette-$1"
    [ "${REPORTCORPUS_UPGRADE:-0}" != 1 ] && [ -f "$venv/.stamp" ] \
        && [ "$(cat "$venv/.stamp")" = "$(stamp_for "$1")" ] \
        && "$venv/bin/python" -c 'import datasette, datasette_reportcorpus, pytest' >/dev/null 2>&1
}

setup_venv() {
    local line="$1" venv="$VENVS/datasette-$1" log="$VENVS/datasette-$1.pip.log"
    local req stamp py
    req="$(requirement "$line")"
    stamp="$(stamp_for "$line")"
    py="$venv/bin/python"
    : >"$log"
    rm -rf "$venv"
    "$PYTHON" -m venv "$venv" >>"$log" 2>&1 || return 1
    local pip=("$py" -m pip install --disable-pip-version-check --no-input)
    if [ "$line" = "1.0" ]; then
        # --pre only for Datasette itself; then pin the alpha it chose so the
        # project install below neither downgrades it nor pulls other pre-releases.
        "${pip[@]}" --pre "$req" >>"$log" 2>&1 || return 1
        local got
        got="$("$py" -c 'from datasette.version import __version__; print(__version__)')" || return 1
        "${pip[@]}" -e "$ROOT[test]" "datasette==$got" >>"$log" 2>&1 || return 1
    else
        # 0.65 also gets the html extra (trafilatura), so the suite runs the web-page
        # reader with it on this line and the message for the missing extra on 1.0.
        "${pip[@]}" -e "$ROOT[test,html]" "$req" >>"$log" 2>&1 || return 1
    fi
    echo "$stamp" >"$venv/.stamp"
}

# Set both virtualenvs up side by side: a cold start is mostly waiting on downloads.
declare -A SETUP_PID
for line in "${LINES[@]}"; do
    if ! venv_ready "$line"; then
        echo "Setting up .venvs/datasette-$line ($(requirement "$line")); log: .venvs/datasette-$line.pip.log"
        setup_venv "$line" &
        SETUP_PID[$line]=$!
    fi
done
SETUP_FAILED=0
for line in "${!SETUP_PID[@]}"; do
    if ! wait "${SETUP_PID[$line]}"; then
        echo "Setting up .venvs/datasette-$line failed; end of $VENVS/datasette-$line.pip.log:" >&2
        tail -n 30 "$VENVS/datasette-$line.pip.log" >&2
        SETUP_FAILED=1
    fi
done
if [ "$SETUP_FAILED" = 1 ]; then
    echo "0 passed, 1 failed"
    exit 1
fi

TOTAL_PASSED=0
TOTAL_FAILED=0
TOTAL_SKIPPED=0
STATUS=0
SUMMARY=()
RESULTS="$(mktemp -d)"
trap 'rm -rf "$RESULTS"' EXIT

for line in "${LINES[@]}"; do
    py="$VENVS/datasette-$line/bin/python"
    version="$("$py" -c 'from datasette.version import __version__; print(__version__)')"
    echo
    echo "=== Datasette $version (.venvs/datasette-$line) ==="
    xml="$RESULTS/$line.xml"
    # -rfEs: list failures, errors and the reasons for skips at the end of each run.
    "$py" -m pytest -q -p no:cacheprovider -rfEs --junitxml="$xml" "$@"
    rc=$?
    counts="$("$py" - "$xml" <<'EOF'
import sys
import xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print("0 0 0")
    sys.exit()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
tests = failed = skipped = 0
for s in suites:
    tests += int(s.get("tests", 0))
    failed += int(s.get("failures", 0)) + int(s.get("errors", 0))
    skipped += int(s.get("skipped", 0))
print(tests - failed - skipped, failed, skipped)
EOF
)"
    read -r passed failed skipped <<<"$counts"
    # Exit 5 means no tests ran; any non-zero exit fails the whole command, and
    # is counted as a failure even where pytest stopped before reporting one.
    if [ "$rc" -ne 0 ]; then
        STATUS=1
        if [ "$failed" -eq 0 ]; then failed=1; fi
    fi
    TOTAL_PASSED=$((TOTAL_PASSED + passed))
    TOTAL_FAILED=$((TOTAL_FAILED + failed))
    TOTAL_SKIPPED=$((TOTAL_SKIPPED + skipped))
    note="pytest exit $rc"
    case "$rc" in
        0) ;;
        1) note="$note: tests failed" ;;
        5) note="$note: no tests ran" ;;
        *) note="$note: pytest stopped early" ;;
    esac
    SUMMARY+=("Datasette $version: $passed passed, $failed failed, $skipped skipped ($note)")
done

echo
for s in "${SUMMARY[@]}"; do echo "$s"; done
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed, $TOTAL_SKIPPED skipped"
exit "$STATUS"
