"""What a search shows: its JSON (in Datasette's ``_shape``\\ s), the page's template
context and the export links, made from a :class:`.request.SearchRequest` and the
:class:`.view.SearchResult` it found. Nothing here reads the request or runs SQL.
"""

from __future__ import annotations

from datasette.utils.asgi import Response

from .. import shapes, urls
from ..compat import DATASETTE_VERSION, IS_1_0
from ..facets.filters import ARTICLE_DIMENSIONS, FIGURE_COLUMNS, searchable
from ..shapes import with_extras
from ..urls import compare_url
from .query import FtsQuery
from .request import SearchRequest

# Facets the search page can add (the "add a facet" links), besides the defaults: every
# article dimension, every figure column (for an actor who may read figures), and the
# ranges of the paragraphs' numeric columns.
RANGE_FACETS = {"word_count": "words in the paragraph", "position": "position in its report"}
# The keys of each row of the JSON, in order (``_shape=arrays`` lists them as columns).
ROW_COLUMNS = ("id", "article_id", "position", "word_count", "rank", "article_key",
               "article_title", "outlet", "published", "url", "path", "text", "snippet",
               "snippet_text", "paragraph_url", "article_url", "article_page_url", "compare_url",
               "read_url")


def shaped(data: dict, search: SearchRequest, status: int) -> Response:
    """The search JSON in Datasette's ``_shape`` (see :mod:`..shapes`): ``objects`` (rows as
    objects), ``arrays`` (rows as lists, with ``columns``), ``array`` (the rows alone; with
    ``_nl=on`` one JSON object a line) or ``object`` (rows keyed by paragraph id); on 1.0
    with ``_extra`` only ``ok``, ``next``, ``next_url``, ``rows`` and the keys it names. An
    error keeps the whole object, as Datasette's do."""
    if status == 200:
        data = with_extras(data, None if search.extras is None else set(search.extras))
    return shapes.shaped(data, "rows", search.shape, search.nl, status, ROW_COLUMNS)


async def exports(datasette, search: SearchRequest, query: FtsQuery | None) -> dict[str, str]:
    """Links returning exactly the selected rows, with provenance columns (the figures
    export only for an actor who may read figures). ``query`` is the query as run (a
    query FTS5 refused runs as its plain words)."""
    if not query or not query.fts:
        return {}
    database = search.database
    carried = list(search.selections)
    view = "paragraphs_provenance"

    # Datasette's own _search works on a view only where the metadata names its FTS table
    # (keyed by database name), and lets facets take their fast path; elsewhere our
    # _match selection gives the same rows.
    async def searched(table: str) -> list[tuple[str, str]]:
        if await searchable(datasette, database, table):
            return [("_search", query.fts), ("_searchmode", "raw")]
        return [("_match", query.fts)]

    search_args = await searched(view)
    # Every row in one CSV where the instance allows streaming; else the first page.
    every = ([("_stream", "on"), ("_size", "max")] if datasette.setting("allow_csv_stream")
             else [("_size", "max")])
    every.append(("_dl", "on"))  # a file to save, not text in the browser tab
    ranked_every = ([("_stream", "on")] if datasette.setting("allow_csv_stream")
                    else [("_size", "max")]) + [("_dl", "on")]
    out = {
        "ranked_csv": urls.search(datasette, database,
                                  [("q", query.text)] + carried + ranked_every, "csv"),
        "csv": urls.table(datasette, database, view, search_args + carried + every, "csv"),
        "json": urls.table(datasette, database, view,
                           search_args + carried + [("_shape", "objects")], "json"),
        "ranked_json": urls.search(datasette, database, [("q", query.text)] + carried, "json"),
        "table": urls.table(datasette, database, view, search_args + carried),
    }
    if "figures" in search.readable and not any(k.startswith("_range_") for k, _ in carried):
        # Figures stated in the matching paragraphs (figure selections keep only
        # figures with that value; range selections name paragraph columns).
        out["figures_csv"] = urls.table(datasette, database, "figures_provenance",
                                        await searched("figures_provenance") + carried
                                        + every, "csv")
    return out


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


def json_data(datasette, request, search: SearchRequest, result, exports: dict) -> dict:
    """The search JSON (``request`` only makes ``next_url`` absolute)."""
    q = result.query
    database = search.database
    next_offset = result.offset + result.size
    return {
        "ok": result.error is None,
        "database": database,
        "q": q.text if q else "",
        "query": {"fts": q.fts, "mode": q.mode, "message": q.message} if q else None,
        "error": result.error,
        "count": result.count,
        "count_truncated": result.count_truncated,
        "rows": [_row_json(datasette, database, r) for r in result.rows],
        "next": str(next_offset) if result.has_next else None,
        "next_url": datasette.absolute_url(request, search.page_link(datasette, next_offset))
        if result.has_next else None,
        "selections": selections(datasette, search),
        **_facet_json(result),
        "suggested_facets": result.suggested_facets,
        "exports": exports,
    }


def _facet_json(result) -> dict:
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


def selections(datasette, search: SearchRequest) -> list[dict]:
    """Each selection in words, with a link removing it."""
    return [{"description": d, "remove_url": search.link(datasette, remove={k: v})}
            for d, (k, v) in zip(search.descriptions, search.selections)]


def _add_facets(datasette, search: SearchRequest, result) -> list[dict]:
    """The search page's "add a facet" links: each facet it offers and does not show,
    in groups (``{"group": ..., "links": [{"label", "url", "type", "name"}]}``)."""
    if not datasette.setting("allow_facet") or not (result.query and result.query.fts):
        return []
    shown = {(f["type"], f["name"]) for f in result.facets}
    shown |= {(k[len("_facet_"):], v) for k, v in search.facets}
    offered = [("by article", "article", {n: d.description for n, d in ARTICLE_DIMENSIONS.items()})]
    if "figures" in search.readable:
        offered.append(("by the figures they state", "figure", {c: c for c in FIGURE_COLUMNS}))
    offered.append(("by range", "range", RANGE_FACETS))
    groups = []
    for group, kind, names in offered:
        links = [{"type": kind, "name": name, "label": label,
                  "url": search.link(datasette, add=[(f"_facet_{kind}", name)])}
                 for name, label in names.items() if (kind, name) not in shown]
        if links:
            groups.append({"group": group, "links": links})
    return groups


def context(datasette, search: SearchRequest, result, exports: dict) -> dict:
    """The template context of ``reportcorpus/search.html``."""
    database = search.database
    return {
        "datasette_version": DATASETTE_VERSION,  # the footer's (0.65 leaves it to views)
        "database": database,
        "q": result.query.text if result.query else "",
        "query": result.query,
        "result": result,
        "hidden_args": list(search.hidden_args),
        "selections": selections(datasette, search),
        "add_facets": _add_facets(datasette, search, result),
        "exports": exports,
        "csv_stream": datasette.setting("allow_csv_stream"),
        "max_rows": datasette.setting("max_returned_rows"),
        "max_csv_mb": datasette.setting("max_csv_mb"),
        "next_url": search.page_link(datasette, result.offset + result.size)
        if result.has_next else None,
        "previous_url": search.page_link(datasette, max(result.offset - result.size, 0))
        if result.offset > 0 else None,
        "first_url": search.page_link(datasette, 0),
        "next_count": min(result.size, result.count - result.offset - result.size)
        if result.count is not None and not result.count_truncated else result.size,
        "facet_size_max_url": search.link(datasette, remove=["_facet_size"],
                                          add=[("_facet_size", "max")]),
        "action": urls.search(datasette, database),
        "json_url": urls.search(datasette, database, search.given, "json"),
        "article_url": lambda article_id: urls.row(datasette, database, "articles", article_id),
        "article_page_url": lambda article_id: urls.article(datasette, database, article_id),
        "compare_url": lambda article_id: compare_url(datasette, database, article_id),
        "paragraph_url": lambda pid: urls.row(datasette, database, "paragraphs", pid),
        "read_url": lambda article_id: read_url(datasette, database, article_id),
        "database_url": urls.database(datasette, database),
        "stylesheet": urls.static(datasette, "reportcorpus.css"),
    }
