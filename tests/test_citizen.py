"""A database that is not a report corpus, served beside one, behaves as on plain Datasette.

Each test serves the demo corpus and a plain database of its own (with tables called
``articles``, ``paragraphs`` and ``figures``, its own full-text index and numeric columns
the plugin's range facets would like), once with the plugin and once as plain Datasette
(the plugin unregistered from Datasette's plugin manager while that instance is built and
asked), and compares what the plain database's pages answer: status, JSON, HTML, the SQL
they run on it, and the connection settings of its connections. The plugin's own query
arguments (``_match``, ``_figure_*``, ``_article_*``, ``_range_*``, ``_facet_range`` ...)
mean nothing there, exactly as without the plugin. Runs on both Datasette lines.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import IS_1_0
from plugin_util import plugin_removed

PLAIN = "plain"

OUTLETS = ["Harbour Gazette", "Valley Courier", "Northern Ledger"]
SENTENCES = [
    "Harbour crews began a strike over pay on Monday.",
    "The valley council approved a new bridge after a long debate.",
    "Flood water reached 40 houses near the river mouth.",
    "Talks between the union and the port resumed without result.",
    "A late frost damaged 12 orchards in the upper valley.",
    "The ferry service will run twice a day from next week.",
]


def build_plain(path: Path) -> Path:
    """A database with the corpus's table names and an FTS index, but no corpus."""
    with sqlite3.connect(path) as conn:
        conn.executescript("""
            create table articles (id integer primary key, title text, outlet text,
                                   published text, word_count integer, story_id integer);
            create table paragraphs (id integer primary key,
                                     article_id integer references articles(id),
                                     text text, word_count integer);
            create virtual table paragraphs_fts using fts5(text, content="paragraphs",
                                                            content_rowid="id");
            create table figures (id integer primary key, paragraph_id integer, value real,
                                  object text, kind text, event text, unit text);
        """)
        for i in range(1, 25):
            conn.execute("insert into articles values (?, ?, ?, ?, ?, ?)",
                         (i, f"Report {i}: {SENTENCES[i % 6][:30]}", OUTLETS[i % 3],
                          f"2026-0{1 + i % 9}-1{i % 10}", 7 * i ** 2, 1 + i % 4))
            for j in range(3):
                pid = i * 10 + j
                text = SENTENCES[(i + j) % 6]
                conn.execute("insert into paragraphs values (?, ?, ?, ?)",
                             (pid, i, text, len(text.split())))
                conn.execute("insert into figures values (?, ?, ?, ?, ?, ?, ?)",
                             (pid, pid, float(i * j * 13), ["house", "orchard", "crew"][j],
                              "count", ["flood", "frost", "strike"][(i + j) % 3], None))
        conn.execute("insert into paragraphs_fts(paragraphs_fts) values ('rebuild')")
    return path


@pytest.fixture(scope="module")
def plain_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_plain(tmp_path_factory.mktemp("plain") / f"{PLAIN}.db")


# Pages of the plain database, with the query arguments the plugin gives meaning to on a
# corpus (and core's own beside them). JSON for every case, HTML for fewer (each request
# counts twice: once per instance).
ARTICLES_QUERIES = [
    "",
    "_search=strike",  # no full-text index: core ignores it
    "_match=strike",
    "_match=%22unbalanced",
    "_figure_object=house",
    "_article_outlet=Valley+Courier",
    "_article_nonsense=1",
    "_range_word_count=10-99",
    "_range_word_count=banana",
    "_facet_range=word_count",
    "_facet_range=title",
    '_facet_range={"column":"word_count","step":100}',
    "_facet_article=outlet",
    "_facet_figure=object",
    "_facet=outlet&_facet_range=word_count&_range_word_count=100-999",
    "_sort_desc=word_count&_size=5&_extra=suggested_facets,facet_results,count",
]
JSON_PAGES = (
    [f"/{PLAIN}/articles.json?{q}" for q in ARTICLES_QUERIES]
    + [f"/{PLAIN}/paragraphs.json?_search=strike",
       f"/{PLAIN}/paragraphs.json?_search=strike&_match=strike&_range_word_count=1-9",
       f"/{PLAIN}/paragraphs.json?_extra=suggested_facets",
       f"/{PLAIN}/figures.json",
       f"/{PLAIN}/figures.json?_figure_object=house&_facet_figure=object",
       f"/{PLAIN}/figures.json?_facet_range=value&_range_value=0&_extra=facet_results",
       f"/{PLAIN}.json",
       f"/{PLAIN}/articles/3.json",
       f"/{PLAIN}.json?sql=select+id,+title+from+articles+where+id+<+4"]
)
OTHER_PAGES = [
    f"/{PLAIN}/paragraphs?_search=strike",
    f"/{PLAIN}/articles?_match=strike&_range_word_count=10-99&_facet_range=word_count",
    f"/{PLAIN}/figures?_facet=object",
    f"/{PLAIN}",
    f"/{PLAIN}/articles/3",
    f"/{PLAIN}/paragraphs.csv?_search=strike&_match=x&_range_word_count=1-9",
    f"/{PLAIN}/figures.csv?_figure_object=house&_facet_range=value",
]
# The plugin's own routes under the plain database: whatever plain Datasette answers
# (an error page), never a plugin page.
ROUTE_PAGES = [f"/{PLAIN}/-/search?q=strike", f"/{PLAIN}/-/search.json?q=strike",
               f"/{PLAIN}/-/compare", f"/{PLAIN}/-/article/3"]


def _drop_timings(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_timings(v) for k, v in value.items() if k != "query_ms"}
    if isinstance(value, list):
        return [_drop_timings(v) for v in value]
    return value


_NAV_MENU = re.compile(r'<details class="nav-menu.*?</details>', re.S)
_VOLATILE = re.compile(r'(name="csrftoken" value=")[^"]*|(\d+(?:\.\d+)?)(ms)')


def normalised(response, keep_menu: bool = False) -> tuple[int, Any]:
    """Status and body with what varies between two runs of one request taken out: query
    times, CSRF tokens, and (unless ``keep_menu``) the site-wide navigation menu, which
    lists the corpus's search on every page (compared apart, in
    test_menu_names_only_the_corpus)."""
    body = response.text
    if "json" in response.headers.get("content-type", ""):
        try:
            return response.status_code, _drop_timings(json.loads(body))
        except ValueError:
            pass
    if not keep_menu:
        body = _NAV_MENU.sub("", body)
    body = _VOLATILE.sub(lambda m: (m.group(1) or "") + ("ms" if m.group(3) else ""), body)
    body = re.sub(r"\s+", " ", body)  # the menu leaves its indentation behind
    return response.status_code, body


async def fetch_all(ds: Any, paths: list[str], keep_menu: bool = False
                    ) -> dict[str, tuple[int, Any]]:
    await ds.client.get(f"/{PLAIN}.json")  # warm up: first request builds the catalog
    return {path: normalised(await ds.client.get(path), keep_menu) for path in paths}


# Time limits far above what these tiny tables need: a facet or a suggestion cut short
# on a busy machine would make two instances differ for no fault of the plugin.
SETTINGS = {"facet_time_limit_ms": 20000, "facet_suggest_time_limit_ms": 20000,
            "sql_time_limit_ms": 20000}


def both(make_datasette: Callable[..., Any], paths: list[Path], settings: dict | None = None,
         **kwargs: Any):
    """(with the plugin, plain Datasette): two instances over the same files."""
    settings = {**SETTINGS, **(settings or {})}
    ours = make_datasette(paths, settings=settings, **kwargs)
    with plugin_removed():
        plain = make_datasette(paths, settings=settings, **kwargs)
    return ours, plain


async def answers_differ(make_datasette, files, paths, keep_menu: bool = False,
                         **kwargs) -> list[str]:
    ours, plain = both(make_datasette, files, **kwargs)
    got = await fetch_all(ours, paths, keep_menu)
    with plugin_removed():
        expected = await fetch_all(plain, paths, keep_menu)
    return [f"{path}: {got[path][0]} with the plugin, {expected[path][0]} without"
            + ("" if got[path][0] != expected[path][0] else
               "; " + first_difference(got[path][1], expected[path][1]))
            for path in paths if got[path] != expected[path]]


def first_difference(got: Any, expected: Any, where: str = "") -> str:
    """Where two bodies first differ, and how, in a line."""
    if isinstance(got, dict) and isinstance(expected, dict):
        for key in sorted(set(got) | set(expected), key=str):
            if got.get(key, "<absent>") != expected.get(key, "<absent>"):
                return first_difference(got.get(key, "<absent>"), expected.get(key, "<absent>"),
                                        f"{where}.{key}")
    if isinstance(got, list) and isinstance(expected, list) and len(got) == len(expected):
        for i, (a, b) in enumerate(zip(got, expected)):
            if a != b:
                return first_difference(a, b, f"{where}[{i}]")
    if isinstance(got, str) and isinstance(expected, str):
        i = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b),
                 min(len(got), len(expected)))
        return f"{where or 'text'} at {i}: {got[max(0, i - 80):i + 120]!r} != " \
               f"{expected[max(0, i - 80):i + 120]!r}"
    return f"{where or 'body'}: {str(got)[:300]} != {str(expected)[:300]}"


@pytest.mark.asyncio
@pytest.mark.parametrize("pages", [JSON_PAGES, OTHER_PAGES], ids=["json", "html-csv"])
async def test_plain_pages_answer_as_without_the_plugin(
        make_datasette: Callable[..., Any], demo_db: Path, plain_db: Path,
        pages: list[str]) -> None:
    differ = await answers_differ(make_datasette, [demo_db, plain_db], pages)
    assert not differ, "\n".join(differ)


@pytest.mark.asyncio
async def test_without_a_corpus_every_page_is_plain_datasettes(
        make_datasette: Callable[..., Any], plain_db: Path) -> None:
    """Served alone, the plain database's pages are core's to the byte (menus included),
    and so are the index page and the instance's own JSON, but for the plugin listings."""
    pages = ["/", "/.json", f"/{PLAIN}", f"/{PLAIN}/paragraphs?_search=strike",
             f"/{PLAIN}/articles?_facet=outlet", f"/{PLAIN}/articles/3", "/-/databases.json"]
    differ = await answers_differ(make_datasette, [plain_db], pages, keep_menu=True)
    assert not differ, "\n".join(differ)


@pytest.mark.asyncio
async def test_plugin_routes_under_a_plain_database_say_it_is_no_corpus(
        make_datasette: Callable[..., Any], demo_db: Path, plain_db: Path) -> None:
    """The plugin's own URLs (``/<database>/-/search`` ...) are its listing, like its
    line in /-/plugins.json: under another database they answer a 404 that says why.
    (Plain Datasette 0.65 takes ``-`` for a table name there and answers 400 or 500.)"""
    ds = make_datasette([demo_db, plain_db])
    for path in ROUTE_PAGES:
        got = await ds.client.get(path)
        assert got.status_code == 404, path
        assert f"{PLAIN} is not a report corpus" in got.text, path


@pytest.mark.asyncio
async def test_the_plugin_is_active_on_the_corpus_beside(
        make_datasette: Callable[..., Any], demo_db: Path, plain_db: Path) -> None:
    """The comparisons above compare something: the same arguments on the corpus's
    tables do what the plugin says (and differ from plain Datasette)."""
    ours, plain = both(make_datasette, [demo_db, plain_db])
    path = "/corpus/paragraphs.json?_facet_range=word_count&_range_word_count=10-99" \
           "&_extra=facet_results"
    got = await ours.client.get(path)
    assert got.status_code == 200
    facets = got.json()["facet_results"]
    facets = facets.get("results", facets)
    assert "word_count" in facets and facets["word_count"]["type"] == "range"
    with plugin_removed():
        expected = await plain.client.get(path)
    assert normalised(got) != normalised(expected)
    page = (await ours.client.get("/corpus/paragraphs?_search=strike")).text
    assert "highlight.js" in page and "reportcorpus.css" in page


@pytest.mark.asyncio
async def test_no_plugin_assets_facets_or_actions_on_plain_pages(
        make_datasette: Callable[..., Any], demo_db: Path, plain_db: Path) -> None:
    """What the comparisons imply, said outright for the known ways a plugin shows."""
    ds = make_datasette([demo_db, plain_db], settings=SETTINGS)
    for path in (f"/{PLAIN}/paragraphs?_search=strike&_range_word_count=1-99", f"/{PLAIN}",
                 f"/{PLAIN}/articles/3"):
        html = _NAV_MENU.sub("", (await ds.client.get(path)).text)
        for sign in ("highlight.js", "reportcorpus.css", "rc-", "/-/search", "/-/compare",
                     "/-/article", "Search the reports", "Read this report"):
            assert sign not in html, (path, sign)
    data = (await ds.client.get(f"/{PLAIN}/articles.json?_extra=suggested_facets")).json()
    assert data["suggested_facets"], "core suggests facets here: the check below needs some"
    assert {s.get("type", "column") for s in data["suggested_facets"]} <= {"column", "date",
                                                                         "array"}


@pytest.mark.asyncio
async def test_menu_names_only_the_corpus(make_datasette: Callable[..., Any], demo_db: Path,
                                          plain_db: Path) -> None:
    ds = make_datasette([demo_db, plain_db])
    html = (await ds.client.get(f"/{PLAIN}/articles")).text
    menu = _NAV_MENU.search(html)
    assert menu and "/corpus/-/search" in menu.group(0)
    assert f"/{PLAIN}/-/" not in menu.group(0)
    alone = make_datasette([plain_db])
    assert "/-/search" not in (await alone.client.get(f"/{PLAIN}/articles")).text


def _traced_sql(data: dict, database: str) -> list[str]:
    return sorted(t["sql"] for t in data.get("_trace", {}).get("traces", [])
                  if t.get("database") == database and "sql" in t)


@pytest.mark.asyncio
@pytest.mark.parametrize("path", [f"/{PLAIN}/articles.json?_search=strike",
                                  "/corpus/articles.json"])
async def test_pages_run_the_same_sql_on_the_plain_database(
        make_datasette: Callable[..., Any], demo_db: Path, plain_db: Path, path: str) -> None:
    """No page, of the plain database or of the corpus, queries the plain database more
    than plain Datasette does (once the plugin knows it is no corpus)."""
    settings = {"trace_debug": True}
    ours, plain = both(make_datasette, [demo_db, plain_db], settings=settings)
    traced = path + ("&" if "?" in path else "?") + "_trace=1"
    await ours.client.get(path)
    got = _traced_sql((await ours.client.get(traced)).json(), PLAIN)
    with plugin_removed():
        await plain.client.get(path)
        expected = _traced_sql((await plain.client.get(traced)).json(), PLAIN)
    assert expected or path.startswith("/corpus"), "the trace lists no SQL: nothing compared"
    assert got == expected


async def _pragmas(ds: Any, name: str) -> tuple[int, int]:
    db = ds.get_internal_database() if name == "_internal" and IS_1_0 else ds.get_database(name)
    def read(conn: sqlite3.Connection) -> tuple[Any, ...]:
        # an in-memory database answers no row for mmap_size
        return tuple((conn.execute(f"pragma {p}").fetchone() or (None,))[0]
                     for p in ("cache_size", "mmap_size"))

    return await db.execute_fn(read)


@pytest.mark.asyncio
@pytest.mark.parametrize("settings", [{}, {"cache_size_kb": 1234}], ids=["default", "set"])
async def test_connection_settings_of_other_databases_untouched(
        make_datasette: Callable[..., Any], demo_db: Path, plain_db: Path,
        settings: dict) -> None:
    ours, plain = both(make_datasette, [demo_db, plain_db], settings=settings)
    await ours.client.get("/")
    with plugin_removed():
        await plain.client.get("/")
        expected = {name: await _pragmas(plain, name) for name in (PLAIN, "_internal")}
    got = {name: await _pragmas(ours, name) for name in (PLAIN, "_internal")}
    assert got == expected
    if settings:
        assert got[PLAIN][0] == -1234
        # and on the corpus, which the plugin tunes, the server's setting still holds
        cache, mmap = await _pragmas(ours, "corpus")
        assert cache == -1234 and mmap > 0


def test_no_hook_this_datasette_does_not_define() -> None:
    """Datasette's own tests list ``pm.hook`` to check every hook is documented and
    tested: the plugin adds none there (0.65 has no row_actions, top_homepage or
    top_database; on 1.0 the plugin implements all three)."""
    from datasette import hookspecs
    from datasette.plugins import pm

    import datasette_reportcorpus

    ours = {caller.name for caller in pm.get_hookcallers(datasette_reportcorpus)}
    assert ours, "the plugin is not registered"
    assert all(hasattr(hookspecs, name) for name in ours), ours
    one_oh = {"row_actions", "top_homepage", "top_database"}
    assert (one_oh <= ours) == all(hasattr(hookspecs, n) for n in one_oh)
