"""Facets core Datasette lacks: by article, by figure, and by numeric range.

Each class follows ``datasette/facets.py``, except that all the facets of one class are
counted by one statement: the article facets over one pass of the rows (counted per
article, each article read once, :func:`article_facets_sql`), the figure facets as one
compound statement. It runs under ``facet_time_limit_ms`` (facets cut short are reported,
never an error), and gives plain dicts whose value links toggle the selection arguments
documented in :mod:`datasette_reportcorpus.filters`.

============================  ==================================================  ================
URL (or table config)          Counts                                              Value link adds
============================  ==================================================  ================
``_facet_article=outlet``      rows per article column: ``outlet``, ``year``,      ``_article_outlet``
                               ``month``, ``story``, ``title`` (by key), ...
``_facet_figure=object``       rows holding a figure with each ``object`` (also   ``_figure_object``
                               ``kind``, ``event``, ``hedge``, ``unit``)
``_facet_range=word_count``    rows per range of a numeric column: log scale       ``_range_word_count``
                               (0, 1-9, 10-99, ...), or ``{"column": "value",
                               "step": 25}`` for fixed-width ranges
============================  ==================================================  ================

In table configuration use string forms (``{"article": "outlet"}``): Datasette 1.0a41
fails on dict-valued facet configs. A string naming an entry of the plugin's
``range_facets`` configuration (``{"name": {"column": ..., "step": ...}}``) selects that
entry. The classes never override ``Facet.__init__``, whose keyword differs between
Datasette lines.

This module is long because it holds every facet class the plugin registers, with the SQL
each builds, as Datasette's own facets.py holds core's: the three share one base class and
are read and tested together.
"""

from __future__ import annotations

import json
import weakref
from dataclasses import replace

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite
from datasette.utils.sqlite import sqlite3
from datasette.utils.asgi import BadRequest

from ..loaders.store import MAGNITUDE_SQL

from .. import urls
from ..corpus import is_corpus
from .filters import (
    ARTICLE_DIMENSIONS,
    FIGURE_COLUMNS,
    FIGURE_PREFIX,
    RANGE_PREFIX,
    RELATIONS,
    range_label,
)
from ..permissions import can_view_table
from ..search.sql import SearchJoin, search_only

PLUGIN = "datasette-reportcorpus"
sqlite_version_info = sqlite3.sqlite_version_info
# Log-scale buckets are orders of magnitude (loaders.store.MAGNITUDE_SQL): -1 below
# zero, 0 for [0, 1), k for [10^(k-1), 10^k).
# Columns whose log-scale bucket the loader stores (column -> stored column): reading
# it from a covering index spares working it out for each of 200,000 figures.
STORED_LOG_BUCKETS = {"value": "magnitude"}
SUGGEST_ARTICLE = ("outlet", "story", "month")
SUGGEST_FIGURE = ("object", "event")
SUGGEST_RANGE = ("word_count", "value")
# Created with the schema (loaders.store): each paragraph's id with the columns its
# facets read. Without statistics for it SQLite would look hits up in the wide table,
# so facets over search hits name it when it exists and covers what they read.
PARAGRAPH_INDEX = "idx_paragraphs_id_article_id_word_count"
PARAGRAPH_INDEX_COLUMNS = frozenset({"id", "article_id", "word_count"})
# A provenance view whose searched rows can be read from its base table, for facets on
# the view columns that are the base table's own: view -> (base, search key, columns).
VIEW_BASES = {
    "figures_provenance": ("figures", "paragraph_id", frozenset({
        "id", "article_id", "paragraph_id", "surface", "value", "value_high", "unit",
        "kind", "hedge", "object", "object_phrase", "event", "start", "end", "rule"})),
}


# Per immutable Database: answers about its schema and whole tables (which index exists,
# which columns vary), the same for every request.
_IMMUTABLE_ANSWERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class _CorpusFacet(Facet):
    """Shared plumbing: configs, toggle links, running one query under the time limit."""

    def get_configs(self):
        try:
            return super().get_configs()
        except ValueError as e:  # a "{..." argument that is not JSON
            raise BadRequest(f"_facet_{self.type}: not a facet name nor valid JSON ({e})"
                             ) from None

    @staticmethod
    def _unknown(source: str, message: str) -> None:
        """400 for a facet a request asks for that cannot be shown; one configured in
        metadata for tables in general is left out where it does not apply."""
        if source == "request":
            raise BadRequest(message)

    def _simple_configs(self) -> list[tuple[str, str, dict]]:
        """``(name, source, config)`` for each configured facet of this type, each once:
        a facet the metadata configures and the URL asks for too (or the URL asks for
        twice) is one panel, the first (the configured one)."""
        out = []
        seen = set()
        for sc in self.get_configs():
            config = sc["config"]
            name = config.get("simple") or config.get("column") or config.get("name")
            if name:
                key = json.dumps(config, sort_keys=True, default=str)
                if key in seen:
                    continue
                seen.add(key)
                out.append((str(name), sc["source"], config))
            else:
                self._unknown(sc["source"], f"_facet_{self.type}: a facet given as JSON"
                                            f" needs a \"column\", not {json.dumps(config)}")
        return out

    def _enabled(self) -> set[str]:
        return {name for name, _, _ in self._simple_configs()}

    def _facet_dict(self, name: str, source: str, config_value: str, truncated: bool) -> dict:
        return {
            "name": name,
            "type": self.type,
            "hideable": source != "metadata",
            "toggle_url": urls.with_args(
                self.ds, self.request, remove={f"_facet_{self.type}": config_value}
            ),
            "results": [],
            "truncated": truncated,
        }

    async def _rows_in_time(self, sql: str, name: str, timed_out: list[str]) -> list | None:
        """The rows of facet ``name``'s query, or None (and ``name`` noted in
        ``timed_out``) when it runs past ``facet_time_limit_ms``."""
        try:
            return (await self._run(sql)).rows
        except QueryInterrupted:
            timed_out.append(name)
            return None

    def _value_dict(self, param: str, value, label, count: int, qs_pairs) -> dict:
        selected = (param, str(value)) in qs_pairs
        if selected:
            toggle = urls.with_args(self.ds, self.request, remove={param: str(value)})
        else:
            toggle = urls.with_args(self.ds, self.request, add=[(param, value)])
        return {
            "value": value,
            "label": label if label is not None else value,
            "count": count,
            "toggle_url": urls.absolute(self.ds, self.request, toggle),
            "selected": selected,
        }

    async def _run(self, sql: str, params=None, suggest: bool = False):
        setting = "facet_suggest_time_limit_ms" if suggest else "facet_time_limit_ms"
        return await self.ds.execute(
            self.database, sql, params if params is not None else self.params,
            truncate=False, custom_time_limit=self.ds.setting(setting),
        )

    async def _rows_sql(self, columns: set[str]) -> str:
        """The page's rows as SQL, for a facet reading ``columns`` of them.

        ``self.sql``, or when its only filter is a full-text search the same rows
        joined straight to the FTS5 hits (:class:`~.search_sql.SearchJoin`), which
        SQLite reads faster: over 100,000 hits, tens of milliseconds.
        """
        join = self._search_join()
        if join is None:
            return self.sql
        base = VIEW_BASES.get(self.table or "")
        if (base and join.pk == base[1] and columns <= base[2]
                and await is_corpus(self.ds, self.database) and await self._can_read(base[0])):
            # The view joins each figure to its paragraph and article, which always
            # exist (foreign keys), so its searched rows are the base table's.
            return replace(join, table=escape_sqlite(base[0])).sql()
        covered = self._searched_paragraphs(join) and columns <= PARAGRAPH_INDEX_COLUMNS
        if covered and await self._index_exists(PARAGRAPH_INDEX):
            return join.sql(indexed_by=PARAGRAPH_INDEX)
        return join.sql()

    async def _columns(self, sql: str) -> list[str]:
        """The columns ``sql`` gives (which depend on the SQL and the schema alone)."""
        return await self._remembered(("columns", sql),
                                      lambda: self.get_columns(sql, self.params))

    def _search_join(self) -> SearchJoin | None:
        return search_only(self.sql, escape_sqlite(self.table or ""))

    def _searched_paragraphs(self, join: SearchJoin) -> bool:
        """Whether the page shows the paragraphs whose ids ``join`` matches."""
        return self.table == "paragraphs" and join.pk in ("rowid", "id")

    async def _index_exists(self, name: str) -> bool:
        async def look() -> bool:
            rows = await self.ds.execute(
                self.database, "select 1 from sqlite_master where type = 'index' and name = ?",
                [name])
            return bool(rows.rows)
        return await self._remembered(("index", name), look)

    async def _remembered(self, key: tuple, compute):
        """``await compute()``, remembered per database when the database is immutable
        (nothing can change the answer); looked at each time on a mutable one, which a
        load may be writing to."""
        db = self.ds.get_database(self.database)
        if db.is_mutable:
            return await compute()
        known = _IMMUTABLE_ANSWERS.setdefault(db, {})
        if key in known:
            return known[key]
        answer = await compute()
        if answer is not None:  # None: no answer this time (a time limit), asked again
            known[key] = answer
        return answer

    def _qs_pairs(self) -> set[tuple[str, str]]:
        return set(self.get_querystring_pairs())

    async def _can_read(self, table: str) -> bool:
        return await can_view_table(self.ds, self.request.actor, self.database, table)

    async def _readable_relation(self, table: str):
        """This page's relation to the corpus, or None when it has none or the actor may
        not read ``table``."""
        relation = RELATIONS.get(self.table or "")
        if (relation is None or not await is_corpus(self.ds, self.database)
                or not await self._can_read(table)):
            return None
        return relation

    async def _suggest_varied(self, table: str, alias: str, names: dict[str, str]) -> list[dict]:
        """Suggest each not-yet-enabled name whose SQL expression over ``table`` takes two or
        more values in the corpus (cheap: indexed columns, stops at the second value)."""
        if await self._readable_relation(table) is None:
            return []
        enabled = self._enabled()
        suggestions = []
        for name, expr in names.items():
            if name in enabled:
                continue
            if await self._remembered(("varied", table, expr),
                                      lambda: self._varied(table, alias, expr)):
                suggestions.append(self._suggestion(name))
        return suggestions

    async def _varied(self, table: str, alias: str, expr: str) -> bool | None:
        sql = (f"select count(*) from (select distinct {expr} from {table} {alias} "
               f"where {expr} is not null limit 2)")
        try:
            return (await self._run(sql, [], suggest=True)).rows[0][0] > 1
        except QueryInterrupted:
            return None

    def _suggestion(self, name: str) -> dict:
        return {
            "name": name,
            "type": self.type,
            "toggle_url": urls.absolute(
                self.ds, self.request,
                urls.with_args(self.ds, self.request, add=[(f"_facet_{self.type}", name)]),
            ),
        }


class ArticleFacet(_CorpusFacet):
    """Rows counted by a column of their article: ``?_facet_article=outlet``."""

    type = "article"

    async def suggest(self) -> list[dict]:
        return await self._suggest_varied(
            "articles", "a", {name: ARTICLE_DIMENSIONS[name].expr for name in SUGGEST_ARTICLE})

    async def facet_results(self):
        results, timed_out = [], []
        relation = await self._readable_relation("articles")
        if relation is None:
            return results, timed_out
        wanted = []
        for name, source, _config in self._simple_configs():
            if name not in ARTICLE_DIMENSIONS:
                self._unknown(source, f"_facet_article={name} is not a facet; use one of"
                                      f" {', '.join(ARTICLE_DIMENSIONS)}")
                continue
            wanted.append((name, source))
        if not wanted:
            return results, timed_out
        rows_sql = await self._rows_sql({relation.article_key})
        dims = [ARTICLE_DIMENSIONS[name] for name, _ in wanted]
        sql = article_facets_sql(rows_sql, escape_sqlite(relation.article_key), dims,
                                 self.get_facet_size(),
                                 stories=any(d.name == "story" for d in dims)
                                 and await self._can_read("stories"))
        rows = await self._rows_in_time(sql, wanted[0][0], [])
        if rows is None:  # one statement for all of them: all are cut short together
            return results, [name for name, _ in wanted]
        by_facet: dict[int, list] = {}
        for r in rows:
            by_facet.setdefault(r["facet"], []).append(r)
        qs_pairs = self._qs_pairs()
        size = self.get_facet_size()
        for i, ((name, source), dim) in enumerate(zip(wanted, dims)):
            found = by_facet.get(i, [])
            facet = self._facet_dict(name, source, name, len(found) > size)
            facet["results"] = [
                self._value_dict(dim.param, r["value"], r["label"], r["count"], qs_pairs)
                for r in found[:size]
            ]
            results.append(facet)
        return results, timed_out


class FigureFacet(_CorpusFacet):
    """Rows counted by the figures they hold: ``?_facet_figure=object``.

    On paragraphs and articles a row counts once per value however many figures it
    holds with that value (``count(distinct ...)``); on figures each figure counts.
    """

    type = "figure"

    async def suggest(self) -> list[dict]:
        return await self._suggest_varied("figures", "f", {col: col for col in SUGGEST_FIGURE})

    async def _owner_ids(self) -> str:
        """SQL for the ids of this page's rows, which figures name in ``figure_owner``.

        Paragraphs found by a search alone are the search's hits: the FTS5 rowids can
        stand for them without looking each paragraph up, because a figure's
        ``paragraph_id`` names an existing paragraph (the schema's foreign key), so
        no figure of a rowid outside the page can be counted.
        """
        join = self._search_join()
        if join is not None and self._searched_paragraphs(join):
            return join.hits_sql()
        return f"select id from ({await self._rows_sql({'id'})})"

    async def facet_results(self):
        results, timed_out = [], []
        relation = await self._readable_relation("figures")
        if relation is None:
            return results, timed_out
        size = self.get_facet_size()
        wanted, branches = [], []
        for name, source, _config in self._simple_configs():
            if name not in FIGURE_COLUMNS:
                self._unknown(source, f"_facet_figure={name} is not a facet; use one of"
                                      f" {', '.join(FIGURE_COLUMNS)}")
                continue
            col = escape_sqlite(name)
            i = len(wanted)
            if relation.figure_owner is None:
                branch = (f"select {col} as value, count(*) as count "
                          f"from ({await self._rows_sql({name})}) "
                          f"where {col} is not null group by {col} "
                          f"order by count desc, value limit {size + 1}")
            else:
                owner = relation.figure_owner
                # Distinct (owner, value) pairs first, then a plain count: cheaper
                # than count(distinct ...) per group, which needs a b-tree per value.
                branch = (f"select value, count(*) as count from ("
                          f"select distinct f.{owner}, f.{col} as value "
                          f"from figures f where f.{owner} in ({await self._owner_ids()}) "
                          f"and f.{col} is not null) group by value "
                          f"order by count desc, value limit {size + 1}")
            wanted.append((name, source))
            branches.append(f"select {i} as facet, value, count from ({branch})")
        if not wanted:
            return results, timed_out
        # One statement (one trip to a database thread, one time limit) for them all;
        # each column keeps the plan of its own covering index.
        sql = " union all ".join(branches) + " order by facet, count desc, value"
        rows = await self._rows_in_time(sql, wanted[0][0], [])
        if rows is None:
            return results, [name for name, _ in wanted]
        by_facet: dict[int, list] = {}
        for r in rows:
            by_facet.setdefault(r["facet"], []).append(r)
        qs_pairs = self._qs_pairs()
        for i, (name, source) in enumerate(wanted):
            found = by_facet.get(i, [])
            facet = self._facet_dict(name, source, name, len(found) > size)
            facet["results"] = [
                self._value_dict(FIGURE_PREFIX + name, r["value"], None, r["count"], qs_pairs)
                for r in found[:size]
            ]
            results.append(facet)
        return results, timed_out


class RangeFacet(_CorpusFacet):
    """Rows counted by range of a numeric column: ``?_facet_range=word_count``.

    Works on any table of a corpus database (other databases get neither these facets
    nor their suggestions, as on plain Datasette). Ranges are listed in numeric order,
    not by count, because a distribution reads that way.
    """

    type = "range"

    def _resolve(self, name: str, config: dict) -> tuple[str, int | None]:
        """``(column, step)``: step None means log scale."""
        named = (self.ds.plugin_config(PLUGIN, database=self.database, table=self.table)
                 or {}).get("range_facets", {})
        spec = dict(named.get(name) or {}) if "simple" in config else dict(config)
        column = spec.get("column") or name
        if not isinstance(column, str):
            raise BadRequest(f"_facet_range: the column must be a column name, not {column!r}")
        step = spec.get("step")
        if step in (None, "", "log"):
            return column, None
        try:
            step = int(step)
            if step <= 0 or step != float(spec["step"]):
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            raise BadRequest(f"_facet_range: the step of the {column} facet must be a whole"
                             f" number above 0 (or \"log\"), not {spec['step']!r}") from None
        return column, step

    async def suggest(self) -> list[dict]:
        if not await is_corpus(self.ds, self.database):
            return []
        enabled = {self._resolve(n, c)[0] for n, _, c in self._simple_configs()}
        try:
            columns = await self._columns(self.sql)
        except QueryInterrupted:
            return []
        return [self._suggestion(c) for c in SUGGEST_RANGE
                if c in columns and c not in enabled]

    async def facet_results(self):
        results, timed_out = [], []
        if not await is_corpus(self.ds, self.database):
            return results, timed_out
        qs_pairs = self._qs_pairs()
        size = self.get_facet_size()
        columns = None
        for name, source, config in self._simple_configs():
            column, step = self._resolve(name, config)
            if columns is None:
                columns = await self._columns(self.sql)
            if column not in columns:
                self._unknown(source, f"_facet_range: {self.table or 'the search'} has no"
                                      f" column {column}")
                continue
            if not await self._numeric(column):
                self._unknown(source, f"_facet_range: {column} is not a numeric column")
                continue
            v = escape_sqlite(column)
            bucket = (MAGNITUDE_SQL.format(v=v) if step is None
                      else f"case when {v} < 0 then -1 else cast({v} / {step} as integer) end")
            rows_sql = await self._rows_sql({column})
            stored = STORED_LOG_BUCKETS.get(column) if step is None else None
            if stored and stored in await self._columns(rows_sql):
                bucket = v = escape_sqlite(stored)  # null exactly where the column is
            sql = (f"select {bucket} as bucket, count(*) as count from ({rows_sql}) "
                   f"where {v} is not null group by bucket order by bucket limit {size + 1}")
            rows = await self._rows_in_time(sql, name, timed_out)
            if rows is None:
                continue
            config_value = (config.get("simple") if "simple" in config
                            else self._as_requested(config))
            facet = self._facet_dict(name if "simple" in config else column, source,
                                     config_value, len(rows) > size)
            param = RANGE_PREFIX + column
            facet["results"] = [
                self._value_dict(param, key, range_label(key), r["count"], qs_pairs)
                for r in rows[:size]
                for key in [bucket_key(r["bucket"], step)]
            ]
            results.append(facet)
        return results, timed_out

    async def _numeric(self, column: str) -> bool:
        """False for a column the table declares as text (its ranges would count rows
        that no range selection returns); views and untyped columns are given a try."""
        if not self.table:
            return True
        db = self.ds.get_database(self.database)
        details = {c.name: c.type for c in await db.table_column_details(self.table)}
        declared = (details.get(column) or "").upper()
        return not any(t in declared for t in ("TEXT", "CHAR", "CLOB"))

    def _as_requested(self, config: dict) -> str:
        """A JSON facet config as the URL spells it (spacing and key order included), so
        its remove link can take that very argument out."""
        for value in self.request.args.getlist("_facet_range"):
            try:
                if json.loads(value) == config:
                    return value
            except ValueError:
                continue
        return json.dumps(config, separators=(",", ":"))


# SQLite reads a common table expression used more than once only once from 3.35 on; the
# keyword says so on any version that knows it.
_MATERIALIZED = "materialized " if sqlite_version_info >= (3, 35, 0) else ""


def article_facets_sql(rows_sql: str, key: str, dims: list, size: int,
                       stories: bool = False) -> str:
    """One statement counting ``rows_sql``'s rows by each article dimension of ``dims``.

    The rows are read once: counted per article (``key`` names their article's id),
    each article looked up once, and every dimension grouped from that one set. Rows
    ``facet`` (the index in ``dims``), ``value``, ``count``, ``label``, the ``size + 1``
    largest counts of each dimension (ties by value), as one query per dimension would
    give them. With ``stories`` a story's label is read for its id.

    >>> sql = article_facets_sql("select * from paragraphs", "article_id",
    ...                          [ARTICLE_DIMENSIONS["outlet"]], 5)
    >>> print(sql.split(" from (", 1)[1].split(")", 1)[0])
    select * from paragraphs
    >>> "limit 6" in sql and sql.count("join articles") == 1
    True
    """
    columns = "".join(
        f", {d.expr} as d{i}" + (f", {d.label} as l{i}" if d.label else "")
        for i, d in enumerate(dims))
    branches = []
    for i, d in enumerate(dims):
        label = f"max(l{i})" if d.label else "null"
        outer = ("(select s.label from stories s where s.id = value)"
                 if d.name == "story" and stories else "label")
        branches.append(
            f"select facet, value, count, {outer} as label from ("
            f"select {i} as facet, d{i} as value, sum(n) as count, {label} as label "
            f"from m where d{i} is not null group by d{i} "
            f"order by count desc, value limit {size + 1})")
    return (f"with rows_ as {_MATERIALIZED}(select {key} as article_id, count(*) as n "
            f"from ({rows_sql}) group by {key}), "
            f"m as {_MATERIALIZED}(select rows_.n{columns} from rows_ "
            f"join articles a on a.id = rows_.article_id) "
            + " union all ".join(branches)
            + " order by facet, count desc, value")


def bucket_key(bucket: int, step: int | None) -> str:
    """The selection value of a bucket: ``(2, None)`` -> ``"10-99"``; ``(1, 25)`` -> ``"25-49"``.

    >>> [bucket_key(b, None) for b in (-1, 0, 1, 3)]
    ['<0', '0', '1-9', '100-999']
    """
    if bucket < 0:
        return "<0"
    if step is None:
        if bucket == 0:
            return "0"
        return f"{10 ** (bucket - 1)}-{10 ** bucket - 1}"
    return f"{bucket * step}-{(bucket + 1) * step - 1}"


FACET_CLASSES = [ArticleFacet, FigureFacet, RangeFacet]
