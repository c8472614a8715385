"""The search page: ``/<db>/-/search?q=...`` (HTML) and ``/<db>/-/search.json``.

Paragraphs matching the query, best first (FTS5 bm25), each with a highlighted
snippet and its article's title, outlet and date; the custom facets over all matching
paragraphs; the selections of :mod:`filters` narrowing them; and links exporting
exactly the same rows as CSV and JSON through the provenance views.

Query arguments: ``q`` (see :mod:`search_sql` for the syntax), ``_size`` (page size,
default 20, at most 100 or the ``max_returned_rows`` setting if lower; ``max`` for that
limit), ``_next`` (offset of the page), ``_facet_article`` / ``_facet_figure`` /
``_facet_range`` (more facets; none with ``allow_facet`` off), and the ``_article_*``,
``_figure_*`` and ``_range_*`` selections.
"""

from __future__ import annotations

import inspect
import sqlite3
import urllib.parse
from dataclasses import dataclass, field

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils.asgi import BadRequest, Response

from . import search_csv, urls
from .compare import compare_url
from .compat import DATASETTE_VERSION
from .facets import FACET_CLASSES
from .filters import (
    ARTICLE_DIMENSIONS,
    FIGURE_COLUMNS,
    RELATIONS,
    Where,
    check_facet_json,
    is_selection_arg,
    name_selected,
    searchable,
    selections_from_args,
    where_for,
)
from .permissions import ensure_tables, visible_tables
from .routes import SQLITE_MAX_INT, ensure_corpus, refuse_method, route_database, with_cors
from .search_sql import (
    MARK_CLOSE,
    MARK_OPEN,
    FtsQuery,
    count_sql,
    hits_sql,
    parse_query,
    rows_sql,
    run_as_fts_or_words,
    safe_snippet,
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
    refused = refuse_method(datasette, request)
    if refused:
        return refused
    # Plugin routes get no permission checks: every table read here is checked.
    db = route_database(datasette, request)
    database = db.name
    await ensure_tables(datasette, request.actor, database, ["paragraphs", "articles"])
    await ensure_corpus(datasette, db)
    pairs = urllib.parse.parse_qsl(request.query_string, keep_blank_values=False)
    try:
        selections = selections_from_args(pairs)
        columns = await db.table_columns("paragraphs")
        where = where_for(RELATIONS["paragraphs"], selections, columns, alias="p.")
        row_where = where_for(RELATIONS["paragraphs"], selections, columns)
    except ValueError as e:
        raise BadRequest(str(e))
    size, offset = _page_args(datasette, request)
    _check_facet_args(datasette, pairs)
    await ensure_tables(datasette, request.actor, database, sorted(where.reads))
    await name_selected(datasette, request.actor, database, selections, where)
    q = (request.args.get("q") or "").strip()
    fmt = request.url_vars.get("format")
    if fmt == "csv":
        return await _csv(datasette, request, db, parse_query(q) if q else None, where)
    result = SearchResult(query=parse_query(q) if q else None, offset=offset, size=size)
    if result.query and result.query.fts:
        await _run_search(datasette, request, db, result, where, row_where)
    exports = await _exports(datasette, request, database, result.query, pairs)
    if fmt == "json":
        return with_cors(datasette, Response.json(
            _json(datasette, request, database, result, where, exports)))
    return with_cors(datasette, Response.html(await datasette.render_template(
        "reportcorpus/search.html",
        _context(datasette, request, database, result, where, exports, selections),
        request=request,
    )))




async def _csv(datasette, request, db, query: FtsQuery | None, where: Where):
    """The ranked CSV export (see :mod:`search_csv`)."""
    if query is None or not query.fts:
        raise BadRequest("q is required: the CSV holds the paragraphs a search matches")
    stories = await visible_tables(datasette, request.actor, db.name, ["stories"])
    try:
        query, ranked = await search_csv.ranking(db, query, where)
    except QueryInterrupted:
        return with_cors(datasette, Response.text(
            "Ranking the matches took longer than this server's sql_time_limit_ms: narrow"
            " the search, or export the CSV in table order.", status=503))
    except sqlite3.OperationalError as e:
        raise BadRequest(f"q: SQLite could not run this search even as plain words ({e})")
    selected = [v for k, v in urllib.parse.parse_qsl(request.query_string)
                if is_selection_arg(k)]
    name = search_csv.filename(query.text, selected)
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    return with_cors(datasette, search_csv.stream(datasette, db, ranked, bool(stories), headers))


def _page_args(datasette, request) -> tuple[int, int]:
    """``(size, offset)`` from ``_size`` and ``_next``, or 400 naming the bad one."""
    limit = min(MAX_PAGE_SIZE, datasette.setting("max_returned_rows"))
    size_arg = (request.args.get("_size") or "").strip()
    if size_arg == "max":
        size = limit
    else:
        size = _whole(size_arg, "_size", PAGE_SIZE, low=1,
                      what=f"a positive whole number (at most {limit}) or max")
        if size_arg and size > limit:
            raise BadRequest(f"_size must be at most {limit} (or max), not {size_arg!r}")
    offset = _whole((request.args.get("_next") or "").strip(), "_next", 0, low=0,
                    what="the offset of a page, a whole number from 0")
    return min(size, limit), offset


def _whole(value: str, name: str, default: int, low: int, what: str) -> int:
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= SQLITE_MAX_INT:
        raise BadRequest(f"{name} must be {what}, not {value!r}")
    return number


def _check_facet_args(datasette, pairs) -> None:
    """400 for a facet the search cannot show: facets turned off, or an unknown name."""
    check_facet_json(pairs)
    for key, value in pairs:
        if not key.startswith("_facet") or key == "_facet_size":
            continue
        if not datasette.setting("allow_facet"):
            raise BadRequest(f"{key}= is not allowed: facets are turned off (allow_facet)")
        known = {"_facet_article": ARTICLE_DIMENSIONS, "_facet_figure": FIGURE_COLUMNS}.get(key)
        if key not in ("_facet_article", "_facet_figure", "_facet_range"):
            raise BadRequest(f"{key} is not a facet of the search page; use _facet_article, "
                             "_facet_figure or _facet_range")
        if known is not None and value not in known:
            raise BadRequest(f"{key}={value} is not a facet; use one of {', '.join(known)}")


async def _run_search(datasette, request, db, result: SearchResult, where: Where,
                      row_where: Where) -> None:
    """Fill ``result`` with one page of ranked hits, the count and the facets."""
    try:
        result.query, _ = await run_as_fts_or_words(
            result.query, lambda fts: _ranked_page(db, result, where, fts))
        if not result.query.fts:
            return
        params = {**row_where.params, "q": result.query.fts}
        try:
            result.count = (await db.execute(count_sql(row_where.clauses), params)).rows[0][0]
        except QueryInterrupted:
            result.count = None
    except QueryInterrupted:
        result.error = "The search took too long; try more specific words."
        return
    except sqlite3.OperationalError as e:
        result.rows, result.has_next = [], False
        result.error = f"SQLite could not run this search even as plain words: {e}"
        return
    if not datasette.setting("allow_facet"):
        return
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


async def _ranked_page(db, result: SearchResult, where: Where, fts: str) -> None:
    params = {**where.params, "q": fts, "limit": result.size + 1,
              "offset": result.offset, "mark_open": MARK_OPEN, "mark_close": MARK_CLOSE}
    rows = (await db.execute(hits_sql(where.clauses), params)).rows
    result.has_next = len(rows) > result.size
    result.rows = [dict(r) for r in rows[:result.size]]
    for r in result.rows:
        r["snippet"] = safe_snippet(r["snippet"], r.pop("marks_in_text"))


async def _exports(datasette, request, database: str, query: FtsQuery | None,
                   pairs) -> dict[str, str]:
    """Links returning exactly the selected rows, with provenance columns (the figures
    export only for an actor who may read figures)."""
    if not query or not query.fts:
        return {}
    carried = [(k, v) for k, v in pairs
               if is_selection_arg(k)]
    view = "paragraphs_provenance"
    # Datasette's own _search works on a view only where the metadata names its FTS table
    # (keyed by database name), and lets facets take their fast path; elsewhere our
    # _match selection gives the same rows.
    async def searched(table: str) -> list[tuple[str, str]]:
        if await searchable(datasette, database, table):
            return [("_search", query.fts), ("_searchmode", "raw")]
        return [("_match", query.fts)]

    search = await searched(view)
    # Every row in one CSV where the instance allows streaming; else the first page.
    every = ([("_stream", "on"), ("_size", "max")] if datasette.setting("allow_csv_stream")
             else [("_size", "max")])
    every.append(("_dl", "on"))  # a file to save, not text in the browser tab
    out = {
        "ranked_csv": urls.search(datasette, database, [("q", query.text)] + carried, "csv"),
        "csv": urls.table(datasette, database, view, search + carried + every, "csv"),
        "json": urls.table(datasette, database, view,
                           search + carried + [("_shape", "objects")], "json"),
        "ranked_json": urls.search(datasette, database, [("q", query.text)] + carried, "json"),
        "table": urls.table(datasette, database, view, search + carried),
    }
    figures_visible = await visible_tables(datasette, request.actor, database, ["figures"])
    if figures_visible and not any(k.startswith("_range_") for k, _ in carried):
        # Figures stated in the matching paragraphs (figure selections keep only
        # figures with that value; range selections name paragraph columns).
        out["figures_csv"] = urls.table(datasette, database, "figures_provenance",
                                        await searched("figures_provenance") + carried
                                        + every, "csv")
    return out


def _row_json(datasette, database: str, row: dict) -> dict:
    out = {k: v for k, v in row.items() if k != "snippet"}
    out["snippet"] = str(row["snippet"])
    out["snippet_text"] = str(row["snippet"].striptags()) if row["snippet"] else ""
    out["paragraph_url"] = urls.row(datasette, database, "paragraphs", row["id"])
    out["article_url"] = urls.row(datasette, database, "articles", row["article_id"])
    out["compare_url"] = compare_url(datasette, database, row["article_id"])
    out["read_url"] = read_url(datasette, database, row["article_id"])
    return out


def read_url(datasette, database: str, article_id: int) -> str:
    """The article's paragraphs in order, on one page (to read the whole report)."""
    return urls.table(datasette, database, "paragraphs",
                      [("article_id", article_id), ("_sort", "position"), ("_size", "max")])


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
             if is_selection_arg(k)]
    return [{"description": d, "remove_url": urls.with_args(datasette, request, remove={k: v})}
            for d, (k, v) in zip(where.descriptions, pairs)]


def _context(datasette, request, database: str, result: SearchResult, where: Where,
             exports: dict, selections) -> dict:
    hidden = [(k, v) for k, v in urllib.parse.parse_qsl(request.query_string)
              if (k.startswith(("_facet", "_size")) or is_selection_arg(k))]
    return {
        "datasette_version": DATASETTE_VERSION,  # the footer's (0.65 leaves it to views)
        "database": database,
        "q": result.query.text if result.query else "",
        "query": result.query,
        "result": result,
        "hidden_args": hidden,
        "selections": _selections(datasette, request, where),
        "exports": exports,
        "csv_stream": datasette.setting("allow_csv_stream"),
        "max_rows": datasette.setting("max_returned_rows"),
        "max_csv_mb": datasette.setting("max_csv_mb"),
        "next_url": _page_url(datasette, request, result.offset + result.size)
        if result.has_next else None,
        "previous_url": _page_url(datasette, request, max(result.offset - result.size, 0))
        if result.offset > 0 else None,
        "first_url": _page_url(datasette, request, 0),
        "next_count": min(result.size, result.count - result.offset - result.size)
        if result.count is not None else result.size,
        "facet_size_max_url": urls.with_args(datasette, request, remove=["_facet_size"],
                                             add=[("_facet_size", "max")]),
        "action": urls.search(datasette, database),
        "json_url": urls.search(datasette, database,
                                urllib.parse.parse_qsl(request.query_string), "json"),
        "article_url": lambda article_id: urls.row(datasette, database, "articles", article_id),
        "compare_url": lambda article_id: compare_url(datasette, database, article_id),
        "paragraph_url": lambda pid: urls.row(datasette, database, "paragraphs", pid),
        "read_url": lambda article_id: read_url(datasette, database, article_id),
        "database_url": urls.database(datasette, database),
        "stylesheet": urls.static(datasette, "reportcorpus.css"),
    }
