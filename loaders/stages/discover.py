"""Discover and read: the paths a load is given -> the items it parses.

Two steps, with one seam between them:

* :func:`sources` walks the paths given into :class:`Source` values (one file each),
  following links to folders once each (a link back into a folder already read is
  named in a warning, never walked again) and reporting, never skipping in silence,
  what it cannot read.
* A *reader*, chosen by the file's suffix from :data:`READERS`, turns one source into
  one or many :class:`Item` values, each an article to be: a path that becomes its key,
  its metadata, and either its text (a reader of exports gives it) or nothing, so that
  the parse stage reads the file's bytes itself, in a worker (a ``.txt`` file).

A reader is a function ``Source -> Iterator[Item]``; registering one for ``.jsonl``
(say) makes the loader read such files, with nothing else to change. It may raise
:class:`~loaders.text.read.ReadError` for a source it cannot read at all, or yield an
item with ``error`` set for one record it cannot use (its ``path`` names the record,
e.g. ``export.jsonl:17``), so that a bad record is a ``load_errors`` row, not a lost
file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..text.parse import key_for_path
from ..text.read import ReadError

NOT_ARTICLES = {"readme", "license", "licence", "copying", "changes", "changelog", "notes"}
"""Folder notes that travel with corpora; never articles."""

SAME_KEY = "same article key"
"""Opens the error of a file refused for taking another file's key in one load; such
errors describe that load only, so the next load clears them."""


@dataclass(frozen=True)
class Source:
    """One file found: ``path`` as the file system knows it, ``rel`` its path relative
    to the folder given (or as given, for a file named on its own)."""

    path: Path
    rel: str


@dataclass
class Item:
    """One article to parse (also called a job: the unit handed to a parse worker).

    ``rel`` is the article's path; its key comes from it (see
    :func:`~loaders.text.parse.key_for_path`) unless ``key`` is given (a reader of
    exports gives each record's, e.g. ``export.jsonl:17`` or the record's own id);
    ``text`` is None when the parse stage is to read ``path``'s bytes; ``error`` is set
    for a record its reader could not use.
    ``meta`` (manifest fields) and ``known_hash`` (the hash of the text the corpus holds
    for ``rel``, parsed by these rules) are filled in by the load.
    """

    path: Path
    rel: str
    meta: dict = field(default_factory=dict)
    text: str | None = None
    error: str | None = None
    known_hash: str | None = None
    key: str | None = None

    def article_key(self) -> tuple[str, int | None]:
        """The key (and sequence number) of the article this item gives."""
        return (self.key, None) if self.key is not None else key_for_path(self.rel)


def read_text_file(source: Source) -> Iterator[Item]:
    """A plain text file is one article, read later by the parse stage."""
    yield Item(source.path, source.rel)


Reader = Callable[[Source], Iterator[Item]]
READERS: dict[str, Reader] = {".txt": read_text_file}
"""Suffix (lower case) -> the reader of such files."""


def discover(paths: list[str], notes: list[str] | None = None,
             warnings: list[str] | None = None) -> tuple[list[Item], list[tuple[str, str]]]:
    """The items of ``paths`` and the errors of paths that give none.

    Files named as a folder's own notes (README.txt, NOTES.txt: see
    :data:`NOT_ARTICLES`) are skipped and their paths added to ``notes``; links to
    folders already read are named in ``warnings``.
    """
    errors: list[tuple[str, str]] = []
    items: list[Item] = []
    for source in sources(paths, errors, notes, warnings):
        reader = READERS[Path(source.rel).suffix.lower()]
        try:
            items.extend(reader(source))
        except ReadError as e:
            errors.append((str(source.path), str(e)))
    return distinct_keys(items, errors)


def sources(paths: list[str], errors: list[tuple[str, str]], notes: list[str] | None = None,
            warnings: list[str] | None = None) -> list[Source]:
    """Expand files and folders (recursively) into sources; report bad paths."""
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
                errors.append((given, "directory holds no .txt files" if not skipped else
                               "directory holds no article files, only "
                               + ", ".join(Path(f).name for f in skipped[:5])
                               + " (skipped as a folder's notes: name a single file to"
                               " load it)"))
            for f in found:
                if os.path.abspath(f) not in seen:
                    seen.add(os.path.abspath(f))
                    out.append(Source(f, f.relative_to(p).as_posix()))
        elif p.suffix.lower() not in READERS:
            kinds = ", ".join(sorted(READERS))
            errors.append((given, f"not a text file: the loader reads {kinds} files"))
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
            advice = ("rename one (a NNN_<hex>.txt name is keyed by its hex part alone)"
                      if seq is not None else "load the folder that holds both, so that each"
                      " keeps its subfolder in its key, or rename one")
            errors.append((str(item.path), f"{SAME_KEY} {key!r} as {first[key]}: {advice}"))
            continue
        first[key] = str(item.path)
        kept.append(item)
    return kept, errors
