"""The search page: ``/<db>/-/search?q=...`` (HTML) and ``/<db>/-/search.json``.

Paragraphs matching the query, best first (FTS5 bm25), each with a highlighted
snippet and its article's title, outlet and date; the custom facets over all matching
paragraphs; the selections of :mod:`filters` narrowing them; and links exporting
exactly the same rows as CSV and JSON through the provenance views.

Query arguments: ``q`` (see :mod:`search_sql` for the syntax), ``_size`` (page size,
default 20, at most 100 or the ``max_returned_rows`` setting if lower; ``max`` for that
limit), ``_next`` (offset of the page), ``_facet_article`` / ``_facet_figure`` /
``_facet_range`` (more facets; none with ``allow_facet`` off), and the ``_article_*``,
``_figure_*`` and ``_range_*`` selections. The JSON takes ``_shape`` as Datasette's does
(``objects``, the default; ``arrays``; ``array``, with ``_nl=on`` one row a line;
``object``, keyed by paragraph id); the CSV takes ``_size``/``_next`` (one page),
``_stream=on`` (every match), ``_dl=on`` (a download) and ``_bom=1`` (a UTF-8 byte order
mark, for spreadsheets), see :mod:`search_csv`.

A search holding no word to find (only operators or punctuation) is answered with a 400
whose message names what it holds, in all three formats; the HTML page still shows the
search box.
"""

from __future__ import annotations

import inspect
import json
import sqlite3
import urllib.parse
from dataclasses import dataclass, field

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils.asgi import BadRequest, Response

from . import export as search_csv
from .. import urls
from ..urls import compare_url
from ..compat import DATASETTE_VERSION, IS_1_0
from ..facets.classes import FACET_CLASSES
from ..facets.filters import (
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
from ..permissions import ensure_tables, visible_tables
from ..http import SQLITE_MAX_INT, corpus_database, refuse_method, with_cors
from .sql import (
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
# Facets the search page can add (the "add a facet" links), besides the defaults: every
# article dimension, every figure column (for an actor who may read figures), and the
# ranges of the paragraphs' numeric columns.
RANGE_FACETS = {"word_count": "words in the paragraph", "position": "position in its report"}
SHAPES = ("objects", "arrays", "array", "object")
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
    db = await corpus_database(datasette, request, ["paragraphs", "articles"])
    database = db.name
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
    shape = _shape(request) if fmt == "json" else "objects"
    query = parse_query(q) if q else None
    if fmt == "csv":
        return await _csv(datasette, request, db, query, where)
    result = SearchResult(query=query, offset=offset, size=size)
    status = 200
    if query and query.mode == "none":
        # Only operators or punctuation: said so, never run as some other search.
        result.error, status = query.message, 400
    if result.query and result.query.fts:
        await _run_search(datasette, request, db, result, where, row_where)
    exports = await _exports(datasette, request, database, result.query, pairs)
    if fmt == "json":
        data = _json(datasette, request, database, result, where, exports)
        if status != 200:
            data["status"] = status
        return with_cors(datasette, _shaped(data, shape, request, status))
    figures = bool(await visible_tables(datasette, request.actor, database, ["figures"]))
    return with_cors(datasette, Response.html(await datasette.render_template(
        "reportcorpus/search.html",
        _context(datasette, request, database, result, where, exports, selections, figures),
        request=request,
    ), status=status))


def _shape(request) -> str:
    """The ``_shape`` asked for (``objects`` by default), or 400 naming the allowed ones."""
    shape = request.args.get("_shape") or "objects"
    if shape not in SHAPES:
        raise BadRequest(f"_shape must be one of {', '.join(SHAPES)}, not {shape!r}")
    return shape


def _shaped(data: dict, shape: str, request, status: int) -> Response:
    """The search JSON in Datasette's ``_shape``: ``objects`` (rows as objects),
    ``arrays`` (rows as lists, with ``columns``), ``array`` (the rows alone, a list; with
    ``_nl=on`` one JSON object a line) or ``object`` (rows keyed by paragraph id). An
    error keeps the whole object, as Datasette's do."""
    if shape == "objects" or status != 200:
        return Response.json(data, status=status)
    rows = data["rows"]
    if shape == "arrays":
        data["columns"] = list(ROW_COLUMNS)
        data["rows"] = [[r.get(c) for c in ROW_COLUMNS] for r in rows]
        return Response.json(data, status=status)
    if shape == "object":
        return Response.json({str(r["id"]): r for r in rows}, status=status)
    if request.args.get("_nl"):
        body = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
        return Response(body, content_type="text/plain; charset=utf-8")
    return Response.json(rows, status=status)




async def _csv(datasette, request, db, query: FtsQuery | None, where: Where):
    """The ranked CSV export (see :mod:`search_csv`): one page as ``_size``/``_next`` ask
    (``max`` is ``max_returned_rows``), or with ``_stream=on`` every match."""
    if query is None:
        raise BadRequest("q is required: the CSV holds the paragraphs a search matches")
    if not query.fts:
        raise BadRequest(f"q: {query.message}")
    stream = search_csv.truthy(request.args.get("_stream"))
    if stream and not datasette.setting("allow_csv_stream"):
        raise BadRequest("_stream: this server does not stream CSV exports (its"
                         " allow_csv_stream setting is off); page with _size and _next")
    if stream and request.args.get("_next"):
        raise BadRequest("_stream=on exports every match: it cannot start at _next")
    size, offset = _page_args(datasette, request, datasette.setting("max_returned_rows"))
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
    headers = {}
    download = search_csv.truthy(request.args.get("_dl"))
    if download:
        name = search_csv.filename(query.text, selected)
        headers["content-disposition"] = f'attachment; filename="{name}"'
    page = search_csv.Page(offset=0 if stream else offset,
                           size=None if stream else size, total=len(ranked))
    return with_cors(datasette, search_csv.stream(
        datasette, db, ranked, bool(stories), headers, page,
        bom=search_csv.truthy(request.args.get("_bom")), download=download))


def _page_args(datasette, request, limit: int | None = None) -> tuple[int, int]:
    """``(size, offset)`` from ``_size`` and ``_next``, or 400 naming the bad one."""
    if limit is None:
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
        for f in found:  # each facet once, however often the URL asks for it
            if (f["type"], f["name"]) not in {(g["type"], g["name"]) for g in result.facets}:
                result.facets.append(f)
        result.facets_timed_out += [t for t in timed_out if t not in result.facets_timed_out]
        if "_nosuggest" not in request.args:
            result.suggested_facets += await facet.suggest()


async def _ranked_page(db, result: SearchResult, where: Where, fts: str) -> None:
    params = {**where.params, "q": fts, "limit": result.size + 1,
              "offset": result.offset, "mark_open": MARK_OPEN, "mark_close": MARK_CLOSE}
    rows = (await db.execute(hits_sql(where.clauses, with_text=True), params)).rows
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
    ranked_every = ([("_stream", "on")] if datasette.setting("allow_csv_stream")
                    else [("_size", "max")]) + [("_dl", "on")]
    out = {
        "ranked_csv": urls.search(datasette, database,
                                  [("q", query.text)] + carried + ranked_every, "csv"),
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


# The keys of each row of the JSON, in order (``_shape=arrays`` lists them as columns).
ROW_COLUMNS = ("id", "article_id", "position", "word_count", "rank", "article_key",
               "article_title", "outlet", "published", "url", "path", "text", "snippet",
               "snippet_text", "paragraph_url", "article_url", "article_page_url", "compare_url",
               "read_url")


def _row_json(datasette, database: str, row: dict) -> dict:
    out = {k: row[k] for k in ROW_COLUMNS[:12]}
    out["snippet"] = str(row["snippet"])
    out["snippet_text"] = str(row["snippet"].striptags()) if row["snippet"] else ""
    out["paragraph_url"] = urls.row(datasette, database, "paragraphs", row["id"])
    out["article_url"] = urls.row(datasette, database, "articles", row["article_id"])
    out["article_page_url"] = urls.article(datasette, database, row["article_id"])
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
        **_facet_json(result),
        "suggested_facets": result.suggested_facets,
        "exports": exports,
    }


def _facet_json(result: SearchResult) -> dict:
    """The facets as the table JSON of this Datasette line has them: on 1.0
    ``facet_results: {"results": {name: facet}, "timed_out": [...]}``, on 0.65
    ``facet_results: {name: facet}`` beside ``facets_timed_out``. A name two facets share
    gets ``_2`` as in core."""
    keyed: dict[str, dict] = {}
    for f in result.facets:
        key, i = f["name"], 1
        while key in keyed:
            i += 1
            key = f"{f['name']}_{i}"
        keyed[key] = f
    if IS_1_0:
        return {"facet_results": {"results": keyed, "timed_out": result.facets_timed_out}}
    return {"facet_results": keyed, "facets_timed_out": result.facets_timed_out}


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


def _add_facets(datasette, request, result: SearchResult, figures: bool) -> list[dict]:
    """The search page's "add a facet" links: each facet it offers and does not show,
    in groups (``{"group": ..., "links": [{"label", "url", "type", "name"}]}``)."""
    if not datasette.setting("allow_facet") or not (result.query and result.query.fts):
        return []
    shown = {(f["type"], f["name"]) for f in result.facets}
    shown |= {(k[len("_facet_"):], v) for k, v in urllib.parse.parse_qsl(request.query_string)
              if k.startswith("_facet_")}
    offered = [("by article", "article", {n: d.description for n, d in ARTICLE_DIMENSIONS.items()})]
    if figures:
        offered.append(("by the figures they state", "figure", {c: c for c in FIGURE_COLUMNS}))
    offered.append(("by range", "range", RANGE_FACETS))
    groups = []
    for group, kind, names in offered:
        links = [{"type": kind, "name": name, "label": label,
                  "url": urls.with_args(datasette, request, add=[(f"_facet_{kind}", name)])}
                 for name, label in names.items() if (kind, name) not in shown]
        if links:
            groups.append({"group": group, "links": links})
    return groups


def _context(datasette, request, database: str, result: SearchResult, where: Where,
             exports: dict, selections, figures: bool = True) -> dict:
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
        "add_facets": _add_facets(datasette, request, result, figures),
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
        "article_page_url": lambda article_id: urls.article(datasette, database, article_id),
        "compare_url": lambda article_id: compare_url(datasette, database, article_id),
        "paragraph_url": lambda pid: urls.row(datasette, database, "paragraphs", pid),
        "read_url": lambda article_id: read_url(datasette, database, article_id),
        "database_url": urls.database(datasette, database),
        "stylesheet": urls.static(datasette, "reportcorpus.css"),
    }
