"""A search request read once: :func:`read_search` checks every argument of
``/<db>/-/search`` (HTML, ``.json``, ``.csv``) and returns a :class:`SearchRequest`,
the one value the view, the SQL and the export take. A bad argument is a 400 naming it.

Arguments: ``q`` (the search, see :mod:`.query`); the ``_article_*``, ``_figure_*``,
``_range_*`` and ``_match`` selections (see :mod:`..facets.filters`); ``_facet_article``,
``_facet_figure``, ``_facet_range`` (more facets; refused with ``allow_facet`` off) and
``_facet_size``; ``_size`` (page size: 20 by default, at most 100 or
``max_returned_rows`` if lower, ``max`` for that limit; for the CSV at most
``max_returned_rows``) and ``_next`` (the offset of the page); ``_nosuggest``,
``_nofacet`` and ``_nocount``, as on Datasette's table pages, leave out the facet
suggestions, the facets (and suggestions) and the count, for a client that needs only
the ranked rows. The JSON
takes ``_shape`` (``objects``, ``arrays``, ``array``, ``object``) and ``_nl``; the CSV
``_stream``, ``_dl`` and ``_bom``.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from datasette.utils.asgi import BadRequest

from .. import urls
from ..facets.filters import (
    ARTICLE_DIMENSIONS,
    FIGURE_COLUMNS,
    RELATIONS,
    check_facet_json,
    check_matches,
    is_selection_arg,
    name_selected,
    selections_from_args,
    where_for,
)
from ..http import SQLITE_MAX_INT
from ..permissions import ensure_tables, visible_tables
from ..shapes import SEARCH_EXTRAS, requested_extras
from .query import FtsQuery, parse_query
from .sql import SearchSql

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SHAPES = ("objects", "arrays", "array", "object")
FACET_ARGS = {"_facet_article": ARTICLE_DIMENSIONS, "_facet_figure": FIGURE_COLUMNS,
              "_facet_range": None}
# Tables besides paragraphs and articles that a search may show or read, where the actor
# may see them: figures (facets, the figures export), stories (their labels).
OPTIONAL_TABLES = ("figures", "stories")

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SearchRequest:
    """One search, as asked for: what to find, how to narrow it, which page, which form."""

    database: str
    format: str                 # "html", "json" or "csv"
    query: FtsQuery | None      # None when q is empty
    sql: SearchSql              # the statements, narrowed by the selections
    selections: Pairs           # the selection arguments as given, in order
    descriptions: tuple[str, ...]  # each selection in words, in the same order
    facets: Pairs               # the _facet_* arguments asked for
    size: int
    offset: int
    readable: frozenset[str]    # the OPTIONAL_TABLES the actor may read
    path: str                   # the page's path without base_url
    args: Pairs                 # every argument as given (blank ones too), for links
    shape: str = "objects"
    nl: bool = False
    suggest: bool = True        # _nosuggest leaves the facet suggestions out
    facet: bool = True          # _nofacet leaves the facets out (as on table pages)
    count: bool = True          # _nocount leaves the count out
    stream: bool = False
    download: bool = False
    bom: bool = False
    extras: frozenset[str] | None = None  # 1.0's _extra: the JSON keys asked for beyond rows

    @property
    def text(self) -> str:
        return self.query.text if self.query else ""

    @property
    def searched(self) -> bool:
        """Whether the query holds something to search for."""
        return bool(self.query and self.query.fts)

    @property
    def given(self) -> Pairs:
        """The arguments with a value, as given."""
        return tuple((k, v) for k, v in self.args if v)

    @property
    def hidden_args(self) -> Pairs:
        """What the search form carries besides ``q``: facets, page size, selections."""
        return tuple((k, v) for k, v in self.given
                     if k.startswith(("_facet", "_size")) or is_selection_arg(k))

    def link(self, datasette, add: Iterable[tuple[str, object]] | Mapping = (),
             remove: Mapping[str, object] | Iterable[str] = ()) -> str:
        """This page with arguments removed (a mapping drops only that key=value pair, an
        iterable of keys every value of them), then added; ``_next`` always dropped, as
        a changed search starts at its first page; prefixed with ``base_url`` once."""
        pairs = list(self.args)
        if isinstance(remove, Mapping):
            drop = {(k, str(v)) for k, v in remove.items()}
            pairs = [(k, v) for k, v in pairs if (k, v) not in drop]
        else:
            keys = set(remove)
            pairs = [(k, v) for k, v in pairs if k not in keys]
        pairs = [(k, v) for k, v in pairs if k != "_next"]
        added = add.items() if isinstance(add, Mapping) else add
        pairs += [(k, str(v)) for k, v in added]
        query = ("?" + urllib.parse.urlencode(pairs)) if pairs else ""
        return datasette.urls.path(self.path + query)

    def page_link(self, datasette, offset: int) -> str:
        return self.link(datasette, add=[("_next", offset)] if offset else [])


async def read_search(datasette, request, db) -> SearchRequest:
    """The request for ``/<db>/-/search`` as a :class:`SearchRequest`, once the actor may
    read the tables its selections read; 400 naming the first bad argument."""
    args = tuple(urllib.parse.parse_qsl(request.query_string, keep_blank_values=True))
    given = [(k, v) for k, v in args if v]
    fmt = request.url_vars.get("format") or "html"
    try:
        selections = selections_from_args(given)
        # Only a range selection needs the columns (to check the one it names).
        columns = (await db.table_columns("paragraphs")
                   if any(s.kind == "range" for s in selections) else ())
        joined = where_for(RELATIONS["paragraphs"], selections, columns, alias="p.")
        plain = where_for(RELATIONS["paragraphs"], selections, columns)
        await check_matches(db, selections)
    except ValueError as e:
        raise BadRequest(str(e))
    limit = datasette.setting("max_returned_rows")
    size, offset = page_args(_arg(request, "_size"), _arg(request, "_next"),
                             limit if fmt == "csv" else min(MAX_PAGE_SIZE, limit))
    facets = facet_args(given, datasette.setting("allow_facet"))
    await ensure_tables(datasette, request.actor, db.name, sorted(joined.reads))
    await name_selected(datasette, request.actor, db.name, selections, joined)
    text = _arg(request, "q")
    query = parse_query(text) if text else None
    search = SearchRequest(
        database=db.name, format=fmt, query=query,
        sql=SearchSql(tuple(joined.clauses), tuple(plain.clauses), dict(joined.params)),
        selections=tuple((k, v) for k, v in given if is_selection_arg(k)),
        descriptions=tuple(joined.descriptions), facets=facets, size=size, offset=offset,
        readable=frozenset(await visible_tables(datasette, request.actor, db.name,
                                                OPTIONAL_TABLES)),
        path=urls.route_path(request), args=args,
        suggest="_nosuggest" not in request.args and "_nofacet" not in request.args,
        facet="_nofacet" not in request.args, count="_nocount" not in request.args,
    )
    if fmt == "json":
        return _with_json_args(search, request)
    if fmt == "csv":
        return _with_csv_args(search, request, datasette)
    return search


def _arg(request, name: str) -> str:
    return (request.args.get(name) or "").strip()


def page_args(size_arg: str, next_arg: str, limit: int) -> tuple[int, int]:
    """``(size, offset)`` from ``_size`` and ``_next``, or 400 naming the bad one.

    >>> page_args("", "", 100), page_args("max", "40", 100)
    ((20, 0), (100, 40))
    >>> page_args("500", "", 100)
    Traceback (most recent call last):
    ...
    datasette.utils.asgi.BadRequest: _size must be at most 100 (or max), not '500'
    """
    if size_arg == "max":
        size = limit
    else:
        size = _whole(size_arg, "_size", PAGE_SIZE, low=1,
                      what=f"a positive whole number (at most {limit}) or max")
        if size_arg and size > limit:
            raise BadRequest(f"_size must be at most {limit} (or max), not {size_arg[:100]!r}")
    offset = _whole(next_arg, "_next", 0, low=0,
                    what="the offset of a page, a whole number from 0")
    return min(size, limit), offset


def _whole(value: str, name: str, default: int, low: int, what: str) -> int:
    if not value:
        return default
    # ASCII digits only: int() would also read "٣", "1_0" and "+1".
    number = int(value) if value.isascii() and value.isdigit() and len(value) <= 19 else None
    if number is None or not low <= number <= SQLITE_MAX_INT:
        raise BadRequest(f"{name} must be {what}, not {value[:100]!r}")
    return number


def facet_args(pairs, allow_facet: bool) -> Pairs:
    """The ``_facet_*`` arguments asked for, or 400 for one the search cannot show:
    facets turned off, an unknown facet type or name, JSON that does not parse."""
    check_facet_json(pairs)
    asked = []
    for key, value in pairs:
        if not key.startswith("_facet") or key == "_facet_size":
            continue
        if not allow_facet:
            raise BadRequest(f"{key}= is not allowed: facets are turned off (allow_facet)")
        if key not in FACET_ARGS:
            raise BadRequest(f"{key} is not a facet of the search page; use _facet_article, "
                             "_facet_figure or _facet_range")
        known = FACET_ARGS[key]
        if known is not None and value not in known:
            raise BadRequest(f"{key}={value} is not a facet; use one of {', '.join(known)}")
        asked.append((key, value))
    return tuple(asked)


def _with_json_args(search: SearchRequest, request) -> SearchRequest:
    shape = request.args.get("_shape") or "objects"
    if shape not in SHAPES:
        raise BadRequest(f"_shape must be one of {', '.join(SHAPES)}, not {shape!r}")
    search = replace(search, shape=shape, nl=bool(request.args.get("_nl")))
    extras = requested_extras(search.args, SEARCH_EXTRAS)  # computes only what is asked for
    if extras is None:
        return search
    facet = bool(extras & {"facet_results", "suggested_facets"})
    return replace(search, extras=frozenset(extras), count=search.count and "count" in extras,
                   facet=search.facet and facet, suggest=search.suggest and facet
                   and "suggested_facets" in extras)


def _with_csv_args(search: SearchRequest, request, datasette) -> SearchRequest:
    """The CSV's own arguments; the CSV needs a search to rank."""
    if search.query is None:
        raise BadRequest("q is required: the CSV holds the paragraphs a search matches")
    if not search.query.fts:
        raise BadRequest(f"q: {search.query.message}")
    stream = truthy(request.args.get("_stream"))
    if stream and not datasette.setting("allow_csv_stream"):
        raise BadRequest("_stream: this server does not stream CSV exports (its"
                         " allow_csv_stream setting is off); page with _size and _next")
    if stream and request.args.get("_next"):
        raise BadRequest("_stream=on exports every match: it cannot start at _next")
    return replace(search, stream=stream, download=truthy(request.args.get("_dl")),
                    bom=truthy(request.args.get("_bom")))


def truthy(value: str | None) -> bool:
    """Whether a flag argument (``_stream``, ``_dl``, ``_bom``) is on: any value but
    empty, ``0``, ``off``, ``false`` or ``no``.

    >>> truthy("on"), truthy("0"), truthy(None)
    (True, False, False)
    """
    return bool(value) and value.strip().lower() not in ("", "0", "off", "false", "no")
