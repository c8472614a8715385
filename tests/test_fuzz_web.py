"""Hostile values for every argument of every plugin route, and the facets and selections
the plugin adds to table pages: never a 500, a 4xx naming the argument on the plugin's
own routes, and no SQL run from them (the database file is unchanged).

The values come from a seeded generator (the same on every run, a different seed with
``REPORTCORPUS_FUZZ_SEED``): FTS5 syntax abuse, SQL metacharacters, huge, negative and
non-numeric ids, 60 KB strings (about as long as a URL may be), control characters and NULs, tampered cursors and
huge page sizes, alone and spliced into ordinary values.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SEED = int(os.environ.get("REPORTCORPUS_FUZZ_SEED", "21"))
ROUNDS = int(os.environ.get("REPORTCORPUS_FUZZ_ROUNDS", "1"))

HOSTILE = [
    "*** (((", "\"unterminated", "NEAR(strike", "strike OR", "AND", "^", "text:strike",
    "paragraphs_fts:strike", "{text}: strike", "strike*" * 200, "(" * 500, "\"\"\"",
    "- - -", "NOT NOT", "rank:1", "'", "';", "'; drop table articles; --",
    "1 or 1=1", "1) union select sql from sqlite_master --", "\" or \"\"=\"", "%", "_",
    "\\", "[text]", "-1", "0", "-0", "1e5", "0x10", "1.5", "99999999999999999999999",
    str(2 ** 63), str(-(2 ** 63) - 1), "٣", "１", " 1 ", "1\x00", "\x00", "\x01\x02\x1f",
    "\u202e", "\ud7ff", "\ufeff1", "\n", "\r\n", "<script>alert(1)</script>",
    "javascript:alert(1)", "a" * 60_000, "word " * 2_000, "t " * 400,
    "1000000000", "max", "-5", "abc", "1,2,3", "%00", "null", "None", "[]", "{}",
]

SEARCH_ARGS = ["q", "_size", "_next", "_shape", "_stream", "_bom", "_dl", "_nl",
               "_facet_article", "_facet_figure", "_facet_range", "_facet_size",
               "_article_outlet", "_article_year", "_article_story", "_figure_object",
               "_figure_kind", "_range_word_count", "_range_position", "_match"]
COMPARE_ARGS = ["left", "right", "mode", "pick", "side"]
# The plugin's own arguments on table pages (core's _next, _size, _search answer for
# themselves there).
OWN_TABLE_ARGS = ("_facet_article", "_facet_figure", "_facet_range", "_article_", "_figure_",
                  "_range_", "_match")
TABLE_ARGS = ["_facet_article", "_facet_figure", "_facet_range", "_article_outlet",
              "_article_month", "_figure_object", "_figure_event", "_range_word_count",
              "_range_value", "_match", "_next", "_size", "_search"]


def values(rng: random.Random, n: int) -> list[str]:
    """``n`` hostile values: listed ones, and listed ones spliced into plain words."""
    out = []
    for _ in range(n):
        v = rng.choice(HOSTILE)
        if rng.random() < 0.4:
            w = rng.choice(["strike", "1", "outlet", "evacuated", "2026"])
            v = rng.choice([w + v, v + w, w + " " + v])
        out.append(v)
    return out


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names_argument(name: str, body: str) -> bool:
    """The error says which argument was wrong (the path's ``<id>`` is called id)."""
    return name.lower() in body.lower()


async def get(ds: Any, path: str, params: list[tuple[str, str]]) -> Any:
    query = urllib.parse.urlencode(params)
    return await ds.client.get(f"{path}?{query}" if query else path)


@pytest.fixture(scope="module")
def served(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo corpus for this module (its digest is checked afterwards)."""
    copy = tmp_path_factory.mktemp("fuzz") / "corpus.db"
    copy.write_bytes(demo_db.read_bytes())
    return copy


async def _fuzz(ds: Any, route: str, args: list[str], fixed: list[tuple[str, str]],
                rng: random.Random, own: bool) -> None:
    for name in args:
        for value in values(rng, ROUNDS):
            params = fixed + [(name, value)]
            response = await get(ds, route, params)
            shown = (route, name, value[:80], response.text[:300])
            assert response.status_code < 500, shown
            if response.status_code == 400 and (own or name.startswith(OWN_TABLE_ARGS)):
                assert names_argument(name, response.text), shown
            assert "Traceback" not in response.text, shown
            # An injected "union select sql from sqlite_master" would show the schema (in
            # rows or a message: the table page's own schema block, which 0.65 shows
            # under the rows, is left out).
            page = re.sub(r'<pre class="wrapped-sql">.*?</pre>', "", response.text, flags=re.S)
            assert "create table" not in page.lower(), shown


@pytest.mark.asyncio
async def test_plugin_routes_take_hostile_arguments(make_datasette: Callable[..., Any],
                                                    served: Path) -> None:
    before = digest(served)
    ds = make_datasette(served)
    rng = random.Random(SEED)
    for fmt in ("", ".json", ".csv"):
        await _fuzz(ds, f"/corpus/-/search{fmt}", SEARCH_ARGS, [("q", "strike")], rng, True)
    for fmt in ("", ".json"):
        await _fuzz(ds, f"/corpus/-/compare{fmt}", COMPARE_ARGS, [("left", "1")], rng, True)
        await _fuzz(ds, f"/corpus/-/compare{fmt}", ["right", "pick"], [("left", "1")],
                    rng, True)
        await _fuzz(ds, f"/corpus/-/compare{fmt}", ["left"], [("mode", "raw")], rng, True)
        await _fuzz(ds, f"/corpus/-/article/1{fmt}", ["_shape", "_nl"], [], rng, True)
        for value in values(rng, 12):
            path = f"/corpus/-/article/{urllib.parse.quote(value, safe='')}{fmt}"
            response = await ds.client.get(path)
            shown = (path[:120], response.text[:300])
            assert response.status_code in (400, 404), shown
            if response.status_code == 400:
                assert names_argument("id", response.text), shown
    assert digest(served) == before


@pytest.mark.asyncio
async def test_table_facets_and_selections_take_hostile_arguments(
        make_datasette: Callable[..., Any], served: Path) -> None:
    before = digest(served)
    ds = make_datasette(served)
    rng = random.Random(SEED + 1)
    for table in ("paragraphs", "figures", "articles", "paragraphs_provenance"):
        for fmt in (".json", ".csv"):
            await _fuzz(ds, f"/corpus/{table}{fmt}", TABLE_ARGS, [], rng, False)
    await _fuzz(ds, "/corpus/paragraphs", TABLE_ARGS[:8], [], rng, False)
    assert digest(served) == before


@pytest.mark.asyncio
@pytest.mark.parametrize("value", ["1 or 1=1", "1; drop table articles", "1)--", "-1",
                                   "0", str(2 ** 63), "1e3", "", "0x1", "٣", "１", "+1",
                                   "1_0", "1\x00", "\x001", "9" * 5_000])
async def test_ids_are_whole_numbers_or_a_400(make_datasette: Callable[..., Any],
                                              served: Path, value: str) -> None:
    ds = make_datasette(served)
    for name in ("left", "right"):
        params = {"left": "1", "right": "2", name: value}
        response = await ds.client.get("/corpus/-/compare.json?"
                                       + urllib.parse.urlencode(params))
        if value == "" and name == "right":  # no right report: the picker
            assert response.status_code == 200
            continue
        assert response.status_code == 400, (name, value, response.text[:200])
        assert name in response.json()["error"]


@pytest.mark.asyncio
@pytest.mark.parametrize("q", ["*** (((", "AND", "(((", "- - -", "\"\"", "OR OR", "^ * :"])
async def test_a_query_without_words_is_refused_not_run(make_datasette: Callable[..., Any],
                                                        served: Path, q: str) -> None:
    """``*** (((`` holds no word: a 400 saying so, never a search for AND or anything."""
    ds = make_datasette(served)
    for fmt in (".json", ".csv", ""):
        response = await ds.client.get(f"/corpus/-/search{fmt}?"
                                       + urllib.parse.urlencode({"q": q}))
        assert response.status_code == 400, (fmt, q, response.text[:200])
        if fmt == ".json":
            data = response.json()
            assert data["ok"] is False and not data.get("rows"), data
            assert "q" in data["error"].lower() or "word" in data["error"].lower()


@pytest.mark.asyncio
async def test_huge_sizes_are_capped_or_refused(make_datasette: Callable[..., Any],
                                                served: Path) -> None:
    ds = make_datasette(served)
    for size in ("1000000000", str(2 ** 70), "max"):
        response = await ds.client.get(f"/corpus/-/search.json?q=strike&_size={size}")
        assert response.status_code in (200, 400), response.text[:200]
        if response.status_code == 200:
            assert len(response.json()["rows"]) <= ds.setting("max_returned_rows")
        else:
            assert "_size" in response.json()["error"]
    for cursor in ("-1", "abc", str(2 ** 64), "1,1", "\x00"):
        response = await ds.client.get("/corpus/-/search.json?"
                                       + urllib.parse.urlencode({"q": "strike",
                                                                 "_next": cursor}))
        assert response.status_code == 400 and "_next" in response.json()["error"], cursor


@pytest.mark.asyncio
@pytest.mark.parametrize("value", ["1 None", "٣", "<abc", "<1e5", "<1-2", "99-1", "1" * 40,
                                   "\x00", "1;drop table articles", "a" * 50_000])
async def test_range_selection_errors_name_it(make_datasette: Callable[..., Any],
                                              served: Path, value: str) -> None:
    ds = make_datasette(served)
    for name in ("_range_word_count", "_range_nosuchcolumn"):
        query = urllib.parse.urlencode({"q": "strike", name: value})
        for fmt in (".json", ".csv", ""):
            response = await ds.client.get(f"/corpus/-/search{fmt}?{query}")
            assert response.status_code == 400, (fmt, response.text[:200])
            assert name in response.text, (fmt, response.text[:200])
        table = "/corpus/paragraphs.json?" + urllib.parse.urlencode({name: value})
        response = await ds.client.get(table)
        assert response.status_code == 400 and name in response.text, response.text[:200]


@pytest.mark.asyncio
@pytest.mark.parametrize("value", ["\\", "\"unterminated", "NEAR(strike", "strike OR", "AND",
                                   "(((", "text:", "nosuchcolumn:strike", "^", "*"])
async def test_bad_match_selection_is_a_400_naming_it(make_datasette: Callable[..., Any],
                                                      served: Path, value: str) -> None:
    """A ``_match`` FTS5 refuses: 400 naming ``_match`` on the search page in every format
    (``ok: false`` in JSON) and on table pages, never a 200 carrying the error."""
    ds = make_datasette(served)
    query = urllib.parse.urlencode({"q": "strike", "_match": value})
    for fmt in (".json", ".csv", ""):
        response = await ds.client.get(f"/corpus/-/search{fmt}?{query}")
        assert response.status_code == 400 and "_match" in response.text, (fmt, value)
        if fmt == ".json":
            assert response.json()["ok"] is False
    for table in ("paragraphs", "figures", "articles"):
        response = await ds.client.get(f"/corpus/{table}.json?"
                                       + urllib.parse.urlencode({"_match": value}))
        assert response.status_code == 400 and "_match" in response.text, (table, value)


@pytest.mark.asyncio
async def test_good_match_and_range_selections_still_select(
        make_datasette: Callable[..., Any], served: Path) -> None:
    """The checks above refuse only what is wrong: a readable ``_match`` and a range
    keep the rows they select."""
    ds = make_datasette(served)
    every = (await ds.client.get("/corpus/-/search.json?q=strike")).json()
    some = (await ds.client.get("/corpus/-/search.json?q=strike&_match=strike*"
                                "&_range_word_count=1-999")).json()
    assert every["ok"] is not False and some.get("ok") is not False, some
    assert 0 < len(some["rows"]) <= len(every["rows"])
    none = (await ds.client.get("/corpus/-/search.json?q=strike&_range_word_count=<0")).json()
    assert none["rows"] == []


@pytest.mark.asyncio
@pytest.mark.parametrize("cursor", ["2026 %", "abc", "-1", "٣", "1\x00"])
async def test_a_tampered_cursor_on_a_corpus_view_is_a_400(
        make_datasette: Callable[..., Any], served: Path, cursor: str) -> None:
    """A view's ``_next`` is an offset: core would answer a 500 for one that is no number
    (found by the fuzz above with its default seed)."""
    ds = make_datasette(served)
    response = await ds.client.get("/corpus/paragraphs_provenance.json?"
                                   + urllib.parse.urlencode({"_next": cursor}))
    assert response.status_code == 400 and "_next" in response.json()["error"], cursor
    assert (await ds.client.get("/corpus/paragraphs_provenance.json?_next=2")).status_code == 200
