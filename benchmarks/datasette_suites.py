"""Run Datasette's own test suite without and with this plugin, and list what the plugin breaks.

For each Datasette version given, this script

1. downloads that version's sdist with pip (``pip download --no-binary :all: --no-deps``) and
   unpacks it;
2. fills in what the sdist leaves out of Datasette's test tree (``tests/conftest.py``,
   ``tests/fixtures.py``, ``tests/plugins/``, ``docs/``, ``pytest.ini`` ...) from a git clone of
   Datasette's repository, at the tag of that version when the clone has it, else at the newest
   tag (or branch tip) of the same line before it; the sdist's own files are never replaced;
3. makes a virtualenv holding that Datasette (editable, from the unpacked tree) with its test
   dependencies (the ``test`` extra on 0.65, the ``dev`` dependency group on 1.0) and this
   project (installed afresh from the working tree on every run);
4. runs the suite twice, with a pytest plugin of its own (``-p``) that imports Datasette's
   plugin manager before Datasette's ``conftest.py`` marks the session as a test: run "with"
   unmarked, so the installed entry points load as they do in production (Datasette 1.0's
   test session would load them by itself, 0.65's would not); run "without" marked, so
   none loads. The same on both lines;
5. runs the tests that failed only with the plugin once more in both modes (one pytest run
   each, those tests alone) and prints those that fail again with the plugin and pass
   without it as caused by the plugin (the others as not repeatable), the tests failing only
   without it, then a summary line per version: tests run, failures without and with the
   plugin, failures caused by the plugin.

Expected plugin-caused failures are the plugin listings only (``/-/plugins.json`` and the
``datasette plugins`` command, which list the registered plugins).

Usage::

    git clone https://github.com/simonw/datasette /somewhere/datasette   # Apache-2.0
    python benchmarks/datasette_suites.py --datasette-repo /somewhere/datasette \\
        [--work DIR] [--version 0.65.5 --version 1.0a41] [--timeout 120] [--jobs 1] \\
        [-k EXPR] [--tests tests/test_facets.py ...] [--reuse-without] [--project DIR] \\
        [--rebuild]

The clone is needed because Datasette's sdists ship its test modules but not their
``conftest.py``, ``fixtures.py`` or ``plugins/``. ``--reuse-without`` takes the run without
the plugin from the last report of the same selection (it does not depend on this project),
so checking a change to the plugin costs one run per version; ``--project`` installs another
checkout of this project instead of this one.

Environment variables instead of options: ``DATASETTE_REPO`` (the clone; without one the
script prints why and exits 0), ``DATASETTE_SUITES_WORK`` (the cache folder for sdists,
virtualenvs, test trees and reports; default ``~/.cache/reportcorpus-datasette-suites``; keep it
outside this repository). A run takes a long while: about 1,200 tests on 0.65 and 2,900 on 1.0,
each run twice. ``--jobs N`` uses pytest-xdist for the tests not marked ``serial`` when it is
installed in the virtualenv; ``--timeout`` is the pytest-timeout limit per test in seconds.
The JUnit reports of the last runs are kept in ``WORK/reports/``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
PROJECT = HERE  # replaced by --project
DEFAULT_VERSIONS = ["0.65.5", "1.0a41"]
ENTRY_POINT_NAME = "reportcorpus"
PLUGIN_MODULE = "datasette_reportcorpus"
SWITCH_ENV = "REPORTCORPUS_SUITE_PLUGIN"

# Documentation builders listed with the test dependencies of Datasette 1.0; the suite needs none.
DOC_ONLY = {
    "sphinx",
    "furo",
    "sphinx-autobuild",
    "sphinx-copybutton",
    "sphinx-inline-tabs",
    "myst-parser",
    "sphinx-markdown-builder",
}

SWITCH_PLUGIN = '''\
"""Loaded with -p before Datasette's conftest: puts the plugin in or out of the plugin manager."""
import importlib
import os
import sys

MODE = os.environ.get("{env}", "off")

# Both lines load installed entry points when datasette.plugins is first imported, unless
# the session is marked as a test (which Datasette's conftest does, later). With the
# plugin: imported unmarked, so every installed entry point loads as in production.
# Without: marked first, so none loads, and no trace of this plugin is left in pluggy.
if MODE == "off":
    sys._called_from_test = True
from datasette.plugins import pm  # noqa: E402


def _apply():
    registered = pm.get_plugin("{name}")
    if MODE == "on" and registered is None:
        pm.register(importlib.import_module("{module}"), name="{name}")
    elif MODE == "off" and registered is not None:
        pm.unregister(name="{name}")


_apply()


def pytest_configure(config):
    _apply()


def pytest_terminal_summary(terminalreporter):
    loaded = pm.get_plugin("{name}") is not None
    terminalreporter.write_line(
        "reportcorpus plugin: {{}} (mode {{}})".format("loaded" if loaded else "absent", MODE))
'''.format(env=SWITCH_ENV, name=ENTRY_POINT_NAME, module=PLUGIN_MODULE)


def log(message: str) -> None:
    print(message, flush=True)


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run ``cmd``; its output is shown only when it fails."""
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            **kwargs)
    if result.returncode:
        print(result.stdout[-4000:], file=sys.stderr)
        raise SystemExit(f"failed ({result.returncode}): {' '.join(cmd)}")
    return result


def version_key(text: str) -> tuple:
    """Order 0.65.5 < 1.0a7 < 1.0a41 < 1.0 without third-party packages."""
    match = re.fullmatch(r"(\d+(?:\.\d+)*)(?:(a|b|rc)(\d+))?", text)
    if not match:
        return ()
    release = tuple(int(part) for part in match.group(1).split("."))
    release += (0,) * (4 - len(release))
    pre = {"a": 0, "b": 1, "rc": 2}.get(match.group(2), 3)
    return release + (pre, int(match.group(3) or 0))


def line_of(version: str) -> str:
    return ".".join(version.split(".")[:2]).split("a")[0].split("b")[0].split("rc")[0]


def choose_ref(repo: Path, version: str) -> str:
    """The clone's tag for this version, else the nearest earlier tag or branch tip of its line."""
    tags = subprocess.run(
        ["git", "-C", str(repo), "tag"], check=True, capture_output=True, text=True
    ).stdout.split()
    if version in tags:
        return version
    line = line_of(version)
    same_line = [t for t in tags if version_key(t) and line_of(t) == line]
    newer = [t for t in same_line if version_key(t) > version_key(version)]
    older = sorted((t for t in same_line if version_key(t) < version_key(version)), key=version_key)
    branches = subprocess.run(
        ["git", "-C", str(repo), "branch", "-a", "--format=%(refname:short)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    maintenance = [b for b in branches if b.split("/")[-1] == f"{line}.x"]
    if not newer and maintenance and "a" not in version:
        return maintenance[0]  # a point release newer than every tag: the maintenance branch
    if not newer and "a" in version:
        return "HEAD"  # alphas are cut from the default branch
    if older:
        return older[-1]
    raise SystemExit(f"no tag or branch of Datasette {line} in {repo}")


def get_sdist(work: Path, version: str) -> Path:
    sdists = work / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    found = list(sdists.glob(f"datasette-{version}.tar.gz"))
    if not found:
        log(f"[{version}] downloading the sdist")
        run(
            [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps",
             "--quiet", "-d", str(sdists), f"datasette=={version}"]
        )
        found = list(sdists.glob(f"datasette-{version}.tar.gz"))
    if not found:
        raise SystemExit(f"pip did not save datasette-{version}.tar.gz in {sdists}")
    return found[0]


def build_tree(work: Path, version: str, sdist: Path, repo: Path, rebuild: bool) -> tuple[Path, str]:
    tree = work / f"tree-{version}"
    marker = tree / ".filled-from"
    if marker.exists() and not rebuild:
        return tree, marker.read_text().strip()
    if tree.exists():
        shutil.rmtree(tree)
    unpack = work / f"unpack-{version}"
    shutil.rmtree(unpack, ignore_errors=True)
    unpack.mkdir(parents=True)
    with tarfile.open(sdist) as archive:
        archive.extractall(unpack, filter="data")
    (top,) = list(unpack.iterdir())
    top.rename(tree)
    shutil.rmtree(unpack)
    ref = choose_ref(repo, version)
    from_repo = work / f"repo-files-{version}"
    shutil.rmtree(from_repo, ignore_errors=True)
    from_repo.mkdir()
    present = set(subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "--name-only", ref], check=True,
        capture_output=True, text=True).stdout.split())
    wanted = [p for p in ("tests", "docs", "pytest.ini", "pyproject.toml", "setup.py")
              if p in present]
    archive = subprocess.run(
        ["git", "-C", str(repo), "archive", "--format=tar", ref, *wanted],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(from_repo)], input=archive, check=True)
    added = 0
    for path in sorted(from_repo.rglob("*")):
        if path.is_dir():
            continue
        rel = path.relative_to(from_repo)
        target = tree / rel
        if rel.name in ("pyproject.toml", "setup.py"):
            # Kept apart: what the support files' own line needs (e.g. an HTTP client
            # the sdist's tests no longer use, imported by an older conftest.py).
            shutil.copy2(path, tree / f".ref-{rel.name}")
            continue
        if target.exists():
            continue
        if rel.parts[0] == "tests" and rel.name.startswith("test_") and rel.suffix == ".py" \
                and len(rel.parts) == 2:
            continue  # test modules come from the sdist only: they match the installed code
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        added += 1
    shutil.rmtree(from_repo)
    marker.write_text(ref + "\n")
    log(f"[{version}] test tree {tree}: sdist files, plus {added} support files from ref {ref}")
    return tree, ref


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _declared(pyproject: Path, setup_py: Path) -> list[str]:
    """Runtime and test requirements a tree declares (pyproject's dependencies and dev
    group, or setup.py's install_requires and test extra)."""
    if pyproject.exists():
        data = tomllib.loads(pyproject.read_text())
        found = list(data.get("project", {}).get("dependencies", []))
        found += [r for r in data.get("dependency-groups", {}).get("dev", []) if isinstance(r, str)]
        if found:
            return found
    if setup_py.exists():
        text = setup_py.read_text()
        found = []
        for block in re.findall(r'(?:install_requires=|"test":\s*)\[(.*?)\]', text, re.S):
            found += re.findall(r'"([^"]+)"', block)
        return found
    return []


def test_requirements(tree: Path) -> list[str]:
    """What to install beside the editable Datasette: its test requirements, plus any the
    support files' version declares under a name the sdist does not use."""
    own = _declared(tree / "pyproject.toml", tree / "setup.py")
    names = {_name(r) for r in own}
    theirs = [r for r in _declared(tree / ".ref-pyproject.toml", tree / ".ref-setup.py")
              if _name(r) not in names and _name(r) != "datasette"]
    return [r for r in own + theirs if _name(r) not in DOC_ONLY]


def build_venv(work: Path, version: str, tree: Path, rebuild: bool) -> Path:
    venv = work / f"venv-{version}"
    python = venv / "bin" / "python"
    marker = venv / ".ready"
    if rebuild and venv.exists():
        shutil.rmtree(venv)
    if not marker.exists():
        log(f"[{version}] making the virtualenv {venv}")
        run([sys.executable, "-m", "venv", "--clear", str(venv)])
        pip = [str(python), "-m", "pip", "install", "--quiet"]
        run(pip + ["-e", str(tree)] + test_requirements(tree))
        run(pip + [str(PROJECT)])  # with its dependencies, once
        marker.write_text(version + "\n")
    # This project afresh from the working tree on every run, Datasette left as it is.
    log(f"[{version}] installing this project from {PROJECT}")
    # Built from a clean copy (a build/ folder left in the checkout would ship modules it
    # no longer has), and the old install removed first.
    source = work / f"project-src-{version}"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(PROJECT, source, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", ".venv*", "*.egg-info", "__pycache__", "test-artifacts"))
    run([str(python), "-m", "pip", "uninstall", "--yes", "--quiet", "datasette-reportcorpus"])
    run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(source)])
    installed = subprocess.run(
        [str(python), "-c", "import datasette.version as v; print(v.__version__)"],
        check=True, capture_output=True, text=True, cwd=str(work),
    ).stdout.strip()
    if installed != version:
        raise SystemExit(f"the virtualenv has datasette {installed}, not {version}")
    return python


def has_module(python: Path, module: str) -> bool:
    return subprocess.run([str(python), "-c", f"import {module}"], capture_output=True).returncode == 0


def pytest_command(python: Path, report: Path, timeout: int, extra: list[str]) -> list[str]:
    cmd = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "reportcorpus_switch",
           f"--junitxml={report}", "-o", "junit_family=xunit1", "--tb=line", "-rN"]
    if timeout:
        cmd.append(f"--timeout={timeout}")
    return cmd + extra


def run_suite(python: Path, tree: Path, work: Path, version: str, mode: str, timeout: int,
              jobs: int, select: list[str], tag: str) -> dict[str, str]:
    """Run the suite (or the given node ids) and return {node id: outcome}."""
    reports = work / "reports"
    reports.mkdir(exist_ok=True)
    env = dict(os.environ)
    env[SWITCH_ENV] = mode
    env["PYTHONPATH"] = str(work / "switch")
    env.pop("DATASETTE_LOAD_PLUGINS", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    outcomes: dict[str, str] = {}
    parts: list[tuple[str, list[str]]]
    if jobs > 1 and not select and has_module(python, "xdist"):
        parts = [("parallel", ["-p", "xdist", "-n", str(jobs), "-m", "not serial", "tests"]),
                 ("serial", ["-m", "serial", "tests"])]
    else:
        parts = [("all", select or ["tests"])]
    for part, args in parts:
        report = reports / f"{version}-{mode}-{tag}-{part}.xml"
        report.unlink(missing_ok=True)
        started = time.time()
        log(f"[{version}] pytest, plugin {mode}, {tag} {part} ...")
        output = report.with_suffix(".log")  # follow a run with tail -f
        with output.open("w") as out:
            subprocess.run(pytest_command(python, report, timeout, args), cwd=str(tree),
                           env=env, stdout=out, stderr=subprocess.STDOUT)
        text = output.read_text(errors="replace")
        tail = text.strip().splitlines()[-1:] or [""]
        state = [line for line in text.splitlines() if line.startswith("reportcorpus plugin:")]
        log(f"[{version}]   {tail[0]} ({time.time() - started:.0f} s) {' '.join(state)}")
        wanted = "loaded" if mode == "on" else "absent"
        if state and wanted not in state[-1]:
            raise SystemExit(f"the switch failed: {state[-1]} in a run with the plugin {mode}")
        if not report.exists():
            log(text[-3000:])
            raise SystemExit(f"pytest wrote no report for {version} {mode}")
        outcomes.update(parse_junit(report))
    return outcomes


def parse_junit(report: Path) -> dict[str, str]:
    outcomes: dict[str, str] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        file = case.get("file") or case.get("classname", "").replace(".", "/") + ".py"
        classname = case.get("classname", "")
        module_path = file
        cls = ""
        # classname is dotted module[.Class]; keep a class part when the module is tests.x
        dotted = classname.split(".")
        if len(dotted) > 2:
            cls = "::".join(dotted[2:])
        node = module_path + ("::" + cls if cls else "") + "::" + case.get("name", "")
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "failed" if child.tag == "failure" else "error"
                break
            if child.tag == "skipped":
                outcome = "skipped"
        # a test passing its call but erroring in teardown appears twice: keep the worst
        if outcomes.get(node) in ("failed", "error") and outcome in ("passed", "skipped"):
            continue
        outcomes[node] = outcome
    return outcomes


def failing(outcomes: dict[str, str]) -> set[str]:
    return {node for node, outcome in outcomes.items() if outcome in ("failed", "error")}


def compare(python, tree, work, version, timeout, jobs, keyword, tests, reuse) -> dict:
    select = (["-k", keyword] if keyword else []) + (tests or (["tests"] if keyword else []))
    tag = "full" if not select else "part-" + hashlib.sha1(" ".join(select).encode()).hexdigest()[:8]
    reports = sorted((work / "reports").glob(f"{version}-off-{tag}-*.xml"))
    if reuse and reports:
        log(f"[{version}] reusing the run without the plugin: {' '.join(map(str, reports))}")
        without = {}
        for report in reports:
            without.update(parse_junit(report))
    else:
        without = run_suite(python, tree, work, version, "off", timeout, jobs, select, tag)
    with_ = run_suite(python, tree, work, version, "on", timeout, jobs, select, tag)
    candidates = sorted(failing(with_) - failing(without))
    confirmed, flaky = [], []
    if candidates:
        # Once more, only these, in both modes: what fails again with the plugin and passes
        # without it is the plugin's doing; the rest depended on timing or on test order.
        again_with = failing(run_suite(python, tree, work, version, "on", timeout, 1,
                                       candidates, "rerun"))
        again_without = failing(run_suite(python, tree, work, version, "off", timeout, 1,
                                          candidates, "rerun"))
        for node in candidates:
            (confirmed if node in again_with and node not in again_without else flaky).append(node)
    return {
        "run": len(with_),
        "without": len(failing(without)),
        "with": len(failing(with_)),
        "only_without": sorted(failing(without) - failing(with_)),
        "plugin": confirmed,
        "flaky": flaky,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="append", dest="versions",
                        help=f"Datasette version, repeatable (default {' '.join(DEFAULT_VERSIONS)})")
    parser.add_argument("--datasette-repo", default=os.environ.get("DATASETTE_REPO"),
                        help="git clone of Datasette's repository (or DATASETTE_REPO)")
    parser.add_argument("--work", default=os.environ.get("DATASETTE_SUITES_WORK"),
                        help="cache folder (or DATASETTE_SUITES_WORK)")
    parser.add_argument("--timeout", type=int, default=120, help="seconds per test (default 120)")
    parser.add_argument("--jobs", type=int, default=1, help="pytest-xdist workers (default 1)")
    parser.add_argument("-k", dest="keyword", help="only tests matching this pytest -k expression")
    parser.add_argument("--rebuild", action="store_true", help="remake test trees and virtualenvs")
    parser.add_argument("--tests", nargs="+", metavar="PATH",
                        help="only these test files or node ids (e.g. tests/test_facets.py)")
    parser.add_argument("--reuse-without", action="store_true",
                        help="take the run without the plugin from the last report of the same"
                             " selection (it does not depend on this project)")
    parser.add_argument("--project", help="the project to install (default: this checkout)")
    args = parser.parse_args(argv)
    global PROJECT
    if args.project:
        PROJECT = Path(args.project).resolve()

    if not args.datasette_repo or not (Path(args.datasette_repo) / ".git").exists() and not (
        Path(args.datasette_repo) / "HEAD"
    ).exists():
        print("skipped: no Datasette clone; pass --datasette-repo or set DATASETTE_REPO "
              "(git clone https://github.com/simonw/datasette): its sdists lack the test fixtures")
        return 0
    repo = Path(args.datasette_repo).resolve()
    work = Path(args.work or Path.home() / ".cache" / "reportcorpus-datasette-suites").resolve()
    if work == HERE or HERE in work.parents:
        raise SystemExit(f"--work {work} is inside the project: choose a folder outside it")
    work.mkdir(parents=True, exist_ok=True)
    switch = work / "switch"
    switch.mkdir(exist_ok=True)
    (switch / "reportcorpus_switch.py").write_text(SWITCH_PLUGIN)

    results = {}
    for version in args.versions or DEFAULT_VERSIONS:
        sdist = get_sdist(work, version)
        tree, ref = build_tree(work, version, sdist, repo, args.rebuild)
        python = build_venv(work, version, tree, args.rebuild)
        results[version] = compare(python, tree, work, version, args.timeout, args.jobs,
                                   args.keyword, args.tests, args.reuse_without)
        results[version]["ref"] = ref

    print()
    for version, r in results.items():
        print(f"Datasette {version} (support files from {r['ref']}):")
        for node in r["plugin"]:
            print(f"  fails only with the plugin: {node}")
        for node in r["flaky"]:
            print(f"  failed once with the plugin, not on a second run: {node}")
        for node in r["only_without"]:
            print(f"  fails only without the plugin: {node}")
    for version, r in results.items():
        print(f"SUMMARY datasette {version}: {r['run']} tests run, {r['without']} failed without "
              f"the plugin, {r['with']} with it, {len(r['plugin'])} caused by the plugin"
              f" ({len(r['flaky'])} not repeatable)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
