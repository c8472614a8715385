"""What the serving benchmarks share: a real ``datasette serve -i`` on loopback (with the
plugin, or plain Datasette with the plugin unregistered), queries picked from a corpus by
how many paragraphs they match, and percentiles.

Used by ``search_speed.py`` and ``serve_load.py`` (and the short load test in
``tests/test_serve_load.py``); not a benchmark itself.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "datasette_reportcorpus"
# Plain Datasette: the same interpreter and Datasette, the plugin taken out of the plugin
# manager before the command line runs.
_PLAIN = ("import datasette.plugins as p\n"
          "for m in list(p.pm.get_plugins()):\n"
          "    if (getattr(m, '__name__', '') or '').startswith('datasette_reportcorpus'):\n"
          "        p.pm.unregister(m)\n"
          "from datasette.cli import cli\n"
          "cli(prog_name='datasette')\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running server: its base URL (``http://127.0.0.1:PORT``) and process."""

    url: str
    process: subprocess.Popen
    plugin: bool

    def rss_mb(self) -> float:
        """The server process's resident memory, in MiB (Linux ``/proc``)."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")


@contextlib.contextmanager
def serve(db: Path, plugin: bool = True, settings: dict | None = None,
          timeout: float = 120.0):
    """``datasette serve -i db`` on a free loopback port, as a :class:`Server`; stopped
    on leaving. With ``plugin`` the package's metadata (and on 1.0 its configuration)
    is applied as ``reportcorpus serve`` does; without, plain Datasette, no metadata.
    The database is served under its file's stem (the metadata names ``corpus``)."""
    from datasette_reportcorpus.compat import serve_config_args

    port = free_port()
    head = [sys.executable, "-m", "datasette"] if plugin else [sys.executable, "-c", _PLAIN]
    args = head + ["serve", "-i", str(db), "-h", "127.0.0.1", "-p", str(port)]
    if plugin:
        args += serve_config_args(str(PACKAGE / "metadata.yml"), str(PACKAGE / "datasette.yaml"))
    for key, value in (settings or {}).items():
        args += ["--setting", key, str(value)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError("the server stopped: "
                                   + process.stderr.read().decode(errors="replace")[-2000:])
            try:
                with urllib.request.urlopen(url + "/-/versions.json", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not answer within {timeout:.0f}s")
                time.sleep(0.2)
        yield Server(url, process, plugin)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass(frozen=True)
class Query:
    kind: str      # rare, common, multi-word
    text: str      # as typed
    matches: int   # paragraphs it matches


def pick_queries(db: Path) -> list[Query]:
    """A rare word (about 0.1% of paragraphs, at least 20), a common one (about 5%) and
    two words together (each in about 3% of paragraphs), real index terms of ``db``."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        conn.execute("create virtual table temp.vocab using fts5vocab(main, paragraphs_fts, row)")
        rows = conn.execute("select term, doc from temp.vocab where term glob '[a-z]*' "
                            "and length(term) > 4 order by term").fetchall()
        total = conn.execute("select count(*) from paragraphs").fetchone()[0]

        def near(target: float, skip: tuple[str, ...] = ()) -> tuple[str, int]:
            return min((r for r in rows if r[0] not in skip), key=lambda r: abs(r[1] - target))

        rare = near(max(20, total * 0.001))
        common = near(total * 0.05)
        a = near(total * 0.03, (common[0],))
        b = near(total * 0.03, (common[0], a[0]))
        both = conn.execute("select count(*) from paragraphs_fts where paragraphs_fts match ?",
                            [f"{a[0]} {b[0]}"]).fetchone()[0]
    finally:
        conn.close()
    return [Query("rare", rare[0], rare[1]), Query("common", common[0], common[1]),
            Query("multi-word", f"{a[0]} {b[0]}", both)]


def percentile(samples: list[float], p: float) -> float:
    """The ``p``-th percentile (0-100) by nearest rank."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def machine() -> str:
    """One line naming the machine, its Python and Datasette, and its load average."""
    import platform
    from importlib.metadata import version

    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"Datasette {version('datasette')}, SQLite {sqlite3.sqlite_version}, "
            f"load average {load}")
