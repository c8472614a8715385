"""The search page: ``/<db>/-/search?q=...`` (HTML) and ``/<db>/-/search.json``.

Paragraphs matching the query, best first (FTS5 bm25), each with a highlighted
snippet and its article's title, outlet and date; the custom facets over all matching
paragraphs; the selections of :mod:`filters` narrowing them; and links exporting
exactly the same rows as CSV and JSON through the provenance views.

Query arguments: ``q`` (see :mod:`search_sql` for the syntax), ``_size`` (page size,
default 20, at most 100), ``_next`` (offset of the page), ``_facet_article`` /
``_facet_figure`` / ``_facet_range`` (more facets), and the ``_article_*``,
``_figure_*`` and ``_range_*`` selections.
"""

from __future__ import annotations

import inspect
import sqlite3
import urllib.parse
from dataclasses import dataclass, field

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils.asgi import BadRequest, NotFound, Response

from . import urls
from .compare import compare_url
from .facets import FACET_CLASSES
from .filters import RELATIONS, Where, selections_from_args, where_for
from .permissions import ensure_tables, visible_tables
from .routes import route_database
from .search_sql import (
    MARK_CLOSE,
    MARK_OPEN,
    FtsQuery,
    count_sql,
    hits_sql,
    parse_query,
    rows_sql,
    safe_snippet,
    words_query,
)

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Facets shown on every search; more can be added with _facet_* arguments.
DEFAULT_FACETS = [{"article": "outlet"}, {"article": "month"}, {"article": "story"},
                  {"figure": "object"}, {"figure": "event"}]
# Facet.__init__ names the table configuration metadata= on 0.65, table_config= on 1.0.
_CONFIG_KW = ("table_config" if "table_config" in inspect.signature(Facet.__init__).parameters
              else "metadata")


@dataclass
class SearchResult:
    query: FtsQuery | None
    rows: list[dict] = field(default_factory=list)
    count: int | None = None
    offset: int = 0
    size: int = PAGE_SIZE
    has_next: bool = False
    facets: list[dict] = field(default_factory=list)
    facets_timed_out: list[str] = field(default_factory=list)
    suggested_facets: list[dict] = field(default_factory=list)
    error: str | None = None


async def search_view(datasette, request) -> Response:
    """Serve ``/<db>/-/search`` and ``.json``."""
    db = route_database(datasette, request)
    database = db.name
    # Plugin routes get no permission checks: every table read here is checked.
    await ensure_tables(datasette, request.actor, database, ["paragraphs", "articles"])
    if not await db.table_exists("paragraphs_fts"):
        raise NotFound(f"{database} is not a report corpus (no paragraphs_fts table)")
    pairs = urllib.parse.parse_qsl(request.query_string, keep_blank_values=False)
    try:
        selections = selections_from_args(pairs)
        where = where_for(RELATIONS["paragraphs"], selections,
                          await db.table_columns("paragraphs"), alias="p.")
        row_where = where_for(RELATIONS["paragraphs"], selections,
                              await db.table_columns("paragraphs"))
        size = min(int(request.args.get("_size") or PAGE_SIZE), MAX_PAGE_SIZE)
        offset = int(request.args.get("_next") or 0)
    except ValueError as e:
        raise BadRequest(str(e))
    await ensure_tables(datasette, request.actor, database, sorted(where.reads))
    q = (request.args.get("q") or "").strip()
    result = SearchResult(query=parse_query(q) if q else None, offset=max(offset, 0),
                          size=max(size, 1))
    if result.query and result.query.fts:
        await _run_search(datasette, request, db, result, where, row_where)
    fmt = request.url_vars.get("format")
    exports = _exports(datasette, database, result.query, pairs)
    if fmt == "json":
        return Response.json(_json(datasette, request, database, result, where, exports))
    return Response.html(await datasette.render_template(
        "reportcorpus/search.html",
        _context(datasette, request, database, result, where, exports, selections),
        request=request,
    ))


async def _run_search(datasette, request, db, result: SearchResult, where: Where,
                      row_where: Where) -> None:
    """Fill ``result`` with one page of ranked hits, the count and the facets."""
    try:
        await _ranked_page(db, result, where)
    except sqlite3.OperationalError as e:
        if "fts5" not in str(e) and "no such column" not in str(e):
            raise
        # The query passed our checks but FTS5 still refused it: plain words instead.
        result.query = words_query(result.query.text, "FTS5 could not read this search.")
        if not result.query.fts:
            return
        await _ranked_page(db, result, where)
    except QueryInterrupted:
        result.error = "The search took too long; try more specific words."
        return
    params = {**row_where.params, "q": result.query.fts}
    try:
        result.count = (await db.execute(count_sql(row_where.clauses), params)).rows[0][0]
    except QueryInterrupted:
        result.count = None
    visible = await visible_tables(datasette, request.actor, db.name,
                                   ["articles", "figures", "stories"])
    facets = [{k: v} for f in DEFAULT_FACETS for k, v in f.items()
              if not (k == "figure" and "figures" not in visible)]
    for cls in FACET_CLASSES:
        facet = cls(datasette, request, db.name, sql=rows_sql(row_where.clauses),
                    table="paragraphs", params=params, row_count=result.count,
                    **{_CONFIG_KW: {"facets": facets}})
        found, timed_out = await facet.facet_results()
        seen = {f["name"] + f["type"] for f in result.facets}
        result.facets += [f for f in found if f["name"] + f["type"] not in seen]
        result.facets_timed_out += timed_out
        if "_nosuggest" not in request.args:
            result.suggested_facets += await facet.suggest()


async def _ranked_page(db, result: SearchResult, where: Where) -> None:
    params = {**where.params, "q": result.query.fts, "limit": result.size + 1,
              "offset": result.offset, "mark_open": MARK_OPEN, "mark_close": MARK_CLOSE}
    rows = (await db.execute(hits_sql(where.clauses), params)).rows
    result.has_next = len(rows) > result.size
    result.rows = [dict(r) for r in rows[:result.size]]
    for r in result.rows:
        r["snippet"] = safe_snippet(r["snippet"], r.pop("marks_in_text"))


def _exports(datasette, database: str, query: FtsQuery | None, pairs) -> dict[str, str]:
    """Links returning exactly the selected rows, with provenance columns."""
    if not query or not query.fts:
        return {}
    carried = [(k, v) for k, v in pairs
               if k.startswith(("_article_", "_figure_", "_range_"))]
    search = [("_search", query.fts), ("_searchmode", "raw")]
    view = "paragraphs_provenance"
    out = {
        "csv": urls.table(datasette, database, view,
                          search + carried + [("_stream", "on"), ("_size", "max")], "csv"),
        "json": urls.table(datasette, database, view,
                           search + carried + [("_shape", "objects")], "json"),
        "ranked_json": urls.search(datasette, database, [("q", query.text)] + carried, "json"),
        "table": urls.table(datasette, database, view, search + carried),
    }
    if not any(k.startswith("_range_") for k, _ in carried):
        # Figures stated in the matching paragraphs (figure selections keep only
        # figures with that value; range selections name paragraph columns).
        out["figures_csv"] = urls.table(datasette, database, "figures_provenance",
                                        search + carried + [("_stream", "on"),
                                                            ("_size", "max")], "csv")
    return out


def _row_json(datasette, database: str, row: dict) -> dict:
    out = {k: v for k, v in row.items() if k != "snippet"}
    out["snippet"] = str(row["snippet"])
    out["snippet_text"] = str(row["snippet"].striptags()) if row["snippet"] else ""
    out["paragraph_url"] = urls.row(datasette, database, "paragraphs", row["id"])
    out["article_url"] = urls.row(datasette, database, "articles", row["article_id"])
    out["compare_url"] = compare_url(datasette, database, row["article_id"])
    return out


def _json(datasette, request, database: str, result: SearchResult, where: Where,
          exports: dict) -> dict:
    q = result.query
    return {
        "ok": result.error is None,
        "database": database,
        "q": q.text if q else "",
        "query": {"fts": q.fts, "mode": q.mode, "message": q.message} if q else None,
        "error": result.error,
        "count": result.count,
        "rows": [_row_json(datasette, database, r) for r in result.rows],
        "next": str(result.offset + result.size) if result.has_next else None,
        "next_url": _page_url(datasette, request, result.offset + result.size, absolute=True)
        if result.has_next else None,
        "selections": _selections(datasette, request, where),
        "facet_results": {f["name"]: f for f in result.facets},
        "facets_timed_out": result.facets_timed_out,
        "suggested_facets": result.suggested_facets,
        "exports": exports,
    }


def _page_url(datasette, request, offset: int, absolute: bool = False) -> str:
    url = urls.with_args(datasette, request, remove=["_next"],
                         add=[("_next", offset)] if offset else [])
    return urls.absolute(datasette, request, url) if absolute else url


def _selections(datasette, request, where: Where) -> list[dict]:
    """Each selection in words, with a link removing it."""
    pairs = [(k, v) for k, v in urllib.parse.parse_qsl(request.query_string)
             if k.startswith(("_article_", "_figure_", "_range_"))]
    return [{"description": d, "remove_url": urls.with_args(datasette, request, remove={k: v})}
            for d, (k, v) in zip(where.descriptions, pairs)]


def _context(datasette, request, database: str, result: SearchResult, where: Where,
             exports: dict, selections) -> dict:
    hidden = [(k, v) for k, v in urllib.parse.parse_qsl(request.query_string)
              if k.startswith(("_facet", "_article_", "_figure_", "_range_", "_size"))]
    return {
        "database": database,
        "q": result.query.text if result.query else "",
        "query": result.query,
        "result": result,
        "hidden_args": hidden,
        "selections": _selections(datasette, request, where),
        "exports": exports,
        "next_url": _page_url(datasette, request, result.offset + result.size)
        if result.has_next else None,
        "previous_url": _page_url(datasette, request, max(result.offset - result.size, 0))
        if result.offset > 0 else None,
        "action": urls.search(datasette, database),
        "json_url": urls.search(datasette, database,
                                urllib.parse.parse_qsl(request.query_string), "json"),
        "article_url": lambda article_id: urls.row(datasette, database, "articles", article_id),
        "compare_url": lambda article_id: compare_url(datasette, database, article_id),
        "paragraph_url": lambda pid: urls.row(datasette, database, "paragraphs", pid),
        "database_url": urls.database(datasette, database),
        "stylesheet": urls.static(datasette, "reportcorpus.css"),
    }
