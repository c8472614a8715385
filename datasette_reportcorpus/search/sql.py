"""The SQL of a search: the ranked page, the count, the matching rows, the CSV ranking.

Pure code (no Datasette): :class:`SearchSql` holds one search's selections and builds
every statement the search view and its CSV export run from them (:func:`hits_sql`,
:func:`count_sql`, :func:`rows_sql`, :func:`ranked_ids_sql`, :func:`provenance_sql`
are its parts); :class:`SearchJoin` and :func:`search_only` let the facets read a
searched table page's rows straight from the FTS5 hits; :func:`safe_snippet` turns
FTS5 snippet output into HTML that cannot carry markup from the article text. What
the user typed is read into an FTS5 query in :mod:`.query`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

# Private-use characters mark matches inside snippets, so the article text can be
# HTML-escaped first and only then given <mark> elements.
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
ELLIPSIS = "…"
SNIPPET_TOKENS = 32

def hits_sql(selection_clauses: list[str], with_text: bool = False) -> str:
    """Ranked paragraphs matching ``:q`` with snippets and their article, a page at a time.

    FTS5 orders by ``rank`` (bm25) itself and SQLite reads the outer loop in that
    order, so snippets are made only for the rows of the page. Parameters: ``:q``,
    ``:limit``, ``:offset``, ``:mark_open``, ``:mark_close``, plus the selections'.
    """
    where = "".join(f"\n  and {c}" for c in selection_clauses)
    text = ", p.text" if with_text else ""
    return f"""select p.id, p.article_id, p.position, p.word_count,
  snippet(paragraphs_fts, 0, :mark_open, :mark_close, '{ELLIPSIS}', {SNIPPET_TOKENS}) as snippet,
  instr(p.text, :mark_open) + instr(p.text, :mark_close) as marks_in_text,
  paragraphs_fts.rank as rank,
  a.key as article_key, a.title as article_title, a.outlet, a.published, a.url,
  a.path{text}
from paragraphs_fts
join paragraphs p on p.id = paragraphs_fts.rowid
join articles a on a.id = p.article_id
where paragraphs_fts match :q{where}
order by paragraphs_fts.rank
limit :limit offset :offset"""


def ranked_ids_sql(selection_clauses: list[str]) -> str:
    """Every matching paragraph's id and bm25 score, best first (ties by id): the order of
    the ranked CSV export, computed once however many pages it is sent in."""
    where = "".join(f"\n  and {c}" for c in selection_clauses)
    return f"""select p.id, paragraphs_fts.rank as bm25
from paragraphs_fts
join paragraphs p on p.id = paragraphs_fts.rowid
join articles a on a.id = p.article_id
where paragraphs_fts match :q{where}
order by paragraphs_fts.rank, p.id"""


def provenance_sql(count: int, with_story: bool) -> str:
    """``count`` paragraphs by id (``?`` each) with their article's provenance and, with
    ``with_story``, their story's label."""
    story = "s.label" if with_story else "null"
    join = "\nleft join stories s on s.id = a.story_id" if with_story else ""
    return f"""select p.id as paragraph_id, p.article_id, a.key as article_key,
  a.title as article_title, a.outlet, a.published, a.url, a.path, a.story_id,
  {story} as story, p.position, p.start, p."end", p.word_count, p.text
from paragraphs p
join articles a on a.id = p.article_id{join}
where p.id in ({",".join("?" * count)})"""


def raw_hits_sql() -> str:
    """The bare FTS5 statement the ranked page is compared with in the benchmark."""
    return f"""select rowid, rank,
  snippet(paragraphs_fts, 0, :mark_open, :mark_close, '{ELLIPSIS}', {SNIPPET_TOKENS})
from paragraphs_fts where paragraphs_fts match :q order by rank limit :limit offset :offset"""


def rows_sql(selection_clauses: list[str]) -> str:
    """The matching paragraphs as a row source (for counts and facets), unordered.

    Without selections this is the shape Datasette gives a table page searched with
    ``?_search=``, which the facets recognise (:func:`search_only`).
    """
    where = "".join(f" and {c}" for c in selection_clauses)
    return ("select * from paragraphs where id in "
            f"(select rowid from paragraphs_fts where paragraphs_fts match :q){where}")


@dataclass(frozen=True)
class SearchJoin:
    """Rows of ``table`` whose ``pk`` is a rowid matching ``match`` in ``fts_table``.

    :meth:`sql` gives the same rows as ``select * from table where pk in (select rowid
    from fts_table where fts_table match ...)``: a full-text index gives each rowid at
    most once, so the join yields each row of ``table`` once or not at all. SQLite
    runs it as one pass over the FTS5 hits with a lookup per hit, where the ``in``
    form first copies every hit into a temporary index. Names are quoted for SQL.
    """

    table: str
    pk: str
    fts_table: str
    match: str  # the MATCH operand: a parameter, or escape_fts() of one

    def sql(self, indexed_by: str | None = None) -> str:
        index = f" indexed by {indexed_by}" if indexed_by else ""
        return (f"select t.* from {self.fts_table} s join {self.table} t{index} "
                f"on t.{self.pk} = s.rowid where s.{self.fts_table} match {self.match}")

    def hits_sql(self) -> str:
        """The matching rowids alone, as the FTS5 index has them."""
        return f"select rowid from {self.fts_table} where {self.fts_table} match {self.match}"


# Datasette's SQL for a table page (and its facets) filtered by ``?_search=`` alone:
# ``select <columns> from <table> where <fts_pk> in (select rowid from <fts_table>
# where <fts_table> match escape_fts(:search)) `` (``:search`` with _searchmode=raw;
# :func:`rows_sql` without selections has the same shape).
_SEARCH_ONLY = re.compile(
    r"select (?P<columns>[^()]+?) from (?P<table>\S+) where (?P<pk>\S+) in "
    r"\(select rowid from (?P<fts>\S+) where (?P=fts) match "
    r"(?P<match>:\w+|escape_fts\(:\w+\))\)\s*",
    re.IGNORECASE,
)


def search_only(sql: str, table: str) -> SearchJoin | None:
    """``sql`` as a :class:`SearchJoin` when its only filter is a full-text search.

    ``table`` is quoted for SQL. Only SQL whose *whole* where clause is the search
    condition qualifies: any other filter, selection, ``_where`` or ``_next``
    condition adds to the clause, and then None tells the caller to use ``sql`` as it
    is. So does a select list naming ``rowid`` (the join's ``t.*`` would lack it).

    >>> sql = ("select id, text from paragraphs where rowid in (select rowid from "
    ...        "paragraphs_fts where paragraphs_fts match escape_fts(:search)) ")
    >>> search_only(sql, "paragraphs").sql()
    'select t.* from paragraphs_fts s join paragraphs t on t.rowid = s.rowid where s.paragraphs_fts match escape_fts(:search)'
    >>> search_only(sql.replace("where rowid", "where id > :p0 and rowid"), "paragraphs")
    """
    m = _SEARCH_ONLY.fullmatch(sql.strip() + " ")
    if (m is None or m["table"] != table
            or re.search(r"\browid\b|\s(from|where)\s", m["columns"], re.IGNORECASE)):
        return None
    return SearchJoin(table, m["pk"], m["fts"], m["match"])


def count_sql(selection_clauses: list[str], limit: int | None = None) -> str:
    """The number of matching rows; with ``limit``, at most ``limit`` of them (the
    reading stops there: a count past it is only known to be at least that)."""
    if not selection_clauses:
        source = "select rowid from paragraphs_fts where paragraphs_fts match :q"
    else:
        source = rows_sql(selection_clauses)
    if limit is None:
        return f"select count(*) from ({source})"
    return f"select count(*) from ({source} limit {int(limit)})"


def safe_snippet(snippet: str | None, marks_in_text: int = 0) -> Markup:
    """Snippet text HTML-escaped, then the match markers turned into ``<mark>`` elements.

    If the paragraph itself contains a marker character (``marks_in_text``), the
    markers cannot be told apart from text: the snippet is shown without highlights.

    >>> str(safe_snippet("<b>" + MARK_OPEN + "strike" + MARK_CLOSE))
    '&lt;b&gt;<mark>strike</mark>'
    """
    escaped = html.escape(snippet or "", quote=False)
    if marks_in_text:
        return Markup(escaped.replace(MARK_OPEN, "").replace(MARK_CLOSE, ""))
    return Markup(escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


@dataclass(frozen=True)
class SearchSql:
    """Every statement of one search, narrowed by the same selections.

    ``joined`` are the selections' conditions over ``paragraphs p`` (inside the ranked
    join), ``plain`` the same over ``paragraphs`` itself, ``params`` their values.
    Each statement takes ``:q``, the FTS5 query (:meth:`params` adds it).

    >>> s = SearchSql(("p.word_count < :w",), ("word_count < :w",), {"w": 9})
    >>> s.count()
    'select count(*) from (select * from paragraphs where id in (select rowid from paragraphs_fts where paragraphs_fts match :q) and word_count < :w)'
    >>> SearchSql().count(limit=10001)
    'select count(*) from (select rowid from paragraphs_fts where paragraphs_fts match :q limit 10001)'
    >>> s.params("strike", limit=21)
    {'w': 9, 'q': 'strike', 'limit': 21}
    """

    joined: tuple[str, ...] = ()
    plain: tuple[str, ...] = ()
    values: Mapping[str, object] = field(default_factory=dict)

    def params(self, fts: str, **more) -> dict:
        return {**self.values, "q": fts, **more}

    def page(self) -> str:
        """One ranked page with snippets and the whole text (``:limit``, ``:offset``,
        ``:mark_open``, ``:mark_close``)."""
        return hits_sql(list(self.joined), with_text=True)

    def page_params(self, fts: str, size: int, offset: int) -> dict:
        """:meth:`page`'s parameters: one row more than ``size``, to tell whether a
        next page exists."""
        return self.params(fts, limit=size + 1, offset=offset, mark_open=MARK_OPEN,
                           mark_close=MARK_CLOSE)

    def count(self, limit: int | None = None) -> str:
        return count_sql(list(self.plain), limit)

    def rows(self) -> str:
        """The matching paragraphs as a row source, for the facets."""
        return rows_sql(list(self.plain))

    def ranked_ids(self) -> str:
        return ranked_ids_sql(list(self.joined))
