"""Loader faults: a killed load, hostile paths and files, damaged inputs. Each ends in
a clear message or a complete corpus, never a hang, a traceback or a stuck lock."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_load_stages import corpus, report, write_reports

from datasette_reportcorpus.cli import cli
from datasette_reportcorpus.loaders.load import load
from datasette_reportcorpus.loaders.stages import lock as lock_stage

REPO = Path(__file__).resolve().parent.parent
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads /proc (Linux only)")


def rows(db, sql):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def intact(db: str) -> None:
    """Both integrity checks pass and every paragraph is indexed."""
    assert rows(db, "pragma integrity_check") == [("ok",)]
    conn = sqlite3.connect(db)
    try:
        conn.execute("insert into paragraphs_fts (paragraphs_fts, rank)"
                     " values ('integrity-check', 1)")
    finally:
        conn.close()
    assert rows(db, "select count(*) from paragraphs") == rows(
        db, "select count(*) from paragraphs_fts")


def children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(entry.name))
    return out


def alive(pid: int) -> bool:
    return lock_stage._alive(pid)


def cli_load(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """``reportcorpus load`` in a process of its own (so that a hang fails the test
    instead of stopping the suite)."""
    return subprocess.run([sys.executable, "-m", "datasette_reportcorpus.cli", "load", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=REPO)


@linux_only
def test_a_killed_parallel_load_leaves_no_worker_and_resumes_to_a_clean_load(tmp_path):
    folder = write_reports(tmp_path / "reports", 1500)
    (folder / "copy.txt").write_bytes(report(11))
    db = str(tmp_path / "c.db")
    code = ("import sys; from datasette_reportcorpus.loaders.load import load; "
            "load(sys.argv[1], [sys.argv[2]], workers=2, batch_size=50, "
            "progress=lambda d, t: print(d, flush=True))")
    proc = subprocess.Popen([sys.executable, "-c", code, db, str(folder)],
                            stdout=subprocess.PIPE, text=True, cwd=REPO)
    for line in proc.stdout:
        if int(line) >= 100:
            break
    workers = children(proc.pid)
    assert len(workers) >= 2, "the load runs parse workers"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(p) for p in workers):
        time.sleep(0.05)
    assert not [p for p in workers if alive(p)], "parse workers outlived their load"
    intact(db)
    assert 90 <= rows(db, "select count(*) from articles")[0][0] < 1500

    # The next load is not refused, completes the work and equals a clean load.
    out = cli_load(db, str(folder), "--workers", "2", "-q")
    assert out.returncode == 0, out.stderr
    assert "another load" not in out.stderr
    intact(db)
    clean = str(tmp_path / "clean.db")
    load(clean, [str(folder)], workers=1)
    assert corpus(db) == corpus(clean)


@linux_only
def test_a_stale_lock_is_taken_over_with_a_message(tmp_path):
    """A lock held by a process whose load is gone (left running by an older version's
    killed load) is recognised, its holder ended, and the load goes ahead."""
    folder = write_reports(tmp_path / "reports", 3)
    db = str(tmp_path / "c.db")
    load(db, [str(folder)])
    # The taker locks and forks a child that keeps the lock; the taker then exits.
    code = ("import fcntl, os, sys, time\n"
            "h = open(sys.argv[1], 'ab'); fcntl.flock(h, fcntl.LOCK_EX)\n"
            "if os.fork() == 0:\n"
            "    null = os.open(os.devnull, os.O_RDWR); os.dup2(null, 1); os.dup2(null, 2)\n"
            "    time.sleep(120); os._exit(0)\n"
            "print(os.getpid(), flush=True)\n")
    out = subprocess.run([sys.executable, "-c", code, db], capture_output=True, text=True,
                         timeout=30)
    taker = int(out.stdout)
    deadline = time.monotonic() + 5
    holders: list[int] = []
    while time.monotonic() < deadline and not holders:
        with open(db, "ab") as h:
            found, holders = lock_stage.stale_holders(h.fileno())
    assert found == taker and len(holders) == 1
    try:
        s = load(db, [str(folder)])
        assert s.unchanged == 3
        assert any(f"took over the lock of a load that was killed (process {taker}" in w
                   for w in s.warnings)
        assert not alive(holders[0])
    finally:
        for pid in holders:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_live_load_s_lock_is_not_taken_over(tmp_path):
    folder = write_reports(tmp_path / "reports", 3)
    db = str(tmp_path / "c.db")
    load(db, [str(folder)])
    import fcntl

    with open(db, "ab") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = CliRunner().invoke(cli, ["load", db, str(folder)])
    assert result.exit_code == 1 and "another load is writing" in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifos_are_refused_not_waited_on(tmp_path):
    folder = write_reports(tmp_path / "reports", 2)
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(folder / "inside.txt")
    (folder / "linked.txt").symlink_to(tmp_path / "pipe.txt")
    db = str(tmp_path / "c.db")
    out = cli_load(db, str(folder), str(tmp_path / "pipe.txt"), timeout=60)
    assert out.returncode == 0, out.stderr
    errors = dict(rows(db, "select path, error from load_errors"))
    assert errors == {
        "inside.txt": "not a regular file: a FIFO (named pipe)",
        "linked.txt": "not a regular file: a FIFO (named pipe)",
        str(tmp_path / "pipe.txt"): "not a regular file: a FIFO (named pipe)",
    }
    assert "loaded 2" in out.stdout


def test_sizes_are_checked_before_reading(tmp_path):
    folder = write_reports(tmp_path / "reports", 2)
    if Path("/dev/zero").exists():
        (folder / "zero.txt").symlink_to("/dev/zero")
    sparse = folder / "sparse.txt"
    with open(sparse, "wb") as f:
        f.truncate(1_500_000_000)  # 1.5 GB on paper, nothing on disk
    db = str(tmp_path / "c.db")
    started = time.monotonic()
    s = load(db, [str(folder)])
    assert time.monotonic() - started < 60
    errors = dict(rows(db, "select path, error from load_errors"))
    assert errors["sparse.txt"].startswith("file too large: 1500.0 MB (limit 5.0 MB")
    if Path("/dev/zero").exists():
        assert errors["zero.txt"] == "not a regular file: a character device"
    assert s.loaded == 2


def test_linked_folders_are_followed_once_and_loops_named(tmp_path):
    folder = write_reports(tmp_path / "reports", 2)
    elsewhere = write_reports(tmp_path / "elsewhere" / "sport", 3, start=100)
    (folder / "sport").symlink_to(elsewhere, target_is_directory=True)
    (folder / "sport-again").symlink_to(elsewhere, target_is_directory=True)
    (elsewhere / "up").symlink_to(folder, target_is_directory=True)  # a loop
    db = str(tmp_path / "c.db")
    s = load(db, [str(folder)])
    assert s.loaded == 5 and not s.errors
    paths = {r[0] for r in rows(db, "select path from articles")}
    assert {"sport/r0100.txt", "sport/r0102.txt"} <= paths
    text = "\n".join(s.lines())
    assert "sport-again: a link to a folder already read" in text
    assert "up: a link to a folder already read" in text


def _remove_deep(root: Path, depth: int) -> None:
    """Remove a chain of ``depth`` folders ``d`` below ``root`` from the bottom up (a
    recursive removal, pytest's own included, runs out of stack on it)."""
    for i in range(depth, 0, -1):
        folder = root.joinpath(*["d"] * i)
        if not folder.exists():
            continue
        for entry in os.scandir(folder):
            if not entry.is_dir(follow_symlinks=False):
                os.unlink(entry.path)
        os.rmdir(folder)


def test_a_very_deep_folder_is_walked_without_a_traceback(tmp_path):
    deep = tmp_path / "deep"
    depth = 1100
    deep.mkdir()
    here = deep
    try:
        for _ in range(depth):
            here = here / "d"
            os.mkdir(here)
        (here / "deepest.txt").write_bytes(report(1))
        (deep / "top.txt").write_bytes(report(2))
        out = cli_load(str(tmp_path / "c.db"), str(deep), timeout=120)
        assert out.returncode == 0, out.stderr
        assert "Traceback" not in out.stderr
        assert "loaded 2" in out.stdout
    finally:
        _remove_deep(deep, depth)


def test_a_damaged_corpus_file_is_a_message(tmp_path):
    folder = write_reports(tmp_path / "reports", 3)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all " * 500)
    out = cli_load(str(junk), str(folder))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"{junk}: cannot load into this file" in out.stderr

    db = tmp_path / "c.db"
    load(str(db), [str(folder)])
    data = bytearray(db.read_bytes())
    page = 4096
    for start in range(2 * page, len(data), 3 * page):  # scribble over pages, keep the header
        data[start:start + 200] = b"\xff" * 200
    db.write_bytes(bytes(data))
    out = cli_load(str(db), str(folder))
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode == 1 and f"{db}: cannot load into this file" in out.stderr


def test_manifest_fields_past_the_csv_limit_and_deep_json_are_messages(tmp_path):
    folder = write_reports(tmp_path / "reports", 2)
    db = str(tmp_path / "c.db")
    big = tmp_path / "big.csv"
    big.write_text("path,title\nr0000.txt," + "x" * 140_000 + "\n")
    out = cli_load(db, str(folder), "--manifest", str(big))
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode == 1 and f"{big}: line 2:" in out.stderr
    assert "131072" in out.stderr or "131,072" in out.stderr
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    out = cli_load(db, str(folder), "--manifest", str(deep))
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode == 1 and f"{deep}: JSON nested too deeply" in out.stderr
