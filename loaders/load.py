"""Load files into a corpus database: the library behind ``reportcorpus load``.

Example::

    from .load import load
    summary = load("corpus.db", ["reports/"], outlet="The Courier")
    print(summary.loaded, summary.errors)

Files are parsed in worker processes and written by this process, one
transaction per batch, so a load that is killed leaves the database as it was
after the last complete batch: never a half-written article.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from . import passes as link
from .text.classify import block_hash, repeatable
from .manifest import matching_key, read_manifest
from .manifest import warnings as manifest_warnings
from .model import Article
from .text.parse import Extractor, key_for_path, parse_article
from .text.read import MAX_BYTES, ReadError, read_text
from .related.rank import TermCounts, article_terms, body_key
from .rules import PARSED_BY, PARSED_WITHOUT_FIGURES
from .store import (
    DEFER_INDEXES_MIN,
    Writer,
    chunks,
    close_bulk,
    get_meta,
    marks,
    open_db,
    set_meta,
)

TEXT_SUFFIXES = {".txt"}
# Folder notes that travel with corpora; never articles.
NOT_ARTICLES = {"readme", "license", "licence", "copying", "changes", "changelog", "notes"}
META_FIELDS = ("outlet", "url", "published", "byline", "title")
CHUNK = 16
"""Files handed to a parse worker at a time."""


@dataclass
class LoadSummary:
    loaded: int = 0
    unchanged: int = 0
    updated: int = 0
    duplicates: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    reclassified: int = 0
    reparsed: int = 0
    """Unchanged files parsed again because an earlier version's rules parsed them."""
    stale: int = 0
    """Articles left as an earlier version's rules parsed them (their files were not in
    this load)."""
    removed: int = 0
    """Articles removed: their files now repeat another article (see ``duplicates``),
    or, with ``prune``, are not in the load."""
    released: int = 0
    """Files recorded as duplicates of an article whose text changed or went, and not
    in this load: the next load that includes them loads them."""
    warnings: list[str] = field(default_factory=list)
    """Problems of the load as a whole that lost nothing (printed after the counts)."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent: ``files`` (read, parse, store), ``boilerplate`` (corpus-wide
    repeated blocks), ``related`` (related reports and stories), ``indexes`` (building
    the indexes a large load set aside, and closing the bulk load)."""

    def lines(self) -> list[str]:
        out = [
            (f"loaded {self.loaded}, unchanged {self.unchanged}, updated {self.updated}, "
             + (f"parsed again {self.reparsed}, " if self.reparsed else "")
             + f"duplicates {self.duplicates}, errors {len(self.errors)}")
        ]
        notes = [
            (self.duplicates, ("{} file(s) repeat the text of an article already in the corpus:"
                               " recorded in the duplicates table, not indexed a second time")),
            (self.reparsed, ("{} unchanged file(s) parsed again: an earlier version of the"
                             " loader, or a load without figures (--no-figures), had parsed"
                             " them")),
            (self.stale, ("{} article(s) keep the paragraphs and figures an earlier version of"
                          " the loader gave them, as their files were not in this load: load"
                          " those files again to parse them with this version")),
            (self.reclassified, ("{} article(s) re-cleaned after corpus-wide boilerplate"
                                 " detection")),
            (self.removed, ("{} article(s) removed: their files are gone from the load or"
                            " no longer give an article (--prune), or now repeat another"
                            " article's text")),
            (self.released, ("{} file(s) recorded as copies of an article that changed or went"
                             " were not in this load: load them again to index their text")),
        ]
        out.extend(text.format(n) for n, text in notes if n)
        out.extend(f"warning: {w}" for w in self.warnings)
        return out


@dataclass
class _Job:
    path: Path
    rel: str
    meta: dict


def discover(paths: list[str], notes: list[str] | None = None
             ) -> tuple[list[_Job], list[tuple[str, str]]]:
    """Expand files and directories (recursively) into jobs; report bad paths. Files in
    a folder named as a folder's own notes are (README.txt, NOTES.txt: see
    :data:`NOT_ARTICLES`) are skipped and their paths added to ``notes``."""
    jobs: list[_Job] = []
    errors: list[tuple[str, str]] = []
    seen: set[str] = set()
    notes = [] if notes is None else notes
    for given in paths:
        p = Path(given)
        if not p.exists():
            errors.append((given, "no such file or directory"))
        elif p.is_dir():
            texts = sorted(
                f for f in _walk(p, errors)
                # A dangling link is kept so that it is reported, not skipped.
                if f.suffix.lower() in TEXT_SUFFIXES and (f.is_file() or f.is_symlink())
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            found = [f for f in texts if f.stem.lower() not in NOT_ARTICLES]
            skipped = [str(f) for f in texts if f.stem.lower() in NOT_ARTICLES]
            if found:  # (a folder of notes alone is an error that names them)
                notes.extend(skipped)
            if not found:
                errors.append((given, "directory holds no .txt files" if not skipped else
                               "directory holds no article files, only "
                               + ", ".join(Path(f).name for f in skipped[:5])
                               + " (skipped as a folder's notes: name a single file to"
                               " load it)"))
            for f in found:
                if os.path.abspath(f) not in seen:
                    seen.add(os.path.abspath(f))
                    jobs.append(_Job(f, f.relative_to(p).as_posix(), {}))
        elif p.suffix.lower() not in TEXT_SUFFIXES:
            kinds = ", ".join(sorted(TEXT_SUFFIXES))
            errors.append((given, f"not a text file: the loader reads {kinds} files"))
        elif os.path.abspath(p) not in seen:
            seen.add(os.path.abspath(p))
            jobs.append(_Job(p, p.as_posix(), {}))
    return _distinct_keys(jobs, errors)


def _walk(root: Path, errors: list[tuple[str, str]]) -> list[Path]:
    """Every file under ``root`` (not following links to folders, not entering hidden
    folders); a folder that cannot be read is reported, not skipped in silence."""
    def unreadable(e: OSError) -> None:
        errors.append((e.filename or str(root), f"cannot read directory: {e.strerror or e}"))

    out: list[Path] = []
    for folder, subfolders, files in os.walk(root, onerror=unreadable):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        out.extend(Path(folder) / name for name in files)
    return out


SAME_KEY = "same article key"
"""Opens the error of a file refused for taking another file's key in one load; such
errors describe that load only, so the next load clears them."""


def _distinct_keys(jobs: list[_Job], errors: list[tuple[str, str]]
                   ) -> tuple[list[_Job], list[tuple[str, str]]]:
    """Refuse files whose names cannot be stored, and files that would take another
    file's key in this load (each would overwrite the other's article)."""
    kept: list[_Job] = []
    first: dict[str, str] = {}
    for job in jobs:
        try:
            job.rel.encode("utf-8")
        except UnicodeEncodeError:
            shown = job.rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            errors.append((shown, "file name is not valid UTF-8: rename the file"))
            continue
        key, seq = key_for_path(job.rel)
        if key in first:
            # Named by the paths as given: both files may have one path in their folders.
            advice = ("rename one (a NNN_<hex>.txt name is keyed by its hex part alone)"
                      if seq is not None else "load the folder that holds both, so that each"
                      " keeps its subfolder in its key, or rename one")
            errors.append((str(job.path), f"{SAME_KEY} {key!r} as {first[key]}: {advice}"))
            continue
        first[key] = str(job.path)
        kept.append(job)
    return kept, errors


# Worker state, set once per process by _init_worker.
_W: dict = {}


def _init_worker(repeated: frozenset, known: dict, figures: bool, encoding, max_bytes) -> None:
    _W.update(repeated=repeated, known=known, encoding=encoding, max_bytes=max_bytes,
              extract=_extractor() if figures else None)


def _extractor() -> Extractor:
    from .figures.extract import extract_figures

    return extract_figures


def _parse_job(job: _Job, fresh: bool = False):
    """Runs in a worker: ("article", (Article, block hashes)) | ("same", hash) | ("error", msg).

    ``fresh`` parses even a file whose text the corpus already knows."""
    try:
        data = job.path.read_bytes()
    except PermissionError:
        return "error", "cannot read: permission denied"
    except OSError as e:
        return "error", f"cannot read: {e.strerror or e}"
    try:
        known_hash = None if fresh else _W["known"].get(job.rel)
        if known_hash is not None:
            from .text.parse import text_hash

            text, _ = read_text(data, _W["encoding"], _W["max_bytes"])
            if text_hash(text) == known_hash:
                return "same", known_hash
        article = parse_article(data, job.rel, job.meta, _W["repeated"], _W["extract"],
                                _W["encoding"], _W["max_bytes"])
        if not article.paragraphs and _W["repeated"]:  # kept whole, as the repeated pass does
            article = parse_article(data, job.rel, job.meta, (), _W["extract"],
                                    _W["encoding"], _W["max_bytes"])
        if not article.paragraphs:
            return "error", "no body text (every block was classified as boilerplate or title)"
        # Hashes and term counts are computed here, off the writer.
        return "article", (article, block_hashes_of(article), article_terms(article))
    except ReadError as e:
        return "error", str(e)
    except Exception as e:  # noqa: BLE001 - a parser bug must not stop the other files loading
        return "error", f"internal error while parsing: {type(e).__name__}: {e}"


def block_hashes_of(article: Article) -> list[tuple[str, int]]:
    """Fingerprints of an article's prose blocks, for corpus-wide passes.

    Only prose blocks stating no number are fingerprinted (see
    :func:`~loaders.classify.repeatable`): a data line, a score line or a team
    sheet may recur across reports, but it is content, not site furniture.
    """
    blocks = [p.text for p in article.paragraphs] + [d.text for d in article.dropped]
    return [(block_hash(text), len(text.split())) for text in blocks if repeatable(text)]


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
) -> LoadSummary:
    """Load article files into ``db_path``; see the module docstring.

    ``prune`` removes the articles (and duplicate records) of files not in this load:
    for paths that hold the whole corpus, so that deleted files leave it too.
    """
    summary = LoadSummary()
    say = report or (lambda line: None)
    manifest_rows = read_manifest(manifest) if manifest else {}
    notes: list[str] = []
    jobs, path_errors = discover(paths, notes)
    if notes and jobs:
        summary.warnings.append(
            f"{len(notes)} file(s) skipped as a folder's notes, not articles (e.g. {notes[0]});"
            " name such a file on its own to load it")
    used: set[str] = set()
    for job in jobs:
        key = matching_key(manifest_rows, job.rel)
        meta = dict(manifest_rows[key]) if key is not None else {}
        if key is not None:
            used.add(key)
        if outlet and not meta.get("outlet"):
            meta["outlet"] = outlet
        job.meta = meta
    if manifest:
        summary.warnings.extend(manifest_warnings(manifest_rows, used, manifest))

    if not jobs:
        raise LoadError("nothing to load: " + "; ".join(f"{p}: {e}" for p, e in path_errors)
                        if path_errors else "nothing to load: no paths given")
    lock = _lock(db_path)
    try:
        db = open_db(db_path, bulk=True)
    except BaseException:
        lock.close()
        raise
    try:
        return _load_into(db, db_path, jobs, path_errors, summary, say, figures, encoding,
                          max_bytes, workers, batch_size, progress, prune)
    finally:
        lock.close()


class LoadError(Exception):
    """A load that cannot start: no file to load, or another load holds the database."""


def _lock(db_path: str):
    """An exclusive lock on the database file for the whole load, so that a second
    load into it stops at once with a clear message instead of colliding on ids."""
    handle = open(db_path, "ab")  # noqa: SIM115 - held until the load ends
    try:
        import fcntl
    except ImportError:  # no advisory locks on this platform
        return handle
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise LoadError(f"{db_path}: another load is writing to this database; wait for it"
                        " to finish") from None
    return handle


def _load_into(db, db_path, jobs, path_errors, summary, say, figures, encoding, max_bytes,
               workers, batch_size, progress, prune) -> LoadSummary:
    writer = Writer(db, PARSED_BY if figures else PARSED_WITHOUT_FIGURES)
    # Parsed by these rules; without figures counts only for a load without them.
    current_marks = {PARSED_BY} if figures else {PARSED_BY, PARSED_WITHOUT_FIGURES}
    existing = {
        row[0]: {"id": row[1], "hash": row[2], "key": row[3], "path": row[0],
                 **{f: row[4 + i] for i, f in enumerate(META_FIELDS)},
                 "current": row[9] in current_marks, "given": _given(row[10])}
        for row in db.execute(
            "select a.path, a.id, a.content_hash, a.key, a.outlet, a.url, a.published,"
            " a.byline, case when a.title_derived then null else a.title end, s.parsed_by,"
            " s.manifest_fields from articles a left join article_sources s on s.id = a.id"
        ).fetchall()
    }
    by_hash = {v["hash"]: v["id"] for v in existing.values()}
    by_key = {v["key"]: v for v in existing.values()}
    # Each file recorded as a duplicate: path, key, text hash, the article it repeats and
    # its own outlet, url and date.
    dups = db.execute("select path, key, content_hash, duplicate_of, outlet, url, published"
                      " from duplicates").fetchall()
    repeated = frozenset(link.repeated_hashes(db))
    # A file is skipped as unchanged only if these rules parsed its article: after an
    # upgrade, reloading brings every article up to the new rules (see loaders.rules).
    known = {**{p: v["hash"] for p, v in existing.items() if v["current"]},
             **{d[0]: d[2] for d in dups}}

    with db.conn:
        db.execute("delete from load_errors where error like ?", [SAME_KEY + " %"])
        for path, error in path_errors:
            writer.record_error(path, error)
    for path, error in path_errors:
        summary.errors.append((path, error))
        say(f"{path}: {error}")

    total = len(jobs)
    done = 0
    terms = TermCounts()
    initargs = (repeated, known, figures, encoding, max_bytes)
    state = _State(db, writer, summary, say, existing, terms, by_hash, by_key,
                   dup_paths={d[0]: d[3] for d in dups},
                   dup_meta={d[0]: {"outlet": d[4], "url": d[5], "published": d[6]}
                             for d in dups},
                   dup_keys={d[1] for d in dups},
                   reparse=lambda job: _parse_in_main(job, initargs))
    started = time.perf_counter()
    writer.begin_bulk(defer_indexes=total >= max(DEFER_INDEXES_MIN, len(existing)))
    try:
        results = _run(jobs, workers, initargs, window=batch_size)
        while True:
            batch = _take(results, batch_size)
            if not batch:
                break
            with db.conn:
                set_meta(db, "link_pending", "1")
                for job, result in batch:
                    _store_one(state, job, *result)
                writer.flush()
            done += len(batch)
            if progress:
                progress(done, total)
        with db.conn:
            if prune:
                _prune(state, jobs, path_errors)
            _revisit(state, jobs)
            writer.flush()
        summary.released = len(state.revisit)
        summary.timings["files"] = time.perf_counter() - started

        if get_meta(db, "link_pending"):
            with db.conn:
                started = time.perf_counter()
                summary.reclassified = link.refresh_repeated(
                    # Always with figures: re-cleaning an older article must not
                    # strip the figures an earlier load gave it.
                    db, writer, _extractor()
                )
                writer.flush()
                summary.timings["boilerplate"] = time.perf_counter() - started
                started = time.perf_counter()
                link.refresh_related(db, terms)
                link.refresh_counts(db)
                set_meta(db, "link_pending", None)
                summary.timings["related"] = time.perf_counter() - started
    except BaseException:
        # The failed batch's transaction was rolled back; its buffered rows must not be
        # written by the flush below, or the next load would take them for complete.
        writer.discard()
        raise
    finally:
        started = time.perf_counter()
        writer.end_bulk()
        summary.timings["indexes"] = time.perf_counter() - started
    summary.stale = db.execute("select count(*) from article_sources where parsed_by is null"
                               " or parsed_by not in (?, ?)",
                               [PARSED_BY, PARSED_WITHOUT_FIGURES]).fetchone()[0]
    warning = close_bulk(db)
    if warning:
        summary.warnings.append(warning)
    return summary


@dataclass
class _State:
    """What storing one parsed file needs to know of the corpus so far."""

    db: object
    writer: Writer
    summary: LoadSummary
    say: Callable[[str], None]
    existing: dict
    terms: TermCounts
    by_hash: dict
    by_key: dict
    dup_paths: dict = field(default_factory=dict)
    """Path of each file recorded as a duplicate -> the article it repeats."""
    dup_keys: set = field(default_factory=set)
    dup_meta: dict = field(default_factory=dict)
    reparse: Callable[[_Job], tuple] | None = None
    revisit: set = field(default_factory=set)
    """Paths of duplicates whose article changed or went: they must be loaded again."""
    meta_reparse: set = field(default_factory=set)
    """Unchanged files parsed again to get their own title or byline back."""
    handled: set = field(default_factory=set)
    counted_unchanged: set = field(default_factory=set)
    counted_duplicate: set = field(default_factory=set)
    stored: set = field(default_factory=set)
    """Paths stored as articles in this load."""


def _parse_in_main(job: _Job, initargs: tuple):
    """Parse one file in this process, even if its text was known (a duplicate whose
    original changed)."""
    if not _W:
        _init_worker(*initargs)
    return _parse_job(job, fresh=True)


def _revisit(st: _State, jobs: list[_Job]) -> None:
    """Load again the files of this load recorded as copies of an article that changed
    or went after they were seen."""
    by_rel = {job.rel: job for job in jobs}
    for rel in sorted(st.revisit & st.handled):
        st.revisit.discard(rel)
        if rel in st.stored:
            continue  # already an article of this load's text
        if rel in st.counted_unchanged:  # counted once, as what it turns out to be
            st.counted_unchanged.discard(rel)
            st.summary.unchanged -= 1
        _store_one(st, by_rel[rel], *st.reparse(by_rel[rel]))


def _prune(st: _State, jobs: list[_Job], path_errors: list[tuple[str, str]]) -> None:
    """Remove the articles and duplicate records of files not in this load."""
    if path_errors:
        # A path missing, a folder unreadable or empty, a file refused: its articles
        # would look deleted. Pruning waits for a load that sees every path whole.
        st.summary.warnings.append(
            f"nothing pruned: {len(path_errors)} path(s) could not be read in full (e.g."
            f" {path_errors[0][0]}: {path_errors[0][1]}), and pruning would remove the"
            " articles of their files")
        return
    # A file that now fails to parse (empty, binary, no body) no longer gives an article;
    # one that cannot be read this time keeps its article.
    failed = {p for p, e in st.summary.errors if not e.startswith("cannot read")}
    listed = {job.rel for job in jobs}
    present = listed - failed
    gone = [(aid, path) for aid, path in st.db.execute("select id, path from articles")
            if path not in present]
    for aid, _ in gone:
        # Copies of a removed article in this load get articles of their own.
        st.revisit.update(st.writer.delete_article(aid))
    removed = {aid for aid, _ in gone}
    for h in [h for h, aid in st.by_hash.items() if aid in removed]:
        del st.by_hash[h]
    for k in [k for k, v in st.by_key.items() if v["id"] in removed]:
        del st.by_key[k]
    st.summary.removed += len(gone)
    stale = [path for path in st.dup_paths if path not in present]
    for chunk in chunks(stale):
        st.db.execute(f"delete from duplicates where path in ({marks(chunk)})", chunk)
    # Copies released by a removal whose files are gone too: nothing is left to load.
    st.revisit.intersection_update(present)
    old_errors = [p for (p,) in st.db.execute("select distinct path from load_errors")
                  if p not in listed]
    for chunk in chunks(old_errors):
        st.db.execute(f"delete from load_errors where path in ({marks(chunk)})", chunk)


def _store_one(st: _State, job: _Job, status: str, payload) -> None:
    """Write one parse result: an error, an unchanged file, a duplicate or an article."""
    summary, writer = st.summary, st.writer
    if status == "error":
        writer.record_error(job.rel, payload)
        summary.errors.append((job.rel, payload))
        st.say(f"{job.rel}: {payload}")
        return
    writer.clear_errors(job.rel)
    st.handled.add(job.rel)
    if status == "same":
        dup_of = st.dup_paths.get(job.rel)
        if job.rel in st.revisit or (dup_of is not None and payload not in st.by_hash):
            # A copy of an article whose text changed or went: it needs its own article.
            st.revisit.discard(job.rel)
            _store_one(st, job, *st.reparse(job))
            return
        copy = st.dup_meta.get(job.rel)
        if copy and any(f in job.meta and job.meta[f] != copy[f] for f in copy):
            # A copy keeps its own outlet, url and date: a manifest change reaches it.
            writer.flush()
            fields = [f for f in copy if f in job.meta]
            st.db.execute(f"update duplicates set {', '.join(f'[{f}] = ?' for f in fields)}"
                          " where path = ?", [job.meta[f] for f in fields] + [job.rel])
            summary.updated += 1
            return
        row = st.existing.get(job.rel)
        if row and any(f in job.meta and job.meta[f] is None and f in row["given"]
                       for f in ("title", "byline")):
            # A manifest title or byline blanked: the file's own comes back from its text.
            st.meta_reparse.add(job.rel)
            _store_one(st, job, *st.reparse(job))
            return
        changed = _meta_changes(row, job.meta) if row else []
        # Values the manifest now gives, changed or not, are recorded as the manifest's so
        # that they outlive edits.
        if changed or (row and any(job.meta.get(f) and f not in row["given"]
                                   for f in META_FIELDS)):
            writer.flush()
            _update_meta(st.db, row["id"], job.meta, changed, row["given"])
        if changed:
            summary.updated += 1
        else:
            summary.unchanged += 1  # also a duplicate recorded before
            st.counted_unchanged.add(job.rel)
        return
    article, hashes, counts = payload
    dup_of = st.by_hash.get(article.content_hash)
    old = st.by_key.get(article.key)
    if dup_of is not None and (old is None or old["id"] != dup_of):
        if old is None and job.rel in st.dup_meta:  # a copy still, of another text
            _keep_meta(article, _copy_as_old(st.dup_meta[job.rel]), job.meta)
        if old is not None:
            _keep_meta(article, old, job.meta)  # the copy keeps what a manifest gave
            # The file now repeats another article's text: its own article goes.
            st.revisit.update(writer.delete_article(old["id"]))
            st.by_hash.pop(old["hash"], None)
            st.by_key.pop(article.key, None)
            summary.removed += 1
        writer.record_duplicate(article, dup_of)
        st.dup_paths[job.rel] = dup_of
        st.dup_keys.add(article.key)
        if job.rel not in st.counted_duplicate:
            summary.duplicates += 1
            st.counted_duplicate.add(job.rel)
        return
    if article.key in st.dup_keys:
        # A former copy with text of its own now: it keeps the outlet, url and date it
        # had as a copy where its manifest row (if any) does not give them.
        _keep_meta(article, _copy_as_old(st.dup_meta.get(job.rel) or {}), job.meta)
        writer.forget_duplicate(article.key)
        st.dup_keys.discard(article.key)
        st.dup_paths.pop(job.rel, None)
        if job.rel in st.counted_duplicate:  # counted as a copy earlier in this load
            st.counted_duplicate.discard(job.rel)
            summary.duplicates -= 1
    st.stored.add(job.rel)
    key = body_key(article.content_hash, len(article.paragraphs), article.word_count)
    if old is not None:
        _keep_meta(article, old, job.meta)
        if old["hash"] != article.content_hash:
            st.revisit.update(writer.release_duplicates(old["id"]))
        writer.replace_article(old["id"], article, hashes)
        st.terms.add(old["id"], key, counts)
        meta_changed = any(getattr(article, f) != old[f] for f in ("outlet", "url", "published")
                           if f in old)
        if job.rel in st.meta_reparse:
            summary.updated += 1  # parsed again for the file's own title or byline
        elif (old["hash"] == article.content_hash and old.get("path") in (None, job.rel)
              and not meta_changed):
            summary.reparsed += 1  # same text, parsed by an earlier version's rules
        else:
            summary.updated += 1
        st.by_hash.pop(old["hash"], None)
        st.by_hash[article.content_hash] = old["id"]
    else:
        new_id = writer.insert_article(article, hashes)
        st.terms.add(new_id, key, counts)
        st.by_hash[article.content_hash] = new_id
        st.by_key[article.key] = {"id": new_id, "hash": article.content_hash,
                                  "path": job.rel}
        summary.loaded += 1


_LEGACY_GIVEN = frozenset({"outlet", "url", "published"})
"""What an article stored before ``manifest_fields`` existed had from a manifest: the
fields no file gives."""


def _copy_as_old(copy: dict) -> dict:
    """A duplicate's stored outlet, url and date as :func:`_keep_meta` reads an article's
    (only a manifest gives those)."""
    return {**copy, "given": [f for f in copy if copy[f] is not None]}


def _given(stored: str | None) -> frozenset:
    """The fields a manifest gave an article, from ``article_sources.manifest_fields``."""
    if stored is None:
        return _LEGACY_GIVEN
    return frozenset(f for f in stored.split(",") if f)


def _keep_meta(article: Article, old: dict, meta: dict) -> None:
    """A file parsed again keeps the values a manifest gave it that its manifest row
    (if any) does not give now: a load without the manifest must not wipe them, nor put
    the file's own title or byline over the manifest's."""
    for f in old.get("given", ()):
        if f in meta or old.get(f) is None:
            continue
        setattr(article, f, old[f])
        if f == "title":
            article.title_derived = False
        if f not in article.given:
            article.given += (f,)


def _meta_changes(row: dict, meta: dict) -> list[str]:
    """The fields a manifest row changes: a value that differs, or a blank where a value
    is stored (a blank title or byline is the file's own, which is stored already)."""
    out = []
    for f in META_FIELDS:
        if f not in meta:
            continue
        if meta[f] is None:
            if f not in ("title", "byline") and row[f] is not None:
                out.append(f)
        elif meta[f] != row[f]:
            out.append(f)
    return out


def _update_meta(db, article_id: int, meta: dict, fields: list[str], given: frozenset
                 ) -> None:
    """Set ``fields`` of an unchanged file's article from its manifest row, and record
    which fields the manifest now gives."""
    if fields:
        sets = ", ".join(f"[{f}] = ?" for f in fields)
        extra = ", title_derived = 0" if "title" in fields else ""
        db.execute(f"update articles set {sets}{extra} where id = ?",
                   [meta[f] for f in fields] + [article_id])
    now = (set(given) | {f for f in META_FIELDS if meta.get(f)}) - {
        f for f in fields if meta[f] is None}
    db.execute("update article_sources set manifest_fields = ? where id = ?",
               [",".join(sorted(now)), article_id])


def _run(jobs: list[_Job], workers: int, initargs: tuple,
         window: int = 250) -> Iterator[tuple[_Job, tuple]]:
    """Parse results in input order, from worker processes when ``workers`` > 1.

    A bounded window of submitted chunks keeps memory flat however many files there
    are; chunks of files keep the cost of handing work across processes low. The
    window holds more than ``window`` files (one batch of the writer), so the workers
    keep parsing while the writer stores a batch.
    """
    if workers <= 1 or len(jobs) < 50:
        _init_worker(*initargs)
        for job in jobs:
            yield job, _parse_job(job)
        return
    remaining = iter(jobs)
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=initargs) as pool:
        def submit(pending: deque) -> None:
            chunk = list(islice(remaining, CHUNK))
            if chunk:
                pending.append((chunk, pool.submit(_parse_chunk, chunk)))

        pending: deque = deque()
        for _ in range(max(4 * workers, 2 * window // CHUNK)):
            submit(pending)
        while pending:
            chunk, future = pending.popleft()
            submit(pending)
            yield from zip(chunk, future.result())


def _parse_chunk(jobs: list[_Job]) -> list:
    return [_parse_job(job) for job in jobs]


def _take(it: Iterator, n: int) -> list:
    out = []
    for item in it:
        out.append(item)
        if len(out) >= n:
            break
    return out


def default_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))
