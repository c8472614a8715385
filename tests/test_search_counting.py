"""How a search counts: the capped count ("N+", ``count_truncated``), the facets of one
kind counted in one statement, and the answers remembered only for immutable databases;
each checked against SQL written here per facet, on both Datasette lines."""

from __future__ import annotations

import shutil
import sqlite3
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import datasette_kwargs
from test_facets import _deny, facet_results, get_json

from datasette_reportcorpus.facets.filters import ARTICLE_DIMENSIONS, FIGURE_COLUMNS
from datasette_reportcorpus.search import view

WORD = "the"  # in most paragraphs of the demo corpus
HITS = "select rowid from paragraphs_fts where paragraphs_fts match ?"


def exact_count(db: Path, word: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"select count(*) from ({HITS})", [word]).fetchone()[0]


def expected_article(db: Path, word: str, dim, size: int, where: str = "",
                     params: tuple = ()) -> list[tuple]:
    """``(value, count, label)`` of one article facet, one query for it alone."""
    label = {"story": "(select label from stories s where s.id = a.story_id)",
             "title": "a.title"}.get(dim.name, dim.expr)
    sql = (f"select {dim.expr} as value, count(*) as n, max({label}) from paragraphs p "
           f"join articles a on a.id = p.article_id where p.id in ({HITS}) {where} "
           f"and {dim.expr} is not null group by {dim.expr} order by n desc, value "
           f"limit {size}")
    with sqlite3.connect(db) as conn:
        return [tuple(r) for r in conn.execute(sql, [word, *params])]


def expected_figure(db: Path, word: str, column: str, size: int) -> list[tuple]:
    sql = (f"select f.{column} as value, count(distinct f.paragraph_id) as n from figures f "
           f"where f.paragraph_id in ({HITS}) and f.{column} is not null "
           f"group by f.{column} order by n desc, f.{column} limit {size}")
    with sqlite3.connect(db) as conn:
        return [tuple(r) for r in conn.execute(sql, [word])]


def got(facet: dict) -> list[tuple]:
    return [(r["value"], r["count"], r["label"]) for r in facet["results"]]


async def search(ds: Any, **args: str) -> dict:
    return await get_json(ds, "/corpus/-/search.json?" + urllib.parse.urlencode(args))


# --- the count ---------------------------------------------------------------------

@pytest.mark.asyncio
async def test_count_capped_past_the_limit(make_datasette: Callable[..., Any], demo_db: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    total = exact_count(demo_db, WORD)
    assert total > 12, total
    ds = make_datasette(demo_db)
    exact = await search(ds, q=WORD, _size="5")
    assert (exact["count"], exact["count_truncated"]) == (total, False)

    monkeypatch.setattr(view, "COUNT_LIMIT", 7)
    capped = await search(ds, q=WORD, _size="5")
    assert (capped["count"], capped["count_truncated"]) == (7, True)
    assert [r["id"] for r in capped["rows"]] == [r["id"] for r in exact["rows"]]
    assert capped["facet_results"] == exact["facet_results"]  # facets count every match
    # A page past the limit counts as far as it reaches.
    later = await search(ds, q=WORD, _size="5", _next="10")
    assert (later["count"], later["count_truncated"]) == (15, total > 15)
    # Just under the limit nothing is cut.
    monkeypatch.setattr(view, "COUNT_LIMIT", total)
    assert (await search(ds, q=WORD))["count_truncated"] is False

    monkeypatch.setattr(view, "COUNT_LIMIT", 7)
    page = (await ds.client.get(f"/corpus/-/search?q={WORD}&_size=5")).text
    assert "7+ paragraphs match" in page and "1–5 of 7+" in page
    assert "next 5" in page  # not the "2" a count of 7 would leave


@pytest.mark.asyncio
async def test_count_with_selection_capped(make_datasette: Callable[..., Any], demo_db: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    ds = make_datasette(demo_db)
    narrowed = await search(ds, q=WORD, _range_word_count="10-99")
    assert narrowed["count_truncated"] is False and narrowed["count"] > 3
    monkeypatch.setattr(view, "COUNT_LIMIT", 3)
    capped = await search(ds, q=WORD, _range_word_count="10-99", _size="2")
    assert (capped["count"], capped["count_truncated"]) == (3, True)
    assert (await search(ds, q=WORD, _nocount="1"))["count"] is None


# --- facets in one statement ---------------------------------------------------------

@pytest.mark.asyncio
async def test_article_facets_in_one_pass_equal_one_query_each(
        make_datasette: Callable[..., Any], demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    names = list(ARTICLE_DIMENSIONS)
    size = 3  # small, so that several facets are cut and "truncated" is seen too
    data = await get_json(ds, "/corpus/-/search.json?" + urllib.parse.urlencode(
        [("q", WORD), ("_facet_size", str(size))] + [("_facet_article", n) for n in names]))
    facets = facet_results(data)
    truncated = 0
    for name in names:
        dim = ARTICLE_DIMENSIONS[name]
        want = expected_article(demo_db, WORD, dim, size + 1)
        facet = facets[name]
        assert facet["type"] == "article"
        rows = [(v, n, label if name in ("story", "title") else v) for v, n, label in want]
        assert got(facet) == rows[:size], name
        assert facet["truncated"] is (len(want) > size), name
        truncated += facet["truncated"]
    assert truncated >= 2
    assert sum(r["count"] for r in facets["outlet"]["results"]) <= data["count"]


@pytest.mark.asyncio
async def test_article_facets_one_pass_with_a_selection(make_datasette: Callable[..., Any],
                                                        demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    first = facet_results(await search(ds, q=WORD))["month"]["results"][0]["value"]
    data = await search(ds, q=WORD, _article_month=first, _facet_size="max")
    facets = facet_results(data)
    for name in ("outlet", "month", "story"):
        want = expected_article(demo_db, WORD, ARTICLE_DIMENSIONS[name], 1000,
                                "and substr(a.published, 1, 7) = ?", (first,))
        assert [(v, n) for v, n, _ in got(facets[name])] == [(v, n) for v, n, _ in want]
    assert facets["month"]["results"] == [
        {**facets["month"]["results"][0], "selected": True}]
    assert sum(r["count"] for r in facets["outlet"]["results"]) == data["count"]


@pytest.mark.asyncio
async def test_figure_facets_in_one_statement_equal_one_query_each(
        make_datasette: Callable[..., Any], demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    data = await get_json(ds, "/corpus/-/search.json?" + urllib.parse.urlencode(
        [("q", WORD), ("_facet_size", "4")] + [("_facet_figure", c) for c in FIGURE_COLUMNS]))
    facets = facet_results(data)
    seen = 0
    for column in FIGURE_COLUMNS:
        want = expected_figure(demo_db, WORD, column, 5)
        assert [(r["value"], r["count"]) for r in facets[column]["results"]] == want[:4]
        assert facets[column]["truncated"] is (len(want) > 4)
        seen += bool(want)
    assert seen >= 3


@pytest.mark.asyncio
async def test_table_pages_facets_in_one_statement(make_datasette: Callable[..., Any],
                                                   demo_db: Path) -> None:
    """Articles (their own id is the key) and figures (each figure counts) take the same
    statements as a search does."""
    ds = make_datasette(demo_db)
    data = await get_json(ds, "/corpus/articles.json?_facet_article=outlet"
                              "&_facet_article=year&_facet_size=max")
    with sqlite3.connect(demo_db) as conn:
        for name, expr in (("outlet", "outlet"), ("year", "substr(published, 1, 4)")):
            want = conn.execute(f"select {expr} v, count(*) n from articles where {expr} "
                                "is not null group by v order by n desc, v").fetchall()
            assert [(r["value"], r["count"]) for r in facet_results(data)[name]["results"]
                    ] == [tuple(w) for w in want]
        data = await get_json(ds, "/corpus/figures.json?_facet_figure=kind"
                                  "&_facet_figure=unit&_facet_size=max")
        for column in ("kind", "unit"):
            want = conn.execute(f"select {column} v, count(*) n from figures where {column}"
                                " is not null group by v order by n desc, v").fetchall()
            assert [(r["value"], r["count"]) for r in facet_results(data)[column]["results"]
                    ] == [tuple(w) for w in want]


# --- answers remembered only where nothing can change them --------------------------

@pytest.mark.asyncio
async def test_suggestions_follow_a_mutable_database(make_datasette: Callable[..., Any],
                                                     demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    shutil.copy(demo_db, db)
    with sqlite3.connect(db) as conn:
        conn.execute("update articles set story_id = (select min(id) from stories)")
    ds = make_datasette(db)
    path = "/corpus/paragraphs.json?_extra=suggested_facets"

    async def suggested() -> set:
        data = await get_json(ds, path)
        return {(s.get("type"), s["name"]) for s in data["suggested_facets"]}

    assert ("article", "story") not in await suggested()
    with sqlite3.connect(db) as conn:
        conn.execute("update articles set story_id = (select max(id) from stories) "
                     "where id = (select min(id) from articles)")
    assert ("article", "story") in await suggested()


@pytest.mark.asyncio
async def test_immutable_database_same_answers_twice(demo_db: Path) -> None:
    from datasette_test import Datasette

    ds = Datasette([], immutables=[str(demo_db)], **datasette_kwargs())
    path = "/corpus/-/search.json?q=the&_facet_article=title"
    first, second = await get_json(ds, path), await get_json(ds, path)
    assert first["suggested_facets"] and first == second
    page = "/corpus/articles.json?_extra=suggested_facets"
    names = {s["name"] for s in (await get_json(ds, page))["suggested_facets"]}
    assert names >= {"story", "month"}, names


@pytest.mark.asyncio
async def test_visibility_remembered_within_one_request_only(
        make_datasette: Callable[..., Any], demo_db: Path) -> None:
    """A search checks each table once, for its own actor: the next request (another
    actor, same process and task) is checked afresh."""
    from datasette_test import actor_cookie

    ds = make_datasette(demo_db, metadata=_deny("figures"))
    root = {"ds_actor": actor_cookie(ds, {"id": "root"})}
    types = lambda d: {f["type"] for f in facet_results(d).values()}  # noqa: E731
    path = f"/corpus/-/search.json?q={WORD}"
    assert "figure" not in types(await get_json(ds, path))
    assert "figure" in types(await get_json(ds, path, cookies=root))
    assert "figure" not in types(await get_json(ds, path))
    response = await ds.client.get(path + "&_figure_kind=count")
    assert response.status_code == 403
    assert (await ds.client.get(path + "&_figure_kind=count", cookies=root)).status_code == 200
