"""The corpus database: schema, and writing parsed articles into it.

This module holds the schema and every write the load makes to the corpus:
:meth:`Writer.apply` carries out the actions :mod:`loaders.stages.bookkeeping` decides
for each file. (The related-reports and stories passes, :mod:`loaders.related`, still
write their own tables, ``related`` and ``stories``, and the ranking state they keep in
``reportcorpus_meta``.) It is long because the schema, the bulk-load index handling and
the writer belong together: each write relies on the schema's indexes and triggers.

Rows are inserted with
``executemany`` on the open connection (the loader is the only writer, so it
hands out primary keys itself); sqlite-utils builds the schema and the FTS5
index, whose triggers keep ``paragraphs_fts`` in step with ``paragraphs``.

During a load the insert trigger is set aside and each batch's paragraphs are
indexed with one ``insert ... select`` in the batch's own transaction (several
times faster than a trigger firing per row), so the index never lags what is
committed; the trigger is put back when the load ends, or by the next
:func:`open_db` if the load was killed.

This module is long because it is the one owner of the schema and of every write of an
article's rows; keeping them in one place is the point.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from collections.abc import Iterable, Iterator, Sized
from typing import ClassVar

import sqlite_utils

from .model import Article
from .rules import PARSED_BY
from .stages import bookkeeping as bk

SCHEMA_VERSION = 4
"""1: the first schema. 2: ``figures.magnitude``, filled in when an older file is opened.
3: ``article_sources.parsed_by`` (see :mod:`loaders.rules`); empty in an older file, so
its articles are re-parsed when their files are loaded again. 4:
``article_sources.manifest_fields``, the fields a manifest gave (comma-separated; NULL in
an older file, read as outlet, url and published, which only a manifest gives)."""
FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"

_TABLES: dict[str, dict] = {
    "stories": {
        "columns": {"id": int, "label": str, "article_count": int},
    },
    "articles": {
        "columns": {
            "id": int, "key": str, "seq": int, "path": str, "title": str,
            "title_derived": int, "outlet": str, "url": str, "published": str,
            "byline": str, "paragraph_count": int, "word_count": int,
            "content_hash": str, "story_id": int, "convention": str, "encoding": str,
            "loaded_at": str,
        },
        "foreign_keys": [("story_id", "stories", "id")],
    },
    "paragraphs": {
        "columns": {
            "id": int, "article_id": int, "position": int, "text": str,
            "start": int, "end": int, "word_count": int,
        },
        "foreign_keys": [("article_id", "articles", "id")],
    },
    "figures": {
        "columns": {
            "id": int, "paragraph_id": int, "article_id": int, "surface": str,
            "value": float, "value_high": float, "unit": str, "kind": str, "hedge": str,
            "object": str, "object_phrase": str, "event": str, "start": int, "end": int,
            "rule": str, "magnitude": int,
        },
        "foreign_keys": [("paragraph_id", "paragraphs", "id"), ("article_id", "articles", "id")],
    },
    "dropped": {
        "columns": {
            "id": int, "article_id": int, "block": int, "text": str, "reason": str,
            "start": int, "end": int,
        },
        "foreign_keys": [("article_id", "articles", "id")],
    },
    "related": {
        "columns": {
            "id": int, "article_id": int, "other_id": int, "score": float, "rank": int,
            "kind": str,
        },
        "foreign_keys": [("article_id", "articles", "id"), ("other_id", "articles", "id")],
    },
    "duplicates": {
        "columns": {
            "id": int, "key": str, "path": str, "duplicate_of": int, "outlet": str,
            "url": str, "published": str, "content_hash": str, "loaded_at": str,
        },
        "foreign_keys": [("duplicate_of", "articles", "id")],
    },
    "load_errors": {
        "columns": {"id": int, "path": str, "error": str, "at": str},
    },
    # Hidden support tables.
    "article_sources": {
        "columns": {"id": int, "text": str, "parsed_by": str, "manifest_fields": str},
        "foreign_keys": [("id", "articles", "id")],
    },
    "block_hashes": {
        "columns": {"id": int, "article_id": int, "hash": str, "words": int},
        "foreign_keys": [("article_id", "articles", "id")],
    },
    "reportcorpus_meta": {
        "columns": {"id": int, "key": str, "value": str},
    },
}

# Provenance views: a paragraph or figure row that names its article and its place
# in it, so a CSV export of either stands on its own. Table pages of these views
# are searchable through paragraphs_fts (fts_pk in metadata.yml).
_VIEWS: dict[str, str] = {
    "paragraphs_provenance": """
        select p.id, p.article_id, a.key as article_key, a.title as article_title,
               a.outlet, a.published, a.url, a.path, a.story_id, p.position,
               p.start, p."end", p.word_count, p.text
        from paragraphs p join articles a on a.id = p.article_id
    """,
    "figures_provenance": """
        select f.id, f.article_id, a.key as article_key, a.title as article_title,
               a.outlet, a.published, a.url, a.path, a.story_id,
               f.paragraph_id, p.position as paragraph_position,
               f.surface, f.value, f.value_high, f.unit, f.kind, f.hedge, f.object,
               f.object_phrase, f.event, f.start, f."end", f.rule,
               p.text as paragraph_text
        from figures f join paragraphs p on p.id = f.paragraph_id
        join articles a on a.id = f.article_id
    """,
}

_UNIQUE = {"articles": ["key"], "duplicates": ["key"], "reportcorpus_meta": ["key"]}
_EXTRA_INDEXES = [
    ("articles", ["content_hash"]),
    ("articles", ["outlet"]),
    ("articles", ["published"]),
    ("paragraphs", ["article_id", "position"]),
    ("dropped", ["reason"]),
    ("related", ["article_id", "rank"]),
    ("block_hashes", ["hash"]),
    ("duplicates", ["content_hash"]),
    ("load_errors", ["path"]),
]


def _index(table: str, cols: list[str], where: str | None = None,
           name: str | None = None) -> tuple[str, str, list[str], str | None]:
    """``(name, table, columns, condition)``, named as sqlite-utils names indexes."""
    return name or f"idx_{table}_{'_'.join(cols)}", table, cols, where


# Indexes only pages read (filters and facets); a large load sets them aside and builds
# them once at its end (see Writer.begin_bulk).
_READ_INDEXES = [
    *[_index("figures", [col]) for col in ("kind", "object", "event")],
    # Covering indexes for the figure facet: paragraph -> figure columns without
    # touching figure rows (facets must answer in facet_time_limit_ms).
    _index("figures", ["paragraph_id", "object", "kind", "event", "hedge"]),
    _index("figures", ["article_id", "object", "kind", "event", "hedge"]),
    # Facets over search hits (datasette_reportcorpus.facets) look rows up by id:
    # each hit's article and word count, each figure's magnitude, value and article,
    # without reading the wide rows.
    _index("paragraphs", ["id", "article_id", "word_count"]),
    _index("figures", ["paragraph_id", "magnitude", "value", "article_id"]),
    # One small index per figure facet column, holding only figures with a value: a
    # paragraph's values come out in order, so counting each paragraph once per value
    # needs no temporary b-tree.
    *[_index("figures", ["paragraph_id", col], f"[{col}] is not null",
             f"idx_figures_paragraph_id_{col}_present")
      for col in ("object", "kind", "event", "hedge", "unit")],
]
DEFER_INDEXES_MIN = 2_000
"""A load of at least this many files, and at least as many as the corpus holds, builds
the read-side indexes after its rows instead of row by row."""


# Indexes of older schemas that a newer one replaced; dropped when a file is opened.
_RETIRED_INDEXES = ("idx_figures_paragraph_id_value_article_id",)

MAGNITUDE_SQL = (
    "case when {v} < 0 then -1 when {v} < 1 then 0 "
    "else length(cast({v} as integer)) end"
)
"""The order of magnitude of a numeric column ``{v}`` (see :func:`magnitude`): the
value range facet's log-scale bucket. ``length()`` of an integer counts its digits."""
_MAX_DIGITS = 19  # SQLite's cast to integer stops at 2**63 - 1


def magnitude(value: float | None) -> int | None:
    """A figure's order of magnitude, as stored in ``figures.magnitude`` so the value
    range facet groups figures without working it out per row: -1 below zero, 0 in
    [0, 1), otherwise the number of digits of the integer part.

    >>> [magnitude(v) for v in (None, -3, 0.5, 1, 9.99, 10, 1793, 2.5e6)]
    [None, -1, 0, 1, 1, 2, 4, 7]
    """
    if value is None:
        return None
    if value < 0:
        return -1
    if value < 1:
        return 0
    return min(len(str(int(value))), _MAX_DIGITS)


_FTS_INSERT_TRIGGER = (
    'CREATE TRIGGER "paragraphs_ai" AFTER INSERT ON "paragraphs" BEGIN\n'
    '  INSERT INTO "paragraphs_fts" (rowid, "text") VALUES (new.rowid, new."text");\nEND'
)
BULK_CACHE_KIB = 262_144
"""Page cache while loading: index pages stay in memory as the tables grow."""


def chunks(items: Iterable, size: int = 500) -> Iterator[list]:
    """``items`` as lists of at most ``size``, so that ``in (...)`` lists stay within
    SQLite's limit on parameters.

    >>> list(chunks([1, 2, 3], 2)), marks([7, 8])
    ([[1, 2], [3]], '?,?')
    """
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def marks(values: Sized) -> str:
    """Placeholders for an ``in (...)`` list of ``values``."""
    return ",".join("?" * len(values))


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


class CorpusError(Exception):
    """The database file cannot take a load: it is not a corpus, or a newer one."""


def check_corpus_file(db: sqlite_utils.Database, path: str) -> None:
    """Raise CorpusError unless ``db`` is empty or a corpus this version can write: the
    loader never adds its tables to somebody else's database, nor downgrades a newer
    corpus."""
    tables = set(db.table_names())
    if not tables:
        return
    if "reportcorpus_meta" not in tables:
        raise CorpusError(f"{path} is an SQLite database but not a report corpus (it holds "
                          f"{', '.join(sorted(tables)[:5])}{', ...' if len(tables) > 5 else ''});"
                          " give the load a new file name")
    version = get_meta(db, "schema_version")
    if version is not None and version.isdigit() and int(version) > SCHEMA_VERSION:
        raise CorpusError(f"{path} was written by a newer version of reportcorpus (schema"
                          f" {version}; this version knows {SCHEMA_VERSION}): upgrade"
                          " datasette-reportcorpus to load into it")


def open_db(path: str, bulk: bool = False) -> sqlite_utils.Database:
    """See :func:`_open_db`; a file SQLite cannot read as a database (damaged, or not a
    database at all) is a CorpusError naming it."""
    try:
        return _open_db(path, bulk)
    except sqlite3.DatabaseError as e:
        if isinstance(e, sqlite3.OperationalError) and "locked" in str(e):
            raise
        raise CorpusError(f"{path}: cannot load into this file: {e} (it is not an SQLite"
                          " database, or it is damaged: give the load a new file name, or"
                          " restore the file from a copy)") from None


def _open_db(path: str, bulk: bool = False) -> sqlite_utils.Database:
    """Open (creating if needed) a corpus database with the current schema.

    ``bulk`` switches to write-ahead logging with fewer syncs for a load: a
    killed process still leaves every committed transaction intact (only a
    power cut could lose the last ones). :func:`close_bulk` returns the file to
    a single-file rollback journal, which is what ``datasette -i`` expects.
    Raises CorpusError for a file that is not a corpus (see :func:`check_corpus_file`).
    """
    db = sqlite_utils.Database(path)
    check_corpus_file(db, path)
    if bulk:
        db.execute("pragma journal_mode = wal")
        db.execute("pragma synchronous = normal")
        db.execute(f"pragma cache_size = -{BULK_CACHE_KIB}")
    ensure_schema(db)
    return db


def close_bulk(db: sqlite_utils.Database) -> str | None:
    """Back to a rollback journal after a load; a warning if another process holding the
    file open (a server) keeps it in write-ahead mode, else None. Either way every
    committed row is in the database."""
    try:
        db.execute("pragma wal_checkpoint(truncate)")
        db.execute("pragma journal_mode = delete")
    except sqlite3.OperationalError as e:
        return (f"the database stays in write-ahead-log mode ({e}): another process has it"
                " open. Everything loaded is committed; a server opened with -i (immutable)"
                " must be restarted to see it, and should not serve a file being loaded")
    finally:
        db.close()
    return None


def ensure_schema(db: sqlite_utils.Database) -> None:
    existing = set(db.table_names())
    with db.conn:
        if "figures" in existing and "magnitude" not in db["figures"].columns_dict:
            db.execute("alter table figures add column magnitude integer")
            db.execute(f"update figures set magnitude = {MAGNITUDE_SQL.format(v='value')}"
                       " where value is not null")
        if ("article_sources" in existing
                and "parsed_by" not in db["article_sources"].columns_dict):
            db.execute("alter table article_sources add column parsed_by text")
        if ("article_sources" in existing
                and "manifest_fields" not in db["article_sources"].columns_dict):
            db.execute("alter table article_sources add column manifest_fields text")
        for name in _RETIRED_INDEXES:
            db.execute(f"drop index if exists [{name}]")
        for name, spec in _TABLES.items():
            if name in existing:
                continue
            db[name].create(spec["columns"], pk="id", foreign_keys=spec.get("foreign_keys"))
            for fk in spec.get("foreign_keys", []):
                if fk[0] != "id":
                    db[name].create_index([fk[0]], if_not_exists=True)
            for col in [c for c in _UNIQUE.get(name, [])]:
                db[name].create_index([col], unique=True, if_not_exists=True)
        for table, cols in _EXTRA_INDEXES:
            db[table].create_index(cols, if_not_exists=True)
        for name, table, cols, where in _READ_INDEXES:
            db.execute(f"create index if not exists [{name}] on [{table}] "
                       f"({', '.join(f'[{c}]' for c in cols)})"
                       + (f" where {where}" if where else ""))
        if "paragraphs_fts" not in existing:
            db["paragraphs"].enable_fts(
                ["text"], fts_version="FTS5", create_triggers=True, tokenize=FTS_TOKENIZE
            )
        elif not db.execute("select 1 from sqlite_master where type = 'trigger'"
                            " and name = 'paragraphs_ai'").fetchone():
            db.execute(_FTS_INSERT_TRIGGER)  # a load was killed while it was set aside
        for view, sql in _VIEWS.items():
            db.execute(f"create view if not exists [{view}] as {sql.strip()}")
        db.execute(
            "insert into reportcorpus_meta (key, value) values ('schema_version', ?)"
            " on conflict(key) do update set value = excluded.value",
            [str(SCHEMA_VERSION)],
        )


def get_meta(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("select value from reportcorpus_meta where key = ?", [key]).fetchone()
    return row[0] if row else None


def refresh_story_counts(db: sqlite_utils.Database) -> None:
    """Keep derived counts (stories.article_count) in step with the articles."""
    db.execute(
        "update stories set article_count ="
        " (select count(*) from articles where articles.story_id = stories.id)"
    )


def set_meta(db: sqlite_utils.Database, key: str, value: str | None) -> None:
    if value is None:
        db.execute("delete from reportcorpus_meta where key = ?", [key])
    else:
        db.execute(
            "insert into reportcorpus_meta (key, value) values (?, ?) "
            "on conflict(key) do update set value = excluded.value",
            [key, value],
        )


class Writer:
    """Writes articles; call inside a transaction (``with db.conn:``)."""

    _INSERTS: ClassVar[dict[str, str]] = {
        "articles": "insert into articles (id, key, seq, path, title, title_derived, outlet,"
                    " url, published, byline, paragraph_count, word_count, content_hash,"
                    " convention, encoding, loaded_at)"
                    " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "article_sources": ("insert into article_sources (id, text, parsed_by, manifest_fields)"
                            " values (?, ?, ?, ?)"),
        "paragraphs": "insert into paragraphs (id, article_id, position, text, start, [end],"
                      " word_count) values (?, ?, ?, ?, ?, ?, ?)",
        "figures": "insert into figures (paragraph_id, article_id, surface, value, value_high,"
                   " unit, kind, hedge, object, object_phrase, event, start, [end], rule,"
                   " magnitude) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "dropped": "insert into dropped (article_id, block, text, reason, start, [end])"
                   " values (?, ?, ?, ?, ?, ?)",
        "block_hashes": "insert into block_hashes (article_id, hash, words) values (?, ?, ?)",
    }

    def __init__(self, db: sqlite_utils.Database, parsed_by: str = PARSED_BY):
        self.db = db
        self.parsed_by = parsed_by  # what article_sources.parsed_by records
        self.conn = db.conn
        self._next = {t: self._max_id(t) + 1 for t in ("articles", "paragraphs", "figures")}
        # Rows wait here until flush(), so a batch is written with one executemany per
        # table; anything that deletes or updates flushes first.
        self._rows: dict[str, list[tuple]] = {t: [] for t in self._INSERTS}
        self._bulk = False
        self._error_paths = {r[0] for r in self.conn.execute("select path from load_errors")}
        self.changed = False
        """Set by every write that changes the corpus (not its error records): the
        corpus-wide passes must run again."""

    def begin_bulk(self, defer_indexes: bool = False) -> None:
        """Index paragraphs per flush instead of per row (see the module docstring).

        ``defer_indexes`` also sets aside the indexes only pages read, which
        :meth:`end_bulk` builds again, each in one sorted pass instead of an insert per
        row. A load killed meanwhile leaves its rows readable, only slower to facet,
        until the next open of the file (:func:`ensure_schema`) builds them.
        """
        with self.conn:
            self.conn.execute('drop trigger if exists "paragraphs_ai"')
            if defer_indexes:
                for name, *_ in _READ_INDEXES:
                    self.conn.execute(f"drop index if exists [{name}]")
        self._bulk = True

    def end_bulk(self) -> None:
        with self.conn:
            self.flush()
            if self._bulk:
                self.conn.execute('drop trigger if exists "paragraphs_ai"')
                self.conn.execute(_FTS_INSERT_TRIGGER)
        self._bulk = False
        ensure_schema(self.db)

    def flush(self) -> None:
        """Write the buffered rows; call inside the transaction that should hold them."""
        paragraphs = self._rows["paragraphs"]
        first, last = (paragraphs[0][0], paragraphs[-1][0]) if paragraphs else (None, None)
        for table, sql in self._INSERTS.items():
            rows = self._rows[table]
            if rows:
                self.conn.executemany(sql, rows)
                rows.clear()
        if self._bulk and first is not None:
            self.conn.execute(
                'insert into "paragraphs_fts" (rowid, "text")'
                " select id, text from paragraphs where id between ? and ?", [first, last])

    def _max_id(self, table: str) -> int:
        return self.conn.execute(f"select coalesce(max(id), 0) from [{table}]").fetchone()[0]

    def _take(self, table: str, n: int = 1) -> int:
        first = self._next[table]
        self._next[table] += n
        return first

    def insert_article(self, article: Article, block_hashes: Iterable[tuple[str, int]]) -> int:
        article_id = self._take("articles")
        self._rows["articles"].append((article_id, *self._article_values(article)))
        self._rows["article_sources"].append((article_id, article.text, self.parsed_by,
                                               ",".join(article.given)))
        self._insert_children(article_id, article, block_hashes)
        return article_id

    def replace_article(self, article_id: int, article: Article,
                        block_hashes: Iterable[tuple[str, int]]) -> None:
        """Replace an article's content in place, keeping its id (and links to it)."""
        self.delete_children(article_id)  # flushes
        self.conn.execute(
            "update articles set key = ?, seq = ?, path = ?, title = ?, title_derived = ?,"
            " outlet = ?, url = ?, published = ?, byline = ?, paragraph_count = ?, word_count = ?,"
            " content_hash = ?, convention = ?, encoding = ?, loaded_at = ? where id = ?",
            [*self._article_values(article), article_id],
        )
        self.conn.execute("update article_sources set text = ?, parsed_by = ?,"
                          " manifest_fields = ? where id = ?",
                          [article.text, self.parsed_by, ",".join(article.given), article_id])
        self._insert_children(article_id, article, block_hashes)

    def replace_body(self, article_id: int, article: Article) -> None:
        """Replace paragraphs, figures and drops only (after re-classification)."""
        self.changed = True
        self.flush()
        for table in ("figures", "paragraphs", "dropped"):
            self.conn.execute(f"delete from [{table}] where article_id = ?", [article_id])
        self.conn.execute(
            "update articles set paragraph_count = ?, word_count = ?, title = ?,"
            " title_derived = ? where id = ?",
            [len(article.paragraphs), article.word_count, article.title,
             int(article.title_derived), article_id],
        )
        self._insert_body(article_id, article)

    def delete_article(self, article_id: int) -> list[str]:
        """Remove an article and every row hanging on it. Returns the paths of files
        recorded as its duplicates, whose rows go too: their text is no longer in the
        corpus, so the next look at those files must load them."""
        self.changed = True
        self.delete_children(article_id)  # flushes
        # Its related rows stay until the related pass, which finds the articles that
        # listed it through them, ranks those again and then deletes the rows.
        self.conn.execute("delete from article_sources where id = ?", [article_id])
        self.conn.execute("delete from articles where id = ?", [article_id])
        return self.release_duplicates(article_id)

    def release_duplicates(self, article_id: int) -> list[str]:
        """Forget the files recorded as duplicates of an article whose text changed or
        went; returns their paths."""
        paths = [r[0] for r in self.conn.execute(
            "select path from duplicates where duplicate_of = ?", [article_id])]
        if paths:
            self.conn.execute("delete from duplicates where duplicate_of = ?", [article_id])
        return paths

    def forget_duplicate(self, key: str) -> None:
        """A file recorded as a duplicate now has its own article."""
        self.conn.execute("delete from duplicates where key = ?", [key])

    def delete_children(self, article_id: int) -> None:
        self.flush()
        for table in ("figures", "paragraphs", "dropped", "block_hashes"):
            self.conn.execute(f"delete from [{table}] where article_id = ?", [article_id])

    @staticmethod
    def _article_values(a: Article) -> list:
        return [
            a.key, a.seq, a.path, a.title, int(a.title_derived), a.outlet, a.url, a.published,
            a.byline, len(a.paragraphs), a.word_count, a.content_hash, a.convention, a.encoding,
            now(),
        ]

    def _insert_children(self, article_id: int, article: Article,
                         block_hashes: Iterable[tuple[str, int]]) -> None:
        self._insert_body(article_id, article)
        self._rows["block_hashes"].extend((article_id, h, words) for h, words in block_hashes)

    def _insert_body(self, article_id: int, article: Article) -> None:
        para_rows, fig_rows = self._rows["paragraphs"], self._rows["figures"]
        first = self._take("paragraphs", len(article.paragraphs))
        for offset, p in enumerate(article.paragraphs):
            pid = first + offset
            para_rows.append((pid, article_id, p.position, p.text, p.start, p.end, p.word_count))
            for f in p.figures:
                fig_rows.append((
                    pid, article_id, f.surface, f.value, f.value_high, f.unit, f.kind, f.hedge,
                    f.object, f.object_phrase, f.event, f.start, f.end, f.rule,
                    magnitude(f.value),
                ))
        self._rows["dropped"].extend(
            (article_id, d.block, d.text, d.reason, d.start, d.end) for d in article.dropped)

    def record_duplicate(self, article: Article, duplicate_of: int) -> None:
        self.conn.execute(
            "insert into duplicates (key, path, duplicate_of, outlet, url, published, content_hash,"
            " loaded_at) values (?, ?, ?, ?, ?, ?, ?, ?)"
            " on conflict(key) do update set path = excluded.path,"
            " duplicate_of = excluded.duplicate_of, outlet = excluded.outlet, url = excluded.url,"
            " published = excluded.published, content_hash = excluded.content_hash,"
            " loaded_at = excluded.loaded_at",
            [article.key, article.path, duplicate_of, article.outlet, article.url,
             article.published, article.content_hash, now()],
        )

    def record_error(self, path: str, error: str) -> None:
        """Record a file's problem, replacing what an earlier load recorded for it."""
        if path in self._error_paths:
            self.conn.execute("delete from load_errors where path = ?", [path])
        self.conn.execute("insert into load_errors (path, error, at) values (?, ?, ?)",
                          [path, error, now()])
        self._error_paths.add(path)

    def discard(self) -> None:
        """Forget buffered rows (their batch's transaction was rolled back), so that no
        later flush writes part of a failed batch."""
        for rows in self._rows.values():
            rows.clear()

    def clear_errors(self, path: str) -> None:
        if path in self._error_paths:
            self.conn.execute("delete from load_errors where path = ?", [path])
            self._error_paths.discard(path)

    def forget_errors(self, paths: Iterable[str] = (), starting: str | None = None) -> None:
        """Forget the errors recorded for ``paths``, or whose message opens with
        ``starting``."""
        if starting is not None:
            self.conn.execute("delete from load_errors where error like ?", [starting + " %"])
        for chunk in chunks(paths):
            self.conn.execute(f"delete from load_errors where path in ({marks(chunk)})", chunk)
        self._error_paths = {r[0] for r in self.conn.execute("select path from load_errors")}

    def forget_duplicate_paths(self, paths: Iterable[str]) -> None:
        for chunk in chunks(paths):
            self.conn.execute(f"delete from duplicates where path in ({marks(chunk)})", chunk)

    def update_copy_meta(self, path: str, fields: dict) -> None:
        """A copy keeps its own outlet, url and date: set them from its manifest row."""
        self.flush()
        self.conn.execute(f"update duplicates set {', '.join(f'[{f}] = ?' for f in fields)}"
                          " where path = ?", [*fields.values(), path])

    def update_article_meta(self, article_id: int, meta: dict, fields: Iterable[str],
                            given: frozenset) -> None:
        """Set ``fields`` of an unchanged file's article from its manifest row, and
        record which fields the manifest now gives."""
        self.flush()
        fields = list(fields)
        if fields:
            sets = ", ".join(f"[{f}] = ?" for f in fields)
            extra = ", title_derived = 0" if "title" in fields else ""
            self.conn.execute(f"update articles set {sets}{extra} where id = ?",
                              [meta[f] for f in fields] + [article_id])
        now_given = (set(given) | {f for f in bk.META_FIELDS if meta.get(f)}) - {
            f for f in fields if meta[f] is None}
        self.conn.execute("update article_sources set manifest_fields = ? where id = ?",
                          [",".join(sorted(now_given)), article_id])

    def apply(self, books: bk.Books, rel: str, actions: list
              ) -> tuple[bk.Reparse | None, tuple[int, bk.Insert | bk.Replace] | None]:
        """Carry out one file's actions (see :func:`loaders.stages.bookkeeping.decide`)
        and keep ``books`` in step. Returns the Reparse asked for, if any, and the id of
        the article stored with the action that stored it, if any."""
        stored = None
        for action in actions:
            kind = type(action)
            if kind is bk.RecordError:
                self.record_error(rel, action.message)
                books.errors.append((rel, action.message))
                books.outcomes.pop(rel, None)
            elif kind is bk.ClearErrors:
                self.clear_errors(rel)
                books.handled.add(rel)
            elif kind is bk.Reparse:
                books.revisit.discard(rel)
                if action.meta_reparse:
                    books.meta_reparse.add(rel)
                return action, None
            elif kind is bk.Outcome:
                books.outcomes[rel] = action.name
            elif kind is bk.UpdateCopyMeta:
                self.update_copy_meta(rel, action.fields)
            elif kind is bk.UpdateArticleMeta:
                self.update_article_meta(action.article_id, action.meta, action.changed,
                                         action.given)
            elif kind is bk.DropArticle:
                books.revisit.update(self.delete_article(action.article_id))
                books.by_hash.pop(action.hash, None)
                books.by_key.pop(action.key, None)
                books.removed += 1
            elif kind is bk.RecordCopy:
                self.record_duplicate(action.article, action.copy_of)
                books.copy_of[rel] = action.copy_of
                books.copy_keys.add(action.article.key)
            elif kind is bk.ForgetCopy:
                self.forget_duplicate(action.key)
                books.copy_keys.discard(action.key)
                books.copy_of.pop(rel, None)
            elif kind is bk.Replace:
                old, article = action.old, action.article
                books.stored.add(rel)
                if old.hash != article.content_hash:
                    books.revisit.update(self.release_duplicates(old.id))
                self.replace_article(old.id, article, action.hashes)
                books.by_hash.pop(old.hash, None)
                books.by_hash[article.content_hash] = old.id
                stored = (old.id, action)
            elif kind is bk.Insert:
                article = action.article
                books.stored.add(rel)
                new_id = self.insert_article(article, action.hashes)
                books.by_hash[article.content_hash] = new_id
                books.by_key[article.key] = bk.Stored(new_id, article.content_hash,
                                                      article.key, rel)
                stored = (new_id, action)
            else:  # pragma: no cover - a new action must be applied here
                raise TypeError(f"unknown action {action!r}")
            if kind in bk.CHANGES_CORPUS:
                self.changed = True
        return None, stored
