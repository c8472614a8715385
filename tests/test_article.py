"""The article page (``/<db>/-/article/<id>`` and ``.json``) through Datasette: content,
escaping, permissions, bad ids, base_url, and the links leading to it, on both lines."""

from __future__ import annotations

import csv
import doctest
import html as html_lib
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import IS_1_0, assert_links_under_base, build_corpus

# Our own fictional reports carrying markup and script in every field a page shows.
HOSTILE_TITLE = 'Quarry <img src=x onerror="alert(1)"> vote'
HOSTILE_BYLINE = '<svg onload="alert(2)">Odile Brack'
HOSTILE_URL = "javascript:alert(3)"
HOSTILE_PARAGRAPHS = [
    "Members of the Harrowgate Vale parish meeting voted 14 to 3 on Thursday to oppose the"
    " reopening of the Selby Crag quarry, which closed in 1998.",
    'A leaflet handed out before the vote read <script>alert(4)</script> in large'
    ' type, which organisers said was a printing error.',
    'The council\'s notice, pasted as <img src=x onerror="alert(5)">, promised a'
    " decision on the 120 lorry movements a day within six weeks.",
    "Residents said they would take the matter to the county's planning committee & beyond.",
]
SECOND_PARAGRAPHS = [
    "The Selby Crag quarry will stay shut after 14 members of the Harrowgate Vale parish"
    " meeting voted against reopening it, with 3 in favour.",
    "Opponents said 120 lorry movements a day would make the lanes unsafe for the village"
    " school, which has 85 pupils.",
    "The operator, Crag Aggregates, said it would study the result before deciding on an"
    " appeal to the county planning committee.",
]


def build_hostile_corpus(folder: Path) -> Path:
    """A corpus of two fictional reports of one story, the first with markup and script in
    its title, byline, address and text; returns the database path."""
    reports = folder / "reports"
    reports.mkdir(parents=True)
    (reports / "quarry-vote.txt").write_text(
        "\n\n".join(HOSTILE_PARAGRAPHS) + "\n\nShare this story on social media.\n",
        encoding="utf-8")
    (reports / "quarry-stays-shut.txt").write_text(
        "Selby Crag quarry stays shut\n\n" + "\n\n".join(SECOND_PARAGRAPHS) + "\n",
        encoding="utf-8")
    manifest = reports / "manifest.csv"
    with manifest.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["path", "outlet", "title", "url", "published", "byline"])
        w.writerow(["quarry-vote.txt", "Vale <b>Courier</b>", HOSTILE_TITLE, HOSTILE_URL,
                    "2026-05-04", HOSTILE_BYLINE])
        w.writerow(["quarry-stays-shut.txt", "Crag Weekly", "", "https://crag.example/shut",
                    "2026-05-05", ""])
    return build_corpus(folder / "corpus.db", [reports], manifest=manifest)


def _ids(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(db_path) as conn:
        return dict(conn.execute("select path, id from articles"))


def _rows(db_path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


def _deny(table: str | None = None) -> dict:
    """Metadata letting only root see ``table`` (or, with None, the whole database)."""
    if table is None:
        return {"databases": {"corpus": {"allow": {"id": "root"}}}}
    return {"databases": {"corpus": {"tables": {table: {"allow": {"id": "root"}}}}}}


def _root(ds) -> dict:
    from datasette_test import actor_cookie

    return {"ds_actor": actor_cookie(ds, {"id": "root"})}


def _text_of(html: str) -> str:
    """The page's readable text: tags out, entities decoded."""
    return html_lib.unescape(re.sub(r"<[^>]+>", "", html))


def test_doctests_of_the_article_module() -> None:
    from datasette_reportcorpus.views import article

    result = doctest.testmod(article)
    assert result.attempted >= 5 and result.failed == 0


@pytest.mark.asyncio
async def test_article_page_shows_the_whole_report(make_datasette: Callable[..., Any],
                                                   demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    response = await ds.client.get("/corpus/-/article/8")
    assert response.status_code == 200
    page = response.text
    (title, outlet, published, byline, url, story_id), = _rows(
        demo_db, "select title, outlet, published, byline, url, story_id from articles"
                 " where id = 8")
    body = page.split('class="rc-art-body"', 1)[1].split('class="rc-art-side"', 1)[0]
    text = _text_of(body)
    head = _text_of(page.split('class="rc-art-head"', 1)[1].split('class="rc-art-layout"', 1)[0])
    assert title in head and outlet in head and published in head and byline in head
    assert f'<a href="{url}" rel="noopener noreferrer nofollow">' in page
    # Every paragraph in full, in order.
    paragraphs = [t for (t,) in _rows(demo_db, "select text from paragraphs"
                                               " where article_id = 8 order by position")]
    assert len(paragraphs) >= 5
    where = [text.index(p) for p in paragraphs]
    assert where == sorted(where)
    # Every figure marked where its offsets say, with what it counts in the title.
    figures = _rows(demo_db, "select f.id, substr(p.text, f.start + 1, f.[end] - f.start),"
                             " f.kind from figures f join paragraphs p on p.id = f.paragraph_id"
                             " where f.article_id = 8")
    marks = re.findall(r'<mark class="rc-art-fig[^"]*" data-figure="(\d+)" title="([^"]*)">'
                       r'([^<]*)</mark>', body)
    assert len(marks) == len(figures) >= 10
    by_id = {str(fid): (surface, kind) for fid, surface, kind in figures}
    for fid, label, shown in marks:
        surface, kind = by_id[fid]
        assert html_lib.unescape(shown) == surface and label.startswith(kind)
    assert 'title="count: 3 worker; event kill">Three</mark>' in body
    # The dropped blocks, folded, with their reasons.
    dropped = _rows(demo_db, "select reason from dropped where article_id = 8")
    assert dropped
    assert body.count('<details class="rc-art-dropped">') >= 1
    for (reason,) in dropped:
        assert f'<span class="rc-reason">{reason}</span>' in body
    # Related reports: each with its kind, score, own page and a comparison with this one.
    related = _rows(demo_db, "select other_id, kind from related where article_id = 8")
    assert related
    for other, kind in related:
        assert f'href="/corpus/-/article/{other}"' in page
        assert f'href="/corpus/-/compare?left=8&amp;right={other}"' in page
        assert f">{kind}</span>" in page
    # The story, with a search of its reports, and the ways to provenance.
    (label,), = _rows(demo_db, "select label from stories where id = ?", (story_id,))
    assert html_lib.escape(label, quote=True) in page or label in page
    assert f'<input type="hidden" name="_article_story" value="{story_id}">' in page
    assert 'action="/corpus/-/search"' in page
    assert 'href="/corpus/-/compare?left=8&amp;mode=raw"' in page
    assert 'href="/corpus/articles/8"' in page
    assert 'href="/corpus/-/compare?left=8"' in page


@pytest.mark.asyncio
async def test_the_story_search_keeps_to_the_story(make_datasette: Callable[..., Any],
                                                   demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    data = (await ds.client.get("/corpus/-/article/8.json")).json()
    story = data["story"]
    assert story["search_url"] == f"/corpus/-/search?_article_story={story['id']}"
    found = (await ds.client.get(
        f"/corpus/-/search.json?q=mine&_article_story={story['id']}")).json()
    assert found["rows"]
    members = {a["id"] for a in story["articles"]}
    assert {r["article_id"] for r in found["rows"]} <= members and 8 in members
    assert len(members) == story["article_count"]


@pytest.mark.asyncio
async def test_article_json(make_datasette: Callable[..., Any], demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    response = await ds.client.get("/corpus/-/article/8.json")
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True and data["left_out"] == []
    assert set(data) >= {"article", "paragraphs", "dropped", "related", "story"}
    assert data["article"]["id"] == 8 and data["article"]["row_url"] == "/corpus/articles/8"
    assert data["article"]["article_url"] == "/corpus/-/article/8"
    stored = _rows(demo_db, "select id, position, text, start, [end] from paragraphs"
                            " where article_id = 8 order by position")
    assert [(p["id"], p["position"], p["text"], p["start"], p["end"])
            for p in data["paragraphs"]] == stored
    stored_figures = _rows(demo_db, "select paragraph_id, id, surface, value, start, [end]"
                                    " from figures where article_id = 8 order by id")
    got = sorted((p["id"], f["id"], f["surface"], f["value"], f["start"], f["end"])
                 for p in data["paragraphs"] for f in p["figures"])
    assert got == sorted(stored_figures, key=lambda r: (r[0], r[1]))
    assert {d["reason"] for d in data["dropped"]} == {
        r for (r,) in _rows(demo_db, "select reason from dropped where article_id = 8")}
    assert [(r["id"], r["kind"], r["rank"]) for r in data["related"]] == _rows(
        demo_db, "select other_id, kind, rank from related where article_id = 8 order by rank")
    first = data["related"][0]
    assert first["compare_url"] == f"/corpus/-/compare?left=8&right={first['id']}"
    assert first["article_url"] == f"/corpus/-/article/{first['id']}"
    assert data["story"]["id"] == data["article"]["story_id"]


@pytest.mark.asyncio
async def test_json_shapes(make_datasette: Callable[..., Any], demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    full = (await ds.client.get("/corpus/-/article/8.json")).json()
    array = (await ds.client.get("/corpus/-/article/8.json?_shape=array")).json()
    assert array == full["paragraphs"]
    objects = (await ds.client.get("/corpus/-/article/8.json?_shape=objects")).json()
    assert objects == full
    keyed = (await ds.client.get("/corpus/-/article/8.json?_shape=object")).json()
    assert list(keyed) == [str(p["id"]) for p in full["paragraphs"]]
    lines = (await ds.client.get("/corpus/-/article/8.json?_shape=array&_nl=on")).text
    assert len(lines.splitlines()) == len(full["paragraphs"])
    response = await ds.client.get("/corpus/-/article/8.json?_shape=arrayfirst")
    assert response.status_code == 400 and "_shape" in response.text


@pytest.mark.asyncio
async def test_seed_reports_have_article_pages(make_datasette: Callable[..., Any],
                                               seeds_db: Path) -> None:
    ds = make_datasette(seeds_db)
    ids = [i for (i,) in _rows(seeds_db, "select id from articles order by id")]
    assert len(ids) >= 2
    for article_id in ids:
        stored = [t for (t,) in _rows(seeds_db, "select text from paragraphs where"
                                                " article_id = ? order by position",
                                      (article_id,))]
        data = (await ds.client.get(f"/corpus/-/article/{article_id}.json")).json()
        assert [p["text"] for p in data["paragraphs"]] == stored and stored
        assert any(p["figures"] for p in data["paragraphs"])
        assert {r["id"] for r in data["related"]} & set(ids)
        page = (await ds.client.get(f"/corpus/-/article/{article_id}")).text
        text = _text_of(page)
        assert all(p in text for p in stored)
        assert "rc-art-fig" in page


@pytest.mark.asyncio
async def test_markup_in_an_article_is_shown_as_text(make_datasette: Callable[..., Any],
                                                     tmp_path: Path) -> None:
    db = build_hostile_corpus(tmp_path)
    article_id = _ids(db)["quarry-vote.txt"]
    ds = make_datasette(db)
    page = (await ds.client.get(f"/corpus/-/article/{article_id}")).text
    body = page.split("<body", 1)[1]
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "<svg onload" not in body and "&lt;svg onload" in body
    # Shown as the text it is (a figure may be marked inside it).
    assert "&lt;script&gt;alert(" in body and "&lt;img src=x onerror=" in body
    assert "<script>alert(4)</script>" in _text_of(body)
    assert '<img src=x onerror="alert(5)">' in _text_of(body)
    assert "Vale &lt;b&gt;Courier&lt;/b&gt;" in body
    assert "committee &amp; beyond" in body
    # The javascript: address is shown, never linked.
    assert 'href="javascript' not in page.lower()
    assert HOSTILE_URL in _text_of(body)
    assert "not a web address" in body
    data = (await ds.client.get(f"/corpus/-/article/{article_id}.json")).json()
    assert data["article"]["url"] == HOSTILE_URL and data["article"]["web_url"] is None
    assert data["article"]["title"] == HOSTILE_TITLE
    assert "<script>alert(4)</script>" in data["paragraphs"][1]["text"]
    # The other report's page links this one by its (escaped) title.
    other = _ids(db)["quarry-stays-shut.txt"]
    other_page = (await ds.client.get(f"/corpus/-/article/{other}")).text
    assert f'href="/corpus/-/article/{article_id}"' in other_page
    assert "<img src=x" not in other_page.split("<body", 1)[1]


@pytest.mark.asyncio
@pytest.mark.parametrize("table", ["articles", "paragraphs", None])
async def test_articles_and_paragraphs_are_required(make_datasette: Callable[..., Any],
                                                    demo_db: Path, table: str | None) -> None:
    ds = make_datasette(demo_db, metadata=_deny(table))
    for url in ("/corpus/-/article/8", "/corpus/-/article/8.json"):
        response = await ds.client.get(url)
        assert response.status_code == 403, url
        assert (await ds.client.get(url, cookies=_root(ds))).status_code == 200, url
    # Nothing is given away about ids either.
    assert (await ds.client.get("/corpus/-/article/9999")).status_code == 403


@pytest.mark.asyncio
async def test_a_hidden_instance_is_403(make_datasette: Callable[..., Any],
                                        demo_db: Path) -> None:
    ds = make_datasette(demo_db, metadata={"allow": {"id": "root"}})
    assert (await ds.client.get("/corpus/-/article/8.json")).status_code == 403
    assert (await ds.client.get("/corpus/-/article/8.json", cookies=_root(ds))).status_code == 200


@pytest.mark.asyncio
@pytest.mark.parametrize(("table", "sentence"), [
    ("figures", "figures are not marked"),
    ("dropped", "the blocks dropped from the body are not shown"),
    ("related", "related reports are not listed"),
    ("stories", "the story is not shown"),
])
async def test_a_hidden_table_is_left_out_and_said_to_be(make_datasette: Callable[..., Any],
                                                         demo_db: Path, table: str,
                                                         sentence: str) -> None:
    ds = make_datasette(demo_db, metadata=_deny(table))
    data = (await ds.client.get("/corpus/-/article/8.json")).json()
    assert data["left_out"] == [table]
    full = (await ds.client.get("/corpus/-/article/8.json", cookies=_root(ds))).json()
    assert full["left_out"] == []
    if table == "figures":
        assert all(p["figures"] == [] for p in data["paragraphs"])
        assert any(p["figures"] for p in full["paragraphs"])
    elif table == "stories":
        assert data["story"] is None and full["story"] is not None
    else:
        assert data[table] == [] and full[table]
    assert [p["text"] for p in data["paragraphs"]] == [p["text"] for p in full["paragraphs"]]
    page = (await ds.client.get("/corpus/-/article/8")).text
    assert f"permission to view\n    the {table} table ({sentence})" in page
    marker = {"figures": '<mark class="rc-art-fig', "dropped": '<details class="rc-art-dropped"',
              "related": 'class="rc-art-related"', "stories": "_article_story"}[table]
    assert marker not in page
    assert marker in (await ds.client.get("/corpus/-/article/8", cookies=_root(ds))).text


@pytest.mark.asyncio
async def test_no_link_to_a_source_view_the_actor_cannot_open(
        make_datasette: Callable[..., Any], demo_db: Path) -> None:
    ds = make_datasette(demo_db, metadata=_deny("article_sources"))
    assert (await ds.client.get("/corpus/-/compare?left=8&mode=raw")).status_code == 403
    page = (await ds.client.get("/corpus/-/article/8")).text
    assert "mode=raw" not in page
    assert "raw_url" not in (await ds.client.get("/corpus/-/article/8.json")).json()["article"]
    page = (await ds.client.get("/corpus/-/article/8", cookies=_root(ds))).text
    assert "mode=raw" in page


@pytest.mark.asyncio
@pytest.mark.parametrize(("path", "status", "words"), [
    ("/corpus/-/article/9999", 404, "No article with id 9999"),
    ("/corpus/-/article/9999.json", 404, "No article with id 9999"),
    ("/corpus/-/article/abc", 400, "id must be an article id"),
    ("/corpus/-/article/abc.json", 400, "id must be an article id"),
    ("/corpus/-/article/0", 400, "id must be an article id"),
    ("/corpus/-/article/-3", 400, "id must be an article id"),
    ("/corpus/-/article/8.5", 400, "id must be an article id"),
    ("/corpus/-/article/8.csv", 400, "id must be an article id"),
    ("/corpus/-/article/%D9%A3", 400, "id must be an article id"),
    ("/corpus/-/article/99999999999999999999", 400, "id must be an article id"),
    ("/corpus/-/article", 400, "id is required"),
    ("/corpus/-/article/", 400, "id is required"),
    ("/nosuchdb/-/article/8", 404, "Database not found"),
])
async def test_bad_ids(make_datasette: Callable[..., Any], demo_db: Path, path: str,
                       status: int, words: str) -> None:
    ds = make_datasette(demo_db)
    response = await ds.client.get(path)
    assert response.status_code == status, response.text
    assert words in html_lib.unescape(response.text)


@pytest.mark.asyncio
async def test_a_database_that_is_not_a_corpus_is_404(make_datasette: Callable[..., Any],
                                                      demo_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table articles (id integer primary key, title text)")
        conn.execute("create table paragraphs (id integer primary key, text text)")
        conn.execute("insert into articles values (1, 'x')")
    ds = make_datasette([demo_db, other])
    response = await ds.client.get("/other/-/article/1")
    assert response.status_code == 404 and "not a report corpus" in response.text


@pytest.mark.asyncio
async def test_methods(make_datasette: Callable[..., Any], demo_db: Path) -> None:
    from datasette.app import Datasette

    ds = make_datasette(demo_db)
    for method in ("post", "put", "delete", "patch"):
        response = await getattr(ds.client, method)("/corpus/-/article/8")
        assert response.status_code in (403, 405), method  # 0.65's CSRF check answers first
        if response.status_code == 405:
            assert "GET" in response.headers["allow"]
    response = await ds.client.head("/corpus/-/article/8")
    assert response.status_code == 200
    response = await ds.client.options("/corpus/-/article/8.json")
    assert response.status_code == 200 and "GET" in response.headers["allow"]
    for cors in (True, False):
        ds = Datasette([str(demo_db)], cors=cors)
        response = await ds.client.get("/corpus/-/article/8.json")
        assert (response.headers.get("access-control-allow-origin") == "*") is cors


@pytest.mark.asyncio
async def test_article_page_honours_base_url(make_datasette: Callable[..., Any],
                                             demo_db: Path) -> None:
    ds = make_datasette(demo_db, settings={"base_url": "/news/"})
    response = await ds.client.get("/corpus/-/article/8")
    assert response.status_code == 200
    assert_links_under_base(response.text)
    assert 'action="/news/corpus/-/search"' in response.text
    data = (await ds.client.get("/corpus/-/article/8.json")).json()
    a = data["article"]
    for key in ("article_url", "json_url", "row_url", "compare_url", "raw_url"):
        assert a[key].startswith("/news/corpus/"), key
    assert all(r["article_url"].startswith("/news/corpus/-/article/")
               and r["compare_url"].startswith("/news/corpus/-/compare?")
               for r in data["related"])
    assert data["story"]["search_url"].startswith("/news/corpus/-/search?")
    # The search hits and title cells lead here under the prefix too.
    hits = (await ds.client.get("/corpus/-/search?q=roof")).text
    assert 'class="rc-hit-title" href="/news/corpus/-/article/' in hits
    cell = (await ds.client.get("/corpus/articles/8")).text
    assert 'class="rc-article-link" href="/news/corpus/-/article/8"' in cell


@pytest.mark.asyncio
async def test_every_article_title_links_to_its_page(make_datasette: Callable[..., Any],
                                                     demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    # Search hits: each title opens the article at the paragraph that matched.
    data = (await ds.client.get("/corpus/-/search.json?q=strike")).json()
    page = (await ds.client.get("/corpus/-/search?q=strike")).text
    titles = re.findall(r'<a class="rc-hit-title" href="([^"]+)">', page)
    assert titles == [f"/corpus/-/article/{r['article_id']}#p-{r['position']}"
                      for r in data["rows"]]
    for href in set(titles):
        assert (await ds.client.get(href.split("#")[0])).status_code == 200
    # Title cells on the articles table, an article's row and the provenance views.
    for path, article in (("/corpus/articles", 8), ("/corpus/articles/8", 8),
                          ("/corpus/paragraphs_provenance?article_id=9", 9),
                          ("/corpus/figures_provenance?article_id=9", 9)):
        html = (await ds.client.get(path)).text
        assert f'<a class="rc-article-link" href="/corpus/-/article/{article}">' in html, path
    # Still escaped inside the link.
    html = (await ds.client.get("/corpus/articles/11")).text
    assert ('<a class="rc-article-link" href="/corpus/-/article/11">Hackers deface'
            " Wendlebury &amp; Coldharbour") in html
    # Related reports on an article page link to their own pages.
    page = (await ds.client.get("/corpus/-/article/9")).text
    assert 'class="rc-art-related-title" href="/corpus/-/article/8"' in page


@pytest.mark.asyncio
@pytest.mark.skipif(not IS_1_0, reason="row actions exist on Datasette 1.0 only")
async def test_row_action_reads_the_report(make_datasette: Callable[..., Any],
                                           demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    html = (await ds.client.get("/corpus/articles/8")).text
    actions = html.split("Read this report", 1)
    assert len(actions) == 2
    assert 'href="/corpus/-/article/8"' in actions[0].rsplit("<a", 1)[1]
