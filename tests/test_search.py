"""The search page: ranking, highlighting, malformed queries, facets, exports, base_url,
permissions, and highlighting on the core table page, on both Datasette lines."""

from __future__ import annotations

import copy
import csv
import io
import re
import sqlite3
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import assert_links_under_base, build_corpus, repo_metadata
from plugin_util import plugin_removed
from test_facets import _deny, facet_results, get_json, local

from datasette_reportcorpus.search.query import parse_query


@pytest.fixture
def ds(make_datasette: Callable[..., Any], demo_db: Path) -> Any:
    return make_datasette(demo_db)


@pytest.fixture(scope="module")
def tricky_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny corpus whose text looks like HTML, and whose ranking is known."""
    folder = tmp_path_factory.mktemp("tricky-src")
    (folder / "harbour.txt").write_text(
        "Harbour dispute drags on\n\n"
        "The harbour strike entered its second week on Tuesday with no talks planned "
        "between the union and the port authority, officials said.\n\n"
        "Union leaders said the strike over pay would continue until the offer improved.\n\n"
        'A placard read <script>alert("x")</script> & <b>Pay up</b> beside the strike line.\n',
        encoding="utf-8",
    )
    return build_corpus(tmp_path_factory.mktemp("tricky") / "corpus.db", [folder])


async def search(ds: Any, query: str, **extra: str) -> dict:
    args = urllib.parse.urlencode({"q": query, **extra})
    return await get_json(ds, f"/corpus/-/search.json?{args}")


# --- ranking and highlighting --------------------------------------------------------

@pytest.mark.asyncio
async def test_all_terms_rank_above_one_term(make_datasette: Callable[..., Any],
                                             tricky_db: Path) -> None:
    ds = make_datasette(tricky_db)
    data = await search(ds, "strike OR pay")
    texts = [r["snippet_text"] for r in data["rows"]]
    assert len(texts) == 3
    both = [i for i, t in enumerate(texts) if "strike" in t.lower() and " pay" in t.lower()]
    one = [i for i, t in enumerate(texts) if i not in both]
    assert both and one and max(both) < min(one), texts
    ranks = [r["rank"] for r in data["rows"]]
    assert ranks == sorted(ranks)  # bm25: lower is better


@pytest.mark.asyncio
async def test_demo_ranked_by_bm25_with_article_beside_each_hit(ds: Any, demo_db: Path) -> None:
    data = await search(ds, "strike pay")
    assert data["count"] == len(data["rows"]) > 0
    with sqlite3.connect(demo_db) as conn:
        expected = [r[0] for r in conn.execute(
            "select rowid from paragraphs_fts where paragraphs_fts match 'strike pay' "
            "order by rank")]
        articles = {r[0]: r[1:] for r in conn.execute(
            "select id, title, outlet, published from articles")}
    assert [r["id"] for r in data["rows"]] == expected
    for row in data["rows"]:
        assert (row["article_title"], row["outlet"], row["published"]) == \
            articles[row["article_id"]]
        assert row["article_url"] == f"/corpus/articles/{row['article_id']}"


@pytest.mark.asyncio
async def test_snippets_highlight_matches_and_escape_text(make_datasette: Callable[..., Any],
                                                          tricky_db: Path) -> None:
    ds = make_datasette(tricky_db)
    data = await search(ds, "placard")
    snippet = data["rows"][0]["snippet"]
    assert "<mark>placard</mark>" in snippet.lower()
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert "&lt;b&gt;" in snippet and "&amp;" in snippet
    html = (await ds.client.get("/corpus/-/search?q=placard")).text
    assert "<mark>" in html and "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


@pytest.mark.asyncio
async def test_stemmed_matches_are_highlighted(ds: Any) -> None:
    data = await search(ds, "strikes")
    assert data["rows"]
    assert all("<mark>" in r["snippet"] for r in data["rows"])


# --- malformed queries -----------------------------------------------------------------

@pytest.mark.asyncio
@pytest.mark.parametrize("query", ['"pay offer', "strike OR", "OR", "AND strike", "(strike",
                                   "strike)", "NOT", "()", '"', "NEAR(strike", "*",
                                   "strike AND AND pay", "pay:offer", "^^", "-strike"])
async def test_malformed_queries_get_a_message_never_a_500(ds: Any, query: str) -> None:
    html = await ds.client.get("/corpus/-/search?" + urllib.parse.urlencode({"q": query}))
    response = await ds.client.get("/corpus/-/search.json?"
                                   + urllib.parse.urlencode({"q": query}))
    data = response.json()
    assert html.status_code == response.status_code, html.text[:300]
    if data["query"]["mode"] == "none":  # no word at all: said so, nothing searched
        assert response.status_code == 400 and data["ok"] is False
        assert data["error"] == data["query"]["message"] and data["count"] is None
        assert data["rows"] == [] and data["query"]["fts"] == ""
        assert 'class="rc-message rc-error"' in html.text
        assert 'id="rc-q"' in html.text  # the search box, to try again
    else:
        assert response.status_code == 200 and data["ok"] is True
    if data["query"]["mode"] == "words":
        assert data["query"]["message"]
        assert 'class="rc-message"' in html.text


@pytest.mark.asyncio
@pytest.mark.parametrize("query, named", [
    ("*** (((", "*** ((( is punctuation"), ("AND", "AND is a search operator"),
    ('"" OR', "OR is a search operator"), ("-", "- is punctuation"),
    ("AND OR", "AND and OR are search operators"), ("NEAR(\")", "NEAR is a search operator"),
    ("OR", "put an operator in quotes")])
async def test_a_search_of_only_operators_or_punctuation_names_the_problem(
        ds: Any, query: str, named: str) -> None:
    """Never rewritten into another search (``*** (((`` used to run as the word AND)."""
    args = urllib.parse.urlencode({"q": query})
    for fmt in (".json", "", ".csv"):
        response = await ds.client.get(f"/corpus/-/search{fmt}?{args}")
        assert response.status_code == 400, (fmt, response.text[:300])
        assert "holds no word to find" in response.text and named in response.text, fmt
    data = (await ds.client.get(f"/corpus/-/search.json?{args}")).json()
    assert data["ok"] is False and data["rows"] == [] and data["facet_results"] is not None
    assert data["exports"] == {}
    # Quoted, an operator is the word itself.
    quoted = await search(ds, '"and"')
    assert quoted["ok"] and quoted["count"] > 0


@pytest.mark.asyncio
async def test_unbalanced_quote_falls_back_to_words(ds: Any) -> None:
    data = await search(ds, '"pay offer')
    assert data["query"]["mode"] == "words"
    assert "double quote" in data["query"]["message"]
    assert data["rows"] and data["count"] >= 1


def test_a_rejected_search_read_as_words_keeps_its_exclusions() -> None:
    from datasette_reportcorpus.search.query import words_fallback

    assert words_fallback("NEAR(dock strike, x) -pay", "m").fts == '"dock" "strike" "x" NOT pay'
    assert parse_query("NEAR(dock strike) -text:pay").fts == "NEAR(dock strike) NOT pay"


def test_query_reading() -> None:
    assert parse_query("strike (pay OR wages)").fts == "strike AND ( pay OR wages )"
    assert parse_query("three-week strike").fts == '"three-week" strike'
    assert parse_query("strike OR").mode == "words"
    # A lone operator is no search (it says why); a lower-case one is searched for and
    # said to be.
    lone = parse_query("OR")
    assert lone.fts == "" and lone.mode == "none" and "OR is a search operator" in lone.message
    q = parse_query("strike or walkout")
    assert q.fts == "strike or walkout" and "write OR in capitals" in q.message
    assert parse_query("strike OR walkout or pay").message is None


# --- pagination, facets, exports ---------------------------------------------------------

@pytest.mark.asyncio
async def test_pagination(ds: Any) -> None:
    first = await search(ds, "the", _size="5")
    assert len(first["rows"]) == 5 and first["next"] == "5"
    second = await get_json(ds, local(first["next_url"]))
    assert not {r["id"] for r in first["rows"]} & {r["id"] for r in second["rows"]}
    assert second["rows"][0]["rank"] >= first["rows"][-1]["rank"]
    html = (await ds.client.get("/corpus/-/search?q=the&_size=5&_next=5")).text
    assert 'rel="prev"' in html and 'rel="next"' in html


@pytest.mark.asyncio
async def test_search_facets_and_selection(ds: Any) -> None:
    data = await search(ds, "strike")
    outlets = facet_results(data)["outlet"]
    assert outlets["type"] == "article"
    assert sum(v["count"] for v in outlets["results"]) == data["count"]
    pick = outlets["results"][0]
    assert urllib.parse.urlsplit(pick["toggle_url"]).path == "/corpus/-/search.json"
    narrowed = await get_json(ds, local(pick["toggle_url"]))
    assert narrowed["count"] == pick["count"]
    assert {r["outlet"] for r in narrowed["rows"]} == {pick["value"]}
    assert narrowed["selections"][0]["description"] == f'outlet is "{pick["value"]}"'
    html = (await ds.client.get("/corpus/-/search?q=strike&_facet_range=word_count")).text
    assert "outlet (article)" in html and "word_count (range)" in html
    assert "object (figure)" in html


@pytest.mark.asyncio
async def test_exports_return_exactly_the_selection(ds: Any) -> None:
    data = await search(ds, "strike OR dock", _figure_kind="count", _size="100")
    ids = {r["id"] for r in data["rows"]}
    assert ids and data["count"] == len(ids)
    response = await ds.client.get(data["exports"]["csv"])
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {int(r["id"]) for r in rows} == ids
    for row in rows:  # provenance in every row
        assert row["article_key"] and row["article_title"] and row["outlet"]
        assert row["path"] and row["published"] and row["position"] != ""
    exported = await get_json(ds, data["exports"]["json"] + "&_size=max")
    assert {r["id"] for r in exported["rows"]} == ids
    figures = await ds.client.get(data["exports"]["figures_csv"])
    assert figures.status_code == 200
    assert {int(r["paragraph_id"]) for r in csv.DictReader(io.StringIO(figures.text))} <= ids


@pytest.mark.asyncio
async def test_ranked_csv_is_the_page_order_with_rank_and_provenance(
        make_datasette: Callable[..., Any], demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    data = await search(ds, "the", _article_outlet="Tidewater Wire", _size="100")
    ranked = [r["id"] for r in data["rows"]]
    assert len(ranked) == data["count"] > 20
    response = await ds.client.get(data["exports"]["ranked_csv"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="search-the-tidewater-wire.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [int(r["paragraph_id"]) for r in rows] == ranked
    assert [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))
    for row in rows:
        assert row["outlet"] == "Tidewater Wire"
        assert row["article_key"] and row["article_title"] and row["path"] and row["text"]
        assert bool(row["story"]) == bool(row["story_id"])  # its label beside its id
    assert any(row["story"] for row in rows)
    # Streamed in pages: the same order past a page boundary.
    from datasette_reportcorpus.search import export as search_csv

    page, search_csv.PAGE = search_csv.PAGE, 7
    try:
        again = (await ds.client.get(data["exports"]["ranked_csv"])).text
    finally:
        search_csv.PAGE = page
    assert again == response.text
    # One page of max_returned_rows where the server does not stream exports.
    limited = make_datasette(demo_db, settings={"allow_csv_stream": False,
                                                "max_returned_rows": 5})
    limited_link = (await search(limited, "the", _article_outlet="Tidewater Wire",
                                 _size="5"))["exports"]["ranked_csv"]
    assert "_stream" not in limited_link and "_size=max" in limited_link
    assert (await limited.client.get(data["exports"]["ranked_csv"])).status_code == 400
    text = (await limited.client.get(limited_link)).text
    lines = text.splitlines()
    body, last = "\n".join(lines[:-1]), lines[-1]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [int(r["paragraph_id"]) for r in rows] == ranked[:5]
    assert last == f"Rows 1-5 of {len(ranked)} matches: this CSV holds one page (_size, _next);" \
        " this server does not stream exports (allow_csv_stream)"
    assert (await ds.client.get("/corpus/-/search.csv")).status_code == 400
    # Story labels only for an actor who may read stories.
    hidden = make_datasette(demo_db, metadata={"databases": {"corpus": {"tables": {
        "stories": {"allow": False}}}}})
    rows = list(csv.DictReader(io.StringIO(
        (await hidden.client.get(data["exports"]["ranked_csv"])).text)))
    assert len(rows) == len(ranked) and not any(r["story"] for r in rows)


# --- base_url and permissions --------------------------------------------------------------

@pytest.mark.asyncio
async def test_search_honours_base_url(make_datasette: Callable[..., Any], demo_db: Path) -> None:
    ds = make_datasette(demo_db, settings={"base_url": "/news/"})
    response = await ds.client.get("/corpus/-/search?q=strike&_size=2")
    assert response.status_code == 200
    assert_links_under_base(response.text)
    data = await search(ds, "strike", _size="2")
    assert data["exports"]["csv"].startswith("/news/corpus/paragraphs_provenance.csv?")
    assert urllib.parse.urlsplit(data["next_url"]).path == "/news/corpus/-/search.json"
    assert data["rows"][0]["article_url"].startswith("/news/corpus/articles/")


@pytest.mark.asyncio
@pytest.mark.parametrize("table", ["paragraphs", "articles"])
async def test_search_needs_paragraphs_and_articles(make_datasette: Callable[..., Any],
                                                    demo_db: Path, table: str) -> None:
    from datasette_test import actor_cookie

    ds = make_datasette(demo_db, metadata=_deny(table))
    for path in ("/corpus/-/search?q=strike", "/corpus/-/search.json?q=strike"):
        assert (await ds.client.get(path)).status_code == 403
    cookies = {"ds_actor": actor_cookie(ds, {"id": "root"})}
    assert (await ds.client.get("/corpus/-/search.json?q=strike",
                                cookies=cookies)).status_code == 200


@pytest.mark.asyncio
async def test_hidden_figures_leave_no_trace_in_search(make_datasette: Callable[..., Any],
                                                       demo_db: Path) -> None:
    ds = make_datasette(demo_db, metadata=_deny("figures"))
    data = await search(ds, "strike")
    assert data["rows"]
    assert all(f["type"] != "figure" for f in facet_results(data).values())
    response = await ds.client.get("/corpus/-/search.json?q=strike&_figure_object=worker")
    assert response.status_code == 403


@pytest.mark.asyncio
async def test_unknown_database_and_not_a_corpus(make_datasette: Callable[..., Any],
                                                 demo_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "plain.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table paragraphs (id integer primary key, text text)")
        conn.execute("create table articles (id integer primary key)")
    ds = make_datasette([demo_db, other])
    assert (await ds.client.get("/nosuch/-/search?q=x")).status_code == 404
    assert (await ds.client.get("/plain/-/search?q=x")).status_code == 404


# --- the core table page highlights _search matches ------------------------------------------

@pytest.mark.asyncio
async def test_table_page_loads_highlighter_when_searching(ds: Any) -> None:
    page = (await ds.client.get("/corpus/paragraphs?_search=strike")).text
    match = re.search(r'<script[^>]+src="([^"]*highlight\.js)"', page)
    assert match, "highlight.js not included"
    script = await ds.client.get(match.group(1))
    assert script.status_code == 200 and "mark" in script.text
    plain = (await ds.client.get("/corpus/paragraphs")).text
    assert "highlight.js" not in plain


def test_table_page_highlight_in_browser(browser_page: Any, served_demo: str) -> None:
    browser_page.goto(f"{served_demo}/corpus/paragraphs?_search=strike")
    browser_page.wait_for_selector("td mark")
    marks = browser_page.locator("td mark").all_inner_texts()
    assert marks and all(m.lower().startswith("strike") for m in marks)


@pytest.mark.asyncio
async def test_search_page_is_linked_from_datasette_pages(make_datasette: Callable[..., Any],
                                                          demo_db: Path,
                                                          tmp_path: Path) -> None:
    other = tmp_path / "plain.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table paragraphs (id integer primary key, text text)")
    ds = make_datasette([demo_db, other], settings={"base_url": "/news/"})
    for page in ("/corpus", "/corpus/paragraphs", "/", "/plain"):
        html = (await ds.client.get(page)).text
        assert 'href="/news/corpus/-/search"' in html, page
    assert "/plain/-/search" not in (await ds.client.get("/plain/paragraphs")).text
    # From a searched table page, the ranked search of the same words.
    searched = (await ds.client.get("/corpus/paragraphs?_search=strike")).text
    assert 'href="/news/corpus/-/search?q=strike"' in searched
    # Not for an actor who may not read what the search reads.
    hidden = make_datasette(demo_db, metadata={"databases": {"corpus": {"tables": {
        "paragraphs": {"allow": False}}}}})
    assert "/corpus/-/search" not in (await hidden.client.get("/corpus")).text


@pytest.mark.asyncio
async def test_a_page_past_the_last_match_says_so(ds: Any) -> None:
    data = (await ds.client.get("/corpus/-/search.json?q=roof")).json()
    html = (await ds.client.get(f"/corpus/-/search?q=roof&_next={data['count'] + 40}")).text
    assert "matches end before it" in html and "Back to the first page" in html


@pytest.mark.asyncio
async def test_minus_leaves_words_out_as_web_search_does(ds: Any, demo_db: Path) -> None:
    async def count(q: str) -> int:
        return (await ds.client.get(f"/corpus/-/search.json?q={urllib.parse.quote(q)}")
                ).json()["count"]

    both, strike = await count("strike pay"), await count("strike")
    assert both and strike > both
    assert await count("strike -pay") == strike - both
    assert await count('strike -"pay offer"') <= strike
    assert await count("text:strike") == strike
    assert await count('text:"pay offer"') == await count('"pay offer"')
    assert await count("text:(strike OR walkout)") == await count("strike OR walkout")
    assert await count("strike -text:pay") == await count("strike --pay") == strike - both
    assert await count("strike AND -pay") == strike - both
    data = (await ds.client.get("/corpus/-/search.json?q=title%3Astrike")).json()
    assert data["count"] == strike and "paragraph text only" in data["query"]["message"]
    data = (await ds.client.get("/corpus/-/search.json?q=-water")).json()
    assert data["count"] is None and "leading minus" in data["query"]["message"]
    # A minus before a bracketed group leaves the whole group out; outside a NEAR group
    # it works as anywhere else.
    either = await count("strike (pay OR walkout)")
    assert await count("strike -(pay OR walkout)") == strike - either
    assert either >= both
    near = await count("NEAR(strike pay, 10)")
    near_both = await count("NEAR(strike pay, 10) walkout")
    assert await count("NEAR(strike pay, 10) -walkout") == near - near_both
    near_group = await count("NEAR(strike pay, 10) AND (walkout OR offer)")
    assert await count("NEAR(strike pay, 10) -(walkout OR offer)") == near - near_group
    assert await count("strike -NEAR(pay offer)") == strike - await count(
        "strike NEAR(pay offer)")
    # A number after a minus is left out too (the index drops the minus sign itself).
    evacuated = await count("evacuated")
    assert await count("evacuated -1,400") == evacuated - await count('evacuated "1,400"')
    assert await count("evacuated -1,400") < evacuated


@pytest.mark.asyncio
async def test_a_prefix_ending_in_at_finds_the_stemmed_words(ds: Any) -> None:
    async def count(q: str) -> int:
        return (await ds.client.get(f"/corpus/-/search.json?q={urllib.parse.quote(q)}")
                ).json()["count"] or 0

    assert await count("evacuat*") == await count("evacuated OR evacuation OR evacuate") > 0
    assert await count("EVACUAT*") == await count("evacuat*")


@pytest.mark.asyncio
async def test_curly_quotes_make_a_phrase(ds: Any, demo_db: Path) -> None:
    async def found(q: str) -> tuple:
        data = (await ds.client.get(f"/corpus/-/search.json?q={urllib.parse.quote(q)}")).json()
        return data["count"], data["query"]["fts"]

    straight = await found('"the port"')
    loose, _ = await found("the port")
    assert straight[0] < loose
    for quoted in ("\u201cthe port\u201d", "\u201ethe port\u201c", "\u00abthe port\u00bb"):
        assert await found(quoted) == straight


@pytest.mark.asyncio
async def test_story_and_article_selections_are_described_by_name(ds: Any,
                                                                 demo_db: Path) -> None:
    with sqlite3.connect(demo_db) as conn:
        story, label = conn.execute("select id, label from stories order by id").fetchone()
        key, title = conn.execute("select key, title from articles where story_id = ?"
                                  " order by id", [story]).fetchone()
    data = (await ds.client.get(f"/corpus/-/search.json?q=the&_article_story={story}")).json()
    assert data["selections"][0]["description"] == f'story is "{label}" ({story})'
    page = (await ds.client.get(f"/corpus/paragraphs?_article_key={key}")).text
    assert f"article is &#34;{title}&#34;" in page or f'article is "{title}"' in page
    data = (await ds.client.get("/corpus/-/search.json?q=the&_article_year=2026"
                                "&_article_month=2026-03")).json()
    assert [s["description"] for s in data["selections"]] == [
        'publication year is "2026"', 'publication month is "2026-03"']


@pytest.mark.asyncio
async def test_a_hit_links_to_its_whole_report(ds: Any, demo_db: Path) -> None:
    hit = (await search(ds, "roof"))["rows"][0]
    page = await get_json(ds, hit["read_url"].replace("/paragraphs?", "/paragraphs.json?")
                          + "&_shape=objects")
    with sqlite3.connect(demo_db) as conn:
        expected = [r[0] for r in conn.execute(
            "select id from paragraphs where article_id = ? order by position",
            [hit["article_id"]])]
    assert [r["id"] for r in page["rows"]] == expected
    html = (await ds.client.get("/corpus/-/search?q=roof")).text
    assert "read the whole report" in html


@pytest.mark.asyncio
@pytest.mark.parametrize("typed", ["strike AND -pay", "strike -pay)", "(strike -pay",
                                   "strike -pay OR", "strike OR -pay"])
async def test_words_left_out_stay_left_out_when_a_search_is_read_as_words(
        ds: Any, typed: str) -> None:
    data = (await ds.client.get(f"/corpus/-/search.json?q={urllib.parse.quote(typed)}")).json()
    plain = (await ds.client.get("/corpus/-/search.json?q=strike%20-pay")).json()
    assert data["count"] == plain["count"]
    message = data["query"]["message"]
    if message:  # read as words: says so, and that pay is still left out
        assert "pay" in message and "parenthesis encloses" not in message


@pytest.mark.asyncio
@pytest.mark.parametrize("named", ["corpus", "reports"])
async def test_exports_hold_the_searched_rows_whatever_the_database_is_called(
        make_datasette: Callable[..., Any], demo_db: Path, tmp_path: Path, named: str) -> None:
    """The metadata makes the views searchable only for a database named corpus; under
    another name the exports carry the plugin's own _match selection instead."""
    import shutil

    path = tmp_path / f"{named}.db"
    shutil.copy(demo_db, path)
    ds = make_datasette(path)
    data = await get_json(ds, f"/{named}/-/search.json?q=strike%20-pay&_size=100")
    ids = {r["id"] for r in data["rows"]}
    assert ids and len(ids) == data["count"]
    assert ("_search=" in data["exports"]["csv"]) is (named == "corpus")
    rows = list(csv.DictReader(io.StringIO((await ds.client.get(data["exports"]["csv"])).text)))
    assert {int(r["id"]) for r in rows} == ids
    exported = await get_json(ds, data["exports"]["json"] + "&_size=max")
    assert {r["id"] for r in exported["rows"]} == ids
    figures = list(csv.DictReader(io.StringIO(
        (await ds.client.get(data["exports"]["figures_csv"])).text)))
    assert figures and {int(r["paragraph_id"]) for r in figures} <= ids
    page = (await ds.client.get(data["exports"]["table"])).text
    assert f"{len(ids)} row" in page


@pytest.mark.asyncio
async def test_searching_figures_or_articles_needs_the_paragraphs(
        make_datasette: Callable[..., Any], demo_db: Path) -> None:
    """The shipped metadata searches figures and articles through the paragraphs' index:
    an actor who may not read paragraphs gets a 403 there too, on both lines."""
    metadata = copy.deepcopy(repo_metadata())
    tables = metadata.setdefault("databases", {}).setdefault("corpus", {}).setdefault(
        "tables", {})
    tables.setdefault("paragraphs", {})["allow"] = False
    ds = make_datasette(demo_db, metadata=metadata)
    for table in ("figures", "figures_provenance", "paragraphs_provenance"):
        response = await ds.client.get(f"/corpus/{table}.json?_search=strike")
        assert response.status_code == 403, table
    assert (await ds.client.get("/corpus/figures.json")).status_code == 200
    open_ds = make_datasette(demo_db)
    assert (await open_ds.client.get("/corpus/figures.json?_search=strike")).status_code == 200


@pytest.mark.asyncio
async def test_match_selection_needs_the_paragraphs(make_datasette: Callable[..., Any],
                                                    demo_db: Path) -> None:
    """_match reads the paragraphs' index: an actor who may not read paragraphs cannot
    learn through figures or articles which paragraphs hold a word."""
    ds = make_datasette(demo_db, metadata={"databases": {"corpus": {"tables": {
        "paragraphs": {"allow": False}}}}})
    for table in ("figures", "articles"):
        response = await ds.client.get(f"/corpus/{table}.json?_match=strike")
        assert response.status_code == 403, table
    open_ds = make_datasette(demo_db)
    rows = (await open_ds.client.get("/corpus/articles.json?_match=strike&_shape=objects")
            ).json()["rows"]
    assert rows


@pytest.mark.asyncio
async def test_ranked_csv_stays_within_max_csv_mb(make_datasette: Callable[..., Any],
                                                  tmp_path: Path) -> None:
    """About 2 MB of matching paragraphs, served with max_csv_mb 1: the file stops before
    1 MB and says why in its last line."""
    folder = tmp_path / "many"
    folder.mkdir()
    filler = ("Harbour cranes at the Saltry container terminal stood idle on day {n} of the"
              " dispute, with {n} ships waiting offshore and {m} lorries queued on the ring"
              " road while negotiators for both sides met again behind closed doors. ")
    for a in range(120):
        paras = [filler.format(n=a * 40 + p, m=a + p) * 2 for p in range(40)]
        (folder / f"report-{a:03d}.txt").write_text(f"Dispute report {a}\n\n"
                                                    + "\n\n".join(paras) + "\n")
    db = build_corpus(tmp_path / "corpus.db", [folder])
    ds = make_datasette(db, settings={"max_csv_mb": 1})
    response = await ds.client.get("/corpus/-/search.csv?q=cranes&_stream=on")
    assert response.status_code == 200
    body = response.content
    lines = body.decode("utf-8").rstrip("\r\n").split("\r\n")
    assert lines[-1].startswith("CSV contains more than 1048576 bytes (the server's max_csv_mb)")
    assert len(body) <= 1024 * 1024  # the closing line included
    rows = list(csv.DictReader(io.StringIO("\r\n".join(lines[:-1]) + "\r\n")))
    assert [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))
    assert 1000 < len(rows) < 4800


# --- the front door: search boxes on Datasette's index and database pages ----------------

def _content(html: str) -> str:
    """The page's main content (what core's templates render in ``content``): the
    navigation menu, which lists the plugin's links on every page, left out."""
    start = html.index('<section class="content">')
    return html[start:html.index("</section>", start)]


@pytest.mark.asyncio
@pytest.mark.parametrize("base", ["/", "/news/"])
async def test_index_and_database_pages_lead_to_search(make_datasette: Callable[..., Any],
                                                       demo_db: Path, tmp_path: Path,
                                                       base: str) -> None:
    other = tmp_path / "plain.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table paragraphs (id integer primary key, text text)")
    ds = make_datasette([demo_db, other], settings={"base_url": base})
    prefix = base.rstrip("/")
    for page in ("/", "/corpus"):
        html = (await ds.client.get(page)).text
        content = _content(html)
        form = re.search(r'<form class="rc-front-search" action="([^"]+)"[^>]*>(.*?)</form>',
                         content, re.S)
        assert form, page
        assert form.group(1) == f"{prefix}/corpus/-/search"
        assert 'name="q"' in form.group(2) and 'type="search"' in form.group(2)
        assert "13 articles" in form.group(2)
        if page == "/corpus":  # before the SQL box, which used to lead the page
            assert content.index("rc-front-search") < content.index("<form class=\"sql")
    # The box's search runs.
    assert (await ds.client.get("/corpus/-/search?q=strike")).status_code == 200
    # No box where there is no corpus, nor for an actor who may not read the search.
    assert "rc-front-search" not in (await ds.client.get("/plain")).text
    hidden = make_datasette(demo_db, metadata={"databases": {"corpus": {"tables": {
        "paragraphs": {"allow": False}}}}})
    for page in ("/", "/corpus"):
        assert "rc-front-search" not in (await hidden.client.get(page)).text


@pytest.mark.asyncio
async def test_other_databases_look_as_on_plain_datasette(make_datasette: Callable[..., Any],
                                                          demo_db: Path,
                                                          tmp_path: Path) -> None:
    """A database that is not a corpus, served beside one, renders the pages this plugin
    changes (index, database, the tables' pages) as plain Datasette does."""
    other = tmp_path / "plain.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table paragraphs (id integer primary key, text text)")
        conn.execute("insert into paragraphs (text) values ('Hello world')")
    alone = tmp_path / "alone"
    alone.mkdir()
    only = alone / "plain.db"
    only.write_bytes(other.read_bytes())
    pages = ["/plain", "/plain/paragraphs", "/plain/paragraphs?_search=x"]
    ours = make_datasette([demo_db, other])
    mine = {p: _content((await ours.client.get(p)).text) for p in pages}
    ours_alone = make_datasette([only])
    mine["/"] = _content((await ours_alone.client.get("/")).text)
    with plugin_removed():
        plain = make_datasette([demo_db, other])
        theirs = {p: _content((await plain.client.get(p)).text) for p in pages}
        assert "/-/search" not in (await plain.client.get("/corpus")).text  # plugin off
        plain_alone = make_datasette([only])
        theirs["/"] = _content((await plain_alone.client.get("/")).text)
    for page in [*pages, "/"]:
        assert mine[page] == theirs[page], page
    assert "Hello world" in mine["/plain/paragraphs"]


# --- adding facets from the search page; each facet once ----------------------------------

def _panels(html: str) -> list[tuple[str, str]]:
    return re.findall(r'class="facet-info rc-facet"[^>]*data-facet-type="([^"]+)"'
                      r' data-column="([^"]+)"', html)


@pytest.mark.asyncio
async def test_every_facet_can_be_added_from_the_search_page(ds: Any) -> None:
    from datasette_reportcorpus.facets.filters import ARTICLE_DIMENSIONS, FIGURE_COLUMNS

    offered = ({("article", n) for n in ARTICLE_DIMENSIONS} | {("figure", c) for c in FIGURE_COLUMNS}
               | {("range", "word_count"), ("range", "position")})
    html = (await ds.client.get("/corpus/-/search?q=the")).text
    links = dict(((t, n), u) for u, t, n in re.findall(
        r'<a href="([^"]+)" data-facet-type="([^"]+)" data-facet-name="([^"]+)"', html))
    shown = set(_panels(html))
    assert shown and not shown & set(links)
    assert set(links) | shown == offered  # every facet: shown, or a link adding it
    assert "Add a facet" in html
    for (kind, name), url in links.items():
        url = url.replace("&amp;", "&")
        page = await ds.client.get(url)
        assert page.status_code == 200, url
        assert (kind, name) in _panels(page.text), url
        data = await get_json(ds, url.replace("/-/search?", "/-/search.json?"))
        assert any((f["type"], f["name"]) == (kind, name)
                   for f in facet_results(data).values()), url
        # The facet added is no longer offered.
        assert f'data-facet-type="{kind}" data-facet-name="{name}"' not in page.text


@pytest.mark.asyncio
async def test_figure_facets_are_not_offered_without_figures(
        make_datasette: Callable[..., Any], demo_db: Path) -> None:
    hidden = make_datasette(demo_db, metadata=_deny("figures"))
    html = (await hidden.client.get("/corpus/-/search?q=the")).text
    assert 'data-facet-name="year"' in html and 'data-facet-type="figure"' not in html


@pytest.mark.asyncio
@pytest.mark.parametrize("asked", ["_facet_article=outlet",
                                   "_facet_article=outlet&_facet_article=outlet",
                                   "_facet_range=word_count&_facet_range=word_count",
                                   "_facet_figure=kind&_facet_figure=kind&_facet_figure=object"])
async def test_no_facet_panel_appears_twice(ds: Any, asked: str) -> None:
    html = (await ds.client.get(f"/corpus/-/search?q=the&{asked}")).text
    panels = _panels(html)
    assert panels and len(panels) == len(set(panels)), panels
    data = await get_json(ds, f"/corpus/-/search.json?q=the&{asked}")
    found = [(f["type"], f["name"]) for f in facet_results(data).values()]
    assert len(found) == len(set(found)) and set(found) == set(panels)
    assert not any(key.endswith("_2") for key in facet_results(data))


# --- JSON: _shape, full text, ok and the facet shape of each line ----------------------------

@pytest.mark.asyncio
async def test_search_json_honours_shape_and_carries_the_text(ds: Any, demo_db: Path) -> None:
    objects = await search(ds, "roof", _size="3")
    assert objects["ok"] is True and len(objects["rows"]) == 3
    texts = dict(sql(demo_db, "select id, text from paragraphs"))
    for row in objects["rows"]:
        assert row["text"] == texts[row["id"]]  # the whole paragraph beside the snippet
        assert row["snippet_text"] in row["text"] or "…" in row["snippet_text"]
    named = await search(ds, "roof", _size="3", _shape="objects")
    assert named["rows"] == objects["rows"] and named["count"] == objects["count"]
    array = await search(ds, "roof", _size="3", _shape="array")
    assert array == objects["rows"]
    arrays = await search(ds, "roof", _size="3", _shape="arrays")
    assert arrays["ok"] is True and arrays["count"] == objects["count"]
    assert [dict(zip(arrays["columns"], r)) for r in arrays["rows"]] == objects["rows"]
    keyed = await search(ds, "roof", _size="3", _shape="object")
    assert keyed == {str(r["id"]): r for r in objects["rows"]}
    lines = (await ds.client.get("/corpus/-/search.json?q=roof&_size=3&_shape=array&_nl=on")
             ).text.splitlines()
    import json

    assert [json.loads(line) for line in lines] == objects["rows"]
    bad = await ds.client.get("/corpus/-/search.json?q=roof&_shape=nope")
    assert bad.status_code == 400 and bad.json()["ok"] is False and "_shape" in bad.json()["error"]


def sql(db: Path, statement: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(statement, params).fetchall()


@pytest.mark.asyncio
async def test_search_facets_follow_each_lines_table_json(ds: Any) -> None:
    from conftest import IS_1_0

    data = await search(ds, "strike")
    table = await get_json(ds, "/corpus/paragraphs.json?_search=strike&_facet_article=outlet")
    if IS_1_0:  # {"results": {...}, "timed_out": [...]}, as the table JSON on 1.0
        assert set(data["facet_results"]) == {"results", "timed_out"} == set(
            table["facet_results"])
        assert "facets_timed_out" not in data
    else:
        # 0.65: {name: facet}, as its table JSON (timed-out names beside it, our own key)
        assert "results" not in data["facet_results"] and data["facets_timed_out"] == []
        assert "outlet" in table["facet_results"]
    assert facet_results(data)["outlet"]["type"] == "article"
    errors = await ds.client.get("/corpus/-/search.json?q=strike&_size=0")
    assert errors.status_code == 400 and errors.json()["ok"] is False


# --- CSV: _size, _next, _stream, _dl, _bom; positions read the same everywhere ------------------

@pytest.mark.asyncio
async def test_search_csv_takes_datasettes_csv_arguments(make_datasette: Callable[..., Any],
                                                         demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    everything = await search(ds, "said", _size="100")
    ranked = [r["id"] for r in everything["rows"]]
    total = everything["count"]
    assert total == len(ranked) > 25

    async def rows_of(args: str) -> tuple[Any, list[dict], str]:
        response = await ds.client.get(f"/corpus/-/search.csv?q=said{args}")
        assert response.status_code == 200, response.text[:300]
        text = response.content.decode("utf-8")
        lines = text.rstrip("\r\n").split("\r\n")
        note = lines[-1] if lines[-1].startswith(("Rows ", "No rows")) else ""
        body = "\r\n".join(lines[:-1] if note else lines) + "\r\n"
        return response, list(csv.DictReader(io.StringIO(body))), note

    # One page, as the JSON of the same URL: 20 rows by default, a note that it was cut.
    response, rows, note = await rows_of("")
    assert [int(r["paragraph_id"]) for r in rows] == ranked[:20]
    assert note == f"Rows 1-20 of {total} matches: this CSV holds one page (_size, _next);" \
        " add _stream=on for every match"
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert "content-disposition" not in response.headers
    _, rows, note = await rows_of("&_size=5&_next=5")
    assert [int(r["paragraph_id"]) for r in rows] == ranked[5:10]
    assert [int(r["rank"]) for r in rows] == [6, 7, 8, 9, 10] and note.startswith("Rows 6-10 ")
    _, rows, note = await rows_of("&_size=max")
    assert [int(r["paragraph_id"]) for r in rows] == ranked and note == ""
    # Every match, streamed, as a download; with a byte order mark for spreadsheets.
    response, rows, note = await rows_of("&_size=3&_stream=on&_dl=on&_bom=1")
    assert [int(r["paragraph_id"]) for r in rows[1:]] == ranked[1:] and note == ""
    assert response.content.startswith(b"\xef\xbb\xbfrank,bm25,")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="search-said.csv"'
    plain = (await ds.client.get("/corpus/-/search.csv?q=said&_stream=on")).content
    assert plain.startswith(b"rank,") and response.content[3:] == plain
    for bad, named in (("&_stream=on&_next=5", "_next"), ("&_size=0", "_size"),
                       ("&_size=5000", "_size")):
        response = await ds.client.get(f"/corpus/-/search.csv?q=said{bad}")
        assert response.status_code == 400 and named in response.text, bad
    off = make_datasette(demo_db, settings={"allow_csv_stream": False})
    response = await off.client.get("/corpus/-/search.csv?q=said&_stream=on")
    assert response.status_code == 400 and "allow_csv_stream" in response.text


@pytest.mark.asyncio
async def test_positions_read_the_same_in_the_page_json_and_csv(ds: Any, demo_db: Path) -> None:
    data = await search(ds, "roof", _size="5")
    rows = list(csv.DictReader(io.StringIO(
        (await ds.client.get("/corpus/-/search.csv?q=roof&_size=5")).text)))
    html = (await ds.client.get("/corpus/-/search?q=roof&_size=5")).text
    shown = [int(n) for n in re.findall(r"paragraph at position (\d+)", html)]
    stored = dict(sql(demo_db, "select id, position from paragraphs"))
    assert shown == [r["position"] for r in data["rows"]] == [int(r["position"]) for r in rows]
    assert shown == [stored[r["id"]] for r in data["rows"]]
    assert min(stored.values()) == 0  # 0-based, as the schema says
    assert "counted from 0" in html


@pytest.mark.asyncio
async def test_csv_pages_up_to_max_returned_rows(ds) -> None:
    """The CSV's page limit is max_returned_rows (1000 here), not the page's 100."""
    response = await ds.client.get("/corpus/-/search.csv?q=the&_size=150")
    assert response.status_code == 200, response.text
    page = await ds.client.get("/corpus/-/search.json?q=the&_size=150")
    assert page.status_code == 400 and "_size must be at most 100" in page.text


@pytest.mark.asyncio
async def test_nofacet_and_nocount_leave_them_out(ds) -> None:
    """As on Datasette's table pages: the same rows, without the facets or the count."""
    full = await search(ds, "roof")
    assert full["count"] and full["facet_results"] and full["suggested_facets"]
    bare = await search(ds, "roof", _nofacet="1", _nocount="1")
    assert bare["rows"] == full["rows"] and bare["count"] is None
    assert not any(bare["facet_results"].get("results", bare["facet_results"]))
    assert bare["suggested_facets"] == []
