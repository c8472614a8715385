"""The sdist and wheel as a user gets them: built from a copy of the source tree,
checked by ``twine check`` and ``check-wheel-contents``, the wheel installed and
imported by its names, and the sdist's own tests run against its own code.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tracked_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("the source tree is not a git checkout (an unpacked sdist): nothing to build")
    return [f for f in out.decode().split("\0") if f and (ROOT / f).is_file()]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(wheel, sdist) built with setuptools' own backend from a clean copy of the tree."""
    pytest.importorskip("setuptools", minversion="77")
    src = tmp_path_factory.mktemp("src")
    for f in _tracked_files():
        (src / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, src / f)
    dist = tmp_path_factory.mktemp("dist")
    built = []
    # One process per build, as a build frontend does (the backend keeps state).
    for hook in ("build_sdist", "build_wheel"):
        code = f"import sys; from setuptools import build_meta as b; print('BUILT', b.{hook}(sys.argv[1]))"
        run = subprocess.run([sys.executable, "-c", code, str(dist)], cwd=src, capture_output=True,
                             text=True)
        assert run.returncode == 0, run.stderr[-3000:]
        # setuptools' own warnings (deprecated license tables, data folders not declared as
        # packages, ...) are build defects; "byte-compiling is disabled" is the environment's.
        assert "SetuptoolsWarning" not in run.stderr, run.stderr[-3000:]
        assert "SetuptoolsDeprecationWarning" not in run.stderr, run.stderr[-3000:]
        built.append(run.stdout.rsplit("BUILT", 1)[1].strip())
    sdist, wheel = built
    return dist / wheel, dist / sdist


def test_twine_check(built):
    pytest.importorskip("twine")
    run = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, built)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_check_wheel_contents(built):
    pytest.importorskip("check_wheel_contents")
    run = subprocess.run([sys.executable, "-m", "check_wheel_contents", str(built[0])],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_wheel_holds_one_namespace_and_no_gold(built):
    names = zipfile.ZipFile(built[0]).namelist()
    tops = {n.split("/")[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"datasette_reportcorpus"}
    for wanted in ("datasette_reportcorpus/loaders/load.py",
                   "datasette_reportcorpus/loaders/figures/extract.py",
                   "datasette_reportcorpus/templates/reportcorpus/search.html",
                   "datasette_reportcorpus/static/highlight.js",
                   "datasette_reportcorpus/demo/manifest.csv"):
        assert wanted in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not [n for n in names if "gold" in n.lower() or n.startswith(("tests/", "benchmarks/"))]


def test_installed_wheel_imports_by_its_names(built, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                    "--disable-pip-version-check", "--target", str(target), str(built[0])],
                   check=True)
    # A folder holding its own loaders.py (which once broke `reportcorpus serve`).
    (tmp_path / "loaders.py").write_text("raise SystemExit('the wrong loaders was imported')\n")
    code = ("import datasette_reportcorpus.loaders.load as l, datasette_reportcorpus.cli as c; "
            "print(l.__file__); print(c.__file__)")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    assert all(line.startswith(str(target)) for line in run.stdout.split())


def test_sdist_tests_run_against_its_own_code(built, tmp_path):
    with tarfile.open(built[1]) as tar:
        tar.extractall(tmp_path, filter="data")
    (unpacked,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert (unpacked / "tests" / "conftest.py").exists()
    assert (unpacked / "loaders" / "load.py").exists()
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index",
                    "--no-build-isolation", "-q", "--disable-pip-version-check", "--target",
                    str(target), str(unpacked)], check=True)
    code = ("import sys, pytest; sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', "
            "'tests/test_doctests.py', 'tests/test_layout.py', 'tests/test_parse.py']))")
    run = subprocess.run([sys.executable, "-c", code], cwd=unpacked, capture_output=True,
                         text=True, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin",
                                         "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout


def _metadata_description(built) -> tuple[str, str]:
    """The long description (the README) as the wheel's METADATA and the sdist's PKG-INFO
    carry it: what a package index shows."""
    with zipfile.ZipFile(built[0]) as wheel:
        (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        wheel_meta = wheel.read(name).decode("utf-8")
    with tarfile.open(built[1]) as tar:
        (member,) = [m for m in tar.getmembers() if m.name.count("/") == 1
                     and m.name.endswith("/PKG-INFO")]
        sdist_meta = tar.extractfile(member).read().decode("utf-8")
    # The description is the body after the headers' blank line.
    return tuple(meta.split("\n\n", 1)[1] for meta in (wheel_meta, sdist_meta))


def test_readme_links_work_on_a_package_index(built):
    """A package index shows the README away from the repository, where a relative link
    (``](docs/api.md)``) is dead: every link is absolute or an anchor, and every file the
    README names by path ships in the sdist."""
    import re

    with tarfile.open(built[1]) as tar:
        shipped = {m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name}
    for description in _metadata_description(built):
        assert "Datasette plugin" in description or "datasette-reportcorpus" in description
        targets = re.findall(r"\]\(([^)\s]+)", description) + re.findall(
            r"<(?!https?:)([a-z][\w+.-]*:[^>\s]*)>", description)
        relative = [t for t in targets if not t.startswith(("https://", "http://", "#"))]
        assert relative == [], f"relative links in the README a package index shows: {relative}"
        named = set(re.findall(r"`((?:docs/[\w./-]+|BENCHMARKS)\.md)(?:#[\w-]+)?`", description))
        assert "docs/api.md" in named
        missing = sorted(named - shipped)
        assert missing == [], f"the README names files the sdist lacks: {missing}"
