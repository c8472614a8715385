"""Loading into a real SQLite file: idempotence, updates, duplicates, bad input, kills."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from datasette_reportcorpus.cli import cli
from datasette_reportcorpus.loaders import store
from datasette_reportcorpus.loaders.load import load
from datasette_reportcorpus.loaders.store import open_db

PARAS = [
    ("Engineers at the Greyfield waterworks said on Monday that the main pump had failed after "
     "three days of heavy rain, leaving 4,000 homes without water."),
    ("The council opened two emergency supply points in the market square and at the leisure "
     "centre, where residents queued for bottled water."),
    "A spokesman said repairs would take at least a week and apologised for the disruption.",
]


def article(*paras, headline="Pump failure leaves town dry"):
    return (headline + "\n\n" + "\n\n".join(paras) + "\n").encode()


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    (d / "001_aaaaaaaaaaaaaaaa.txt").write_bytes(article(*PARAS))
    (d / "002_bbbbbbbbbbbbbbbb.txt").write_bytes(article(PARAS[1], PARAS[0], headline="Queues"))
    sub = d / "courier"
    sub.mkdir()
    (sub / "water-day-two.txt").write_bytes(article(PARAS[2], PARAS[0], headline="Day two"))
    return d


def rows(db, sql, params=()):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_load_builds_the_contract_tables(folder, tmp_path):
    db = str(tmp_path / "c.db")
    s = load(db, [str(folder)], outlet="The Courier")
    assert (s.loaded, s.errors) == (3, [])
    arts = rows(db, "select key, seq, path, title, title_derived, outlet, paragraph_count from "
                    "articles order by path")
    assert arts == [
        ("aaaaaaaaaaaaaaaa", 1, "001_aaaaaaaaaaaaaaaa.txt", "Pump failure leaves town dry", 0,
         "The Courier", 3),
        ("bbbbbbbbbbbbbbbb", 2, "002_bbbbbbbbbbbbbbbb.txt", "Queues", 0, "The Courier", 2),
        ("courier/water-day-two", None, "courier/water-day-two.txt", "Day two", 0,
         "The Courier", 2),
    ]
    # Offsets point into the stored normalised source.
    for text, start, end, src in rows(db, "select p.text, p.start, p.[end], s.text from paragraphs"
                                          " p join article_sources s on s.id = p.article_id"):
        assert src[start:end] == text
    # Full-text index in step with the paragraphs, porter-stemmed.
    hits = rows(db, "select count(*) from paragraphs_fts where paragraphs_fts match 'resident'")
    assert hits == [(2,)]
    # Every foreign key has an index.
    conn = sqlite3.connect(db)
    for table in ("paragraphs", "figures", "dropped", "related", "articles", "duplicates"):
        fks = [r[3] for r in conn.execute(f"pragma foreign_key_list([{table}])")]
        indexed = {conn.execute(f"pragma index_info([{i[1]}])").fetchone()[2]
                   for i in conn.execute(f"pragma index_list([{table}])")}
        assert set(fks) <= indexed, table


def test_second_load_changes_nothing(folder, tmp_path):
    db = str(tmp_path / "c.db")
    load(db, [str(folder)])
    before = rows(db, "select * from paragraphs order by id")
    s = load(db, [str(folder)])
    assert (s.loaded, s.unchanged, s.updated, s.duplicates) == (0, 3, 0, 0)
    assert rows(db, "select * from paragraphs order by id") == before


def test_changed_file_replaces_its_article_in_place(folder, tmp_path):
    db = str(tmp_path / "c.db")
    load(db, [str(folder)])
    (old_id,) = rows(db, "select id from articles where seq = 1")[0]
    (folder / "001_aaaaaaaaaaaaaaaa.txt").write_bytes(article(PARAS[0], headline="Revised"))
    s = load(db, [str(folder)])
    assert (s.loaded, s.unchanged, s.updated) == (0, 2, 1)
    assert rows(db, "select id, title, paragraph_count from articles where seq = 1") == [
        (old_id, "Revised", 1)]
    assert rows(db, "select count(*) from paragraphs where article_id = ?", [old_id]) == [(1,)]
    fts = rows(db, "select count(*) from paragraphs_fts where paragraphs_fts match 'spokesman'")
    assert fts == [(1,)]  # only the day-two copy remains


def test_manifest_fields_and_metadata_only_update(folder, tmp_path):
    db = str(tmp_path / "c.db")
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps([{"path": "001_aaaaaaaaaaaaaaaa.txt", "outlet": "Northgate",
                                     "url": "https://n.example/1", "published": "2026-03-01"}]))
    load(db, [str(folder)], manifest=str(manifest))
    assert rows(db, "select outlet, url, published from articles where seq = 1") == [
        ("Northgate", "https://n.example/1", "2026-03-01")]
    manifest.write_text(json.dumps({"001_aaaaaaaaaaaaaaaa.txt": {"outlet": "Southgate"}}))
    s = load(db, [str(folder)], manifest=str(manifest))
    assert (s.updated, s.unchanged) == (1, 2)
    assert rows(db, "select outlet from articles where seq = 1") == [("Southgate",)]


def test_an_edited_file_loaded_without_its_manifest_keeps_its_metadata(folder, tmp_path):
    db = str(tmp_path / "c.db")
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,outlet,url,published\n"
                        "001_aaaaaaaaaaaaaaaa.txt,Northgate,https://n.example/1,2026-03-01\n")
    load(db, [str(folder)], manifest=str(manifest))
    (folder / "001_aaaaaaaaaaaaaaaa.txt").write_bytes(article(PARAS[0], headline="Revised"))
    s = load(db, [str(folder)])
    assert s.updated == 1
    assert rows(db, "select title, outlet, url, published from articles where seq = 1") == [
        ("Revised", "Northgate", "https://n.example/1", "2026-03-01")]


def test_a_manifest_title_and_byline_outlive_edits_and_come_back_when_blanked(folder,
                                                                              tmp_path):
    db = str(tmp_path / "c.db")
    name = "001_aaaaaaaaaaaaaaaa.txt"
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,title,byline\n{name},Waterworks pump fails,Desk\n")
    load(db, [str(folder)], manifest=str(manifest))
    # The file is edited (its own byline line added) and loaded without the manifest.
    (folder / name).write_bytes(article("By Ada Quarrie", *PARAS, headline="Revised"))
    assert load(db, [str(folder)]).updated == 1
    assert rows(db, "select title, title_derived, byline from articles where seq = 1") == [
        ("Waterworks pump fails", 0, "Desk")]
    # Blank cells bring back the file's own title and byline.
    manifest.write_text(f"path,title,byline\n{name},,\n")
    s = load(db, [str(folder)], manifest=str(manifest))
    assert (s.updated, s.reparsed) == (1, 0)
    assert rows(db, "select title, byline from articles where seq = 1") == [
        ("Revised", "Ada Quarrie")]
    # ... and stay the file's own from then on.
    assert load(db, [str(folder)], manifest=str(manifest)).unchanged == 3


def test_a_blank_manifest_cell_clears_the_field(folder, tmp_path):
    db = str(tmp_path / "c.db")
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,outlet,published\n001_aaaaaaaaaaaaaaaa.txt,Northgate,2026-03-01\n")
    load(db, [str(folder)], manifest=str(manifest))
    manifest.write_text("path,outlet,published\n001_aaaaaaaaaaaaaaaa.txt,Northgate,\n")
    s = load(db, [str(folder)], manifest=str(manifest))
    assert (s.updated, s.unchanged) == (1, 2)
    assert rows(db, "select outlet, published from articles where seq = 1") == [
        ("Northgate", None)]


def _with_manifest(folder, tmp_path, text: str, name: str = "m.csv"):
    """Load ``folder`` with a manifest holding ``text``: (database path, summary)."""
    db = str(tmp_path / "c.db")
    manifest = tmp_path / name
    manifest.write_text(text)
    return db, load(db, [str(folder)], manifest=str(manifest))


def test_manifest_columns_in_any_case_aliases_and_unknown_ones(folder, tmp_path):
    db, s = _with_manifest(folder, tmp_path, "Path,Outlet,Date,Author,Section\n"
                           "001_aaaaaaaaaaaaaaaa.txt,Northgate,16 March 2026,Ada Quarrie,Local\n")
    assert rows(db, "select outlet, published, byline from articles where seq = 1") == [
        ("Northgate", "2026-03-16", "Ada Quarrie")]
    assert any("column(s) 'Section' not read" in w for w in s.warnings)


def test_manifest_dates_are_stored_as_iso_and_non_dates_left_out_with_a_warning(
        folder, tmp_path):
    db, s = _with_manifest(folder, tmp_path, json.dumps([
        {"path": "001_aaaaaaaaaaaaaaaa.txt", "published": "Mar 2, 2026"},
        {"path": "002_bbbbbbbbbbbbbbbb.txt", "published": "yesterday"},
        {"path": "water-day-two.txt", "published": "2026-02-30"}]), "m.json")
    assert rows(db, "select seq, published from articles order by id") == [
        (1, "2026-03-02"), (2, None), (None, None)]
    assert sum("is not a date (write YYYY-MM-DD)" in w for w in s.warnings) == 2
    assert any("002_bbbbbbbbbbbbbbbb.txt: published 'yesterday'" in w for w in s.warnings)


def test_spreadsheet_manifests_semicolons_blank_rows_and_clashing_columns(folder, tmp_path):
    db, s = _with_manifest(folder, tmp_path, "path;Outlet;date;published\r\n"
                           "001_aaaaaaaaaaaaaaaa.txt;Northgate;;5 Jan 2026\r\n;;;\r\n;;;\r\n")
    assert s.errors == []
    assert rows(db, "select outlet, published from articles where seq = 1") == [
        ("Northgate", "2026-01-05")]
    assert any("more than one column gives published" in w for w in s.warnings)


def test_ambiguous_dates_are_named_as_such(folder, tmp_path):
    _, s = _with_manifest(folder, tmp_path,
                          "path,published\n001_aaaaaaaaaaaaaaaa.txt,03/04/2026\n")
    assert any("'03/04/2026' gives day and month in an order that cannot be told apart" in w
               for w in s.warnings)


def test_a_manifest_value_that_is_not_text_is_refused(folder, tmp_path):
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps([{"path": "001_aaaaaaaaaaaaaaaa.txt", "outlet": True}]))
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "c.db"), str(folder),
                                      "--manifest", str(manifest)])
    assert result.exit_code != 0
    assert "entry 1 (001_aaaaaaaaaaaaaaaa.txt): 'outlet' is not text" in result.output
    assert not (tmp_path / "c.db").exists()


def test_exact_duplicates_are_recorded_not_indexed(folder, tmp_path):
    db = str(tmp_path / "c.db")
    (folder / "copy-of-001.txt").write_bytes(article(*PARAS).replace(b"\n", b"\r\n"))
    s = load(db, [str(folder)])
    assert (s.loaded, s.duplicates) == (3, 1)
    assert rows(db, "select d.path, a.seq from duplicates d join articles a on a.id ="
                    " d.duplicate_of") == [("copy-of-001.txt", 1)]
    assert rows(db, "select count(*) from paragraphs_fts where paragraphs_fts match 'leisure'") \
        == [(2,)]  # 001 and 002, not the copy
    assert any("duplicates table" in line for line in s.lines())
    s = load(db, [str(folder)])
    assert (s.loaded, s.unchanged, s.duplicates) == (0, 4, 0)


def _texts(db):
    """Each indexed article's path and first paragraph."""
    return dict(rows(db, "select a.path, p.text from articles a join paragraphs p"
                         " on p.article_id = a.id and p.position = 0"))


@pytest.mark.parametrize("copy_name", ["aaa-copy.txt", "zzz-copy.txt"])
def test_a_duplicate_gets_its_own_article_when_its_original_changes(folder, tmp_path,
                                                                  copy_name):
    """Whether the copy is met before or after the original in the load, its text stays
    in the corpus when the original is edited."""
    db = str(tmp_path / "c.db")
    (folder / copy_name).write_bytes(article(*PARAS))
    s = load(db, [str(folder)])
    assert s.duplicates == 1
    (folder / "001_aaaaaaaaaaaaaaaa.txt").write_bytes(article(PARAS[2], headline="Edited"))
    s = load(db, [str(folder)])
    assert (s.updated, s.loaded, s.released) == (1, 1, 0)
    assert rows(db, "select count(*) from duplicates") == [(0,)]
    texts = _texts(db)
    assert texts[copy_name] == PARAS[0] and texts["001_aaaaaaaaaaaaaaaa.txt"] == PARAS[2]
    _consistent(db)
    s = load(db, [str(folder)])
    assert (s.loaded, s.updated, s.duplicates, s.unchanged) == (0, 0, 0, 4)


def test_a_copy_left_out_of_the_load_is_released_and_loaded_next_time(folder, tmp_path):
    db = str(tmp_path / "c.db")
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "copy.txt").write_bytes(article(*PARAS))
    load(db, [str(folder), str(extra)])
    (folder / "001_aaaaaaaaaaaaaaaa.txt").write_bytes(article(PARAS[2], headline="Edited"))
    s = load(db, [str(folder)])
    assert s.released == 1 and any("load them again" in line for line in s.lines())
    s = load(db, [str(folder), str(extra)])
    assert s.loaded == 1 and _texts(db)["copy.txt"] == PARAS[0]


def test_a_file_edited_to_repeat_another_becomes_its_duplicate(folder, tmp_path):
    db = str(tmp_path / "c.db")
    load(db, [str(folder)])
    (folder / "002_bbbbbbbbbbbbbbbb.txt").write_bytes(article(*PARAS))  # = 001
    s = load(db, [str(folder)])
    assert (s.duplicates, s.removed) == (1, 1)
    assert rows(db, "select key from articles where key = 'bbbbbbbbbbbbbbbb'") == []
    assert rows(db, "select key from duplicates") == [("bbbbbbbbbbbbbbbb",)]
    _consistent(db)
    assert rows(db, "select count(*) from related r where not exists (select 1 from articles a"
                    " where a.id = r.other_id)") == [(0,)]


def test_metadata_follows_a_file_between_article_and_duplicate(folder, tmp_path):
    """A file edited to repeat another keeps its manifest outlet as a duplicate, and keeps
    it again when it is edited back to text of its own, without the manifest."""
    db, _ = _with_manifest(folder, tmp_path, "path,outlet,published\n"
                           "002_bbbbbbbbbbbbbbbb.txt,Southgate,2026-03-02\n")
    own = (folder / "002_bbbbbbbbbbbbbbbb.txt").read_bytes()
    (folder / "002_bbbbbbbbbbbbbbbb.txt").write_bytes(article(*PARAS))  # = 001
    assert load(db, [str(folder)]).duplicates == 1
    assert rows(db, "select outlet, published from duplicates") == [("Southgate", "2026-03-02")]
    (folder / "002_bbbbbbbbbbbbbbbb.txt").write_bytes(own)
    assert load(db, [str(folder)]).loaded == 1
    assert rows(db, "select outlet, published from articles where seq = 2") == [
        ("Southgate", "2026-03-02")]
    assert rows(db, "select count(*) from duplicates") == [(0,)]


def test_a_copy_that_becomes_a_copy_of_another_text_keeps_its_metadata(folder, tmp_path):
    (folder / "copy.txt").write_bytes((folder / "001_aaaaaaaaaaaaaaaa.txt").read_bytes())
    db, s = _with_manifest(folder, tmp_path, "path,outlet,url\ncopy.txt,Herald,https://h/1\n")
    assert s.duplicates == 1
    (folder / "copy.txt").write_bytes((folder / "002_bbbbbbbbbbbbbbbb.txt").read_bytes())
    load(db, [str(folder)])
    assert rows(db, "select path, outlet, url from duplicates") == [
        ("copy.txt", "Herald", "https://h/1")]


def test_a_manifest_value_equal_to_the_file_s_own_still_outlives_edits(folder, tmp_path):
    name = "001_aaaaaaaaaaaaaaaa.txt"
    (folder / name).write_bytes(article("By Ada Quarrie", *PARAS))
    db = str(tmp_path / "c.db")
    load(db, [str(folder)])
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,byline\n{name},Ada Quarrie\n")  # what the file says already
    load(db, [str(folder)], manifest=str(manifest))
    (folder / name).write_bytes(article("By Someone Else", *PARAS))
    load(db, [str(folder)])
    assert rows(db, "select byline from articles where seq = 1") == [("Ada Quarrie",)]


def test_a_manifest_change_in_a_load_that_parses_again_counts_as_updated(folder, tmp_path):
    db = str(tmp_path / "c.db")
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,outlet\n001_aaaaaaaaaaaaaaaa.txt,Northgate\n")
    load(db, [str(folder)], manifest=str(manifest), figures=False)
    manifest.write_text("path,outlet\n001_aaaaaaaaaaaaaaaa.txt,Southgate\n")
    s = load(db, [str(folder)], manifest=str(manifest))  # with figures: all parsed again
    assert (s.updated, s.reparsed) == (1, 2)
    assert rows(db, "select outlet from articles where seq = 1") == [("Southgate",)]


def test_prune_removes_the_articles_of_deleted_files(folder, tmp_path):
    db = str(tmp_path / "c.db")
    (folder / "copy.txt").write_bytes(article(*PARAS))
    load(db, [str(folder)])
    (folder / "courier" / "water-day-two.txt").unlink()
    (folder / "copy.txt").unlink()
    s = load(db, [str(folder)])
    assert s.removed == 0 and rows(db, "select count(*) from articles") == [(3,)]
    result = CliRunner().invoke(cli, ["load", db, str(folder), "--prune"])
    assert result.exit_code == 0 and "1 article(s) removed" in result.output
    assert [r[0] for r in rows(db, "select path from articles order by path")] == [
        "001_aaaaaaaaaaaaaaaa.txt", "002_bbbbbbbbbbbbbbbb.txt"]
    assert rows(db, "select count(*) from duplicates") == [(0,)]
    assert rows(db, "select count(*) from paragraphs p where not exists (select 1 from"
                    " articles a where a.id = p.article_id)") == [(0,)]
    _consistent(db)
    # A mistyped path, or any path not read in full, never prunes.
    s = load(db, [str(folder), str(tmp_path / "typo")], prune=True)
    assert s.removed == 0 and any("nothing pruned" in w for w in s.warnings)
    (tmp_path / "empty").mkdir()
    s = load(db, [str(folder), str(tmp_path / "empty")], prune=True)
    assert s.removed == 0 and any("nothing pruned" in w for w in s.warnings)
    assert rows(db, "select count(*) from articles") == [(2,)]


def test_pruning_an_original_and_its_copy_leaves_nothing_to_load_again(folder, tmp_path):
    db = str(tmp_path / "c.db")
    (folder / "copy.txt").write_bytes((folder / "001_aaaaaaaaaaaaaaaa.txt").read_bytes())
    assert load(db, [str(folder)]).duplicates == 1
    (folder / "copy.txt").unlink()
    (folder / "001_aaaaaaaaaaaaaaaa.txt").unlink()
    s = load(db, [str(folder)], prune=True)
    assert (s.removed, s.released) == (1, 0)
    assert not any("load them again" in line for line in s.lines())
    assert rows(db, "select count(*) from duplicates") == [(0,)]


def test_pruning_an_original_gives_its_copy_an_article_in_the_same_load(folder, tmp_path):
    db = str(tmp_path / "c.db")
    (folder / "copy.txt").write_bytes(article(*PARAS))  # repeats 001
    load(db, [str(folder)])
    assert rows(db, "select path from duplicates") == [("copy.txt",)]
    (folder / "001_aaaaaaaaaaaaaaaa.txt").unlink()
    s = load(db, [str(folder)], prune=True)
    assert (s.removed, s.loaded, s.unchanged, s.released) == (1, 1, 2, 0)
    assert _texts(db)["copy.txt"] == PARAS[0]
    assert rows(db, "select count(*) from duplicates") == [(0,)]
    _consistent(db)


def test_removing_an_article_ranks_its_neighbours_again(tmp_path):
    """After a removal, related lists and stories are what a fresh load of the files
    that remain gives."""
    import shutil

    demo = Path(__file__).resolve().parent.parent / "datasette_reportcorpus" / "demo"
    src = tmp_path / "demo"
    shutil.copytree(demo, src)
    manifest = str(src / "manifest.csv")
    db = str(tmp_path / "c.db")
    load(db, [str(src)], manifest=manifest)
    gone = min(src.glob("027_*.txt"))
    gone.unlink()
    s = load(db, [str(src)], manifest=manifest, prune=True)
    assert s.removed == 1
    fresh = str(tmp_path / "fresh.db")
    load(fresh, [str(src)], manifest=manifest)

    def lists(path):
        return sorted(rows(path, "select a.path, o.path, r.rank, r.kind from related r"
                                 " join articles a on a.id = r.article_id"
                                 " join articles o on o.id = r.other_id"))

    def stories(path):
        return sorted(tuple(sorted(p for p, s in rows(path, "select path, story_id from"
                                                           " articles") if s == sid))
                      for (sid,) in rows(path, "select id from stories"))

    assert lists(db) == lists(fresh)
    assert stories(db) == stories(fresh)
    assert rows(db, "select count(*) from related where other_id not in"
                    " (select id from articles) or article_id not in (select id from articles)"
                ) == [(0,)]


def _as_if_an_earlier_version_loaded(db):
    """Mark every article as parsed by other rules, with output those rules might give."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("update article_sources set parsed_by = 'an-earlier-version'")
        conn.execute("update reportcorpus_meta set value = 'an-earlier-version'"
                     " where key = 'related_by'")
        conn.execute("delete from figures")
        conn.execute("update paragraphs set text = 'what older rules kept'")
        conn.execute("update related_signatures set terms = '{}'")
        conn.execute("delete from related")
    conn.close()


SNAPSHOT = {
    "paragraphs": "select article_id, position, text, start, [end], word_count from paragraphs"
                  " order by article_id, position",
    "figures": "select article_id, surface, value, kind, object from figures order by 1, 2",
    "related": "select article_id, other_id, rank, kind from related order by 1, 3",
    "signatures": "select id, terms from related_signatures order by id",
}


def test_an_upgrade_parses_unchanged_files_again(folder, tmp_path):
    db = str(tmp_path / "c.db")
    load(db, [str(folder)])
    before = {name: rows(db, sql) for name, sql in SNAPSHOT.items()}
    assert before["figures"] and before["related"]
    ids = rows(db, "select id, key from articles order by id")
    _as_if_an_earlier_version_loaded(db)

    s = load(db, [str(folder)])
    assert (s.loaded, s.unchanged, s.updated, s.reparsed, s.stale) == (0, 0, 0, 3, 0)
    assert any("3 unchanged file(s) parsed again" in line for line in s.lines())
    assert rows(db, "select id, key from articles order by id") == ids  # updated in place
    assert {name: rows(db, sql) for name, sql in SNAPSHOT.items()} == before
    assert rows(db, "select count(*) from paragraphs_fts where paragraphs_fts match"
                    " 'older'") == [(0,)]
    assert rows(db, "select distinct parsed_by from article_sources") == [(store.PARSED_BY,)]

    s = load(db, [str(folder)])
    assert (s.unchanged, s.reparsed) == (3, 0)


def test_articles_left_out_of_a_load_are_reported_as_still_old(folder, tmp_path):
    db = str(tmp_path / "c.db")
    other = tmp_path / "gazette"
    other.mkdir()
    (other / "pumps.txt").write_bytes(article(PARAS[2], headline="Pumps back"))
    load(db, [str(folder), str(other)])
    _as_if_an_earlier_version_loaded(db)
    s = load(db, [str(folder)])
    assert (s.loaded, s.reparsed, s.stale) == (0, 3, 1)
    assert ("1 article(s) keep the paragraphs and figures an earlier version of the loader"
            " gave them, as their files were not in this load") in "\n".join(s.lines())
    s = load(db, [str(other)])
    assert (s.loaded, s.reparsed, s.stale) == (0, 1, 0)
    assert not any("keep the paragraphs" in line for line in s.lines())


def test_a_file_from_before_parsed_by_existed_is_upgraded(folder, tmp_path):
    db = str(tmp_path / "c.db")
    load(db, [str(folder)])
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("alter table article_sources drop column parsed_by")
        conn.execute("update reportcorpus_meta set value = '2' where key = 'schema_version'")
    conn.close()
    s = load(db, [str(folder)])
    assert (s.unchanged, s.reparsed) == (0, 3)
    assert rows(db, "select value from reportcorpus_meta where key = 'schema_version'") == [
        (str(store.SCHEMA_VERSION),)]


def test_a_file_from_before_manifest_fields_existed_keeps_its_manifest_values(folder,
                                                                              tmp_path):
    db = str(tmp_path / "c.db")
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,outlet,published\n001_aaaaaaaaaaaaaaaa.txt,Northgate,2026-03-01\n")
    load(db, [str(folder)], manifest=str(manifest))
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("alter table article_sources drop column manifest_fields")
        conn.execute("update reportcorpus_meta set value = '3' where key = 'schema_version'")
    conn.close()
    (folder / "001_aaaaaaaaaaaaaaaa.txt").write_bytes(article(PARAS[0], headline="Revised"))
    assert load(db, [str(folder)]).updated == 1
    assert rows(db, "select outlet, published from articles where seq = 1") == [
        ("Northgate", "2026-03-01")]
    assert rows(db, "select value from reportcorpus_meta where key = 'schema_version'") == [
        (str(store.SCHEMA_VERSION),)]


BAD = {
    "empty.txt": (b"", "empty file"),
    "picture.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
    "garbage.txt": (bytes(range(128, 256)) * 8, "undecodable bytes"),
    "huge.txt": (b"word " * 11_000_000, "file too large"),
}


def test_bad_files_are_reported_and_the_rest_loads(folder, tmp_path):
    for name, (data, _) in BAD.items():
        (folder / name).write_bytes(data)
    locked = folder / "locked.txt"
    locked.write_bytes(article(PARAS[0]))
    locked.chmod(0)
    (folder / "dangling.txt").symlink_to(tmp_path / "moved-away.txt")
    db = str(tmp_path / "c.db")
    runner = CliRunner()
    (tmp_path / "empty-dir").mkdir()
    result = runner.invoke(cli, ["load", db, str(folder), str(tmp_path / "missing"),
                                 str(tmp_path / "empty-dir")])
    assert result.exit_code == 0, result.output
    out = result.output
    for name, (_, message) in BAD.items():
        assert f"{name}: {message}" in out
    assert f"{tmp_path / 'missing'}: no such file or directory" in out
    assert f"{tmp_path / 'empty-dir'}: directory holds no .txt files" in out
    assert "dangling.txt: cannot read: No such file or directory" in out
    if os.geteuid() != 0:  # root reads anything
        assert "locked.txt: cannot read: permission denied" in out
    errors = dict(rows(db, "select path, error from load_errors"))
    for name, (_, message) in BAD.items():
        assert message in errors[name]
    assert rows(db, "select count(*) from articles") == [(3 + (os.geteuid() == 0),)]
    strict = runner.invoke(cli, ["load", db, str(folder), "--strict"])
    assert strict.exit_code == 1


def test_bad_manifest_is_a_clear_fatal_error(folder, tmp_path):
    bad = tmp_path / "m.csv"
    bad.write_text("file_name,outlet\nx,y\n")
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "c.db"), str(folder),
                                      "--manifest", str(bad)])
    assert result.exit_code != 0
    assert "m.csv: CSV manifest needs a header row with a 'path' column" in result.output


def test_a_folder_s_notes_are_skipped_and_said_to_be(folder, tmp_path):
    (folder / "README.txt").write_text("What these files are.\n")
    s = load(str(tmp_path / "c.db"), [str(folder)])
    assert s.loaded == 3
    assert any("1 file(s) skipped as a folder's notes" in w and "README.txt" in w
               for w in s.warnings)
    only = tmp_path / "only"
    only.mkdir()
    (only / "notes.txt").write_bytes(article(PARAS[0]))
    (only / "changes.txt").write_bytes(article(PARAS[1]))
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "d.db"), str(only)])
    assert result.exit_code != 0
    assert "only changes.txt, notes.txt (skipped as a folder's notes" in result.output
    s = load(str(tmp_path / "d.db"), [str(only / "notes.txt")])  # named, it loads
    assert s.loaded == 1


def test_fixing_a_file_clears_its_error(folder, tmp_path):
    db = str(tmp_path / "c.db")
    (folder / "later.txt").write_bytes(b"")
    load(db, [str(folder)])
    assert rows(db, "select path from load_errors") == [("later.txt",)]
    (folder / "later.txt").write_bytes(article(PARAS[0], headline="Later"))
    load(db, [str(folder)])
    assert rows(db, "select path from load_errors") == []


def test_errors_of_a_file_are_replaced_not_piled_up(folder, tmp_path):
    db = str(tmp_path / "c.db")
    (folder / "empty.txt").write_bytes(b"")
    for _ in range(3):
        load(db, [str(folder)])
    assert rows(db, "select path, error from load_errors") == [("empty.txt", "empty file")]


def test_files_that_would_share_a_key_are_refused_not_overwritten(tmp_path):
    """Two folders loaded together that both hold 001.txt: neither replaces the other."""
    for name in ("business", "sport"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "001.txt").write_bytes(article(PARAS[0], headline=f"{name} one"))
    (tmp_path / "sport" / "002.txt").write_bytes(article(PARAS[1], headline="sport two"))
    db = str(tmp_path / "c.db")
    s = load(db, [str(tmp_path / "business"), str(tmp_path / "sport")])
    assert s.loaded == 2
    refused, first = str(tmp_path / "sport" / "001.txt"), str(tmp_path / "business" / "001.txt")
    error = (f"same article key '001' as {first}: load the folder that holds both, so that"
             " each keeps its subfolder in its key, or rename one")
    assert s.errors == [(refused, error)]
    assert rows(db, "select path, error from load_errors") == [(refused, error)]
    assert rows(db, "select title from articles order by id") == [("business one",),
                                                                   ("sport two",)]
    # The error describes that load: the next one, without the clash, clears it.
    load(db, [str(tmp_path / "business")])
    assert rows(db, "select count(*) from load_errors") == [(0,)]
    # From their common folder each keeps its subfolder in its key.
    s = load(str(tmp_path / "d.db"), [str(tmp_path)])
    assert (s.loaded, s.errors) == (3, [])


def test_a_file_name_that_is_not_utf8_is_reported(folder, tmp_path):
    name = os.fsencode(folder) + b"/bad\xffname.txt"
    with open(name, "wb") as f:
        f.write(article(PARAS[1], headline="Bad name"))
    db = str(tmp_path / "c.db")
    s = load(db, [str(folder)])
    assert s.loaded == 3
    assert s.errors == [("bad\\xffname.txt", "file name is not valid UTF-8: rename the file")]


def test_a_number_too_long_for_a_float_is_not_a_figure(folder, tmp_path):
    (folder / "debt.txt").write_bytes(article(
        "The government said the debt was " + "9" * 320 + " pounds.",
        "Owners were told to return 3 devices.", headline="Debt story"))
    db = str(tmp_path / "c.db")
    s = load(db, [str(folder)])
    assert (s.loaded, s.errors) == (4, [])
    assert rows(db, "select f.surface from figures f join articles a on a.id = f.article_id"
                    " where a.path = 'debt.txt'") == [("3",)]
    _consistent(db)


def test_a_batch_that_fails_leaves_nothing_of_it_behind(tmp_path):
    """A batch that fails half-way (here the report callback raises while the batch's
    rows wait to be written) leaves the database as after the batch before: its buffered
    rows are not written when the load closes."""
    src = tmp_path / "src"
    src.mkdir()
    for i in range(12):
        data = b"" if i == 7 else article(PARAS[0], PARAS[1], headline=f"Report {i}")
        (src / f"{i:03d}_{i:016x}.txt").write_bytes(data)
    db = str(tmp_path / "c.db")

    def report(line):
        if line.startswith("007_"):
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        load(db, [str(src)], batch_size=5, report=report)
    assert [r[0] for r in rows(db, "select key from articles order by id")] == [
        f"{i:016x}" for i in range(5)]
    _consistent(db)
    s = load(db, [str(src)], batch_size=5)
    assert (s.loaded, s.unchanged, len(s.errors)) == (6, 5, 1)
    _consistent(db)


def test_a_batch_sqlite_refuses_is_rolled_back_whole(tmp_path):
    """A batch SQLite refuses (a trigger aborts one paragraph): no article without its
    paragraphs, the index in step, and the next load completes."""
    src = tmp_path / "src"
    src.mkdir()
    for i in range(12):
        text = "The pump EXPLODED at dawn." if i == 7 else PARAS[0]
        (src / f"{i:03d}_{i:016x}.txt").write_bytes(article(text, PARAS[1],
                                                            headline=f"Report {i}"))
    db = str(tmp_path / "c.db")
    open_db(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("create trigger refuse before insert on paragraphs"
                     " when new.text like '%EXPLODED%' begin select raise(abort, 'refused');"
                     " end")
    with pytest.raises(sqlite3.IntegrityError):
        load(db, [str(src)], batch_size=5)
    assert [r[0] for r in rows(db, "select key from articles order by id")] == [
        f"{i:016x}" for i in range(5)]
    _consistent(db)
    with sqlite3.connect(db) as conn:
        conn.execute("drop trigger refuse")
    s = load(db, [str(src)], batch_size=5)
    assert (s.loaded, s.unchanged) == (7, 5)
    assert rows(db, "select count(*) from articles") == [(12,)]
    _consistent(db)


def test_database_files_the_loader_must_not_touch(folder, tmp_path):
    runner = CliRunner()
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table customers (id integer primary key, name text)")
    result = runner.invoke(cli, ["load", str(other), str(folder)])
    assert result.exit_code == 1
    assert "is an SQLite database but not a report corpus (it holds customers)" in result.output
    assert {r[0] for r in rows(str(other), "select name from sqlite_master")} == {"customers"}

    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    result = runner.invoke(cli, ["load", str(junk), str(folder)])
    assert result.exit_code == 1 and "file is not a database" in result.output

    newer = str(tmp_path / "newer.db")
    load(newer, [str(folder)])
    with sqlite3.connect(newer) as conn:
        conn.execute("update reportcorpus_meta set value = '99' where key = 'schema_version'")
    result = runner.invoke(cli, ["load", newer, str(folder)])
    assert result.exit_code == 1 and "newer version of reportcorpus" in result.output
    assert rows(newer, "select value from reportcorpus_meta where key = 'schema_version'"
                ) == [("99",)]

    result = runner.invoke(cli, ["load", str(tmp_path / "no" / "dir.db"), str(folder)])
    assert result.exit_code == 1 and "cannot open database" in result.output
    assert "Traceback" not in result.output


def test_nothing_to_load_is_an_error_and_creates_no_file(tmp_path):
    db = tmp_path / "c.db"
    result = CliRunner().invoke(cli, ["load", str(db), str(tmp_path / "missing")])
    assert result.exit_code == 1
    assert "nothing to load" in result.output and "no such file or directory" in result.output
    assert not db.exists()


@pytest.mark.parametrize("args,message", [
    (["--workers", "0"], "--workers"), (["--max-mb", "0"], "--max-mb"),
    (["--max-mb", "nan"], "--max-mb"), (["--encoding", "bogus"], "unknown encoding"),
])
def test_bad_options_name_the_option(folder, tmp_path, args, message):
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "c.db"), str(folder), *args])
    assert result.exit_code == 2 and message in result.output, result.output


def test_a_second_load_into_the_same_file_is_refused_while_one_runs(folder, tmp_path):
    db = str(tmp_path / "c.db")
    load(db, [str(folder)])
    import fcntl

    with open(db, "ab") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = CliRunner().invoke(cli, ["load", db, str(folder)])
    assert result.exit_code == 1 and "another load is writing" in result.output
    assert CliRunner().invoke(cli, ["load", db, str(folder)]).exit_code == 0


def index_names(db) -> set[str]:
    return {r[0] for r in rows(db, "select name from sqlite_master where type = 'index'")}


def _consistent(db):
    assert rows(db, "pragma integrity_check") == [("ok",)]
    bad = rows(db, "select a.id from articles a where a.paragraph_count !="
                   " (select count(*) from paragraphs p where p.article_id = a.id)")
    assert bad == []
    assert rows(db, "select count(*) from paragraphs") == rows(
        db, "select count(*) from paragraphs_fts")
    # The index itself matches the committed paragraphs, row for row.
    conn = sqlite3.connect(db)
    conn.execute("insert into paragraphs_fts (paragraphs_fts, rank) values ('integrity-check', 1)")
    conn.close()


def test_killed_load_keeps_the_previous_complete_state(tmp_path):
    """SIGKILL a load mid-way: what was committed before survives intact."""
    first = tmp_path / "first"
    first.mkdir()
    for i in range(20):
        (first / f"{i:03d}_{i:016x}.txt").write_bytes(article(*PARAS, headline=f"First {i}"))
    db = str(tmp_path / "c.db")
    load(db, [str(first)])
    before = rows(db, "select id, key, content_hash from articles order by id")

    second = tmp_path / "second"
    second.mkdir()
    filler = " ".join(["Residents described the queues as long but orderly."] * 40)
    for i in range(3000):
        (second / f"{i:04d}.txt").write_bytes(article(f"Report {i}. {filler}", *PARAS,
                                                      headline=f"Second {i}"))
    code = (
        "import sys; from datasette_reportcorpus.loaders.load import load; "
        "load(sys.argv[1], [sys.argv[2]], batch_size=50, "
        "progress=lambda d, t: print(d, flush=True))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, db, str(second)],
                            stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parent.parent)
    # Wait until at least two batches are committed, then kill without warning.
    for line in proc.stdout:
        if int(line) >= 100:
            break
    time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    _consistent(db)
    # The load set the index trigger aside while it ran, and (3,000 files into a corpus
    # of 20) the indexes only pages read; the next open puts them back.
    read_indexes = {name for name, *_ in store._READ_INDEXES}
    assert not read_indexes & index_names(db)
    open_db(db).close()
    assert rows(db, "select name from sqlite_master where type = 'trigger'"
                    " and name = 'paragraphs_ai'") == [("paragraphs_ai",)]
    assert read_indexes <= index_names(db)
    after = rows(db, "select id, key, content_hash from articles order by id")
    assert after[:len(before)] == before
    assert 20 + 100 <= len(after) < 20 + 3000
    # The next load completes the work.
    s = load(db, [str(second)])
    assert s.loaded + s.unchanged == 3000
    _consistent(db)
    assert read_indexes <= index_names(db)
    # A paragraph written by other means after the load is indexed by the trigger again.
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("insert into paragraphs (article_id, position, text)"
                     " values (1, 99, 'zanzibarish marmalade')")
    conn.close()
    assert rows(db, "select count(*) from paragraphs_fts where paragraphs_fts match"
                    " 'zanzibarish'") == [(1,)]
    assert rows(db, "select count(*) from articles") == [(3020,)]


def test_manifest_rows_that_fit_no_file_are_reported(folder, tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,outlet\n001_aaaaaaaaaaaaaaaa.txt,Courier\n"
                        "001_aaaaaaaaaaaaaaaa.txt,Herald\nreports/002.txt,Wire\n")
    s = load(str(tmp_path / "c.db"), [str(folder)], manifest=str(manifest))
    assert rows(str(tmp_path / "c.db"), "select outlet from articles where seq = 1"
                ) == [("Herald",)]
    lines = "\n".join(s.lines())
    assert "1 path(s) given more than once" in lines
    assert "1 row(s) match no file of this load (e.g. reports/002.txt)" in lines


def test_an_unreadable_folder_is_reported(tmp_path):
    """Run as an ordinary user (root reads every folder): under root, the load runs as
    'nobody' in a folder that user may enter."""
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="rc-perm-"))
    try:
        base.chmod(0o777)
        src = base / "reports"
        (src / "secret").mkdir(parents=True)
        (src / "ok.txt").write_bytes(article(PARAS[0]))
        (src / "secret" / "x.txt").write_bytes(article(PARAS[1]))
        for path in (src, src / "secret"):
            path.chmod(0o755)
        (src / "ok.txt").chmod(0o644)
        (src / "secret").chmod(0)
        code = ("import sys; from datasette_reportcorpus.loaders.load import load; "
                "s = load(sys.argv[1], [sys.argv[2]]); print(s.loaded, s.errors)")
        cmd = [sys.executable, "-c", code, str(base / "c.db"), str(src)]
        if os.geteuid() == 0:
            if not shutil.which("setpriv"):
                pytest.skip("running as root without setpriv to drop to another user")
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
        repo = str(Path(__file__).resolve().parent.parent)
        out = subprocess.run(cmd, check=False, capture_output=True, text=True, cwd=repo,
                             env={**os.environ, "PYTHONPATH": repo}, timeout=120)
        assert out.returncode == 0, out.stderr
        assert f"1 [('{src / 'secret'}', 'cannot read directory: Permission denied')]" in out.stdout
    finally:
        (base / "reports" / "secret").chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_utf16_without_a_byte_order_mark_gets_a_hint(folder, tmp_path):
    (folder / "wide.txt").write_bytes("Headline\n\nSome text here.\n".encode("utf-16-le"))
    s = load(str(tmp_path / "c.db"), [str(folder)])
    assert any("--encoding utf-16-le" in e for _, e in s.errors)


def test_a_full_related_rebuild_drops_the_lists_of_removed_articles(tmp_path):
    import shutil

    demo = Path(__file__).resolve().parent.parent / "datasette_reportcorpus" / "demo"
    src = tmp_path / "demo"
    shutil.copytree(demo, src)
    db = str(tmp_path / "c.db")
    load(db, [str(src)], manifest=str(src / "manifest.csv"))
    for f in sorted(src.glob("0[12]*.txt"))[:3]:
        f.unlink()
    for i in range(10):  # grows the corpus by more than a quarter: a full rebuild
        (src / f"extra-{i}.txt").write_bytes(article(
            f"Councillor {i} of Brimwick ward proposed {i + 3} new allotment plots.",
            headline=f"Allotments plan {i}"))
    s = load(db, [str(src)], manifest=str(src / "manifest.csv"), prune=True)
    assert s.removed == 3
    assert rows(db, "select count(*) from related where article_id not in (select id from"
                    " articles) or other_id not in (select id from articles)") == [(0,)]


def test_a_load_with_figures_fills_in_articles_loaded_without(folder, tmp_path):
    db = str(tmp_path / "c.db")
    load(db, [str(folder)], figures=False)
    assert rows(db, "select count(*) from figures") == [(0,)]
    s = load(db, [str(folder)], figures=False)
    assert s.unchanged == 3  # a load without figures leaves them as they are
    s = load(db, [str(folder)])
    assert s.reparsed == 3
    fresh = str(tmp_path / "fresh.db")
    load(fresh, [str(folder)])
    assert rows(db, "select count(*) from figures") == rows(fresh, "select count(*) from figures")
    assert load(db, [str(folder)], figures=False).unchanged == 3  # figures are kept


def test_manifest_changes_reach_duplicates(folder, tmp_path):
    db = str(tmp_path / "c.db")
    (folder / "copy.txt").write_bytes(article(*PARAS))
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,outlet,url\ncopy.txt,Wire C,http://c/1\n")
    load(db, [str(folder)], manifest=str(manifest))
    manifest.write_text("path,outlet,url\ncopy.txt,Wire D,http://d/1\n")
    s = load(db, [str(folder)], manifest=str(manifest))
    assert s.updated == 1
    assert rows(db, "select outlet, url from duplicates") == [("Wire D", "http://d/1")]


def test_prune_drops_articles_of_files_that_now_fail_and_errors_of_gone_files(folder,
                                                                            tmp_path):
    db = str(tmp_path / "c.db")
    (folder / "bad.txt").write_bytes(b"")
    load(db, [str(folder)])
    (folder / "bad.txt").unlink()
    (folder / "002_bbbbbbbbbbbbbbbb.txt").write_bytes(b"")  # emptied
    s = load(db, [str(folder)], prune=True)
    assert s.removed == 1
    assert rows(db, "select path from load_errors") == [("002_bbbbbbbbbbbbbbbb.txt",)]
    assert [r[0] for r in rows(db, "select path from articles order by path")] == [
        "001_aaaaaaaaaaaaaaaa.txt", "courier/water-day-two.txt"]
    _consistent(db)


def test_a_renamed_file_is_updated_not_reported_as_parsed_again(folder, tmp_path):
    db = str(tmp_path / "c.db")
    load(db, [str(folder)])
    (folder / "001_aaaaaaaaaaaaaaaa.txt").rename(folder / "009_aaaaaaaaaaaaaaaa.txt")
    s = load(db, [str(folder)])
    assert (s.updated, s.reparsed, s.unchanged) == (1, 0, 2)
    assert rows(db, "select seq from articles where key = 'aaaaaaaaaaaaaaaa'") == [(9,)]
