"""The plugin's JSON speaks each Datasette line's conventions, through real Datasette
instances on the demo corpus: ``ok`` in every JSON answer (errors included), ``_shape`` on
every endpoint that lists rows, ``_extra`` on 1.0 (ignored on 0.65, as core does), facet
results in the line's shape, and the ranked CSV's ``_size``, ``_stream``, ``_dl`` and
``_bom`` agreeing with the JSON's ranking."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

DENY_PARAGRAPHS = {"databases": {"corpus": {"tables": {"paragraphs": {"allow": {"id": "root"}}}}}}

# Every JSON URL of the plugin with the status and ``ok`` it must answer with.
JSON_URLS = [
    ("/corpus/-/search.json?q=strike", 200, True),
    ("/corpus/-/search.json", 200, True),
    ("/corpus/-/search.json?q=AND", 400, False),
    ("/corpus/-/search.json?q=strike&_size=nope", 400, False),
    ("/corpus/-/search.json?q=strike&_shape=nope", 400, False),
    ("/corpus/-/search.json?q=strike&_facet_article=nope", 400, False),
    ("/corpus/-/compare.json?left=8&right=9", 200, True),
    ("/corpus/-/compare.json?left=8", 200, True),
    ("/corpus/-/compare.json?left=8&pick=dam", 200, True),
    ("/corpus/-/compare.json?left=8&mode=raw", 200, True),
    ("/corpus/-/compare.json", 400, False),
    ("/corpus/-/compare.json?left=8&right=9&_shape=nope", 400, False),
    ("/corpus/-/compare.json?left=99999&right=9", 404, False),
    ("/corpus/-/article/8.json", 200, True),
    ("/corpus/-/article/x.json", 400, False),
    ("/corpus/-/article/99999.json", 404, False),
    ("/nosuch/-/search.json?q=strike", 404, False),
]


def _no_urls(value: Any) -> Any:
    """``value`` without its links (they carry the arguments of the request made)."""
    if isinstance(value, dict):
        return {k: _no_urls(v) for k, v in value.items() if not k.endswith("url")}
    if isinstance(value, list):
        return [_no_urls(v) for v in value]
    return value


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.asyncio
async def test_every_json_answer_carries_ok(make_datasette: Callable[..., Any],
                                            demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    for url, status, ok in JSON_URLS:
        response = await ds.client.get(url)
        assert response.status_code == status, (url, response.text[:300])
        data = response.json()
        assert data["ok"] is ok, url
        if not ok:
            assert data["error"] and data["status"] == status, url
    # A table the actor may not read: a 403 as core's table JSON gives it (JSON with ok
    # false on 1.0; 0.65 answers any 403 with its HTML error page, .json or not).
    denied = make_datasette(demo_db, metadata=DENY_PARAGRAPHS)
    core = await denied.client.get("/corpus/paragraphs.json")
    assert core.status_code == 403
    for url in ("/corpus/-/search.json?q=strike", "/corpus/-/article/8.json",
                "/corpus/-/compare.json?left=8&right=9"):
        response = await denied.client.get(url)
        assert response.status_code == 403, url
        assert response.headers["content-type"] == core.headers["content-type"], url
        if "json" in core.headers["content-type"]:
            assert response.json()["ok"] is False, url


async def _shapes(ds, url: str, rows_key: str) -> dict[str, Any]:
    """The body of ``url`` in every ``_shape``, checked against the default one."""
    sep = "&" if "?" in url else "?"
    full = (await ds.client.get(url)).json()
    rows = full[rows_key]
    assert rows, url
    arrays = (await ds.client.get(f"{url}{sep}_shape=arrays")).json()
    assert arrays["ok"] is True
    # Each row a list in the order of columns (None where a row lacks a column).
    assert [{c: v for c, v in zip(arrays["columns"], listed) if c in row}
            for listed, row in zip(arrays[rows_key], rows, strict=True)] == rows
    assert {c for row in rows for c in row} == set(arrays["columns"])
    assert _no_urls({k: v for k, v in arrays.items() if k not in (rows_key, "columns")}) == (
        _no_urls({k: v for k, v in full.items() if k != rows_key}))
    assert (await ds.client.get(f"{url}{sep}_shape=array")).json() == rows
    lines = (await ds.client.get(f"{url}{sep}_shape=array&_nl=on")).text.splitlines()
    assert len(lines) == len(rows)
    return {"full": full, "object": await ds.client.get(f"{url}{sep}_shape=object")}


@pytest.mark.asyncio
async def test_shape_on_compare_and_article_json(make_datasette: Callable[..., Any],
                                                 demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    # The comparison's aligned rows have no id: _shape=object is refused, naming it.
    got = await _shapes(ds, "/corpus/-/compare.json?left=8&right=9", "rows")
    assert got["object"].status_code == 400
    assert "_shape=object" in got["object"].json()["error"]
    # The raw view's blocks, and the picker's matching articles (keyed by id).
    await _shapes(ds, "/corpus/-/compare.json?left=8&mode=raw", "blocks")
    got = await _shapes(ds, "/corpus/-/compare.json?left=8&pick=the", "matches")
    keyed = got["object"].json()
    assert keyed == {str(m["id"]): m for m in got["full"]["matches"]}
    # The article's paragraphs.
    got = await _shapes(ds, "/corpus/-/article/8.json", "paragraphs")
    assert got["object"].json() == {str(p["id"]): p for p in got["full"]["paragraphs"]}
    got = await _shapes(ds, "/corpus/-/search.json?q=strike&_size=3", "rows")
    assert list(got["object"].json()) == [str(r["id"]) for r in got["full"]["rows"]]


@pytest.mark.asyncio
async def test_extra_narrows_search_json_on_1_0(make_datasette: Callable[..., Any],
                                                demo_db: Path, is_1_0: bool) -> None:
    ds = make_datasette(demo_db)
    base = "/corpus/-/search.json?q=strike&_size=2"
    full = (await ds.client.get(base)).json()
    assert {"count", "facet_results", "suggested_facets", "exports", "query"} <= set(full)
    if not is_1_0:
        # 0.65 has no _extra: the argument changes nothing, as on core's table JSON.
        ignored = (await ds.client.get(base + "&_extra=count&_extra=nonsense")).json()
        assert _no_urls(ignored) == _no_urls(full)
        assert set(full["facet_results"]) >= {"outlet", "month"}
        assert isinstance(full["facets_timed_out"], list)
        return
    assert set(full["facet_results"]) == {"results", "timed_out"}
    bare = (await ds.client.get(base + "&_extra=")).json()
    assert set(bare) == {"ok", "next", "next_url", "rows"}
    assert bare["rows"] == full["rows"] and bare["next"] == full["next"]
    counted = (await ds.client.get(base + "&_extra=count")).json()
    assert set(counted) == {"ok", "next", "next_url", "rows", "count"}
    assert counted["count"] == full["count"]
    both = (await ds.client.get(base + "&_extra=count,facet_results&_extra=query")).json()
    assert set(both) == {"ok", "next", "next_url", "rows", "count", "facet_results", "query"}
    assert _no_urls(both["facet_results"]) == _no_urls(full["facet_results"])
    # Asking for a facet asks for the facet results, as on core's table JSON.
    faceted = (await ds.client.get(base + "&_extra=count&_facet_article=year")).json()
    assert "year" in faceted["facet_results"]["results"]
    suggested = (await ds.client.get(base + "&_extra=suggested_facets")).json()
    assert _no_urls(suggested["suggested_facets"]) == _no_urls(full["suggested_facets"])
    assert "facet_results" not in suggested
    shaped = (await ds.client.get(base + "&_extra=count&_shape=arrays")).json()
    assert set(shaped) == {"ok", "next", "next_url", "rows", "count", "columns"}
    bad = await ds.client.get(base + "&_extra=count,nonsense")
    assert bad.status_code == 400
    assert bad.json()["ok"] is False and "nonsense" in bad.json()["error"]
    assert "_extra" in bad.json()["error"]
    # A search with nothing to find keeps its error whatever _extra asks.
    empty = await ds.client.get("/corpus/-/search.json?q=AND&_extra=count")
    assert empty.status_code == 400 and empty.json()["error"]


@pytest.mark.asyncio
async def test_ranked_csv_follows_the_json_ranking(make_datasette: Callable[..., Any],
                                                   demo_db: Path) -> None:
    """``_size``/``_next`` page the CSV as they page the JSON, ``_stream=on`` holds every
    match (the JSON's count), ``_dl`` makes a download and ``_bom=1`` leads with a BOM."""
    ds = make_datasette(demo_db)
    data = (await ds.client.get("/corpus/-/search.json?q=the&_size=4&_next=2")).json()
    page = await ds.client.get("/corpus/-/search.csv?q=the&_size=4&_next=2")
    assert page.headers["content-type"].startswith("text/plain")
    assert "content-disposition" not in page.headers
    rows = _csv(page.text)
    header = rows[0]
    ids = [int(r[header.index("paragraph_id")]) for r in rows[1:5]]
    assert ids == [r["id"] for r in data["rows"]]
    assert [int(r[0]) for r in rows[1:5]] == [3, 4, 5, 6]  # ranks go on from _next
    everything = await ds.client.get("/corpus/-/search.csv?q=the&_stream=on&_dl=on&_bom=1")
    assert everything.content.startswith("\ufeff".encode())
    assert everything.headers["content-type"].startswith("text/csv")
    assert everything.headers["content-disposition"].startswith("attachment; filename=")
    streamed = _csv(everything.content.decode("utf-8"))
    assert len(streamed) - 1 == data["count"] > 20


@pytest.mark.asyncio
async def test_a_database_given_as_a_path_object(tmp_path: Path, demo_db: Path) -> None:
    """Datasette takes ``pathlib.Path`` files too (its own tests do): the plugin's check of
    which databases are corpora reads their file stamps without assuming a str."""
    import sqlite3

    from datasette.app import Datasette

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table numbers (id integer primary key)")
    ds = Datasette([other, demo_db])
    assert (await ds.client.get("/other/numbers.json")).status_code == 200
    assert (await ds.client.get("/other")).status_code == 200
    assert (await ds.client.get("/corpus/-/search.json?q=strike")).json()["ok"] is True
    assert (await ds.client.get("/other/-/search.json?q=strike")).status_code == 404
