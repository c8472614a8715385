"""The real corpora: the user's seed reports, the BBC corpus, and our demo corpus."""

import json
import sqlite3
from pathlib import Path

import pytest

from datasette_reportcorpus.loaders.load import load

DEMO = Path(__file__).resolve().parent.parent / "datasette_reportcorpus" / "demo"
BOILERPLATE_WORDS = ["Join The Conversation", "no tolerance for comments", "READ MORE",
                     "READ NEXT", "Source: Read Full Article", "already lost"]


def q(db, sql, params=()):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def seeds_db(seeds_dir, tmp_path_factory):
    db = str(tmp_path_factory.mktemp("seeds") / "corpus.db")
    summary = load(db, [str(seeds_dir)])
    assert summary.errors == []
    return db


def test_seed_paragraph_counts(seeds_db):
    assert q(seeds_db, "select seq, paragraph_count, title_derived from articles order by seq") == [
        (0, 15, 1), (4, 13, 1)]


def test_seed_bodies_hold_no_boilerplate(seeds_db):
    for (text,) in q(seeds_db, "select text from paragraphs"):
        for words in BOILERPLATE_WORDS:
            assert words not in text
        assert text.strip()


def test_every_seed_drop_has_a_reason(seeds_db):
    drops = q(seeds_db, "select a.seq, d.reason from dropped d join articles a on a.id ="
                        " d.article_id order by a.seq, d.block")
    assert all(reason for _, reason in drops)
    assert [r for s, r in drops if s == 0] == ["whitespace", "comment-policy", "comment-policy"]
    assert [r for s, r in drops if s == 4] == (
        ["read-more", "related-headline"] + ["read-next"] * 5 + ["source-trailer"])


@pytest.fixture(scope="module")
def bbc_db(bbc_dir, tmp_path_factory):
    db = str(tmp_path_factory.mktemp("bbc") / "corpus.db")
    summary = load(db, [str(bbc_dir)], workers=2)
    return db, summary


def test_bbc_loads_without_errors(bbc_db):
    db, summary = bbc_db
    assert summary.errors == []
    # 2,225 files, 98 of them exact copies of another under a different name.
    assert (summary.loaded, summary.duplicates) == (2127, 98)
    assert q(db, "select count(*) from articles") == [(2127,)]
    assert q(db, "select count(*) from duplicates") == [(98,)]


def test_bbc_titles_are_first_lines(bbc_db, bbc_dir):
    db, _ = bbc_db
    for path, title, derived in q(db, "select path, title, title_derived from articles"):
        raw = (bbc_dir / path).read_bytes()
        try:
            first = raw.decode("utf-8").split("\n")[0]
        except UnicodeDecodeError:
            first = raw.decode("cp1252").split("\n")[0]
        assert (title, derived) == (first.strip(), 0), path


def test_bbc_latin1_file_decodes_the_pound_sign(bbc_db):
    db, _ = bbc_db
    assert q(db, "select encoding from articles where path = 'sport/199.txt'") == [("cp1252",)]
    texts = q(db, "select p.text from paragraphs p join articles a on a.id = p.article_id"
                  " where a.path = 'sport/199.txt'")
    assert any("\u00a3" in t for (t,) in texts)


def test_bbc_second_load_reports_everything_unchanged(bbc_db, bbc_dir):
    db, _ = bbc_db
    summary = load(db, [str(bbc_dir)], workers=2)
    assert (summary.loaded, summary.updated, summary.duplicates, summary.errors) == (0, 0, 0, [])
    assert summary.unchanged == 2225


def test_demo_matches_its_gold(tmp_path):
    if not (DEMO / "gold.json").exists():
        pytest.skip("demo corpus not present")
    gold = json.loads((DEMO / "gold.json").read_text())["articles"]
    db = str(tmp_path / "corpus.db")
    summary = load(db, [str(DEMO)], manifest=str(DEMO / "manifest.csv"))
    assert summary.errors == []
    counts = dict(q(db, "select path, paragraph_count from articles"))
    assert counts == {p: g["body_paragraphs"] for p, g in gold.items()}
    conventions = dict(q(db, "select path, convention from articles"))
    assert conventions == {p: g["convention"] for p, g in gold.items()}
