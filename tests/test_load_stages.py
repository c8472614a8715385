"""The load as stages: one frozen set of options per load and no state kept between
loads, corpus passes only when something changed, a parallel load on generated files,
and any order of loading ending as a clean load does."""

from __future__ import annotations

import dataclasses
import random
import sqlite3
from pathlib import Path

import pytest

from datasette_reportcorpus.loaders import load as load_module
from datasette_reportcorpus.loaders import passes
from datasette_reportcorpus.loaders.load import LoadOptions, load
from datasette_reportcorpus.loaders.stages import discover as discover_stage
from datasette_reportcorpus.loaders.stages import parse as parse_stage

PLACES = ["Greyfield", "Saltry", "Brimwick", "Harrowdale", "Penmoor", "Custance", "Lowther",
          "Ashby Vale", "Tormouth", "Kelling"]
THINGS = ["pump station", "ferry terminal", "library", "bus depot", "market hall",
          "flood barrier", "school annexe", "fire station", "harbour wall", "clinic"]
FOOTER = "Follow our local news desk for more reports from across the county"


def report(i: int, footer: bool = True) -> bytes:
    """A fictional report, distinct per ``i``, stating figures; with the shared footer
    a site puts under every report (a repeated block) when ``footer``."""
    rng = random.Random(i)
    place, thing = PLACES[i % len(PLACES)], THINGS[(i // len(PLACES)) % len(THINGS)]
    paras = [
        f"Work on the {thing} in {place} will cost {rng.randint(2, 90)} million pounds, the"
        f" council said on {['Monday', 'Tuesday', 'Friday'][i % 3]}, report number {i}.",
        f"About {rng.randint(100, 9000):,} residents signed a petition asking for the {thing}"
        f" to reopen before {2030 + i % 7}.",
        f"Councillor {rng.choice(['Amberley', 'Quist', 'Rendle', 'Yarrow'])} said the plan for"
        f" {place} had been delayed twice and would need {rng.randint(3, 40)} more staff.",
    ]
    if footer:
        paras.append(FOOTER)
    return (f"{thing.title()} plan for {place} {i}\n\n" + "\n\n".join(paras) + "\n").encode()


def write_reports(folder: Path, n: int, start: int = 0, footer: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        (folder / f"r{i:04d}.txt").write_bytes(report(i, footer))
    return folder


def corpus(db: str) -> dict:
    """The corpus as a reader sees it, independent of ids and load order: each article's
    paragraphs and figures by path, dropped blocks, and duplicates."""
    conn = sqlite3.connect(db)
    try:
        out: dict = {}
        for aid, path, title, count in conn.execute(
                "select id, path, title, paragraph_count from articles"):
            paras = [r[0] for r in conn.execute(
                "select text from paragraphs where article_id = ? order by position", [aid])]
            figures = sorted(conn.execute(
                "select surface, value, kind from figures where article_id = ?", [aid]))
            dropped = sorted(conn.execute(
                "select text, reason from dropped where article_id = ?", [aid]))
            out[path] = (title, count, paras, figures, dropped)
        dups = sorted(conn.execute("select d.path, a.path from duplicates d join articles a"
                                   " on a.id = d.duplicate_of"))
        return {"articles": out, "duplicates": dups}
    finally:
        conn.close()


def test_options_are_one_frozen_value():
    options = LoadOptions(workers=2, figures=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.workers = 3  # type: ignore[misc]
    assert options.parsed_by.endswith("+no-figures")


def test_no_state_is_kept_between_loads(tmp_path):
    """A serial load without figures, then a parallel load with them whose copy is parsed
    again in this process (its original changed): the copy gets figures, as a clean load
    gives it. (The settings of the first load once stayed behind in a module global and
    were used by the second load's parse in this process.)"""
    small = write_reports(tmp_path / "small", 3)
    load(str(tmp_path / "first.db"), [str(small)], figures=False, workers=1)

    # (No repeated block: the corpus pass, which parses with figures, must not touch it.)
    folder = write_reports(tmp_path / "big", 60, footer=False)
    (folder / "a-original.txt").write_bytes(report(1000, footer=False))
    (folder / "b-copy.txt").write_bytes(report(1000, footer=False))
    db = str(tmp_path / "c.db")
    s = load(db, [str(folder)], workers=2)
    assert s.duplicates == 1
    (folder / "a-original.txt").write_bytes(report(1001, False))  # the copy is on its own now
    s = load(db, [str(folder)], workers=2)
    assert s.updated == 1 and s.loaded == 1

    clean = str(tmp_path / "clean.db")
    load(clean, [str(folder)], workers=1)
    copy = corpus(db)["articles"]["b-copy.txt"]
    assert copy[3], "the copy parsed again in this process has its figures"
    assert copy == corpus(clean)["articles"]["b-copy.txt"]
    conn = sqlite3.connect(db)
    marks = {r[0] for r in conn.execute("select parsed_by from article_sources")}
    conn.close()
    assert marks == {load_module.PARSED_BY}


def test_a_parallel_load_of_generated_files_equals_a_serial_one(tmp_path):
    folder = write_reports(tmp_path / "reports", 120)
    (folder / "copy.txt").write_bytes(report(7))
    (folder / "empty.txt").write_bytes(b"")
    serial, parallel = str(tmp_path / "serial.db"), str(tmp_path / "parallel.db")
    s1 = load(serial, [str(folder)], workers=1)
    s2 = load(parallel, [str(folder)], workers=2)
    assert (s2.loaded, s2.duplicates, len(s2.errors)) == (120, 1, 1)
    assert (s1.loaded, s1.duplicates, s1.errors) == (s2.loaded, s2.duplicates, s2.errors)
    assert corpus(serial) == corpus(parallel)
    # The footer under every report is found as a repeated block and dropped.
    assert all(FOOTER not in paras for _, _, paras, _, _ in corpus(parallel)["articles"].values())


class Counting:
    def __init__(self, real):
        self.real, self.calls = real, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.real(*args, **kwargs)


def test_a_load_that_changes_nothing_parses_nothing(tmp_path, monkeypatch):
    """Articles holding a repeated block are parsed again by the corpus pass only when
    the corpus changed; a no-op reload parses no file and runs no pass."""
    folder = write_reports(tmp_path / "reports", 60)
    db = str(tmp_path / "c.db")
    load(db, [str(folder)], workers=1)
    repass = Counting(passes.parse_text)
    monkeypatch.setattr(passes, "parse_text", repass)
    files = Counting(parse_stage.parse_article)
    monkeypatch.setattr(parse_stage, "parse_article", files)
    s = load(db, [str(folder)], workers=1)
    assert (s.unchanged, s.loaded, s.updated) == (60, 0, 0)
    assert (files.calls, repass.calls) == (0, 0)
    assert "boilerplate" not in s.timings and "related" not in s.timings
    # A real change runs the passes again: the repeated block's articles are re-cleaned.
    (folder / "r0000.txt").write_bytes(report(5000))
    s = load(db, [str(folder)], workers=1)
    assert s.updated == 1 and files.calls == 1 and repass.calls > 0


def test_a_killed_load_leaves_the_passes_pending(tmp_path):
    """The mark that the passes must run is committed with the batch that changed the
    corpus: a load killed before the passes leaves it, and the next load runs them."""
    folder = write_reports(tmp_path / "reports", 10)
    db = str(tmp_path / "c.db")
    load(db, [str(folder)])
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from reportcorpus_meta where key = 'link_pending'"
                        ).fetchone() == (0,)
    with conn:
        conn.execute("insert into reportcorpus_meta (key, value) values ('link_pending', '1')")
    conn.close()
    s = load(db, [str(folder)])
    assert s.unchanged == 10 and "boilerplate" in s.timings


@pytest.mark.parametrize("steps", [
    ["part", "all"],           # part of a collection, then all of it
    ["late", "all"],           # the other part first
    ["all", "part", "all"],    # all, part again, all again
])
def test_any_order_of_loading_ends_as_a_clean_load(tmp_path, steps):
    folder = write_reports(tmp_path / "all", 40)
    # Lines that recur with figures in them are content, never boilerplate.
    for i in range(0, 40, 4):
        path = folder / f"r{i:04d}.txt"
        path.write_bytes(path.read_bytes() + b"\nRevs 104,606,000 vs 110,311,000\n")
    (folder / "copy-of-3.txt").write_bytes(report(3))
    parts = {"all": folder, "part": tmp_path / "part", "late": tmp_path / "late"}
    files = sorted(folder.iterdir())
    for name, chosen in (("part", files[:15]), ("late", files[15:])):
        parts[name].mkdir()
        for f in chosen:
            (parts[name] / f.name).write_bytes(f.read_bytes())
    clean = str(tmp_path / "clean.db")
    load(clean, [str(folder)])
    db = str(tmp_path / "steps.db")
    for step in steps:
        load(db, [str(parts[step])])
    assert corpus(db) == corpus(clean)
    kept = [p for _, _, paras, _, _ in corpus(clean)["articles"].values() for p in paras
            if p.startswith("Revs")]
    assert len(kept) == 10


def test_a_reader_can_give_many_items_from_one_source(tmp_path, monkeypatch):
    """The seam for readers of exports: one source, many items, each with its own key,
    text and metadata, loaded as articles, and a bad record a load_errors row."""
    def lines_reader(source):
        for n, line in enumerate(source.path.read_text().splitlines(), 1):
            rel = f"{source.rel}:{n}"
            if not line.strip():
                yield discover_stage.Item(source.path, rel, error="blank record")
                continue
            i = int(line)
            yield discover_stage.Item(source.path, rel, meta={"outlet": "Export Wire"},
                                      text=report(i).decode(), key=rel)

    monkeypatch.setitem(discover_stage.READERS, ".lines", lines_reader)
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "export.lines").write_text("1\n2\n\n3\n")
    db = str(tmp_path / "c.db")
    s = load(db, [str(tmp_path / "exports")])
    assert s.loaded == 3
    assert s.errors == [("export.lines:3", "blank record")]
    conn = sqlite3.connect(db)
    assert conn.execute("select key, outlet from articles order by key").fetchall() == [
        ("export.lines:1", "Export Wire"), ("export.lines:2", "Export Wire"),
        ("export.lines:4", "Export Wire")]
    conn.close()
    assert load(db, [str(tmp_path / "exports")]).unchanged == 3
