"""Shared fixtures: data locations, the demo corpus, in-process and served Datasette, a browser.

Fixture names are a contract for every test file:

- ``shared_dir``, ``seeds_dir``, ``bbc_dir``: the shared corpora (skip when absent,
  fail when ``REPORTCORPUS_REQUIRE_SHARED=1``).
- ``demo_db``: the bundled demo corpus loaded into ``corpus.db`` (read-only).
- ``seeds_db``: the shared seed reports loaded into ``corpus.db`` (read-only).
- ``make_datasette``: factory for ``datasette_test.Datasette`` with the repository's
  metadata (and, on 1.0, configuration) applied, on both Datasette lines.
- ``datasette_version`` / ``is_1_0``: which Datasette line this run uses; the
  module-level ``DATASETTE_VERSION`` and ``IS_1_0`` are importable as
  ``from conftest import IS_1_0`` for ``skipif`` marks.
- ``served_demo``: base URL of a real ``datasette serve`` of the demo corpus.
- ``browser_page``: a Playwright page in Debian's Chromium (skip when absent, fail
  when ``REPORTCORPUS_REQUIRE_BROWSER=1``); ``screenshot`` saves PNGs into
  ``test-artifacts/``.

Tests using ``browser_page`` are marked ``browser`` and tests using the shared
corpora ``shared`` automatically, so ``-m "not browser"`` works.
"""

from __future__ import annotations

import copy
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml
from browser_util import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, save_screenshot
from datasette.version import __version__ as _DATASETTE_VERSION_STRING

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = REPO_ROOT / "datasette_reportcorpus" / "demo"
METADATA_FILE = REPO_ROOT / "metadata.yml"
CONFIG_FILE = REPO_ROOT / "datasette.yaml"
SERVER_START_TIMEOUT = 30.0
SERVER_STOP_TIMEOUT = 10.0


# --- Datasette version -----------------------------------------------------------

def parse_datasette_version(text: str) -> tuple[int | str, ...]:
    """``"0.65.5"`` -> ``(0, 65, 5)``; ``"1.0a41"`` -> ``(1, 0, "a41")``."""
    m = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?((?:a|b|rc)\d+)?", text)
    if not m:
        raise ValueError(f"unrecognised Datasette version {text!r}")
    parts: list[int | str] = [int(m.group(1)), int(m.group(2))]
    if m.group(3) is not None:
        parts.append(int(m.group(3)))
    if m.group(4):
        parts.append(m.group(4))
    return tuple(parts)


DATASETTE_VERSION: tuple[int | str, ...] = parse_datasette_version(_DATASETTE_VERSION_STRING)
IS_1_0: bool = DATASETTE_VERSION[0] >= 1


@pytest.fixture(scope="session")
def datasette_version() -> tuple[int | str, ...]:
    """The installed Datasette as a tuple: ``(0, 65, 5)`` or ``(1, 0, "a41")``."""
    return DATASETTE_VERSION


@pytest.fixture(scope="session")
def is_1_0() -> bool:
    """True on the Datasette 1.0 alpha line, False on 0.65.x."""
    return IS_1_0


# --- environment switches ----------------------------------------------------------

def _required(var: str) -> bool:
    return os.environ.get(var, "").strip().lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str, require_var: str) -> NoReturn:
    """Skip with ``reason``, or fail with it when ``require_var`` is set to 1.

    CI sets the REQUIRE variables so that a missing corpus or browser is an
    error there rather than a quietly skipped test.
    """
    if _required(require_var):
        pytest.fail(f"{reason} (and {require_var}=1)", pytrace=False)
    pytest.skip(reason)


def _uses_browser(item: pytest.Item) -> bool:
    return bool(set(getattr(item, "fixturenames", ())) & {"browser_page", "browser"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by the fixtures they use, so ``-m "not browser"`` selects what it says,
    and run browser tests last (see ``_Chromium`` for why)."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if _uses_browser(item):
            item.add_marker(pytest.mark.browser)
        if names & {"shared_dir", "seeds_dir", "bbc_dir", "seeds_db"}:
            item.add_marker(pytest.mark.shared)
    items.sort(key=_uses_browser)  # stable: keeps the order within each group


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- shared corpora -------------------------------------------------------------

def _shared_path() -> Path:
    given = os.environ.get("REPORTCORPUS_SHARED")
    if given:
        return Path(given).resolve()
    return (REPO_ROOT.parent / "shared").resolve()


def _shared_subdir(name: str) -> Path:
    return _require_shared(_shared_path() / name, "shared data {} not found (set "
                                                  "REPORTCORPUS_SHARED to the shared folder)")


def _require_shared(path: Path, message: str) -> Path:
    """``path``, or a skip (a failure under REPORTCORPUS_REQUIRE_SHARED=1) naming it in
    ``message`` when it is not a folder."""
    if not path.is_dir():
        skip_or_fail(message.format(path), "REPORTCORPUS_REQUIRE_SHARED")
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared data folder: ``$REPORTCORPUS_SHARED``, default ``<repo>/../shared``.

    Skips the test when it is missing, fails instead when REPORTCORPUS_REQUIRE_SHARED=1.
    """
    return _require_shared(_shared_path(),
                           "shared data folder {} not found (set REPORTCORPUS_SHARED)")


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    """``<shared>/seeds``: the user's own sample reports (``NNN_<hex>.txt``, no metadata)."""
    return _shared_subdir("seeds")


@pytest.fixture(scope="session")
def bbc_dir(shared_dir: Path) -> Path:
    """``<shared>/corpora/bbc``: the BBC News dataset, five topic folders of ``NNN.txt``."""
    return _shared_subdir("corpora/bbc")


# --- corpus databases -------------------------------------------------------------

def assert_links_under_base(html: str) -> None:
    """Every link and form action of a page served under ``base_url: /news/`` that names
    the corpus carries the prefix once."""
    hrefs = re.findall(r'(?:href|action)="([^"#]+)"', html)
    ours = [h for h in hrefs if "corpus" in h]
    assert ours
    for href in ours:
        path = urllib.parse.urlsplit(href).path
        assert path.startswith("/news/") and "/news/news/" not in path, href


def build_corpus(db_path: Path, paths: Sequence[Path], manifest: Path | None = None,
                 **kwargs: Any) -> Path:
    """Load ``paths`` into a new corpus database at ``db_path`` and return the path.

    Fails the test if any file could not be loaded: fixtures built from known data
    should load cleanly.
    """
    from datasette_reportcorpus.loaders.load import load

    summary = load(str(db_path), [str(p) for p in paths],
                   manifest=str(manifest) if manifest else None, workers=1, **kwargs)
    if summary.errors:
        shown = "\n".join(f"  {path}: {error}" for path, error in summary.errors[:3])
        more = len(summary.errors) - 3
        pytest.fail(f"building {db_path.name}: {len(summary.errors)} file(s) failed to load\n{shown}"
                    + (f"\n  ... and {more} more" if more > 0 else ""), pytrace=False)
    return db_path


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    """The bundled demo corpus folder (``datasette_reportcorpus/demo``, with ``manifest.csv``)."""
    if not (DEMO_DIR / "manifest.csv").is_file():
        pytest.skip(f"demo corpus not found at {DEMO_DIR.relative_to(REPO_ROOT)}/manifest.csv")
    return DEMO_DIR


@pytest.fixture(scope="session")
def demo_db(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of ``corpus.db`` built from the demo corpus and its manifest; once per session.

    Shared by every test in the run: treat it as read-only.
    """
    db = tmp_path_factory.mktemp("demo") / "corpus.db"
    return build_corpus(db, [demo_dir], manifest=demo_dir / "manifest.csv")


@pytest.fixture(scope="session")
def seeds_db(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of ``corpus.db`` built from the shared seed reports; once per session, read-only."""
    db = tmp_path_factory.mktemp("seeds") / "corpus.db"
    return build_corpus(db, [seeds_dir])


# --- in-process Datasette -------------------------------------------------------------

def _read_yaml(path: Path) -> dict:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def repo_metadata() -> dict:
    """The repository's ``metadata.yml`` as a dict (empty if there is none yet)."""
    return _read_yaml(METADATA_FILE)


def repo_config() -> dict:
    """The repository's ``datasette.yaml`` (1.0 configuration) as a dict, or empty."""
    return _read_yaml(CONFIG_FILE)


def deep_merge(base: dict, extra: dict) -> dict:
    """A copy of ``base`` with ``extra`` merged in; nested dicts merge, anything else replaces."""
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


# Keys 1.0 reads only from configuration and does not move out of metadata by
# itself (it does move plugins, allow and ten table options).
_CONFIG_ONLY_KEYS = {"facet_size", "column_types", "queries", "allow_sql", "permissions"}


def _split_config_only(metadata: dict) -> tuple[dict, dict]:
    """Move the configuration-only keys out of 1.0-bound metadata, keeping their place."""
    metadata = copy.deepcopy(metadata)
    config: dict = {}

    def walk(src: dict, dest_path: list[str]) -> None:
        for key in list(src):
            value = src[key]
            if key in _CONFIG_ONLY_KEYS:
                d = config
                for step in dest_path:
                    d = d.setdefault(step, {})
                d[key] = src.pop(key)
            elif isinstance(value, dict) and key not in {"columns", "plugins"}:
                walk(value, dest_path + [key])

    walk(metadata, [])
    return metadata, config


def datasette_kwargs(metadata: dict | None = None, settings: dict | None = None,
                     plugin_config: dict | None = None, permissions: dict | None = None,
                     config: dict | None = None) -> dict[str, Any]:
    """Keyword arguments for ``datasette_test.Datasette`` that mean the same on both lines.

    ``metadata=None`` means the repository's metadata.yml; ``config=None`` means the
    repository's datasette.yaml on 1.0 and nothing on 0.65. On 0.65 configuration is written into metadata (where
    0.65 reads it) and permissions go to datasette-test's shim plugin; on 1.0
    configuration-only keys are moved out of metadata. ``plugin_config`` and
    ``permissions`` merge on top of whatever the files say.
    """
    metadata = repo_metadata() if metadata is None else copy.deepcopy(metadata)
    if config is None:
        # 0.65 never reads datasette.yaml (its settings live in metadata.yml), so
        # in-process instances match `datasette serve` on each line.
        config = repo_config() if IS_1_0 else {}
    else:
        config = copy.deepcopy(config)
    settings = dict(settings or {})
    settings = {**config.pop("settings", {}), **settings}
    permissions = deep_merge(config.pop("permissions", {}), permissions or {})
    kwargs: dict[str, Any] = {}
    if IS_1_0:
        metadata, moved = _split_config_only(metadata)
        # Metadata's "plugins" would be moved to config by Datasette itself, but
        # datasette-test replaces config["plugins"] wholesale: merge here instead.
        moved = deep_merge(moved, {"plugins": metadata.pop("plugins")}) \
            if "plugins" in metadata else moved
        config = deep_merge(deep_merge(config, moved), {"plugins": plugin_config or {}})
        if permissions:
            config["permissions"] = deep_merge(config.get("permissions", {}), permissions)
        if not config.get("plugins"):
            config.pop("plugins", None)
        kwargs["config"] = config
    else:
        # 0.65 has no configuration file: the same structure lives in metadata.
        metadata = deep_merge(deep_merge(config, metadata), {"plugins": plugin_config or {}})
        if not metadata.get("plugins"):
            metadata.pop("plugins", None)
        if permissions:
            kwargs["permissions"] = permissions
    kwargs["metadata"] = metadata
    if settings:
        kwargs["settings"] = settings
    return kwargs


@pytest.fixture
def make_datasette() -> Callable[..., Any]:
    """Factory: ``make_datasette(db_path, metadata=None, settings=None, plugin_config=None,
    permissions=None, config=None)`` -> ``datasette_test.Datasette``.

    ``db_path`` is a path, a list of paths, or None (no database files). The
    repository's metadata.yml (and on 1.0 its datasette.yaml) applies unless
    ``metadata``/``config`` are given; pass ``{}`` for none. ``plugin_config`` is the
    plugins block (``{"datasette-reportcorpus": {...}}``), ``permissions`` the 1.0-style
    ``{action: allow-block}`` mapping (datasette-test enforces it on 0.65).

    Requests through ``ds.client`` start the instance by themselves; call
    ``await ds.invoke_startup()`` before using ``render_template`` or plugin state
    set up in the ``startup`` hook directly.
    """
    from datasette_test import Datasette

    def factory(db_path: str | Path | Sequence[str | Path] | None = None,
                metadata: dict | None = None, settings: dict | None = None,
                plugin_config: dict | None = None, permissions: dict | None = None,
                config: dict | None = None) -> Any:
        if db_path is None:
            files: list[str] = []
        elif isinstance(db_path, (str, Path)):
            files = [str(db_path)]
        else:
            files = [str(p) for p in db_path]
        kwargs = datasette_kwargs(metadata=metadata, settings=settings,
                                  plugin_config=plugin_config, permissions=permissions,
                                  config=config)
        return Datasette(files, memory=not files, **kwargs)

    return factory


# --- a real server -------------------------------------------------------------------

def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def run_datasette_server(db_paths: Sequence[Path], extra_args: Sequence[str] = ()) -> Iterator[str]:
    """Run ``datasette serve`` on 127.0.0.1 with the repository's metadata (and on 1.0
    its datasette.yaml); yield the base URL (no trailing slash); always stop it.

    The server's output goes to a log file whose tail is shown if it fails to start.
    """
    from datasette_test import wait_until_responds

    port = free_port()
    args = [sys.executable, "-m", "datasette", "serve", *map(str, db_paths),
            "-h", "127.0.0.1", "-p", str(port)]
    if METADATA_FILE.is_file():
        args += ["-m", str(METADATA_FILE)]
    if IS_1_0 and CONFIG_FILE.is_file():
        args += ["-c", str(CONFIG_FILE)]
    args += list(extra_args)
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=REPO_ROOT)
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while True:
                if proc.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"datasette serve exited with {proc.returncode}:\n{log.read()[-3000:]}",
                                pytrace=False)
                try:
                    wait_until_responds(url + "/-/versions.json", timeout=0.5)
                    break
                except AssertionError:
                    if time.monotonic() > deadline:
                        log.seek(0)
                        pytest.fail(f"datasette serve did not answer within "
                                    f"{SERVER_START_TIMEOUT:.0f}s:\n{log.read()[-3000:]}",
                                    pytrace=False)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=SERVER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=SERVER_STOP_TIMEOUT)


@pytest.fixture(scope="session")
def served_demo(demo_db: Path) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT``, no trailing slash) of ``datasette serve`` running
    the demo corpus as database ``corpus`` with the repository's metadata/config."""
    with run_datasette_server([demo_db]) as url:
        yield url


# --- browser -------------------------------------------------------------------------

class _Chromium:
    """One Playwright + Chromium for the whole run, started on first use.

    Playwright's sync API leaves its event loop marked as running in the main
    thread while it is started, and pytest-asyncio then refuses to run async
    tests ("Runner.run() cannot be called from a running event loop"). So
    browser tests run last, and it is stopped before any test that does not use
    it (and restarted if a browser test comes later).
    """

    def __init__(self) -> None:
        self._playwright: Any = None
        self._browser: Any = None

    def get(self) -> Any:
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            try:
                self._browser = self._playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000)
            except BaseException:
                self.stop()
                raise
        return self._browser

    def stop(self) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            self._browser = None
            if self._playwright is not None:
                self._playwright.stop()
                self._playwright = None


_CHROMIUM = _Chromium()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Stop the shared browser before a test that does not use it (see ``_Chromium``)."""
    if not _uses_browser(item):
        _CHROMIUM.stop()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Close Chromium at the end of the run."""
    _CHROMIUM.stop()


@pytest.fixture
def browser() -> Any:
    """A Playwright ``Browser``: Debian's Chromium, headless, shared between browser tests.

    Skips when /usr/bin/chromium or the playwright package is missing; fails instead
    when REPORTCORPUS_REQUIRE_BROWSER=1. Use it from sync tests only (Playwright's
    sync API).
    """
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} not found (install Debian's chromium package)",
                     "REPORTCORPUS_REQUIRE_BROWSER")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("the playwright package is not installed", "REPORTCORPUS_REQUIRE_BROWSER")
    return _CHROMIUM.get()


@pytest.fixture
def browser_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh Playwright ``Page`` (own context: no cookies shared between tests).

    Default timeouts are 15 s so a hung page fails the test instead of the run. When
    the test fails, a screenshot of the page is saved as
    ``test-artifacts/FAILED-<test name>-datasette-<line>.png``.
    """
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            try:
                save_screenshot(page, f"FAILED-{request.node.name}")
            except Exception as exc:  # noqa: BLE001 - the page may be gone; the test's failure matters more
                print(f"could not save a screenshot of the failed page: {exc}", file=sys.stderr)
    finally:
        context.close()


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """``screenshot(page, name)`` saves ``test-artifacts/<name>-datasette-<line>.png``."""
    return save_screenshot
