"""The plugin's routes and hooks under bad input, instance settings and other databases.

Every bad parameter is a 400 naming it (never a 500); the routes answer GET only; they
follow ``--cors``, ``max_returned_rows``, ``allow_facet`` and ``allow_csv_stream``; and a
database that is not a report corpus is left alone even where its tables share names
with the corpus tables.
"""

from __future__ import annotations

import re
import sqlite3
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_facets import facet_results

BIG = "99999999999999999999999"


@pytest.fixture
def ds(make_datasette: Callable[..., Any], demo_db: Path) -> Any:
    return make_datasette(demo_db)


def q(value: str) -> str:
    return urllib.parse.quote(value)


@pytest.mark.asyncio
@pytest.mark.parametrize("query", ["NEAR(roof fall, x)", "NEAR(roof fall, 1e3)",
                                   'NEAR(a "b)', "\x00", "roof\x00fall"])
async def test_queries_fts5_rejects_never_fail(ds: Any, query: str) -> None:
    response = await ds.client.get(f"/corpus/-/search.json?q={q(query)}")
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["ok"] is True
    html = await ds.client.get(f"/corpus/-/search?q={q(query)}")
    assert html.status_code == 200


@pytest.mark.asyncio
async def test_near_syntax_error_falls_back_to_words(ds: Any) -> None:
    data = (await ds.client.get(f"/corpus/-/search.json?q={q('NEAR(roof fall, x)')}")).json()
    assert data["query"]["mode"] == "words" and data["query"]["message"]
    assert data["query"]["fts"] == '"roof" "fall" "x"'


@pytest.mark.asyncio
@pytest.mark.parametrize("url,param", [
    (f"/corpus/-/search.json?q=roof&_next={BIG}", "_next"),
    ("/corpus/-/search.json?q=roof&_next=-5", "_next"),
    ("/corpus/-/search.json?q=roof&_next=abc", "_next"),
    ("/corpus/-/search.json?q=roof&_size=0", "_size"),
    ("/corpus/-/search.json?q=roof&_size=-5", "_size"),
    ("/corpus/-/search.json?q=roof&_size=abc", "_size"),
    ("/corpus/-/search.json?q=roof&_facet_article=nope", "_facet_article"),
    ("/corpus/-/search.json?q=roof&_facet_figure=nope", "_facet_figure"),
    ("/corpus/-/search.json?q=roof&_facet=outlet", "_facet"),
    (f"/corpus/-/compare.json?left={BIG}&right=1", "left"),
    (f"/corpus/-/compare.json?left=1&right={BIG}", "right"),
    (f"/corpus/-/compare.json?left={BIG}&mode=raw", "left"),
    ("/corpus/-/compare.json?left=0", "left"),
    ("/corpus/-/compare.json?left=-3", "left"),
    ("/corpus/paragraphs.json?_facet_range=" + q('{"column":"word_count","step":"x"}'),
     "_facet_range"),
    ("/corpus/paragraphs.json?_facet_range=" + q('{"column":"word_count","step":10.5}'),
     "_facet_range"),
    ("/corpus/paragraphs.json?_facet_range=" + q('{"column":"word_count","step":1e400}'),
     "_facet_range"),
    ("/corpus/-/search.json?q=roof&_facet_range=" + q('{"column":"word_count","step":"x"}'),
     "_facet_range"),
    ("/corpus/paragraphs.json?_facet_range=" + q("{bad"), "_facet_range"),
    ("/corpus/-/search.json?q=roof&_facet_range=" + q("{bad"), "_facet_range"),
    ("/corpus/-/search.json?q=roof&_facet_range=nope", "_facet_range"),
    ("/corpus/-/search.json?q=roof&_facet_range=" + q('{"column":"nope","step":5}'),
     "_facet_range"),
    ("/corpus/paragraphs.json?_facet_article=nope", "_facet_article"),
    ("/corpus/figures.json?_facet_figure=nope", "_facet_figure"),
    ("/corpus/articles.json?_facet_range=title", "_facet_range"),
    ("/corpus/articles.json?_facet_range=nope", "_facet_range"),
    ("/corpus/articles.json?_search=strike", "_match"),  # not every article, silently
])
async def test_bad_parameters_are_400_naming_them(ds: Any, url: str, param: str) -> None:
    response = await ds.client.get(url)
    assert response.status_code == 400, (url, response.status_code, response.text[:300])
    assert param in response.text


@pytest.mark.asyncio
async def test_size_max_and_max_returned_rows(make_datasette: Callable[..., Any],
                                              demo_db: Path) -> None:
    ds = make_datasette(demo_db, settings={"max_returned_rows": 5})
    data = (await ds.client.get("/corpus/-/search.json?q=the&_size=max")).json()
    assert len(data["rows"]) == 5 and data["next"] == "5"
    response = await ds.client.get("/corpus/-/search.json?q=the&_size=50")
    assert response.status_code == 400 and "_size must be at most 5" in response.text


@pytest.mark.asyncio
async def test_allow_facet_off_and_no_csv_stream(make_datasette: Callable[..., Any],
                                                 demo_db: Path) -> None:
    ds = make_datasette(demo_db, settings={"allow_facet": False, "allow_csv_stream": False})
    data = (await ds.client.get("/corpus/-/search.json?q=roof")).json()
    assert data["count"] and facet_results(data) == {} and data["suggested_facets"] == []
    response = await ds.client.get("/corpus/-/search.json?q=roof&_facet_article=outlet")
    assert response.status_code == 400 and "allow_facet" in response.text
    assert "_stream" not in data["exports"]["csv"]
    assert (await ds.client.get(data["exports"]["csv"])).status_code == 200
    html = (await ds.client.get("/corpus/-/search?q=roof")).text
    assert "does not stream exports" in html


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/corpus/-/search.json?q=roof", "/corpus/-/search?q=roof",
                                  "/corpus/-/search.csv?q=roof",
                                  "/corpus/-/compare.json?left=8&right=9",
                                  "/corpus/-/compare?left=8"])
async def test_get_only(ds: Any, path: str) -> None:
    for method in ("post", "put", "delete", "patch"):
        response = await getattr(ds.client, method)(path)
        assert response.status_code in (403, 405), (method, response.status_code)
        if response.status_code == 405:
            assert "GET" in response.headers["allow"]
    assert (await ds.client.get(path)).status_code == 200


@pytest.mark.asyncio
async def test_cors_headers_follow_the_setting(demo_db: Path) -> None:
    from datasette.app import Datasette

    for cors in (True, False):
        ds = Datasette([str(demo_db)], cors=cors)
        for path in ("/corpus/-/search.json?q=roof", "/corpus/-/search.csv?q=roof",
                     "/corpus/-/compare.json?left=8&right=9",
                     "/corpus/-/compare?left=8"):
            response = await ds.client.get(path)
            assert response.status_code == 200
            assert (response.headers.get("access-control-allow-origin") == "*") is cors, path
        response = await ds.client.options("/corpus/-/search.json?q=roof")
        assert response.status_code == 200
        assert (response.headers.get("access-control-allow-origin") == "*") is cors


@pytest.fixture
def other_db(tmp_path: Path) -> Path:
    """A database that is not a corpus but has tables named like the corpus tables."""
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.executescript("""
            create table articles (id integer primary key, title text);
            insert into articles values (1, 'Minutes of the parish meeting');
            insert into articles values (2, 'Allotment rota');
            create table paragraphs (id integer primary key, body text);
            insert into paragraphs values (1, 'Hello');
            create table figures (id integer primary key, amount real);
            insert into figures values (1, 12.5);
        """)
    return path


@pytest.mark.asyncio
async def test_other_databases_are_left_alone(make_datasette: Callable[..., Any],
                                              demo_db: Path, other_db: Path) -> None:
    ds = make_datasette([demo_db, other_db])
    for table in ("articles", "paragraphs", "figures"):
        for suffix in ("", ".json", ".json?_extra=suggested_facets"):
            response = await ds.client.get(f"/other/{table}{suffix}")
            assert response.status_code == 200, (table, suffix, response.text[:300])
    page = (await ds.client.get("/other/articles")).text
    assert "Minutes of the parish meeting" in page and "/-/compare" not in page
    row = (await ds.client.get("/other/articles/1")).text
    assert "/-/compare" not in row
    # Core ignores arguments it does not know, and so does the plugin outside a corpus.
    response = await ds.client.get("/other/articles.json?_article_outlet=x&_shape=array")
    assert response.status_code == 200 and len(response.json()) == 2
    for path in ("/other/-/compare.json?left=1&right=2", "/other/-/compare?left=1",
                 "/other/-/search.json?q=hello"):
        response = await ds.client.get(path)
        assert response.status_code == 404 and "not a report corpus" in response.text, path
    # The corpus beside it keeps its links and facets.
    assert "/-/compare" in (await ds.client.get("/corpus/articles")).text


@pytest.mark.asyncio
async def test_searched_tables_of_other_databases_keep_core_assets(
        make_datasette: Callable[..., Any], demo_db: Path, other_db: Path) -> None:
    """The highlighting script and stylesheet (which restyle every ``<mark>``) go on a
    corpus's searched table pages only, not on another database's own full-text search."""
    import sqlite_utils

    sqlite_utils.Database(other_db)["articles"].enable_fts(["title"])
    ds = make_datasette([demo_db, other_db])
    other = await ds.client.get("/other/articles?_search=parish")
    assert other.status_code == 200 and "Minutes of the parish meeting" in other.text
    assert "highlight.js" not in other.text and "reportcorpus.css" not in other.text
    corpus = (await ds.client.get("/corpus/paragraphs?_search=roof")).text
    assert "highlight.js" in corpus and "reportcorpus.css" in corpus


@pytest.mark.asyncio
@pytest.mark.parametrize("cache_size_kb", [0, 5000])
async def test_connection_settings_only_for_corpora(make_datasette: Callable[..., Any],
                                                    demo_db: Path, other_db: Path,
                                                    cache_size_kb: int) -> None:
    """The memory map and page cache are set on corpus connections only, and a server's
    own ``cache_size_kb`` is kept on corpora too."""
    from datasette_reportcorpus.connection import CACHE_KIB

    ds = make_datasette([demo_db, other_db], settings={"cache_size_kb": cache_size_kb})

    async def pragma(db: str, name: str) -> int:
        return (await ds.get_database(db).execute(f"pragma {name}")).rows[0][0]

    assert await pragma("corpus", "mmap_size") > 0  # SQLite caps it at its build's maximum
    assert await pragma("corpus", "cache_size") == -(cache_size_kb or CACHE_KIB)
    assert await pragma("other", "mmap_size") == 0
    assert await pragma("other", "cache_size") == (-cache_size_kb if cache_size_kb else -2000)


@pytest.mark.asyncio
async def test_json_range_facet_can_be_removed_as_typed(ds: Any) -> None:
    typed = '{"column": "word_count", "step": 10}'
    data = (await ds.client.get(f"/corpus/-/search.json?q=the&_facet_range={q(typed)}")).json()
    facet = facet_results(data)["word_count"]
    toggle = urllib.parse.urlparse(facet["toggle_url"])
    assert "_facet_range" not in urllib.parse.parse_qs(toggle.query)


@pytest.mark.asyncio
@pytest.mark.parametrize("query", ["NEAR(roof fall, x)", 'NEAR(a "b)', "roof\x00fall",
                                   "strike -pay)"])
async def test_ranked_csv_reads_rejected_queries_as_words(ds: Any, query: str) -> None:
    data = (await ds.client.get(f"/corpus/-/search.json?q={q(query)}")).json()
    response = await ds.client.get(f"/corpus/-/search.csv?q={q(query)}")
    assert response.status_code == 200
    lines = response.text.strip().splitlines()
    assert lines[0].startswith("rank,bm25,paragraph_id")
    assert len(lines) - 1 == (data["count"] or 0)


@pytest.mark.asyncio
async def test_bad_range_facet_columns_are_400(ds: Any) -> None:
    for config in ('{"column":["a"]}', '{"column":5}'):
        response = await ds.client.get(f"/corpus/-/search.json?q=x&_facet_range={q(config)}")
        assert response.status_code == 400, (config, response.text[:200])
        assert "_facet_range" in response.text


# --- docs/api.md: every example is the real answer --------------------------------------------

API_DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
EXAMPLE_HOST = "http://127.0.0.1:8001/"


def api_examples() -> list[tuple[str, str | None, set[str], str]]:
    """``(path, response language or None, tags, response body)`` for each ```http GET block
    of docs/api.md, with the fenced block straight after it (if any)."""
    text = API_DOC.read_text(encoding="utf-8")
    fence = re.compile(r"```([^\n]*)\n(.*?)\n```", re.S)
    blocks = [(m.start(), m.end(), m.group(1).split(), m.group(2)) for m in fence.finditer(text)]
    out = []
    for i, (_, end, info, body) in enumerate(blocks):
        if info[:1] != ["http"]:
            continue
        assert body.startswith("GET /"), body
        path = body[len("GET "):].strip()
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if following and following[2][:1] != ["http"] and not text[end:following[0]].strip():
            out.append((path, following[2][0], set(following[2][1:]), following[3]))
        else:
            out.append((path, None, set(), ""))
    return out


def contains(documented: Any, real: Any, where: str = "") -> None:
    """Fail unless ``documented`` is ``real`` with keys and list items left out."""
    if isinstance(documented, dict):
        assert isinstance(real, dict), where
        for key, value in documented.items():
            assert key in real, f"{where}.{key} missing"
            contains(value, real[key], f"{where}.{key}")
    elif isinstance(documented, list):
        assert isinstance(real, list) and len(documented) <= len(real), where
        for i, value in enumerate(documented):
            contains(value, real[i], f"{where}[{i}]")
    else:
        assert documented == real, f"{where}: documented {documented!r}, real {real!r}"


def test_api_doc_has_examples_of_every_endpoint() -> None:
    paths = [p for p, *_ in api_examples()]
    for endpoint in ("/corpus/-/search?", "/corpus/-/search.json?", "/corpus/-/search.csv?",
                     "/corpus/-/article/",
                     "/corpus/-/compare.json?", "/corpus/paragraphs.json?", ".csv?"):
        assert any(endpoint in p for p in paths), endpoint
    assert {"/", "/corpus"} <= set(paths)


@pytest.mark.asyncio
@pytest.mark.parametrize("path, lang, tags, body", api_examples(),
                         ids=[f"{i}:{e[0][:60]}" for i, e in enumerate(api_examples())])
async def test_api_doc_examples_are_real_responses(ds: Any, path: str, lang: str | None,
                                                   tags: set[str], body: str) -> None:
    from conftest import IS_1_0

    line = {"1.0", "0.65"} & tags
    if line and line != {"1.0" if IS_1_0 else "0.65"}:
        pytest.skip(f"an example of Datasette {', '.join(line)}")
    status = next((int(t) for t in tags if t.isdigit()), 200)
    response = await ds.client.get(path)
    assert response.status_code == status, (path, response.text[:300])
    text = response.content.decode("utf-8").lstrip("\ufeff").replace("http://localhost/",
                                                                       EXAMPLE_HOST)
    if lang == "json":
        import json

        contains(json.loads(body), json.loads(text))
    elif lang is not None:  # csv and text: the lines shown, in order
        lines = text.replace("\r\n", "\n").split("\n")
        at = 0
        for documented in body.split("\n"):
            assert documented in lines[at:], (documented, lines[:5])
            at = lines.index(documented, at) + 1
    else:
        assert "<html" in text.lower()
