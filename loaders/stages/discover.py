"""Discover and read: the paths a load is given -> the items it parses.

Two steps, with one seam between them:

* :func:`sources` walks the paths given into :class:`Source` values (one file each),
  following links to folders once each (a link back into a folder already read is
  named in a warning, never walked again) and reporting, never skipping in silence,
  what it cannot read.
* A *reader* (:mod:`.readers`), chosen by the file's suffix from :data:`READERS` or for
  every file by ``--format`` (``options.format``) from :data:`BY_FORMAT`, turns one
  source into one or many :class:`Item` values, each an article to be: a path that
  becomes its key, its metadata, and either its text or nothing, so that the parse
  stage reads the file's bytes itself, in a worker (a ``.txt`` file, and each record of
  an export, read again at its byte offset).

A reader is a function ``Source -> Iterator[Item]``; registering one for a suffix makes
the loader read such files, with nothing else to change. It may raise
:class:`~loaders.text.read.ReadError` for a source it cannot read at all, or yield an
item with ``error`` set for a file it cannot use, or an item whose parse fails for one
record it cannot use (its ``path`` names the record, e.g. ``export.jsonl:17``), so
that a bad record is a ``load_errors`` row, not a lost file.

Keys and paths of records: a record with an id (``--id-field``, or a field such as
``id``) is keyed by it and its path is ``export.jsonl#<id>``; one without is keyed and
named ``export.jsonl:<line>``. A record removed from an export is then what a removed
file is: its article stays unless the load is pruned (``--prune``). Outlet names that
pages and records give are made one name per outlet across the load
(:func:`normalise_outlets`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..formats import FormatError, detect
from ..formats.meta import OutletNames
from ..text.read import ReadError
from .readers import (  # noqa: F401 (the seam's names, as the load and tests use them)
    BY_FORMAT,
    READERS,
    Item,
    NotAnExport,
    Reader,
    RecordItem,
    Source,
    read_export,
    read_page,
    read_text_file,
)

NOT_ARTICLES = {"readme", "license", "licence", "copying", "changes", "changelog", "notes"}
"""Folder notes that travel with corpora; never articles."""

WARNINGS_PER_FILE = 5
"""Values left out of an export's records (a date that is not one) named per file; the
rest are counted."""

SAME_KEY = "same article key"
"""Opens the error of a file refused for taking another file's key in one load; such
errors describe that load only, so the next load clears them."""




def discover(paths: list[str], notes: list[str] | None = None,
             warnings: list[str] | None = None, options=None
             ) -> tuple[list[Item], list[tuple[str, str]]]:
    """The items of ``paths`` and the errors of paths that give none.

    Files named as a folder's own notes (README.txt, NOTES.txt: see
    :data:`NOT_ARTICLES`) and exports found in a folder that hold no articles (a gold
    ``.json``, a table as ``.csv``: :class:`NotAnExport`) are skipped and their paths
    added to ``notes``; links to
    folders already read are named in ``warnings``. ``options`` (the load's
    :class:`~loaders.load.LoadOptions`) gives the readers of other formats their
    settings; its ``format`` (other than ``auto``) reads every file in that format, and
    its manifest file is never taken for an export.
    """
    errors: list[tuple[str, str]] = []
    items: list[Item] = []
    warnings = [] if warnings is None else warnings
    given = getattr(options, "format", None) or "auto"
    manifest = getattr(options, "manifest", None)
    skip = {os.path.abspath(manifest)} if manifest else set()
    for source in sources(paths, errors, notes, warnings, any_suffix=True):
        if skip and os.path.abspath(source.path) in skip:
            continue
        source = Source(source.path, source.rel, options, source.walked)
        reader = BY_FORMAT[given] if given != "auto" else \
            READERS.get(Path(source.rel).suffix.lower())
        if reader is None:  # a file named on its own, of no known suffix: by its content
            try:
                reader = BY_FORMAT[detect(source.path)]
            except FormatError as e:
                errors.append((str(source.path), str(e).split(": ", 1)[-1]))
                continue
        shown = more = 0
        try:
            for item in reader(source):
                items.append(item)
                lost = getattr(item, "warnings", None)
                if lost:  # (values a record lost, not the record: named, a few per file)
                    item.warnings = []
                    if shown < WARNINGS_PER_FILE:
                        warnings.extend(lost)
                        shown += len(lost)
                    else:
                        more += len(lost)
        except ReadError as e:
            errors.append((str(source.path), str(e)))
        except NotAnExport:
            if notes is not None:
                notes.append(str(source.path))
        if more:
            warnings.append(f"{source.rel}: {more} more value(s) left out of records, as above")
    normalise_outlets(items)
    return distinct_keys(items, errors)


def normalise_outlets(items: list[Item]) -> None:
    """One name per outlet among the items whose files gave their own (pages, export
    records): "HARBOUR GAZETTE", "harbour gazette" and "The Harbour Gazette" become the
    best spelling of the three (see :class:`~loaders.formats.meta.OutletNames`), and an
    item without an outlet takes the one whose articles share its URL's domain. Items
    of text files (whose outlets come from a manifest or ``--outlet``) are left alone."""
    own = [item for item in items if item.meta]
    if not own:
        return
    names = OutletNames()
    for item in own:
        names.add(item.meta.get("outlet"), item.meta.get("url"))
    for item in own:
        name = names.name(item.meta.get("outlet"), item.meta.get("url"))
        if name:
            item.meta["outlet"] = name


def sources(paths: list[str], errors: list[tuple[str, str]], notes: list[str] | None = None,
            warnings: list[str] | None = None, any_suffix: bool = False) -> list[Source]:
    """Expand files and folders (recursively) into sources; report bad paths. Folders
    give the files with a suffix of :data:`READERS`; a file named on its own needs one
    too, unless ``any_suffix`` (the load reads it by its content, or by the format
    given for every file)."""
    out: list[Source] = []
    seen: set[str] = set()
    notes = [] if notes is None else notes
    warnings = [] if warnings is None else warnings
    for given in paths:
        p = Path(given)
        try:
            st = os.stat(p)
        except FileNotFoundError:
            errors.append((given, "no such file or directory"
                           + (" (a link to nothing)" if p.is_symlink() else "")))
            continue
        except OSError as e:
            errors.append((given, f"cannot read: {e.strerror or e}"))
            continue
        if stat.S_ISDIR(st.st_mode):
            texts = sorted(_walk(p, errors, warnings))
            found = [f for f in texts if f.stem.lower() not in NOT_ARTICLES]
            skipped = [str(f) for f in texts if f.stem.lower() in NOT_ARTICLES]
            if found:  # (a folder of notes alone is an error that names them)
                notes.extend(skipped)
            else:
                kinds = ", ".join(sorted(set(READERS) - {".txt"}))
                errors.append((given, f"directory holds no .txt files (nor {kinds})"
                               if not skipped else
                               "directory holds no article files, only "
                               + ", ".join(Path(f).name for f in skipped[:5])
                               + " (skipped as a folder's notes: name a single file to"
                               " load it)"))
            for f in found:
                if os.path.abspath(f) not in seen:
                    seen.add(os.path.abspath(f))
                    out.append(Source(f, f.relative_to(p).as_posix(), walked=True))
        elif p.suffix.lower() not in READERS and not any_suffix:
            kinds = ", ".join(sorted(READERS))
            errors.append((given, f"not a text file: the loader reads {kinds} files (or"
                           " name the format of every file with --format)"))
        elif os.path.abspath(p) not in seen:
            # Anything else (a FIFO, a device) is refused by the read stage, by name.
            seen.add(os.path.abspath(p))
            out.append(Source(p, p.as_posix()))
    return out


def _walk(root: Path, errors: list[tuple[str, str]], warnings: list[str]) -> list[Path]:
    """Every file under ``root`` with a suffix a reader takes, not entering hidden
    folders. Links to folders are followed, each folder read once (a link back to a
    folder already read is named in ``warnings``); a folder that cannot be read is
    reported in ``errors``. Iterative, so no depth of folders overflows a stack."""
    out: list[Path] = []
    try:
        first = os.stat(root)
        visited = {(first.st_dev, first.st_ino): str(root)}
    except OSError as e:
        errors.append((str(root), f"cannot read directory: {e.strerror or e}"))
        return out
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as e:
            errors.append((str(folder), f"cannot read directory: {e.strerror or e}"))
            continue
        for entry in listed:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            try:
                is_dir = entry.is_dir()  # follows a link
            except OSError:
                is_dir = False
            if is_dir:
                try:
                    st = os.stat(path)
                except OSError as e:
                    errors.append((str(path), f"cannot read directory: {e.strerror or e}"))
                    continue
                if (st.st_dev, st.st_ino) in visited:
                    warnings.append(f"{path}: a link to a folder already read"
                                    f" ({visited[(st.st_dev, st.st_ino)]}), not read again")
                    continue
                visited[(st.st_dev, st.st_ino)] = str(path)
                stack.append(path)
            elif Path(entry.name).suffix.lower() in READERS:
                # Whatever it is (a file, a dangling link, a FIFO), it is read or reported.
                out.append(path)
    return out


def distinct_keys(items: list[Item], errors: list[tuple[str, str]]
                  ) -> tuple[list[Item], list[tuple[str, str]]]:
    """Refuse items whose names cannot be stored, and items that would take another
    item's key in this load (each would overwrite the other's article)."""
    kept: list[Item] = []
    first: dict[str, str] = {}
    for item in items:
        try:
            item.rel.encode("utf-8")
        except UnicodeEncodeError:
            shown = item.rel.encode("utf-8", "surrogateescape").decode("utf-8",
                                                                       "backslashreplace")
            errors.append((shown, "file name is not valid UTF-8: rename the file"))
            continue
        if item.error is not None:
            errors.append((item.rel, item.error))
            continue
        key, seq = item.article_key()
        if key in first:
            # Named by the paths as given: both files may have one path in their folders.
            advice = ("give each record its own id (--id-field names the field)"
                      if isinstance(item, RecordItem) else
                      "rename one (a NNN_<hex>.txt name is keyed by its hex part alone)"
                      if seq is not None else "load the folder that holds both, so that each"
                      " keeps its subfolder in its key, or rename one")
            where = item.rel if isinstance(item, RecordItem) else str(item.path)
            errors.append((where, f"{SAME_KEY} {key!r} as {first[key]}: {advice}"))
            continue
        first[key] = item.rel if isinstance(item, RecordItem) else str(item.path)
        kept.append(item)
    return kept, errors
