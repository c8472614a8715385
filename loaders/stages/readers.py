"""Readers: one source (a file found) -> the items (articles to be) it gives.

:class:`Source` is one file; :class:`Item` one article to parse; a reader, chosen by
suffix from :data:`READERS` (or by ``--format`` from :data:`BY_FORMAT`), turns one into
the others. A ``.txt`` file is one item whose bytes the parse stage reads; a saved page
(``.html``, ``.htm``) one item with the page's text and metadata; an export (``.jsonl``,
``.ndjson``, ``.json``, ``.csv``) one :class:`RecordItem` per record, keeping the
record's key, metadata and byte offset and reading its text again when the parse stage
asks for it, so no export is held in memory. The readers of pages and exports call
:mod:`loaders.formats`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..formats import FormatError
from ..formats.fields import FieldMap
from ..formats.records import Record, read_record
from ..formats.sources import SourceError, read_source
from ..text.parse import key_for_path
from ..text.read import MAX_BYTES, ReadError

@dataclass(frozen=True)
class Source:
    """One file found: ``path`` as the file system knows it, ``rel`` its path relative
    to the folder given (or as given, for a file named on its own)."""

    path: Path
    rel: str
    options: object = field(default=None, compare=False, repr=False)
    walked: bool = False
    """Found in a folder (not named on its own)."""
    """The load's options (a :class:`~loaders.load.LoadOptions`), read by the readers of
    other formats: ``format``, ``fields``, ``html_engine``, ``encoding``, ``max_bytes``."""

    def option(self, name: str, default=None):
        value = getattr(self.options, name, None) if self.options is not None else None
        return default if value is None else value


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


def read_page(source: Source) -> Iterator[Item]:
    """A saved web page is one article: its text and metadata (title, outlet, byline,
    date, URL) as :func:`loaders.formats.html.html_article` reads them. A page that
    holds no article text is an error naming the file."""
    for got in read_source(source.path, "html", html_engine=source.option("html_engine", "auto"),
                           encoding=source.option("encoding"),
                           max_bytes=source.option("max_bytes", MAX_BYTES)):
        if isinstance(got, SourceError):
            raise ReadError(got.problem)
        yield Item(source.path, source.rel, meta=dict(got.meta), text=got.text)


def read_export(source: Source) -> Iterator[Item]:
    """An export is one article per record, streamed: each :class:`RecordItem` keeps the
    record's key, metadata and byte offset, not its text. A bad record is an item whose
    parse fails with the record's problem (a ``load_errors`` row ``file:line``); a file
    that cannot be read as an export at all is one error item naming the file."""
    given = source.option("format", "auto")
    fields = source.option("fields", FieldMap())
    encoding, max_bytes = source.option("encoding"), source.option("max_bytes", MAX_BYTES)
    on_line: dict[int, int] = {}  # records seen on a line (a JSON array may put many on one)

    def by_line(line: int) -> str:
        on_line[line] = on_line.get(line, 0) + 1
        n = on_line[line]
        return f"{source.rel}:{line}" if n == 1 else f"{source.rel}:{line}:{n}"

    first = source.walked and given == "auto"
    for got in read_source(source.path, given, fields=fields, encoding=encoding,
                           max_bytes=max_bytes, key_prefix=source.rel):
        if first and isinstance(got, SourceError) and (
                got.problem.startswith(NOT_AN_EXPORT) if got.line is None
                else got.problem.startswith("no text:")):
            raise NotAnExport(got.problem)
        first = False
        if isinstance(got, SourceError):
            if got.line is None:
                yield Item(source.path, source.rel, error=got.problem)
            else:
                where = by_line(got.line)
                yield RecordItem(source.path, where, key=where, line=got.line,
                                 problem=got.problem, file_rel=source.rel)
            continue
        if got.format == "text":  # --format auto on a file that is no export
            yield Item(source.path, source.rel, text=got.text)
            continue
        if got.key == f"{source.rel}:{got.line}":  # no id: keyed by its line
            key = rel = by_line(got.line or 0)
        else:
            key, rel = got.key, f"{source.rel}#{got.key}"
        item = RecordItem(source.path, rel, meta=dict(got.meta), key=key,
                          format=got.format, offset=got.offset, line=got.line or 0,
                          fields=fields, encoding=encoding, max_bytes=max_bytes,
                          file_rel=source.rel)
        if got.offset is None:  # (a UTF-16 export, read as text: no offsets to go back to)
            item.text = got.text
        item.warnings = [f"{source.rel}:{got.line}: {w}" for w in got.warnings]
        yield item


class NotAnExport(Exception):
    """A ``.json`` or ``.csv`` file found in a folder that holds no articles (a gold file,
    a table of figures): a folder's note, skipped as README files are."""


NOT_AN_EXPORT = ("a JSON object, not an array", "not a JSON array", "no text column",
                 "empty CSV", "the first row")
"""Whole-file problems that say a file is no export of articles (rather than a broken
one)."""


_LAST: list = [None, None]
"""The last record text read again (its identity, its text): the parse stage asks for
an item's text more than once, and only one record is ever held."""


def _record_text(item: "RecordItem") -> str | None:
    text = item.__dict__.get("_text")
    if text is not None:
        return text
    if item.problem is not None:
        raise ReadError(item.problem)
    ident = (str(item.path), item.offset, item.line, item.format, item.fields, item.encoding)
    if _LAST[0] == ident:
        return _LAST[1]
    try:
        rec = read_record(item.path, item.format, item.offset, item.line, item.fields,
                          encoding=item.encoding, max_bytes=item.max_bytes,
                          key_prefix=item.file_rel)
    except (OSError, FormatError) as e:
        raise ReadError(f"cannot read the record again: {getattr(e, 'strerror', None) or e}"
                        ) from None
    if not isinstance(rec, Record) or (rec.key != item.key and item.rel != item.key):
        raise ReadError("the export changed while it was being loaded: load it again")
    _LAST[0], _LAST[1] = ident, rec.text
    return rec.text


def _set_text(item: "RecordItem", value: str | None) -> None:
    item.__dict__["_text"] = value


@dataclass
class RecordItem(Item):
    """One record of an export: its text is read again from the file, at its byte
    offset, when the parse stage asks for it (in a worker), so that a load holds the
    metadata of an export's records, never their text. An item with ``problem`` set is
    a record that could not be read: its parse fails with that problem."""

    format: str = "jsonl"
    offset: int | None = None
    line: int = 0
    fields: FieldMap = FieldMap()
    encoding: str | None = None
    max_bytes: int = MAX_BYTES
    problem: str | None = None
    file_rel: str = ""
    """The export's own path (the prefix of keys by line)."""
    warnings: list = field(default_factory=list, repr=False)

    text = property(_record_text, _set_text)  # type: ignore[assignment]


Reader = Callable[[Source], Iterator[Item]]
READERS: dict[str, Reader] = {
    ".txt": read_text_file,
    ".html": read_page, ".htm": read_page,
    ".jsonl": read_export, ".ndjson": read_export, ".json": read_export, ".csv": read_export,
}
"""Suffix (lower case) -> the reader of such files."""

BY_FORMAT: dict[str, Reader] = {"text": read_text_file, "html": read_page, "jsonl": read_export,
                                "json": read_export, "csv": read_export}
"""The reader of each ``--format`` given (it applies to every file of the load)."""
