"""Load files into a corpus database: the library behind ``reportcorpus load``.

Example::

    from .load import load
    summary = load("corpus.db", ["reports/"], outlet="The Courier")
    print(summary.loaded, summary.errors)

A load runs as stages, each in its own module, over one frozen :class:`LoadOptions`:

1. **discover** (:mod:`.stages.discover`): the paths given -> sources (files, walked
   with loop protection) -> items, one per article, each with a path that becomes its
   key, its metadata and, for readers of exports, its text. A reader per suffix
   (:data:`.stages.discover.READERS`) turns one source into one item (a ``.txt``
   file, read later in a worker) or many (a JSONL or CSV export: one per record, named
   ``file:line``); the manifest (:mod:`.manifest`) then adds each item's fields.
2. **read** and **parse** (:mod:`.stages.parse`, :mod:`.text`): each item's bytes are
   size-checked and read (:func:`.text.read.read_file`: never a FIFO or a device),
   decoded, split, classified and given figures, in worker processes that die with the
   load; an item whose text the corpus already holds, parsed by these rules, is
   reported as the same and not parsed.
3. **bookkeeping** (:mod:`.stages.bookkeeping`): each result, with what the corpus
   knows of its file, becomes a list of actions (a pure function), which
   :meth:`.store.Writer.apply` carries out: the store owns the schema and the writes.
   One transaction per batch, so a load that is killed leaves the database as it was
   after the last complete batch: never a half-written article.
4. **corpus passes** (:mod:`.passes`): repeated boilerplate across articles, related
   reports and stories, run only when the load changed the corpus (or a killed load
   left them pending).

One load per database at a time (:mod:`.stages.lock`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from . import passes
from .formats.fields import FieldMap
from .manifest import matching_key, merge_fields, read_manifest
from .manifest import warnings as manifest_warnings
from .related.rank import TermCounts, body_key
from .rules import PARSED_BY, PARSED_WITHOUT_FIGURES
from .stages import bookkeeping as bk
from .stages import parse as parse_stage
from .stages.discover import NOT_ARTICLES, READERS, SAME_KEY, Item, discover  # noqa: F401
from .stages.lock import LockError, acquire
from .stages.parse import CHUNK, Parser, block_hashes_of  # noqa: F401
from .summary import LoadSummary
from .store import DEFER_INDEXES_MIN, Writer, close_bulk, get_meta, open_db, set_meta
from .text.read import MAX_BYTES

TEXT_SUFFIXES = set(READERS)
META_FIELDS = bk.META_FIELDS
_Job = Item
"""The unit of parsing, under its earlier name."""


@dataclass(frozen=True)
class LoadOptions:
    """Everything that decides what a load does, fixed for its whole run."""

    manifest: str | None = None
    outlet: str | None = None
    encoding: str | None = None
    workers: int = 1
    figures: bool = True
    max_bytes: int = MAX_BYTES
    batch_size: int = 250
    prune: bool = False
    """Remove the articles (and duplicate records) of files not in this load: for paths
    that hold the whole corpus, so that deleted files leave it too."""
    format: str = "auto"
    """``auto`` (by suffix, then by content) or the format of every file (see
    :mod:`.formats`); ``html_engine`` and ``fields`` are how pages and exports are read."""
    html_engine: str = "auto"
    fields: FieldMap = FieldMap()

    @property
    def parsed_by(self) -> str:
        return PARSED_BY if self.figures else PARSED_WITHOUT_FIGURES

    @property
    def current_marks(self) -> set[str]:
        """``parsed_by`` values that count as parsed by these rules (without figures
        counts only for a load without them)."""
        return {PARSED_BY} if self.figures else {PARSED_BY, PARSED_WITHOUT_FIGURES}


class LoadError(Exception):
    """A load that cannot start: no file to load, or another load holds the database."""


def load(
    db_path: str,
    paths: list[str],
    manifest: str | None = None,
    outlet: str | None = None,
    encoding: str | None = None,
    workers: int = 1,
    figures: bool = True,
    max_bytes: int = MAX_BYTES,
    batch_size: int = 250,
    progress: Callable[[int, int], None] | None = None,
    report: Callable[[str], None] | None = None,
    prune: bool = False,
    options: LoadOptions | None = None,
) -> LoadSummary:
    """Load article files into ``db_path``; see the module docstring.

    The keyword arguments are the fields of :class:`LoadOptions` (or pass ``options``);
    ``progress(done, total)`` is called after each batch, ``report(line)`` for each
    file's problem.
    """
    if options is None:
        options = LoadOptions(manifest=manifest, outlet=outlet, encoding=encoding,
                              workers=workers, figures=figures, max_bytes=max_bytes,
                              batch_size=batch_size, prune=prune)
    summary = LoadSummary()
    items, path_errors = plan(paths, options, summary)
    try:
        lock = acquire(db_path)
    except LockError as e:
        raise LoadError(str(e)) from None
    if lock.warning:
        summary.warnings.append(lock.warning)
    try:
        db = open_db(db_path, bulk=True)
        return _Run(db, options, summary, report, lock.fd).run(items, path_errors, progress)
    finally:
        lock.close()


def plan(paths: list[str], options: LoadOptions, summary: LoadSummary
         ) -> tuple[list[Item], list[tuple[str, str]]]:
    """Stage 1: the items of ``paths``, each with its manifest fields, and the errors
    of paths that give none. Raises LoadError when there is nothing to load."""
    manifest_rows = read_manifest(options.manifest) if options.manifest else {}
    notes: list[str] = []
    items, path_errors = discover(paths, notes, summary.warnings, options)
    if notes and items:
        summary.warnings.append(
            f"{len(notes)} file(s) skipped as a folder's notes, not articles (e.g. {notes[0]});"
            " name such a file on its own to load it")
    used: set[str] = set()
    for item in items:
        key = matching_key(manifest_rows, item.rel, item.key)
        meta = merge_fields(item.meta, manifest_rows[key] if key is not None else {})
        if key is not None:
            used.add(key)
        if options.outlet and not meta.get("outlet"):
            meta["outlet"] = options.outlet
        item.meta = meta
    if options.manifest:
        summary.warnings.extend(manifest_warnings(manifest_rows, used, options.manifest))
    if not items:
        raise LoadError("nothing to load: " + "; ".join(f"{p}: {e}" for p, e in path_errors)
                        if path_errors else "nothing to load: no paths given")
    return items, path_errors


def read_books(db, options: LoadOptions) -> bk.Books:
    """What the corpus holds, as the bookkeeping reads it."""
    marks = options.current_marks
    existing = {}
    current = set()
    for row in db.execute(
            "select a.path, a.id, a.content_hash, a.key, a.outlet, a.url, a.published,"
            " a.byline, case when a.title_derived then null else a.title end, s.parsed_by,"
            " s.manifest_fields from articles a left join article_sources s on s.id = a.id"):
        existing[row[0]] = bk.Stored(row[1], row[2], row[3], row[0],
                                     dict(zip(META_FIELDS, row[4:9])), bk.given_fields(row[10]))
        if row[9] in marks:
            current.add(row[0])
    books = bk.Books(existing=existing, by_hash={v.hash: v.id for v in existing.values()},
                     by_key={v.key: v for v in existing.values()})
    # Each file recorded as a duplicate: path, key, text hash, the article it repeats and
    # its own outlet, url and date.
    for path, key, text_hash, copy_of, *meta in db.execute(
            "select path, key, content_hash, duplicate_of, outlet, url, published"
            " from duplicates"):
        books.copy_of[path] = copy_of
        books.copy_meta[path] = dict(zip(("outlet", "url", "published"), meta))
        books.copy_keys.add(key)
        books.copy_hash[path] = text_hash
    books.current = current
    return books


class _Run:
    """One load into an open database: the stages after discovery."""

    def __init__(self, db, options: LoadOptions, summary: LoadSummary,
                 report: Callable[[str], None] | None, lock_fd: int | None):
        self.db, self.options, self.summary = db, options, summary
        self.say = report or (lambda line: None)
        self.lock_fd = lock_fd
        self.writer = Writer(db, options.parsed_by)
        self.books = read_books(db, options)
        self.terms = TermCounts()
        self.parser = Parser(frozenset(passes.repeated_hashes(db)), options.figures,
                             options.encoding, options.max_bytes)

    def run(self, items: list[Item], path_errors: list, progress) -> LoadSummary:
        db, writer, summary, books = self.db, self.writer, self.summary, self.books
        self._mark_known(items)
        with db.conn:
            writer.forget_errors(starting=SAME_KEY)
            for path, error in path_errors:
                writer.record_error(path, error)
        for path, error in path_errors:
            summary.errors.append((path, error))
            self.say(f"{path}: {error}")
        total, done = len(items), 0
        started = time.perf_counter()
        writer.begin_bulk(defer_indexes=total >= max(DEFER_INDEXES_MIN, len(books.existing)))
        try:
            results = parse_stage.run(items, self.parser, self.options.workers,
                                      window=self.options.batch_size, lock_fd=self.lock_fd)
            while True:
                batch = _take(results, self.options.batch_size)
                if not batch:
                    break
                with db.conn:
                    for item, result in batch:
                        self.store(item, result)
                    writer.flush()
                    self._mark_pending()
                done += len(batch)
                if progress:
                    progress(done, total)
            with db.conn:
                if self.options.prune:
                    self.prune(items, path_errors)
                self.revisit(items)
                writer.flush()
                self._mark_pending()
            summary.timings["files"] = time.perf_counter() - started
            if get_meta(db, "link_pending"):
                self.corpus_passes()
        except BaseException:
            # The failed batch's transaction was rolled back; its buffered rows must not be
            # written by the flush below, or the next load would take them for complete.
            writer.discard()
            raise
        finally:
            started = time.perf_counter()
            writer.end_bulk()
            summary.timings["indexes"] = time.perf_counter() - started
        self._count()
        summary.stale = db.execute("select count(*) from article_sources where parsed_by is"
                                   " null or parsed_by not in (?, ?)",
                                   [PARSED_BY, PARSED_WITHOUT_FIGURES]).fetchone()[0]
        warning = close_bulk(db)
        if warning:
            summary.warnings.append(warning)
        return summary

    def _mark_known(self, items: list[Item]) -> None:
        """A file is skipped as unchanged only if these rules parsed its article: after
        an upgrade, reloading brings every article up to the new rules (see
        :mod:`loaders.rules`)."""
        books = self.books
        for item in items:
            if item.rel in books.copy_hash:
                item.known_hash = books.copy_hash[item.rel]
            elif item.rel in books.current:
                item.known_hash = books.existing[item.rel].hash

    def _mark_pending(self) -> None:
        """Record, in the batch's own transaction, that the corpus changed and the
        corpus-wide passes must run (a load killed before them leaves them pending)."""
        if self.writer.changed:
            set_meta(self.db, "link_pending", "1")
            self.writer.changed = False

    def store(self, item: Item, result: tuple) -> None:
        """Stage 3 for one item: decide, apply; parse again in full if asked."""
        books = self.books
        for _ in range(3):  # a fresh parse never asks for another
            if result[0] == "error":
                self.say(f"{item.rel}: {result[1]}")
            actions = bk.decide(books.known(item.rel, result), item.rel, item.meta, result)
            reparse, stored = self.writer.apply(books, item.rel, actions)
            if stored is not None:
                article_id, action = stored
                article = action.article
                self.terms.add(article_id, body_key(article.content_hash,
                                                    len(article.paragraphs),
                                                    article.word_count), action.counts)
            if reparse is None:
                return
            result = self.parser.parse(item, fresh=True)

    def revisit(self, items: list[Item]) -> None:
        """Load again the files of this load recorded as copies of an article that
        changed or went after they were seen."""
        books = self.books
        by_rel = {item.rel: item for item in items}
        for rel in sorted(books.revisit & books.handled):
            books.revisit.discard(rel)
            if rel in books.stored:
                continue  # already an article of this load's text
            self.store(by_rel[rel], self.parser.parse(by_rel[rel], fresh=True))
        self.summary.released = len(books.revisit)

    def prune(self, items: list[Item], path_errors: list[tuple[str, str]]) -> None:
        """Remove the articles and duplicate records of files not in this load."""
        books, writer, summary = self.books, self.writer, self.summary
        if path_errors:
            # A path missing, a folder unreadable or empty, a file refused: its articles
            # would look deleted. Pruning waits for a load that sees every path whole.
            summary.warnings.append(
                f"nothing pruned: {len(path_errors)} path(s) could not be read in full"
                f" (e.g. {path_errors[0][0]}: {path_errors[0][1]}), and pruning would"
                " remove the articles of their files")
            return
        # A file that now fails to parse (empty, binary, no body) no longer gives an
        # article; one that cannot be read this time keeps its article.
        failed = {p for p, e in books.errors if not e.startswith("cannot read")}
        listed = {item.rel for item in items}
        present = listed - failed
        gone = [(aid, path) for aid, path in self.db.execute("select id, path from articles")
                if path not in present]
        for aid, _ in gone:
            # Copies of a removed article in this load get articles of their own.
            books.revisit.update(writer.delete_article(aid))
        removed = {aid for aid, _ in gone}
        for h in [h for h, aid in books.by_hash.items() if aid in removed]:
            del books.by_hash[h]
        for k in [k for k, v in books.by_key.items() if v.id in removed]:
            del books.by_key[k]
        books.removed += len(gone)
        writer.forget_duplicate_paths([p for p in books.copy_of if p not in present])
        # Copies released by a removal whose files are gone too: nothing is left to load.
        books.revisit.intersection_update(present)
        writer.forget_errors([p for (p,) in self.db.execute(
            "select distinct path from load_errors") if p not in listed])

    def corpus_passes(self) -> None:
        """Stage 4: repeated blocks across the corpus, then related reports and stories."""
        db, summary = self.db, self.summary
        with db.conn:
            started = time.perf_counter()
            summary.reclassified = passes.refresh_repeated(
                # Always with figures: re-cleaning an older article must not strip the
                # figures an earlier load gave it.
                db, self.writer, parse_stage.extractor())
            self.writer.flush()
            summary.timings["boilerplate"] = time.perf_counter() - started
            started = time.perf_counter()
            passes.refresh_related(db, self.terms)
            passes.refresh_counts(db)
            set_meta(db, "link_pending", None)
            self.writer.changed = False
            summary.timings["related"] = time.perf_counter() - started

    def _count(self) -> None:
        summary, books = self.summary, self.books
        summary.loaded, summary.unchanged = books.count("loaded"), books.count("unchanged")
        summary.updated, summary.reparsed = books.count("updated"), books.count("reparsed")
        summary.duplicates = books.count("duplicate")
        summary.removed = books.removed
        summary.errors.extend(books.errors)


def _take(it, n: int) -> list:
    out = []
    for item in it:
        out.append(item)
        if len(out) >= n:
            break
    return out


def default_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))
