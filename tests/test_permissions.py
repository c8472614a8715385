"""Private corpora: nothing an actor may not see reaches it through any route.

A small corpus of our own carries marker words, each held by one table only (an outlet,
a headline word and a byline only in ``articles``, a body word only in the paragraphs
and what is made of them, a word only in a dropped block). Each private thing (the
database, each table, each provenance view) is made private in each way a Datasette
line offers: ``allow`` blocks in metadata on both lines, and 1.0's ``permissions:``
configuration. Then every route of the plugin (search HTML/JSON/CSV with its facets and
selections, compare, picker, raw view, article pages), core's table, row, JSON, CSV and
SQL pages, and the tables made from others are fetched as an anonymous actor (no marker
of the private thing in any answer, never a 500) and as root (every marker still found,
every page answering).
"""

from __future__ import annotations

import csv
import io
import sqlite3
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import IS_1_0, build_corpus, deep_merge, repo_config, repo_metadata

ROOT = {"id": "root"}

FILES = {
    "harbour/001_a1b2c3d4e5f60718.txt": """Quorvane harbour gates close for winter

The harbour authority closed the outer gates on Tuesday after glimmerwort spread across the basin, blocking the channel for small boats.

Crews counted 417 zorblings trapped behind the gates, the authority said, and boats were moored at the inner quay until the channel was clear.

Engineers expect the gates to reopen in spring once the basin has been cleared and the pumps have been checked.

READ MORE: Snorvellex ferry timetable changes this weekend
""",
    "harbour/002_b2c3d4e5f6071829.txt": """Harbour gates shut as weed fills the basin

Gates at the harbour were shut on Tuesday as glimmerwort covered the basin and blocked the channel for small boats, the harbour authority said.

The authority said 420 zorblings were trapped behind the gates, and boats were moored at the inner quay until the channel was clear.

Engineers said the gates would reopen in spring once the basin had been cleared and the pumps checked.
""",
    "town/003_c3d4e5f607182930.txt": """Library on Tansley Road reopens after repairs

The library on Tansley Road reopened on Saturday after six weeks of roof repairs, the council said.

About 300 readers came on the first morning, and the reading room stayed open late.
""",
}
MANIFEST = """path,outlet,title,url,published,byline
harbour/001_a1b2c3d4e5f60718.txt,Quillmarsh Herald,,https://quillmarsh.example/news/gates,2026-02-03,Odalys Fernhook
harbour/002_b2c3d4e5f6071829.txt,Pellbrook Gazette,,https://pellbrook.example/gates,2026-02-04,
town/003_c3d4e5f607182930.txt,Pellbrook Gazette,,https://pellbrook.example/library,2026-02-07,
"""
ARTICLE_MARKS = ["Quorvane", "Quillmarsh", "Pellbrook", "Fernhook"]
TEXT_MARKS = ["glimmerwort"]
DROPPED_MARKS = ["Snorvellex"]

PRIVATE_TABLES = ["articles", "paragraphs", "figures", "stories", "related", "dropped",
                  "article_sources"]
PRIVATE_VIEWS = ["paragraphs_provenance", "figures_provenance"]
PRIVATE_THINGS = ["database", *PRIVATE_TABLES, *PRIVATE_VIEWS]
MARKS = {
    "database": ARTICLE_MARKS + TEXT_MARKS + DROPPED_MARKS,
    "articles": ARTICLE_MARKS,
    "paragraphs": TEXT_MARKS,
    "dropped": DROPPED_MARKS,
}
"""Words an actor who may not see the thing must never read; the other things are
checked by what the answers hold (:func:`test_private_parts_left_out`)."""

STYLES = ["allow", pytest.param("permissions", marks=pytest.mark.skipif(
    not IS_1_0, reason="permissions: blocks in configuration are Datasette 1.0's"))]


@pytest.fixture(scope="module")
def marked_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("marked")
    src = root / "reports"
    for name, text in FILES.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    (src / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    return build_corpus(root / "corpus.db", [src], manifest=src / "manifest.csv")


def ids(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {Path(p).name[:3]: i for p, i in conn.execute("select path, id from articles")}


def private(make_datasette: Callable[..., Any], db: Path, thing: str | None,
            style: str = "allow") -> Any:
    """Datasette serving ``db`` with ``thing`` visible to root only."""
    if thing is None:
        return make_datasette(db)
    if style == "allow":
        place = {"allow": ROOT} if thing == "database" else {"tables": {thing: {"allow": ROOT}}}
        return make_datasette(db, metadata=deep_merge(repo_metadata(),
                                                      {"databases": {"corpus": place}}))
    if thing == "database":
        place = {"permissions": {"view-database": ROOT, "view-table": ROOT}}
    else:
        place = {"tables": {thing: {"permissions": {"view-table": ROOT}}}}
    return make_datasette(db, config=deep_merge(repo_config(), {"databases": {"corpus": place}}))


def sql_path(sql: str) -> str:
    q = urllib.parse.urlencode({"sql": sql})
    return f"/corpus/-/query.json?{q}" if IS_1_0 else f"/corpus.json?{q}"


def every_path(a: dict[str, int]) -> list[str]:
    """One request for each route and format, with the facets and selections each takes."""
    one, two, other = a["001"], a["002"], a["003"]
    facets = ("_facet_article=outlet&_facet_article=title&_facet_article=story"
              "&_facet_article=byline&_facet_figure=object&_facet_range=word_count")
    out = []
    for q in ("glimmerwort", "gates OR library"):
        qs = urllib.parse.urlencode({"q": q})
        out += [f"/corpus/-/search?{qs}&{facets}", f"/corpus/-/search.json?{qs}&{facets}",
                f"/corpus/-/search.csv?{qs}", f"/corpus/-/search.csv?{qs}&_stream=on",
                f"/corpus/-/search.json?{qs}&_shape=array"]
    out += ["/corpus/-/search.json?q=gates&_article_outlet=Quillmarsh+Herald",
            "/corpus/-/search.json?q=gates&_figure_object=zorbling",
            "/corpus/-/search?q=gates&_article_story=1"]
    for fmt in ("", ".json"):
        out += [f"/corpus/-/compare{fmt}?left={one}&right={two}",
                f"/corpus/-/compare{fmt}?left={one}&right={other}",
                f"/corpus/-/compare{fmt}?left={one}",
                f"/corpus/-/compare{fmt}?left={other}&pick=Quorvane",
                f"/corpus/-/compare{fmt}?left={other}&pick=Quillmarsh",
                f"/corpus/-/compare{fmt}?left={one}&mode=raw",
                f"/corpus/-/compare{fmt}?left={one}&right={two}&mode=raw",
                f"/corpus/-/article/{one}{fmt}", f"/corpus/-/article/{two}{fmt}"]
    out += [f"/corpus/-/article/{one}.json?_shape=array"]
    for table in ("articles", "paragraphs", "figures", "dropped", "related", "stories",
                  "article_sources", "duplicates", "block_hashes", "related_signatures",
                  "related_df", "paragraphs_fts", "paragraphs_provenance",
                  "figures_provenance"):
        out += [f"/corpus/{table}.json?_shape=objects&_labels=on"]
    out += [f"/corpus/{table}.csv?_stream=on&_labels=on" for table in (
        "articles", "paragraphs", "dropped", "article_sources", "paragraphs_provenance")]
    out += [f"/corpus/{table}" for table in ("articles", "paragraphs", "figures", "dropped",
                                             "article_sources", "paragraphs_provenance")]
    out += [f"/corpus/paragraphs?{facets}", f"/corpus/paragraphs.json?{facets}",
            f"/corpus/figures.json?{facets}", "/corpus/articles.json?_facet=outlet",
            "/corpus/paragraphs.json?_search=glimmerwort&_facet_article=outlet",
            "/corpus/figures_provenance.json?_search=gates&_facet_range=value",
            "/corpus/paragraphs.csv?_article_outlet=Quillmarsh+Herald&_stream=on",
            "/corpus/paragraphs.json?_figure_object=zorbling",
            "/corpus/articles.json?_match=glimmerwort",
            f"/corpus/articles/{one}", f"/corpus/articles/{one}.json",
            "/corpus/paragraphs/1", "/corpus/paragraphs/1.json?_labels=on",
            "/corpus/figures/1.json?_labels=on",
            "/corpus", "/corpus.json", "/", "/.json", "/-/databases.json",
            sql_path("select group_concat(text, ' ') from article_sources"),
            sql_path("select group_concat(outlet || byline, ' ') from articles"),
            sql_path("select group_concat(text, ' ') from paragraphs"),
            "/corpus/stories.json?_where=" + urllib.parse.quote(
                "id in (select id from article_sources where text like '%glimmerwort%')")]
    return out


async def fetch(ds: Any, path: str, cookies: dict | None = None) -> Any:
    return await ds.client.get(path, cookies=cookies or {}, follow_redirects=True)


def root_cookies(ds: Any) -> dict:
    from datasette_test import actor_cookie

    return {"ds_actor": actor_cookie(ds, ROOT)}


@pytest.mark.asyncio
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("thing", PRIVATE_THINGS)
async def test_nothing_private_reaches_an_outsider(make_datasette: Callable[..., Any],
                                                   marked_db: Path, thing: str,
                                                   style: str) -> None:
    """Anonymous: no marker of the private thing in any answer, never a 500. Root: every
    page answers as it does on a server with nothing private, and every marker is found."""
    ds = private(make_datasette, marked_db, thing, style)
    open_ds = make_datasette(marked_db)
    cookies = root_cookies(ds)
    marks = MARKS.get(thing, [])
    seen_by_root = []
    for path in every_path(ids(marked_db)):
        response = await fetch(ds, path)
        assert response.status_code < 500, (path, response.text[:300])
        text = response.text.lower()
        for mark in marks:
            assert mark.lower() not in text, (thing, path, mark)
        as_root = await fetch(ds, path, cookies)
        expected = await fetch(open_ds, path)
        assert as_root.status_code == expected.status_code, (path, as_root.text[:300])
        seen_by_root.append(as_root.text.lower())
    for mark in marks:  # the markers are there to be found, by whoever may see them
        assert any(mark.lower() in t for t in seen_by_root), mark


def _csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.asyncio
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("thing", PRIVATE_THINGS)
async def test_private_parts_left_out(make_datasette: Callable[..., Any], marked_db: Path,
                                      thing: str, style: str) -> None:
    """What each route shows of a private thing: a 403 where the route needs it, the part
    left out where it does not; root sees it all."""
    ds = private(make_datasette, marked_db, thing, style)
    a = ids(marked_db)
    one, two = a["001"], a["002"]
    needs = {
        "/corpus/-/search.json?q=gates": {"database", "articles", "paragraphs"},
        f"/corpus/-/article/{one}.json": {"database", "articles", "paragraphs"},
        f"/corpus/-/compare.json?left={one}&right={two}": {"database", "articles",
                                                           "paragraphs"},
        f"/corpus/-/compare.json?left={one}": {"database", "articles"},
        f"/corpus/-/compare.json?left={one}&mode=raw": {"database", "articles", "paragraphs",
                                                        "dropped", "article_sources"},
        "/corpus/paragraphs.json?_figure_object=zorbling": {"database", "paragraphs",
                                                            "figures", "articles"},
        "/corpus/paragraphs.json?_article_outlet=Quillmarsh+Herald": {
            "database", "paragraphs", "articles"},
    }
    for view in PRIVATE_VIEWS:
        needs[f"/corpus/{view}.json"] = {"database", "articles", "paragraphs", view} | (
            {"figures"} if view == "figures_provenance" else set())
    cookies = root_cookies(ds)
    for path, things in needs.items():
        anon = await fetch(ds, path)
        assert anon.status_code == (403 if thing in things else 200), (path, anon.text[:200])
        assert (await fetch(ds, path, cookies)).status_code == 200, path
    if thing in {"database", "articles", "paragraphs"}:
        return
    article = (await fetch(ds, f"/corpus/-/article/{one}.json")).json()
    full = (await fetch(ds, f"/corpus/-/article/{one}.json", cookies)).json()
    marked = [f for p in article["paragraphs"] for f in p["figures"]]
    assert bool(marked) == (thing != "figures") and full["left_out"] == []
    assert bool(article["related"]) == (thing != "related") and full["related"]
    assert (article["story"] is not None) == (thing != "stories") and full["story"]
    assert bool(article["dropped"]) == (thing != "dropped") and full["dropped"]
    raw_linked = thing not in ("dropped", "article_sources")
    assert ("raw_url" in article["article"]) == raw_linked and "raw_url" in full["article"]
    left_out = {"figures", "related", "stories", "dropped"} & {thing}
    assert set(article["left_out"]) == left_out
    search = (await fetch(ds, "/corpus/-/search.json?q=gates&_facet_figure=kind"
                              "&_facet_article=story")).json()
    facets = _facet_names(search)
    assert ("object" in facets and "kind" in facets) == (thing != "figures"), facets
    assert ("figures_csv" in search["exports"]) == (thing != "figures")
    rows = _csv_rows((await fetch(ds, "/corpus/-/search.csv?q=gates&_stream=on")).text)
    assert rows and any(r["story"] for r in rows) == (thing != "stories")
    compare = (await fetch(ds, f"/corpus/-/compare.json?left={one}&right={two}")).json()
    assert bool(compare.get("figures")) == (thing != "figures")
    picker = (await fetch(ds, f"/corpus/-/compare.json?left={one}")).json()
    assert bool(picker.get("related")) == (thing != "related"), picker.keys()
    facet_page = (await fetch(ds, "/corpus/paragraphs.json?_facet_figure=object")).json()
    assert ("object" in _facet_names(facet_page)) == (thing != "figures")


def _facet_names(data: dict) -> set[str]:
    results = data.get("facet_results") or {}
    if "results" in results and isinstance(results["results"], dict):
        results = results["results"]
    if isinstance(results, list):
        return {f["name"] for f in results}
    return {f["name"] for f in results.values()}


# --- tables made from others follow them ------------------------------------------------

FOLLOWERS = {
    "paragraphs": ["article_sources", "dropped", "block_hashes", "related_signatures",
                   "related_df", "stories", "paragraphs_fts", "paragraphs_provenance",
                   "figures_provenance"],
    "articles": ["article_sources", "dropped", "block_hashes", "related_signatures",
                 "related_df", "stories", "figures", "related", "duplicates",
                 "paragraphs_provenance", "figures_provenance"],
    "figures": ["figures_provenance"],
}


@pytest.mark.asyncio
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("parent", sorted(FOLLOWERS))
async def test_hidden_tables_follow_their_parents(make_datasette: Callable[..., Any],
                                                  marked_db: Path, parent: str,
                                                  style: str) -> None:
    ds = private(make_datasette, marked_db, parent, style)
    open_ds = make_datasette(marked_db)
    cookies = root_cookies(ds)
    listed = {t["name"] for t in (await fetch(ds, "/corpus.json")).json()["tables"]}
    listed |= {v["name"] for v in (await fetch(ds, "/corpus.json")).json().get("views", [])}
    for table in FOLLOWERS[parent]:
        for fmt in (".json", ".csv", ""):
            path = f"/corpus/{table}{fmt}"
            assert (await fetch(open_ds, path)).status_code == 200, path
            assert (await fetch(ds, path)).status_code == 403, path
            assert (await fetch(ds, path, cookies)).status_code == 200, path
        assert table not in listed
    # Tables that follow neither stay as they were.
    for table in ({"articles", "paragraphs", "load_errors"} - {parent}) | (
            {"figures", "related"} if parent == "paragraphs" else set()):
        assert (await fetch(ds, f"/corpus/{table}.json")).status_code == 200, table


@pytest.mark.asyncio
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("thing", [None, "load_errors", "articles", "paragraphs",
                                   "paragraphs_provenance"])
async def test_sql_only_for_actors_who_may_see_every_table(
        make_datasette: Callable[..., Any], marked_db: Path, thing: str | None,
        style: str) -> None:
    """Arbitrary SQL and ``_where`` read any table: refused to an actor who may not see
    one of the corpus's tables or views, allowed to one who may see them all."""
    ds = private(make_datasette, marked_db, thing, style)
    cookies = root_cookies(ds)
    for path in (sql_path("select count(*) from article_sources"),
                 "/corpus/articles.json?_where=" + urllib.parse.quote("id > 0")):
        anon = await fetch(ds, path)
        assert anon.status_code == (200 if thing is None else 403), (path, anon.text[:200])
        assert (await fetch(ds, path, cookies)).status_code == 200, path
    page = (await fetch(ds, "/corpus")).text
    assert ('name="sql"' in page) == (thing is None)


@pytest.mark.asyncio
async def test_other_databases_keep_their_own_permissions(
        make_datasette: Callable[..., Any], marked_db: Path, tmp_path: Path) -> None:
    """A database that is not a corpus, with tables named like a corpus's, is left alone."""
    other = tmp_path / "plain.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table articles (id integer primary key, title text)")
        conn.execute("create table article_sources (id integer primary key, text text)")
    ds = make_datasette([marked_db, other], metadata=deep_merge(repo_metadata(), {
        "databases": {"plain": {"tables": {"articles": {"allow": ROOT}}}}}))
    assert (await fetch(ds, "/plain/article_sources.json")).status_code == 200
    assert (await fetch(ds, "/plain/articles.json")).status_code == 403
    q = urllib.parse.urlencode({"sql": "select 1"})
    path = f"/plain/-/query.json?{q}" if IS_1_0 else f"/plain.json?{q}"
    assert (await fetch(ds, path)).status_code == 200
