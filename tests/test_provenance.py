"""Provenance views: every exported paragraph or figure row names its article and position;
the views are searchable and facetable, on both Datasette lines."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_facets import facet_results, get_json

ARTICLE_COLUMNS = ["article_key", "article_title", "outlet", "url", "published", "path"]


@pytest.fixture
def ds(make_datasette: Callable[..., Any], demo_db: Path) -> Any:
    # Facets here are checked for what they count, not how fast: a loaded machine must not
    # cut a column facet off at core's 200 ms limit and leave the comparison one-sided.
    return make_datasette(demo_db, settings={"facet_time_limit_ms": 10000})


async def read_csv(ds: Any, path: str) -> list[dict]:
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text[:300]
    return list(csv.DictReader(io.StringIO(response.text)))


@pytest.mark.asyncio
async def test_paragraph_csv_rows_name_their_article(ds: Any, demo_db: Path) -> None:
    rows = await read_csv(ds, "/corpus/paragraphs_provenance.csv?_stream=on")
    with sqlite3.connect(demo_db) as conn:
        conn.row_factory = sqlite3.Row
        expected = {r["id"]: r for r in conn.execute(
            "select p.id, p.position, a.key, a.title, a.outlet, a.url, a.published, a.path "
            "from paragraphs p join articles a on a.id = p.article_id")}
    assert len(rows) == len(expected)  # one row per paragraph: nothing doubled by the join
    for row in rows:
        want = expected[int(row["id"])]
        assert [row[c] for c in ARTICLE_COLUMNS] == [
            want["key"], want["title"], want["outlet"], want["url"], want["published"],
            want["path"]]
        assert int(row["position"]) == want["position"]


@pytest.mark.asyncio
async def test_figure_csv_rows_name_paragraph_and_article(ds: Any, demo_db: Path) -> None:
    rows = await read_csv(ds, "/corpus/figures_provenance.csv?_stream=on")
    with sqlite3.connect(demo_db) as conn:
        n = conn.execute("select count(*) from figures").fetchone()[0]
        positions = dict(conn.execute("select id, position from paragraphs"))
    assert len(rows) == n
    for row in rows:
        assert all(row[c] for c in ("article_key", "outlet", "path", "surface"))
        assert int(row["paragraph_position"]) == positions[int(row["paragraph_id"])]
        assert row["surface"] in row["paragraph_text"]


@pytest.mark.asyncio
async def test_views_are_searchable(ds: Any) -> None:
    data = await get_json(ds, "/corpus/paragraphs_provenance.json?_search=strike"
                              "&_shape=objects&_size=max")
    assert data["rows"] and all("strik" in r["text"].lower() for r in data["rows"])
    data = await get_json(ds, "/corpus/figures_provenance.json?_search=workers"
                              "&_shape=objects&_size=max")
    assert data["rows"] and all("worker" in r["paragraph_text"].lower() for r in data["rows"])


@pytest.mark.asyncio
async def test_views_are_facetable(ds: Any) -> None:
    data = await get_json(ds, "/corpus/paragraphs_provenance.json?_facet=outlet"
                              "&_facet_article=month&_search=strike")
    facets = facet_results(data)
    assert facets["outlet"]["type"] == "column"
    assert facets["month"]["type"] == "article"
    assert sum(v["count"] for v in facets["outlet"]["results"]) == \
        sum(v["count"] for v in facets["month"]["results"])


@pytest.mark.asyncio
async def test_views_hidden_with_their_tables(make_datasette: Callable[..., Any],
                                              demo_db: Path) -> None:
    from test_facets import _deny

    ds = make_datasette(demo_db, metadata=_deny("paragraphs"))
    for path in ("/corpus/paragraphs_provenance.csv", "/corpus/figures_provenance.json"):
        assert (await ds.client.get(path)).status_code == 403
