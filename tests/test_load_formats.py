"""Saved web pages and JSON Lines, JSON and CSV exports through the real ``reportcorpus
load`` into a real SQLite file, then read back through Datasette (``datasette.client``):
the article page and search show each record's title, outlet and ISO date; bad records
are ``load_errors`` rows naming file and line; ``--format`` and the field options; a
second load that changes nothing; an edited, a removed and a manifest-given record; a
``.txt`` corpus loading as it did; and an export read in small, constant memory.

Every text here is our own fictional report. The pages are the fictional gold pages of
``benchmarks/gold/html/``, read with the built-in ``stdlib`` engine so that the results
do not depend on the optional extra.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from datasette_reportcorpus.cli import cli
from datasette_reportcorpus.loaders.formats.html import have_trafilatura
from datasette_reportcorpus.loaders.load import LoadOptions
from datasette_reportcorpus.loaders.stages import discover as discover_stage

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "benchmarks" / "gold" / "html"
DEMO = ROOT / "datasette_reportcorpus" / "demo"

STORIES = [
    ("Quay wall gives way at Saltry harbour",
     ["Part of the quay wall at Saltry harbour collapsed into the water early on Tuesday,"
      " the harbour board said.",
      "Nobody was hurt, but 14 fishing boats were moved to the outer basin while divers"
      " checked the damage.",
      "Repairs are expected to cost about 2.4 million pounds and take until the spring."]),
    ("Ferry crossings cut to two a day",
     ["The Fenmouth ferry will run two crossings a day from Monday because of a shortage"
      " of crew, its operator said.",
      "Passengers with bookings for cancelled sailings will be moved to the nearest"
      " remaining crossing or refunded in full."]),
    ("Library opens on Sundays",
     ["Lowmarsh library will open on Sunday afternoons from next month after the council"
      " found money for 3 more staff.",
      "The trial will run for six months and visitor numbers will decide whether it"
      " continues."]),
]


def body(i: int) -> str:
    return "\n\n".join(STORIES[i][1])


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, ["load", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def rows(db: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def jsonl(*objs) -> str:
    return "".join((o if isinstance(o, str) else json.dumps(o)) + "\n" for o in objs)


async def article_json(make_datasette, db: Path, key: str) -> dict:
    (aid,), = rows(db, "select id from articles where key = ?", [key])
    ds = make_datasette(db)
    response = await ds.client.get(f"/{db.stem}/-/article/{aid}.json")
    assert response.status_code == 200
    page = await ds.client.get(f"/{db.stem}/-/article/{aid}")
    assert page.status_code == 200
    return {**response.json(), "html": page.text}


async def search(make_datasette, db: Path, q: str) -> dict:
    ds = make_datasette(db)
    response = await ds.client.get(f"/{db.stem}/-/search.json?q={q}")
    assert response.status_code == 200
    return response.json()


def facet_results(data: dict) -> dict:
    """Facets by name (1.0 nests them one level deeper, beside ``timed_out``)."""
    found = data["facet_results"]
    return found["results"] if isinstance(found.get("results"), dict) else found


# --- JSON Lines -----------------------------------------------------------------------

def write_jsonl(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "export.jsonl"
    path.write_text(jsonl(
        {"id": "sal-1", "headline": STORIES[0][0], "content": body(0),
         "source": {"name": "SALTRY HERALD"}, "published_at": "Tue, 01 Dec 2026 07:30:00 +0000",
         "link": "https://www.saltryherald.example/news/quay-wall", "author": ["Ana Voss"]},
        '{"id": "bad-1", "headline": "cut off',                         # line 2: invalid
        {"id": "fen-2", "title": STORIES[1][0], "text": body(1),
         "site_name": "The Saltry Herald", "date": "3 December 2026"},
        {"id": "no-text", "title": "A record without its text"},         # line 4: no text
        "",                                                              # a blank line
        {"title": STORIES[2][0], "body": body(2), "publisher": "saltry herald",
         "pubdate": 1796292000}), encoding="utf-8")                      # line 6: no id
    return path


@pytest.mark.asyncio
async def test_jsonl_export_loads_with_titles_outlets_iso_dates_and_bad_lines(tmp_path,
                                                                             make_datasette):
    export = write_jsonl(tmp_path / "in")
    db = tmp_path / "corpus.db"
    out = run(str(db), str(export.parent))
    assert "loaded 3" in out and "errors 2" in out
    assert "export.jsonl:2: invalid JSON" in out and "export.jsonl:4: no text" in out
    got = rows(db, "select key, path, title, outlet, published, url, byline from articles"
                   " order by key")
    assert got == [
        ("export.jsonl:6", "export.jsonl:6", STORIES[2][0], "The Saltry Herald",
         "2026-12-03T10:00:00Z", None, None),
        ("fen-2", "export.jsonl#fen-2", STORIES[1][0], "The Saltry Herald", "2026-12-03",
         None, None),
        ("sal-1", "export.jsonl#sal-1", STORIES[0][0], "The Saltry Herald",
         "2026-12-01T07:30:00+00:00", "https://www.saltryherald.example/news/quay-wall",
         "Ana Voss")]
    # Every paragraph is kept as the record gave it: none is taken for a title.
    assert rows(db, "select text from paragraphs p join articles a on a.id = p.article_id"
                    " where a.key = 'sal-1' order by position") == [(t,) for t in STORIES[0][1]]
    errors = dict(rows(db, "select path, error from load_errors"))
    assert set(errors) == {"export.jsonl:2", "export.jsonl:4"}
    assert errors["export.jsonl:2"].startswith("invalid JSON")
    assert "no text" in errors["export.jsonl:4"] and "--text-field" in errors["export.jsonl:4"]

    page = await article_json(make_datasette, db, "sal-1")
    a = page["article"]
    assert (a["title"], a["outlet"], a["published"]) == (
        STORIES[0][0], "The Saltry Herald", "2026-12-01T07:30:00+00:00")
    assert STORIES[0][0] in page["html"] and "The Saltry Herald" in page["html"]
    assert "2026-12-01" in page["html"]
    found = await search(make_datasette, db, "divers")
    assert found["count"] == 1
    hit = found["rows"][0]
    assert (hit["article_title"], hit["outlet"], hit["published"]) == (
        STORIES[0][0], "The Saltry Herald", "2026-12-01T07:30:00+00:00")
    facets = facet_results(await search(make_datasette, db, "the"))
    months = {r["value"]: r["count"] for r in facets["month"]["results"]}
    assert months == {"2026-12": 7}  # (paragraphs found: 3 + 2 + 2)
    outlets = {r["value"]: r["count"] for r in facets["outlet"]["results"]}
    assert outlets == {"The Saltry Herald": 7}


def test_a_second_load_changes_nothing_an_edit_reparses_one_record_removal_as_files(tmp_path):
    export = write_jsonl(tmp_path / "in")
    db = tmp_path / "corpus.db"
    run(str(db), str(export.parent))
    before = rows(db, "select id, key, content_hash from articles order by id")
    out = run(str(db), str(export.parent))
    assert "loaded 0, unchanged 3, updated 0" in out
    assert rows(db, "select id, key, content_hash from articles order by id") == before

    lines = export.read_text(encoding="utf-8").splitlines()
    edited = json.loads(lines[2])
    edited["text"] += "\n\nThe operator said the cut would last until March."
    lines[2] = json.dumps(edited)
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = run(str(db), str(export.parent))
    assert "loaded 0, unchanged 2, updated 1" in out
    after = dict(((k, (i, h)) for i, k, h in rows(db, "select id, key, content_hash from articles")))
    assert {k: v for k, v in after.items() if k != "fen-2"} == {
        k: (i, h) for i, k, h in before if k != "fen-2"}
    assert after["fen-2"][0] == dict((k, i) for i, k, _ in before)["fen-2"]
    assert after["fen-2"][1] != dict((k, h) for _, k, h in before)["fen-2"]

    # A title changed in the export is metadata: stored without a parse.
    edited["title"] = "Ferry crossings cut again"
    lines[2] = json.dumps(edited)
    del lines[0]  # and the first record removed
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = run(str(db), str(export.parent))
    assert "updated 1" in out
    assert rows(db, "select title from articles where key = 'fen-2'") == [
        ("Ferry crossings cut again",)]
    # Like a deleted file, a removed record's article stays until a pruned load.
    assert rows(db, "select count(*) from articles where key = 'sal-1'") == [(1,)]
    run(str(db), str(export.parent), "--prune")
    assert rows(db, "select count(*) from articles where key = 'sal-1'") == [(0,)]
    # Line numbers moved up by one: the record keyed by its line is a new article, the
    # bad ones are reported at their new lines and their old rows are pruned.
    assert sorted(k for (k,) in rows(db, "select key from articles")) == [
        "export.jsonl:5", "fen-2"]
    assert sorted(p for (p,) in rows(db, "select path from load_errors")) == [
        "export.jsonl:1", "export.jsonl:3"]


def test_the_manifest_gives_metadata_to_records_by_key_and_to_a_whole_export(tmp_path):
    export = write_jsonl(tmp_path / "in")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,outlet,title,published\n"
                        "export.jsonl,Saltry Evening Post,,\n"
                        "fen-2,,Ferry timetable cut,2026-12-05\n", encoding="utf-8")
    db = tmp_path / "corpus.db"
    out = run(str(db), str(export.parent), "--manifest", str(manifest))
    assert "match no file" not in out
    got = dict((k, (t, o, p)) for k, t, o, p in rows(
        db, "select key, title, outlet, published from articles"))
    assert got["fen-2"] == ("Ferry timetable cut", "The Saltry Herald", "2026-12-05")
    assert got["sal-1"] == (STORIES[0][0], "Saltry Evening Post", "2026-12-01T07:30:00+00:00")


# --- CSV ------------------------------------------------------------------------------

def write_csv(path: Path, columns: list[str], records: list[list[str]]) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    w.writerows(records)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


@pytest.mark.asyncio
async def test_csv_export_with_field_options_and_bad_rows(tmp_path, make_datasette):
    folder = tmp_path / "in"
    folder.mkdir()
    write_csv(folder / "scrape.csv", ["uid", "Story", "Head", "Paper", "When", "Address"], [
        ["q1", body(0), STORIES[0][0], "Fenmouth Gazette", "December 1, 2026",
         "https://fenmouthgazette.example/quay"],
        ["q2", "", "An empty row of text", "Fenmouth Gazette", "2026-12-02", ""],
        ["q3", body(1), STORIES[1][0], "FENMOUTH GAZETTE", "2026-12-02 09:15:00", ""],
    ])
    # A CSV whose text column is not there: the whole file is one error naming it.
    write_csv(folder / "figures.csv", ["uid", "Head"], [["z", "no text at all"]])
    db = tmp_path / "corpus.db"
    result = CliRunner().invoke(cli, [
        "load", str(db), str(folder / "scrape.csv"), str(folder / "figures.csv"),
        "--text-field", "Story", "--title-field", "head", "--outlet-field", "paper",
        "--date-field", "When", "--url-field", "Address", "--id-field", "uid"])
    assert result.exit_code == 0, result.output
    # Each row spans as many lines as its quoted text: the empty one starts on line 7.
    assert "scrape.csv:7: empty text (field 'Story')" in result.output
    errors = dict(rows(db, "select path, error from load_errors"))
    assert errors[f"{folder / 'scrape.csv'}:7"] == "empty text (field 'Story')"
    figures_error = errors[str(folder / "figures.csv")]
    assert "no column for --text-field Story" in figures_error and "uid, Head" in figures_error
    got = rows(db, "select key, path, title, outlet, published, url from articles order by key")
    scrape = str(folder / "scrape.csv")
    assert got == [
        ("q1", f"{scrape}#q1", STORIES[0][0], "Fenmouth Gazette", "2026-12-01",
         "https://fenmouthgazette.example/quay"),
        ("q3", f"{scrape}#q3", STORIES[1][0], "Fenmouth Gazette", "2026-12-02T09:15:00", None)]
    page = await article_json(make_datasette, db, "q3")
    assert [p["text"] for p in page["paragraphs"]] == STORIES[1][1]
    assert (page["article"]["outlet"], page["article"]["published"]) == (
        "Fenmouth Gazette", "2026-12-02T09:15:00")
    found = await search(make_datasette, db, "crew")
    assert [(r["article_title"], r["published"]) for r in found["rows"]] == [
        (STORIES[1][0], "2026-12-02T09:15:00")]


def test_a_field_option_that_is_no_name_is_refused_by_name(tmp_path):
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "c.db"), str(tmp_path),
                                      "--text-field", " . "])
    assert result.exit_code == 2 and "--text-field" in result.output


# --- JSON arrays ----------------------------------------------------------------------

def test_json_array_export_good_and_bad_elements(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "feed.json").write_text(json.dumps([
        {"guid": "a", "title": STORIES[0][0], "article_text": body(0),
         "publication": "Marsh Weekly", "datePublished": "2026-11-30T18:00:00Z"},
        {"guid": "b", "title": "No text here"},
        "a string, not an article",
        {"guid": "c", "title": STORIES[2][0], "maintext": body(2)},
    ], indent=1), encoding="utf-8")
    (folder / "cut.json").write_text('[{"id": "x", "text": "One report whose array never ends.',
                                     encoding="utf-8")
    db = tmp_path / "corpus.db"
    out = run(str(db), str(folder))
    assert rows(db, "select key, title, outlet, published from articles order by key") == [
        ("a", STORIES[0][0], "Marsh Weekly", "2026-11-30T18:00:00Z"),
        ("c", STORIES[2][0], None, None)]
    errors = dict(rows(db, "select path, error from load_errors"))
    # (each element starts on its own line of the indented array)
    assert set(errors) == {"feed.json:9", "feed.json:13", "cut.json:1"}
    assert "no text" in errors["feed.json:9"]
    assert "not an object" in errors["feed.json:13"]
    assert "invalid JSON" in errors["cut.json:1"]
    assert "cut.json:1: invalid JSON" in out


# --- saved web pages ------------------------------------------------------------------

@pytest.mark.asyncio
async def test_saved_pages_load_with_their_metadata_and_bad_pages_are_named(tmp_path,
                                                                           make_datasette):
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("t02_harbour_gazette_ferry.html", "m01_harbour_gazette_pier.html",
                 "m04_kestrel_daily_market.html"):
        shutil.copy(PAGES / name, folder / name)
    (folder / "m04_kestrel_daily_market.html").rename(folder / "market.HTM")
    (folder / "empty.html").write_text("<html><body><nav><a href='/'>Home</a></nav>"
                                       "</body></html>", encoding="utf-8")
    (folder / "report.htm").write_bytes(b"%PDF-1.4 not a page")
    db = tmp_path / "corpus.db"
    out = run(str(db), str(folder), "--html-engine", "stdlib")
    assert "loaded 3" in out and "errors 2" in out
    errors = dict(rows(db, "select path, error from load_errors"))
    assert errors[str(folder / "empty.html")].startswith("no article text found in the page")
    assert "a PDF document" in errors[str(folder / "report.htm")]
    gold = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
    (want,) = [g for g in gold["pages"] if g["file"] == "m01_harbour_gazette_pier.html"]
    page = await article_json(make_datasette, db, "m01_harbour_gazette_pier")
    a = page["article"]
    assert a["title"] == want["title"] and a["outlet"] == "Harbour Gazette"
    assert a["published"] == "2026-11-29T09:00:00Z" and a["byline"] == want["author"]
    paragraphs = [p["text"] for p in page["paragraphs"]]
    assert paragraphs[0] == want["paragraphs"][0]
    assert not any("Share" in p[:20] or "cookie" in p.lower() for p in paragraphs)
    assert want["title"] in page["html"]
    assert rows(db, "select outlet, published from articles where key = 'market'") == [
        ("Kestrel Daily", "2026-11-28")]
    found = await search(make_datasette, db, "pier")
    assert found["count"] >= 1 and {r["outlet"] for r in found["rows"]} == {"Harbour Gazette"}
    # A page loads once: the second load reads it, finds the same text, parses nothing.
    assert "loaded 0, unchanged 3" in run(str(db), str(folder), "--html-engine", "stdlib")


def test_asking_for_trafilatura_without_the_extra_names_the_extra(tmp_path):
    if have_trafilatura():
        pytest.skip("the html extra is installed here: its absence cannot be shown")
    (tmp_path / "a.html").write_text("<p>x</p>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "c.db"), str(tmp_path / "a.html"),
                                      "--html-engine", "trafilatura"])
    assert result.exit_code == 2
    assert "datasette-reportcorpus[html]" in result.output and "--html-engine" in result.output
    assert not (tmp_path / "c.db").exists()


# --- --format -------------------------------------------------------------------------

def test_format_auto_detects_each_file_and_a_given_format_applies_to_all(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    # JSON Lines under a .json name, a page and an export with no suffix, a plain text.
    (folder / "lines.json").write_text(jsonl({"id": "L1", "text": body(0)},
                                             {"id": "L2", "text": body(1)}), encoding="utf-8")
    (folder / "plain.txt").write_text(STORIES[2][0] + "\n\n" + body(2) + "\n", encoding="utf-8")
    shutil.copy(PAGES / "t02_harbour_gazette_ferry.html", tmp_path / "saved-page")
    (tmp_path / "dump").write_text(jsonl({"id": "D1", "text": body(2)}), encoding="utf-8")
    db = tmp_path / "auto.db"
    run(str(db), str(folder), str(tmp_path / "saved-page"), str(tmp_path / "dump"),
        "--format", "auto", "--html-engine", "stdlib")
    got = dict(rows(db, "select key, path from articles"))
    # (a file named on its own keeps its path as given, as a .txt file does)
    page, dump = str(tmp_path / "saved-page"), str(tmp_path / "dump")
    assert got == {"L1": "lines.json#L1", "L2": "lines.json#L2", "plain": "plain.txt",
                   page: page, "D1": f"{dump}#D1"}
    assert rows(db, "select title from articles where key = ?", [page]) == [
        ("Ferry operator cancels winter timetable as crew shortage bites",)]
    assert rows(db, "select count(*) from load_errors") == [(0,)]

    # --format jsonl reads even a .txt file as JSON Lines: each line a record.
    (tmp_path / "feed.txt").write_text(jsonl({"id": "F1", "text": body(1)}, "not json"),
                                       encoding="utf-8")
    db = tmp_path / "given.db"
    out = run(str(db), str(tmp_path / "feed.txt"), "--format", "jsonl")
    assert rows(db, "select key from articles") == [("F1",)]
    assert "feed.txt:2: invalid JSON" in out
    # and --format text reads an export as one plain text article.
    db = tmp_path / "text.db"
    run(str(db), str(folder), "--format", "text")
    assert rows(db, "select key, path from articles order by key") == [
        ("lines", "lines.json"), ("plain", "plain.txt")]


# --- plain text, as before ------------------------------------------------------------

def corpus_dump(db: Path) -> dict:
    return {
        "articles": rows(db, "select key, path, title, outlet, url, published, byline,"
                             " content_hash from articles order by key"),
        "paragraphs": rows(db, "select a.key, p.position, p.text from paragraphs p join"
                               " articles a on a.id = p.article_id order by a.key, position"),
        "dropped": rows(db, "select a.key, d.block, d.reason from dropped d join articles a"
                            " on a.id = d.article_id order by a.key, block"),
        "errors": rows(db, "select path, error from load_errors order by path"),
    }


def test_a_text_corpus_with_its_csv_and_json_files_loads_as_its_text_files_alone(tmp_path):
    """The demo folder holds a manifest.csv and a gold.json beside its .txt reports:
    neither is taken for an export, and the corpus is what loading the .txt files by
    name makes of it."""
    src = tmp_path / "demo"
    shutil.copytree(DEMO, src)
    assert (src / "gold.json").is_file() and (src / "manifest.csv").is_file()
    manifest = str(src / "manifest.csv")
    whole = tmp_path / "folder.db"
    out = run(str(whole), str(src), "--manifest", manifest)
    assert "errors 0" in out
    texts = tmp_path / "texts"
    shutil.copytree(src, texts, ignore=shutil.ignore_patterns("*.json", "*.csv", "*.md"))
    assert not [p for p in texts.rglob("*") if p.is_file() and p.suffix != ".txt"]
    alone = tmp_path / "texts.db"
    run(str(alone), str(texts), "--manifest", manifest)
    assert corpus_dump(whole) == corpus_dump(alone)
    assert len(corpus_dump(whole)["articles"]) > 10
    # Without the manifest option, manifest.csv (no text column) is a folder's note too.
    out = run(str(tmp_path / "plain.db"), str(src))
    assert "errors 0" in out and "skipped as a folder's notes" in out


# --- memory ---------------------------------------------------------------------------

def _discover_peak(export: Path) -> tuple[list, int]:
    tracemalloc.start()
    try:
        items, errors = discover_stage.discover([str(export)], options=LoadOptions())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert errors == []
    return items, peak


def _export(path: Path, records: int, repeat: int) -> Path:
    filler = " ".join(["The harbour board met again to discuss the quay wall."] * repeat)
    with path.open("w", encoding="utf-8") as f:
        for i in range(records):
            f.write(json.dumps({"id": f"r{i}", "title": f"Report {i}", "outlet": "Marsh Weekly",
                                "date": "2026-12-01", "text": f"Report number {i}.\n\n{filler}"})
                    + "\n")
    return path


def test_a_large_export_is_read_in_small_memory_and_its_records_read_back(tmp_path):
    """Discovery streams a generated export of about 25 MB: traced memory stays a small
    part of it and does not grow with the records' text (the items keep each record's
    metadata and byte offset, about a kilobyte, never its text), and an item's text read
    back from the file is the record's."""
    big = _export(tmp_path / "big.jsonl", 1500, 300)
    small = _export(tmp_path / "small.jsonl", 1500, 30)
    size = big.stat().st_size
    assert size > 20_000_000 and small.stat().st_size < size / 8
    items, peak = _discover_peak(big)
    _, peak_small = _discover_peak(small)
    assert len(items) == 1500
    assert peak < size / 10, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB export"
    # Ten times the text, the same records: memory grows by far less than the text did.
    assert peak < 1.5 * peak_small + 500_000, (peak, peak_small)
    assert all(item.__dict__.get("_text") is None for item in items)
    assert items[1234].key == "r1234" and items[1234].meta["title"] == "Report 1234"
    assert items[1234].text.startswith("Report number 1234.\n\nThe harbour board")
    assert items[-1].text.startswith("Report number 1499.")


def test_records_are_read_again_in_worker_processes(tmp_path):
    """With enough records for worker processes, each worker reads its records' text from
    the export itself: every article is the record's, in both a JSON Lines and a CSV file."""
    folder = tmp_path / "in"
    folder.mkdir()
    n = 70
    (folder / "many.jsonl").write_text(jsonl(*[
        {"id": f"j{i}", "title": f"Report {i}", "text": f"Item {i} opens the report.\n\n"
         + STORIES[i % 3][1][0]} for i in range(n)]), encoding="utf-8")
    write_csv(folder / "many.csv", ["id", "title", "text"], [
        [f"c{i}", f"Row {i}", f"Row {i} opens the report.\n\n" + STORIES[i % 3][1][-1]]
        for i in range(n)])
    db = tmp_path / "corpus.db"
    out = run(str(db), str(folder), "--workers", "2", "--no-figures")
    assert f"loaded {2 * n}" in out and "errors 0" in out
    got = dict(rows(db, "select a.key, p.text from paragraphs p join articles a on"
                        " a.id = p.article_id where p.position = 0"))
    assert all(got[f"j{i}"] == f"Item {i} opens the report." for i in range(n))
    assert all(got[f"c{i}"] == f"Row {i} opens the report." for i in range(n))
    assert f"unchanged {2 * n}" in run(str(db), str(folder), "--workers", "2", "--no-figures")
