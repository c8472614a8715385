"""The loader, property-based: generated folders of hostile files (arbitrary bytes, many
encodings, NULs, long lines, many tiny paragraphs, odd names, links and link loops,
FIFOs, folders named ``x.txt``) and random orders of loading a real-style corpus.

Each load runs in a forked process of its own with a time limit, so a hang fails the
example instead of stopping the run, and a traceback is a failure with its text.
Properties: every path given ends as exactly one of an article, a duplicate or a
``load_errors`` row; each paragraph's text is the normalised source between its
offsets (wrapped lines joined); a second load changes nothing and parses nothing; both
integrity checks pass; any order of loading, killed loads included, ends as a clean
load does. (``test_faults.py`` covers kills in the file phase, devices, sizes and stale
locks one case each.)

Examples: a modest number per run; with ``CI`` set they are derandomized, so a run is
reproducible.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
import traceback
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from test_faults import intact
from test_load_stages import FOOTER, corpus, report

from datasette_reportcorpus.loaders.load import load
from datasette_reportcorpus.loaders.stages.discover import NOT_ARTICLES

CI = bool(os.environ.get("CI"))
settings.register_profile(
    "reportcorpus-loader", max_examples=int(os.environ.get("REPORTCORPUS_EXAMPLES", 8)),
    deadline=None, derandomize=CI, database=None,
    # In CI a failure is reported as found: shrinking loads can take minutes.
    phases=[p for p in Phase if p is not Phase.shrink] if CI else list(Phase),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = settings.get_profile("reportcorpus-loader")
"""Applied per test (not loaded globally): other test files keep their own settings."""

LOAD_TIMEOUT = 120.0
posix_only = pytest.mark.skipif(not hasattr(os, "fork") or not hasattr(os, "mkfifo"),
                                reason="needs fork and FIFOs")
pytestmark = posix_only


# --- a load in a process of its own ----------------------------------------------

class Killed(Exception):
    pass


def forked_load(db: str, paths: list[str], kill_after_batches: int | None = None,
                timeout: float = LOAD_TIMEOUT, **kwargs) -> dict | None:
    """``load(db, paths, **kwargs)`` in a forked child; its summary as a dict.

    A hang past ``timeout`` or an exception fails the test (with the child's
    traceback). With ``kill_after_batches``, the child is SIGKILLed once it has
    committed that many batches (None is returned; a load that ends first returns
    its summary)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: load, report, leave without running the parent's exit code
        os.close(read_fd)
        out = os.fdopen(write_fd, "w")
        code = 0
        try:
            def progress(done: int, total: int) -> None:
                out.write(json.dumps({"batch": done}) + "\n")
                out.flush()
            s = load(db, paths, progress=progress, **kwargs)
            out.write(json.dumps({"summary": {
                "loaded": s.loaded, "unchanged": s.unchanged, "updated": s.updated,
                "duplicates": s.duplicates, "reparsed": s.reparsed,
                "errors": [list(e) for e in s.errors], "warnings": s.warnings}}) + "\n")
        except BaseException:  # noqa: BLE001 - any exception is what the test looks for
            out.write(json.dumps({"traceback": traceback.format_exc()}) + "\n")
            code = 1
        finally:
            out.flush()
            os._exit(code)
    os.close(write_fd)
    messages: list[dict] = []
    buffer = b""
    deadline = time.monotonic() + timeout
    batches = 0
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                pytest.fail(f"the load of {paths} did not end within {timeout:.0f} s")
            ready, _, _ = select.select([read_fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_fd, 65536)
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                message = json.loads(line)
                messages.append(message)
                if "batch" in message:
                    batches += 1
                    if kill_after_batches is not None and batches >= kill_after_batches:
                        os.kill(pid, signal.SIGKILL)
                        os.waitpid(pid, 0)
                        pid = 0
                        return None
    finally:
        os.close(read_fd)
        if pid:
            os.waitpid(pid, 0)
    for message in messages:
        assert "traceback" not in message, message["traceback"]
        if "summary" in message:
            return message["summary"]
    pytest.fail(f"the load of {paths} ended without a summary: {messages}")


def rows(db: str, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# Times of a load, not what it stored; and the ids of error rows, which a load writes
# again (an error of one load is replaced, not piled up).
VOLATILE = {"loaded_at", "at"}
VOLATILE_IN = {"load_errors": {"id"}}


def dump(db: str) -> dict[str, list[tuple]]:
    """Every table's rows, without the columns that say when a load ran."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'table'"
            " and name not like 'sqlite_%' and name not like '%_fts%' order by name")]
        out = {}
        for t in tables:
            cols = [r[1] for r in conn.execute(f"pragma table_info([{t}])")
                    if r[1] not in VOLATILE | VOLATILE_IN.get(t, set())]
            out[t] = sorted(conn.execute(
                f"select {', '.join(f'[{c}]' for c in cols)} from [{t}]").fetchall(), key=repr)
        return out
    finally:
        conn.close()


# --- what a folder may hold ---------------------------------------------------------

ODD_NAMES = ["with spaces", "quote's", 'double "quoted"', "new\nline", "tab\there",
             "-leading-dash", "--", "ünïcödé ☃", "日本語の記事", "emoji 😀", "back\\slash",
             "semi;colon", "a" * 200, "  padded  ", "$(echo hi)", "*", "?", "Ω≈ç√"]
name_part = st.one_of(
    st.sampled_from(ODD_NAMES),
    st.text(st.characters(blacklist_characters="/\x00.", blacklist_categories=("Cs",)),
            min_size=1, max_size=20))
suffix = st.sampled_from([".txt", ".txt", ".TXT", ".Txt", ".md", ""])

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "iso8859_2"]


@st.composite
def contents(draw) -> bytes:
    """A file's bytes: real-style text in some encoding, damaged or stretched, or noise."""
    kind = draw(st.sampled_from(["report", "encoded", "bytes", "nul", "long", "tiny",
                                 "mixed", "empty", "crlf"]))
    i = draw(st.integers(0, 60))
    if kind == "report":
        return report(i)
    if kind == "encoded":
        text = report(i).decode() + draw(st.text(max_size=200))
        return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if kind == "bytes":
        return draw(st.binary(max_size=3000))
    if kind == "nul":
        data = bytearray(report(i))
        for _ in range(draw(st.integers(1, 5))):
            data.insert(draw(st.integers(0, len(data))), 0)
        return bytes(data)
    if kind == "long":  # one long line, no paragraph breaks
        return ("Title\n\n" + "the storm flooded the harbour road again " * draw(
            st.integers(100, 5000))).encode()
    if kind == "tiny":  # many tiny paragraphs
        return ("Tiny\n\n" + "Ok.\n\n" * draw(st.integers(50, 3000))).encode()
    if kind == "mixed":  # pieces of one file in different encodings
        pieces = draw(st.lists(st.tuples(st.sampled_from(ENCODINGS[:1] + ENCODINGS[3:]),
                                         st.text(min_size=1, max_size=80)), min_size=1,
                               max_size=5))
        return report(i) + b"".join(t.encode(e, errors="replace") for e, t in pieces)
    if kind == "crlf":
        return report(i).replace(b"\n", b"\r\n")
    return draw(st.sampled_from([b"", b"   \n\t\n", "\u00a0\n".encode()]))


@st.composite
def entries(draw) -> list[tuple]:
    """What a folder holds: ``(kind, name, data)`` rows, made by :func:`make_folder`."""
    n = draw(st.integers(1, 8))
    out = []
    for _ in range(n):
        kind = draw(st.sampled_from(["file", "file", "file", "file", "folder_named_txt",
                                     "subfolder", "link", "dangling", "self_loop",
                                     "folder_loop", "fifo", "bad_name"]))
        name = draw(name_part) + draw(suffix)
        out.append((kind, name, draw(contents())))
    return out


def make_folder(root: Path, spec: list[tuple]) -> set[str]:
    """Build the folder; return the paths (relative to ``root``) the load must account
    for: every entry whose name ends in .txt, found by the walk (links followed)."""
    root.mkdir()
    expected: set[str] = set()
    (root / "zz anchor.txt").write_bytes(report(999))  # so the load always has work
    expected.add("zz anchor.txt")
    files: list[str] = []

    def counts(rel: str) -> bool:
        name = rel.rsplit("/", 1)[-1]
        return (name.lower().endswith(".txt") and not name.startswith(".")
                and name[:-4].lower() not in NOT_ARTICLES)

    for kind, name, data in spec:
        path = root / name
        if os.path.lexists(path) or name.lower() == "zz anchor.txt":
            continue
        if kind == "file":
            path.write_bytes(data)
            files.append(name)
        elif kind == "folder_named_txt":
            path.mkdir()
            (path / "inside.txt").write_bytes(data)
            if not name.startswith("."):
                expected.add(f"{name}/inside.txt")
            continue
        elif kind == "subfolder":
            path.mkdir()
            (path / "a.txt").write_bytes(data)
            (path / "b.txt").write_bytes(report(len(name)))
            if not name.startswith("."):
                expected.update({f"{name}/a.txt", f"{name}/b.txt"})
            continue
        elif kind == "link":
            target = files[-1] if files else "zz anchor.txt"
            path.symlink_to(target)
        elif kind == "dangling":
            path.symlink_to("nothing here.txt")
        elif kind == "self_loop":
            path.symlink_to(name)
        elif kind == "folder_loop":  # a link back to the folder itself: named, not walked
            path.symlink_to(".", target_is_directory=True)
            continue
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "bad_name":  # not UTF-8
            raw = os.fsencode(root) + b"/" + b"\xff\xfe" + os.fsencode(name)
            with open(raw, "wb") as f:
                f.write(data)
            name = os.fsdecode(b"\xff\xfe" + os.fsencode(name))
        if counts(name):
            expected.add(name)
    return expected


def shown(rel: str) -> str:
    """A path as the loader names it in ``load_errors`` (a name that is not UTF-8 is
    shown with backslash escapes)."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def outcomes(db: str, root: Path) -> dict[str, list[str]]:
    """Each path's outcomes: ``article``, ``duplicate``, ``error``."""
    out: dict[str, list[str]] = {}
    prefix = f"{root}/"
    for (path,) in rows(db, "select path from articles"):
        out.setdefault(path, []).append("article")
    for (path,) in rows(db, "select path from duplicates"):
        out.setdefault(path, []).append("duplicate")
    for (path,) in rows(db, "select path from load_errors"):
        rel = path[len(prefix):] if path.startswith(prefix) else path
        out.setdefault(rel, []).append("error")
    return out


def check_offsets(db: str) -> int:
    """Each paragraph (and dropped block) is its source between its offsets; each figure
    is its paragraph between its own. Returns how many paragraphs were checked."""
    conn = sqlite3.connect(db)
    checked = 0
    try:
        sources = dict(conn.execute("select id, text from article_sources"))
        for table in ("paragraphs", "dropped"):
            for aid, text, start, end in conn.execute(
                    f'select article_id, text, start, "end" from {table}'):
                source = sources[aid]
                assert 0 <= start <= end <= len(source), (table, aid, start, end)
                between = source[start:end]
                if "\n" not in between or table == "dropped" and text == between:
                    assert text == between, (table, aid, start, end)
                else:  # lines joined: the words are the same, the line breaks are gone
                    assert "\n" not in text
                    assert re.sub(r"\s+", "", text) == re.sub(r"\s+", "", between), (
                        table, aid, start, end)
                checked += table == "paragraphs"
        for ptext, surface, start, end in conn.execute(
                'select p.text, f.surface, f.start, f."end" from figures f'
                " join paragraphs p on p.id = f.paragraph_id"):
            assert ptext[start:end] == surface
        positions = conn.execute(
            "select article_id, group_concat(position) from (select article_id, position"
            " from paragraphs order by article_id, position) group by article_id").fetchall()
        counts = dict(conn.execute("select id, paragraph_count from articles"))
        for aid, listed in positions:
            assert [int(p) for p in listed.split(",")] == list(range(counts[aid]))
    finally:
        conn.close()
    return checked


# --- properties --------------------------------------------------------------------

@PROFILE
@given(spec=entries())
# Two names one key apart by the case of their suffix, and an empty file: the second
# load writes their errors again (a first version of this test took that for a change).
@example(spec=[("file", "with spaces.txt", report(0)), ("file", "with spaces.TXT", report(0)),
               ("file", "quote's.txt", b"")])
# One of each kind, so that a derandomized run always meets them all.
@example(spec=[("file", "new\nline.txt", b"\x00\x01"), ("fifo", "pipe.txt", b""),
               ("self_loop", "loop.txt", b""), ("dangling", "gone.txt", b""),
               ("folder_named_txt", "x.txt", report(3)), ("bad_name", "odd.txt", report(4)),
               ("link", "-dash.txt", b""), ("folder_loop", "up", b""),
               ("subfolder", "ünï ☃", "Zprávy\n\nŽluťoučký kůň.".encode("iso8859_2")),
               ("file", "long.txt", b"T\n\n" + b"word " * 200_000),
               ("file", "tiny.txt", b"T\n\n" + b"Ok.\n\n" * 5000)])
def test_any_folder_loads_to_one_outcome_per_path_and_reloads_as_a_no_op(spec):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "reports"
        expected = make_folder(root, spec)
        db = str(Path(tmp) / "c.db")
        first = forked_load(db, [str(root)], workers=1)
        got = outcomes(db, root)
        for rel in expected:
            assert len(got.get(shown(rel), [])) == 1, (rel, got.get(shown(rel)), first)
        assert set(got) == {shown(r) for r in expected}, first
        assert first["loaded"] + first["duplicates"] + len(first["errors"]) == len(expected)
        intact(db)
        check_offsets(db)

        before = dump(db)
        second = forked_load(db, [str(root)], workers=1)
        assert (second["loaded"], second["updated"], second["reparsed"]) == (0, 0, 0), second
        assert second["unchanged"] + second["duplicates"] + len(second["errors"]) == len(
            expected)
        assert dump(db) == before
        intact(db)


# The real-style corpus the orders are drawn over: reports sharing a footer (repeated
# boilerplate once three texts hold it), lines that recur with figures (content, never
# boilerplate), a copy, and the demo's wire reports.
def real_style_corpus(folder: Path) -> list[str]:
    folder.mkdir(parents=True)
    for i in range(12):
        data = report(i, footer=i % 3 != 0)
        if i % 4 == 0:
            data += b"\nRevs 104,606,000 vs 110,311,000\n"
        (folder / f"r{i:04d}.txt").write_bytes(data)
    (folder / "copy-of-5.txt").write_bytes(report(5))
    demo = Path(__file__).resolve().parent.parent / "datasette_reportcorpus" / "demo"
    for f in sorted(demo.glob("*.txt"))[:5]:
        (folder / "wire").mkdir(exist_ok=True)
        shutil.copyfile(f, folder / "wire" / f.name)
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.txt"))


@pytest.fixture(scope="module")
def clean_corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("orders")
    folder = base / "all"
    names = real_style_corpus(folder)
    clean = str(base / "clean.db")
    load(clean, [str(folder)], workers=1)
    assert FOOTER  # (the footer the reports share)
    return folder, names, corpus(clean)


steps = st.lists(st.tuples(st.sets(st.integers(0, 16)), st.one_of(st.none(),
                                                                 st.integers(1, 4))),
                 min_size=1, max_size=3)


@PROFILE
@given(plan=steps)
# Part of the corpus killed after two batches, then all of it.
@example(plan=[(set(range(17)), 2)])
def test_any_order_of_loading_killed_or_not_ends_as_a_clean_load(clean_corpus, plan):
    """Parts of the corpus in any order, some loads killed after a few batches, then
    the whole corpus: the same corpus as one clean load."""
    folder, names, clean = clean_corpus
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "c.db")
        for n, (chosen, kill_after) in enumerate(plan):
            part = Path(tmp) / f"part{n}"
            for i in sorted(chosen):
                rel = names[i % len(names)]
                (part / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(folder / rel, part / rel)
            if not part.exists():
                continue
            forked_load(db, [str(part)], workers=1, batch_size=2,
                        kill_after_batches=kill_after)
            intact(db)
        forked_load(db, [str(folder)], workers=1)
        intact(db)
        assert by_text(corpus(db)) == by_text(clean)


def by_text(c: dict) -> dict:
    """A corpus with each set of files holding one text as one entry: which of them
    holds the article and which are its duplicates depends on which came first, and
    the texts, paragraphs and figures do not."""
    groups = {article: {article} for article in c["articles"]}
    for copy, article in c["duplicates"]:
        groups[article].add(copy)
    return {frozenset(paths): c["articles"][article] for article, paths in groups.items()}


def test_a_cli_load_of_a_hostile_folder_names_every_problem_without_a_traceback(tmp_path):
    """The same folder kinds through ``reportcorpus load`` in a process of its own."""
    import subprocess

    spec = [("file", "new\nline.txt", b"\x00\x01\x02"), ("fifo", "pipe.txt", b""),
            ("self_loop", "loop.txt", b""), ("dangling", "gone.txt", b""),
            ("folder_named_txt", "x.txt", report(3)), ("bad_name", "odd.txt", report(4)),
            ("file", "-leading-dash.txt", "Caf\u00e9 report\n\nCaf\u00e9 owners said"
             " the storm closed the road.".encode("utf-16")),
            ("file", "latin2.txt", "Zprávy\n\nŽluťoučký kůň.".encode("iso8859_2"))]
    root = tmp_path / "reports"
    expected = make_folder(root, spec)
    db = tmp_path / "c.db"
    out = subprocess.run([sys.executable, "-m", "datasette_reportcorpus.cli", "load",
                          str(db), str(root)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr + out.stdout
    got = outcomes(str(db), root)
    assert set(got) == {shown(r) for r in expected}
    assert all(len(v) == 1 for v in got.values()), got
    for name in ("pipe.txt", "loop.txt", "gone.txt"):
        assert name in out.stdout + out.stderr
