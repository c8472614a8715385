"""The search page: ``/<db>/-/search?q=...`` (HTML), ``.json`` and ``.csv``.

Paragraphs matching the query, best first (FTS5 bm25), each with a highlighted
snippet and its article's title, outlet and date; the custom facets over all matching
paragraphs; the selections of :mod:`..facets.filters` narrowing them; and links
exporting exactly the same rows as CSV and JSON through the provenance views.

The request is read once, at the edge, into a :class:`.request.SearchRequest` (every
argument is described there); :func:`run_search` runs the statements
:class:`.sql.SearchSql` builds into a :class:`SearchResult`; :mod:`.render` turns that
into the JSON or the page, :mod:`.export` into the CSV.

A search holding no word to find (only operators or punctuation) is answered with a 400
whose message names what it holds, in all three formats; the HTML page still shows the
search box.
"""

from __future__ import annotations

import asyncio
import inspect
import sqlite3
from dataclasses import dataclass, field

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils.asgi import Response

from ..facets.classes import FACET_CLASSES
from ..http import corpus_database, refuse_method, with_cors
from ..permissions import one_request
from . import export, render
from .query import FtsQuery, run_as_fts_or_words
from .request import SearchRequest, read_search
from .sql import safe_snippet

# Facets shown on every search; more can be added with _facet_* arguments.
DEFAULT_FACETS = [{"article": "outlet"}, {"article": "month"}, {"article": "story"},
                  {"figure": "object"}, {"figure": "event"}]
# Matches counted up to this many, then given as "10,000+" (count_truncated), as
# Datasette 1.0 counts a table's rows (Database.count_limit).
COUNT_LIMIT = 10_000
# Facet.__init__ names the table configuration metadata= on 0.65, table_config= on 1.0.
_CONFIG_KW = ("table_config" if "table_config" in inspect.signature(Facet.__init__).parameters
              else "metadata")


@dataclass
class SearchResult:
    """What a search found: one page of rows, the count, the facets, or an error."""

    query: FtsQuery | None
    rows: list[dict] = field(default_factory=list)
    count: int | None = None
    count_truncated: bool = False  # count is a lower bound: more rows match
    offset: int = 0
    size: int = 20
    has_next: bool = False
    facets: list[dict] = field(default_factory=list)
    facets_timed_out: list[str] = field(default_factory=list)
    suggested_facets: list[dict] = field(default_factory=list)
    error: str | None = None


async def search_view(datasette, request) -> Response:
    """Serve ``/<db>/-/search``, ``.json`` and ``.csv``; each table's visibility is
    checked once however many parts of the answer read it."""
    with one_request():
        return await _search_view(datasette, request)


async def _search_view(datasette, request) -> Response:
    refused = refuse_method(datasette, request)
    if refused:
        return refused
    db = await corpus_database(datasette, request, ["paragraphs", "articles"])
    search = await read_search(datasette, request, db)
    if search.format == "csv":
        return await export.csv_response(datasette, db, search)
    result = SearchResult(query=search.query, offset=search.offset, size=search.size)
    status = 200
    if search.query and search.query.mode == "none":
        # Only operators or punctuation: said so, never run as some other search.
        result.error, status = search.query.message, 400
    if search.searched:
        await run_search(datasette, request, db, search, result)
    exports = await render.exports(datasette, search, result.query)
    if search.format == "json":
        data = render.json_data(datasette, request, search, result, exports)
        if status != 200:
            data["status"] = status
        return with_cors(datasette, render.shaped(data, search, status))
    return with_cors(datasette, Response.html(await datasette.render_template(
        "reportcorpus/search.html", render.context(datasette, search, result, exports),
        request=request,
    ), status=status))


async def run_search(datasette, request, db, search: SearchRequest,
                     result: SearchResult) -> None:
    """Fill ``result`` with one page of ranked hits, the count and the facets.

    ``request`` goes only to Datasette's facet classes, which read their own
    ``_facet_*`` arguments and the actor from it."""
    try:
        result.query, _ = await run_as_fts_or_words(
            result.query, lambda fts: _ranked_page(db, search, result, fts))
        if not result.query.fts:
            return
        params = search.sql.params(result.query.fts)
        if search.count:
            try:
                result.count, result.count_truncated = await count_matches(db, search, params)
            except QueryInterrupted:
                result.count = None
    except QueryInterrupted:
        result.error = "The search took too long; try more specific words."
        return
    except sqlite3.OperationalError as e:
        result.rows, result.has_next = [], False
        result.error = f"SQLite could not run this search even as plain words: {e}"
        return
    if not datasette.setting("allow_facet") or not search.facet:
        return
    facets = [{k: v} for f in DEFAULT_FACETS for k, v in f.items()
              if not (k == "figure" and "figures" not in search.readable)]

    async def facet_class(cls):
        facet = cls(datasette, request, db.name, sql=search.sql.rows(),
                    table="paragraphs", params=params, row_count=result.count,
                    **{_CONFIG_KW: {"facets": facets}})
        found, timed_out = await facet.facet_results()
        return found, timed_out, (await facet.suggest()) if search.suggest else []

    # The classes' statements go to Datasette's database threads together.
    for found, timed_out, suggested in await asyncio.gather(
            *(facet_class(cls) for cls in FACET_CLASSES)):
        for f in found:  # each facet once, however often the URL asks for it
            if (f["type"], f["name"]) not in {(g["type"], g["name"]) for g in result.facets}:
                result.facets.append(f)
        result.facets_timed_out += [t for t in timed_out if t not in result.facets_timed_out]
        result.suggested_facets += suggested


async def count_matches(db, search: SearchRequest, params: dict) -> tuple[int, bool]:
    """``(count, truncated)``: the matching rows counted up to :data:`COUNT_LIMIT` (or to
    the end of the page asked for, when that lies further), as Datasette counts a
    table's rows; ``truncated`` says more match than ``count``. A page far down counts
    as far as it reaches, so its links and "of N" stay true."""
    limit = max(COUNT_LIMIT, search.offset + search.size)
    count = (await db.execute(search.sql.count(limit + 1), params)).rows[0][0]
    return (limit, True) if count > limit else (count, False)


async def _ranked_page(db, search: SearchRequest, result: SearchResult, fts: str) -> None:
    params = search.sql.page_params(fts, search.size, search.offset)
    rows = (await db.execute(search.sql.page(), params)).rows
    result.has_next = len(rows) > search.size
    result.rows = [dict(r) for r in rows[:search.size]]
    for r in result.rows:
        r["snippet"] = safe_snippet(r["snippet"], r.pop("marks_in_text"))
