"""Selections that narrow corpus rows by their article, their figures or a numeric range.

Long because one table of arguments (below) is read here for every kind of selection:
parsing, checking (each error naming its argument) and the SQL each one adds.

Every custom facet value links to one of these query arguments; the same arguments
narrow the rows through Datasette's ``filters_from_request`` hook, so the table page,
its ``.json`` and its ``.csv`` (also ``_stream=on``) all return exactly the selected rows.

================================  ===========================================================
Argument                          Keeps rows ...
================================  ===========================================================
``_article_outlet=Tidewater``     whose article's outlet is that value
``_article_year=2026``            whose article was published in that year
``_article_month=2026-03``        ... in that month
``_article_story=4``              whose article belongs to story 4 (``stories.id``)
``_article_key=9c41e07b2d5fa816`` of that article (the title facet selects by stable key)
``_article_byline=...``           (also ``convention``, ``published``: exact article columns)
``_figure_object=soldier``        that hold a figure counting that object
``_figure_kind=count``            (also ``event``, ``hedge``, ``unit``)
``_range_word_count=10-99``       whose own numeric column lies in the range:
                                  ``A-B`` means A <= v < B+1 (a fraction belongs to the range
                                  of its integer part), ``A`` means A <= v < A+1, ``<0`` v < 0
``_match=strike NOT pay``         whose paragraph matches the full-text query (FTS5 syntax,
                                  as the search page runs it): what its table-order exports
                                  carry, so they hold the searched rows on any database,
                                  whatever the metadata says
================================  ===========================================================

Repeating an argument, or combining several, keeps rows meeting all of them, as core
Datasette's column filters do. Two ``_figure_`` arguments are independent: a paragraph
holding a soldier figure and (elsewhere) a kill figure matches ``_figure_object=soldier
&_figure_event=kill``; this is what makes every facet count equal the number of rows its
link returns.

Which tables take which selections is fixed by :data:`RELATIONS`; the article and figure
selections read ``articles`` and ``figures``, so they need the actor to see those tables
(403 otherwise), and the provenance views need their base tables visible.
"""

from __future__ import annotations

import json
import re
import sqlite3
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass

from datasette import Forbidden
from datasette.database import QueryInterrupted
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite
from datasette.utils.asgi import BadRequest

from ..compat import table_config
from ..corpus import is_corpus
from ..permissions import can_view_table

ARTICLE_PREFIX = "_article_"
FIGURE_PREFIX = "_figure_"
RANGE_PREFIX = "_range_"
MATCH_ARG = "_match"


def is_selection_arg(key: str) -> bool:
    """Whether a query-string argument is one of the selections below (carried from page
    to page and into exports)."""
    return key.startswith((ARTICLE_PREFIX, FIGURE_PREFIX, RANGE_PREFIX)) or key == MATCH_ARG


@dataclass(frozen=True)
class ArticleDimension:
    """A way of grouping rows by their article: ``expr`` over ``articles a``."""

    name: str
    expr: str
    arg: str
    label: str | None = None  # SQL for a readable label, when the value is an id or key
    description: str = ""

    @property
    def param(self) -> str:
        return ARTICLE_PREFIX + self.arg


ARTICLE_DIMENSIONS: dict[str, ArticleDimension] = {
    d.name: d
    for d in [
        ArticleDimension("outlet", "a.outlet", "outlet", description="outlet"),
        ArticleDimension("year", "substr(a.published, 1, 4)", "year",
                         description="publication year"),
        ArticleDimension("month", "substr(a.published, 1, 7)", "month",
                         description="publication month"),
        ArticleDimension("story", "a.story_id", "story", description="story"),
        ArticleDimension("title", "a.key", "key", label="a.title", description="article"),
        ArticleDimension("byline", "a.byline", "byline", description="byline"),
        ArticleDimension("convention", "a.convention", "convention",
                         description="paragraph convention"),
        ArticleDimension("published", "a.published", "published", description="publication date"),
    ]
}
# Selection argument suffix -> dimension (the title facet selects by key).
ARTICLE_ARGS: dict[str, ArticleDimension] = {d.arg: d for d in ARTICLE_DIMENSIONS.values()}
FIGURE_COLUMNS = ("object", "kind", "event", "hedge", "unit")


@dataclass(frozen=True)
class Relation:
    """How rows of a corpus table reach their article and their figures.

    ``article_key``: the row's column holding ``articles.id``. ``figure_owner``: the
    ``figures`` column naming the row (``paragraph_id``, ``article_id``), or None when
    rows *are* figures and carry the figure columns themselves. ``reads``: tables the
    rows come from, which the actor must be allowed to see.
    """

    article_key: str
    figure_owner: str | None
    reads: tuple[str, ...]


RELATIONS: dict[str, Relation] = {
    "articles": Relation("id", "article_id", ("articles",)),
    "paragraphs": Relation("article_id", "paragraph_id", ("paragraphs",)),
    "paragraphs_provenance": Relation("article_id", "paragraph_id", ("paragraphs", "articles")),
    "figures": Relation("article_id", None, ("figures",)),
    "figures_provenance": Relation("article_id", None, ("figures", "paragraphs", "articles")),
}

# ASCII digits only (``\d`` would take "٣"), at most 30 of them each side of the point.
_NUMBER = r"-?[0-9]{1,30}(?:\.[0-9]{1,30})?"
_RANGE_RE = re.compile(rf"^\s*(<)?\s*({_NUMBER})\s*(?:-\s*({_NUMBER}))?\s*$")


def parse_range(key: str) -> tuple[float | None, float | None]:
    """``"10-99"`` -> ``(10, 100)``; ``"0"`` -> ``(0, 1)``; ``"<0"`` -> ``(None, 0)``.

    Returns the inclusive lower and exclusive upper bound. Raises ValueError for
    anything else, so a mistyped URL says so instead of matching nothing (the caller
    puts the argument's name in front).

    >>> parse_range("100-999")
    (100.0, 1000.0)
    >>> parse_range("<1e5")
    Traceback (most recent call last):
    ...
    ValueError: not a range: '<1e5' (expected e.g. 10-99, 0 or <0)
    """
    m = _RANGE_RE.match(key)
    if not m or (m.group(1) and m.group(3) is not None):
        raise ValueError(f"not a range: {key[:100]!r} (expected e.g. 10-99, 0 or <0)")
    if m.group(1):
        return None, float(m.group(2))
    lo = float(m.group(2))
    hi = float(m.group(3)) if m.group(3) is not None else lo
    if hi < lo:
        raise ValueError(f"range {key[:100]!r} ends before it starts")
    return lo, hi + 1


@dataclass
class Selection:
    """One selected value: ``kind`` is article, figure or range; ``name`` its dimension."""

    kind: str
    name: str
    value: str


def selections_from_args(pairs: Iterable[tuple[str, str]]) -> list[Selection]:
    """The article/figure/range selections among query-string pairs, in order.

    Unknown dimensions raise ValueError: a typo must not silently select everything.
    """
    out: list[Selection] = []
    checked = (("article", ARTICLE_PREFIX, ARTICLE_ARGS), ("figure", FIGURE_PREFIX, FIGURE_COLUMNS),
               ("range", RANGE_PREFIX, None))
    for key, value in pairs:
        if key == MATCH_ARG:
            if not value.strip():
                raise ValueError(f"{MATCH_ARG} needs a full-text query")
            out.append(Selection("match", "text", value))
            continue
        for kind, prefix, allowed in checked:
            if not key.startswith(prefix):
                continue
            name = key[len(prefix):]
            if allowed is not None and name not in allowed:
                raise ValueError(f"unknown {kind} selection {key}; "
                                 f"use one of {', '.join(prefix + a for a in allowed)}")
            out.append(Selection(kind, name, value))
            break
    return out


@dataclass
class Where:
    """SQL conditions over one row source, with named parameters and readable descriptions."""

    clauses: list[str]
    params: dict[str, object]
    descriptions: list[str]
    reads: set[str]


def where_for(relation: Relation | None, selections: list[Selection], columns: Iterable[str],
              alias: str = "", prefix: str = "rc") -> Where:
    """Conditions keeping the rows of a table with ``relation`` that match every selection.

    ``alias`` qualifies the row's own columns (``"p."`` inside a join). ``columns`` are
    the table's columns, to check range selections against. Raises ValueError for a
    selection this table cannot take.
    """
    columns = set(columns)
    where = Where([], {}, [], set())
    for i, sel in enumerate(selections):
        p = f"{prefix}_{i}"
        if relation is None and sel.kind != "range":
            raise ValueError(f"{sel.kind} selections only apply to the tables of a report "
                             f"corpus ({', '.join(RELATIONS)})")
        if sel.kind == "article":
            dim = ARTICLE_ARGS[sel.name]
            where.clauses.append(
                f"{alias}{escape_sqlite(relation.article_key)} in "
                f"(select a.id from articles a where {dim.expr} = :{p})"
            )
            where.params[p] = sel.value
            where.descriptions.append(f'{dim.description} is "{sel.value}"')
            where.reads.add("articles")
        elif sel.kind == "figure":
            col = escape_sqlite(sel.name)
            if relation.figure_owner is None:
                where.clauses.append(f"{alias}{col} = :{p}")
            else:
                where.clauses.append(
                    f"{alias}id in (select {relation.figure_owner} from figures "
                    f"where {col} = :{p})"
                )
                where.reads.add("figures")
            where.params[p] = sel.value
            where.descriptions.append(f'holds a figure whose {sel.name} is "{sel.value}"')
        elif sel.kind == "match":
            hits = f"select rowid from paragraphs_fts where paragraphs_fts match :{p}"
            if relation.figure_owner == "paragraph_id":  # rows are paragraphs
                where.clauses.append(f"{alias}id in ({hits})")
            elif relation.figure_owner is None:  # rows are figures
                where.clauses.append(f"{alias}paragraph_id in ({hits})")
            else:  # rows are articles
                where.clauses.append(
                    f"{alias}id in (select article_id from paragraphs where id in ({hits}))")
            where.reads.add("paragraphs")  # the index holds the paragraphs' text
            where.params[p] = sel.value
            where.descriptions.append(f'text matches "{sel.value}"')
        elif sel.kind == "range":
            arg = RANGE_PREFIX + sel.name
            if sel.name not in columns:
                raise ValueError(f"{arg}: cannot select a range of {sel.name[:100]}:"
                                 " no such column")
            try:
                lo, hi = parse_range(sel.value)
            except ValueError as e:
                raise ValueError(f"{arg}: {e}") from None
            col = alias + escape_sqlite(sel.name)
            parts = []
            if lo is not None:
                parts.append(f"{col} >= :{p}_lo")
                where.params[f"{p}_lo"] = lo
            parts.append(f"{col} < :{p}_hi")
            where.params[f"{p}_hi"] = hi
            where.clauses.append(" and ".join(parts))
            label = range_label(sel.value)
            joiner = " " if label.startswith(("under ", "below ")) else " in "
            where.descriptions.append(f"{sel.name}{joiner}{label}")
    return where


# Selections whose value is an id or key, and how to say what it names instead.
_NAMED_BY = {"story": ("stories", "select label from stories where id = :v"),
             "key": ("articles", "select title from articles where key = :v")}


async def check_matches(db, selections: list[Selection]) -> None:
    """ValueError naming ``_match`` for a full-text query FTS5 refuses (a syntax error
    would otherwise surface later, as an error of the whole page or of ``q``). The query
    is tried on the index for one row; one that takes too long is left to the page."""
    for sel in selections:
        if sel.kind != "match":
            continue
        try:
            await db.execute("select rowid from paragraphs_fts where paragraphs_fts match :q"
                             " limit 1", {"q": sel.value})
        except QueryInterrupted:
            continue
        except sqlite3.OperationalError as e:
            raise ValueError(f"{MATCH_ARG}: not a full-text query SQLite can read ({e})"
                             ) from None


async def name_selected(datasette, actor, database: str, selections: list[Selection],
                        where: Where) -> None:
    """Put the story's label or the article's title in the descriptions of selections
    that name them by id or key (``story is "Skarrow Deep · roof" (4)``), where the
    actor may read the table holding the name."""
    db = datasette.get_database(database)
    for i, sel in enumerate(selections):
        if sel.kind != "article" or sel.name not in _NAMED_BY or i >= len(where.descriptions):
            continue
        table, sql = _NAMED_BY[sel.name]
        if not await can_view_table(datasette, actor, database, table):
            continue
        rows = (await db.execute(sql, {"v": sel.value})).rows
        if rows and rows[0][0]:
            dim = ARTICLE_ARGS[sel.name]
            where.descriptions[i] = f'{dim.description} is "{rows[0][0]}" ({sel.value})'


def range_label(key: str) -> str:
    """A readable form of a range key: ``"1000-9999"`` -> ``"1,000–9,999"``."""
    try:
        lo, hi = parse_range(key)
    except ValueError:
        return key
    if lo is None:
        return f"below {_num(hi)}"
    if hi - lo == 1:
        return "under 1" if lo == 0 and key.strip() == "0" else _num(lo)
    return f"{_num(lo)}–{_num(hi - 1)}"


def _num(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


async def filter_arguments(request, database: str, table: str, datasette) -> FilterArguments:
    """The ``filters_from_request`` result for one table page.

    Only in a corpus database: there range selections work on any table with that
    column, article and figure selections on the corpus tables of :data:`RELATIONS` (400
    elsewhere in the corpus, rather than returning every row as if the selection had
    applied). Another database's pages are left to core, which ignores these arguments.
    """
    if not await is_corpus(datasette, database):
        return FilterArguments([])
    relation = RELATIONS.get(table)
    pairs = _request_pairs(request)
    check_facet_json(pairs)
    next_arg = request.args.get("_next")
    if next_arg and not (next_arg.isascii() and next_arg.isdigit()) \
            and table in await datasette.get_database(database).view_names():
        # A view's page cursor is an offset: core would answer a 500 (int() of it).
        raise BadRequest(f"_next must be the offset of a page, a whole number from 0,"
                         f" not {next_arg[:100]!r}")
    try:
        selections = selections_from_args(pairs)
    except ValueError as e:
        raise BadRequest(str(e))
    extra_reads: set[str] = set(relation.reads) - {table} if relation else set()
    if relation and any(k == "_search" or k.startswith("_search_") for k, _ in pairs):
        # metadata.yml points the corpus tables' search at the paragraphs' index: a
        # search of figures or articles reads paragraph text.
        extra_reads.add("paragraphs")
        if not await searchable(datasette, database, table):
            # Core would ignore it and return (and export) every row.
            raise BadRequest(f"_search does not apply to {table} here (no full-text index"
                             f" is configured for it): use {MATCH_ARG}=<words> to keep the"
                             f" {table} rows whose paragraphs match")
    if selections:
        try:
            columns = await datasette.get_database(database).table_columns(table)
            where = where_for(relation, selections, columns)
            await check_matches(datasette.get_database(database), selections)
        except ValueError as e:
            raise BadRequest(str(e))
        extra_reads |= where.reads - {table}
    else:
        where = Where([], {}, [], set())
    await _ensure_visible(datasette, request.actor, database, extra_reads)
    if selections:
        await name_selected(datasette, request.actor, database, selections, where)
    return FilterArguments(where.clauses, where.params, where.descriptions)


async def searchable(datasette, database: str, table: str) -> bool:
    """Whether ``?_search=`` filters this table page (a view or a table without its own
    index needs its fts_table set in the metadata or configuration of this database)."""
    if (await table_config(datasette, database, table)).get("fts_table"):
        return True
    return bool(await datasette.get_database(database).fts_table(table))


def check_facet_json(pairs) -> None:
    """400 for a ``_facet_*={...}`` argument that is not JSON: Datasette's facets read
    every such argument and would fail with a 500 (this runs before them)."""
    for key, value in pairs:
        if key.startswith("_facet") and value.startswith("{"):
            try:
                json.loads(value)
            except ValueError as e:
                raise BadRequest(f"{key}: not a facet name nor valid JSON ({e})") from None


async def _ensure_visible(datasette, actor, database: str, tables: set[str]) -> None:
    # The table page already checked the table itself; views and selections also
    # read other tables, whose rows must not leak through counts or exports.
    for t in sorted(tables):
        if not await can_view_table(datasette, actor, database, t):
            raise Forbidden(f"You do not have permission to view {database}.{t}")


def _request_pairs(request) -> list[tuple[str, str]]:
    return urllib.parse.parse_qsl(request.query_string, keep_blank_values=False)
