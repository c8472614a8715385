"""One discovered file as the articles it holds, whatever its format.

:func:`read_source` is the seam between finding files and parsing articles: a text file
or a saved page yields one :class:`Source`, an export yields one per record, and what
cannot be read is a :class:`SourceError` naming the file (and the line, for a record),
so the load can report it and go on. Every source carries the text to parse (paragraphs
separated by blank lines or line breaks, as text files are), the metadata the file
itself gives, and what the reader left out with its reasons.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..text.read import MAX_BYTES, ReadError, read_text
from . import FormatError, detect
from .records import FieldMap, Record, iter_records


@dataclass
class Source:
    """One article's text before it is parsed.

    ``key`` is None for a file that is one article (the load keys it by its path), else
    the record's key (its id, or ``<key_prefix>:<line>``). ``meta`` holds any of
    ``title``, ``outlet``, ``published`` (ISO 8601), ``url`` and ``byline``. ``dropped``
    lists ``(reason, text)`` for blocks a page reader left out.
    """

    format: str
    key: str | None
    text: str
    meta: dict = field(default_factory=dict)
    dropped: list[tuple[str, str]] = field(default_factory=list)
    line: int | None = None
    offset: int | None = None
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class SourceError:
    """A file, or one record of it, that could not be read; ``str()`` names where."""

    path: str
    problem: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.problem}" if self.line else \
            f"{self.path}: {self.problem}"


def read_source(path: str | Path, given: str = "auto", *, fields: FieldMap = FieldMap(),
                html_engine: str = "auto", encoding: str | None = None,
                max_bytes: int = MAX_BYTES, key_prefix: str | None = None,
                ) -> Iterator[Source | SourceError]:
    """The articles in ``path`` read as format ``given`` (``auto``: :func:`detect`).

    A file that fails as a whole (unknown format, binary, undecodable, too large, a page
    without article text, a CSV without a text column) is one :class:`SourceError`; in an
    export, each bad record is one and the others are read. ``html_engine`` is passed to
    :func:`.html.html_article`; asking for ``trafilatura`` without the extra raises
    :class:`.html.MissingExtra` (a problem of the load, not of one file).
    """
    path = Path(path)
    name = str(path)
    try:
        fmt = detect(path, given)
    except FormatError as e:
        yield SourceError(name, _without_path(str(e), path))
        return
    if fmt in ("jsonl", "json", "csv"):
        try:
            for rec in iter_records(path, fmt, fields, encoding=encoding, max_bytes=max_bytes,
                                    key_prefix=key_prefix):
                if isinstance(rec, Record):
                    meta = {k: v for k, v in (("title", rec.title), ("outlet", rec.outlet),
                                              ("published", rec.published), ("url", rec.url),
                                              ("byline", rec.author)) if v}
                    yield Source(fmt, rec.key, rec.text, meta, line=rec.line, offset=rec.offset,
                                 warnings=list(rec.warnings))
                else:
                    yield SourceError(name, rec.problem, rec.line)
        except FormatError as e:
            yield SourceError(name, _without_path(str(e), path))
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError(f"file too large: {size / 1e6:.1f} MB (limit {max_bytes / 1e6:.1f} MB;"
                            " raise it with --max-mb)")
        data = path.read_bytes()
    except OSError as e:
        yield SourceError(name, f"cannot read ({e.strerror})")
        return
    except ReadError as e:
        yield SourceError(name, str(e))
        return
    if fmt == "html":
        from .html import MissingExtra, html_article
        try:
            page = html_article(data, engine=html_engine, encoding=encoding)
        except MissingExtra:
            raise
        except FormatError as e:
            yield SourceError(name, str(e))
            return
        meta = {("byline" if k == "author" else k): v for k, v in page.meta.items()
                if k != "engine"}
        yield Source("html", None, page.text, meta, list(page.dropped))
        return
    try:
        text, used = read_text(data, encoding, max_bytes)
    except ReadError as e:
        yield SourceError(name, str(e))
        return
    yield Source("text", None, text, encoding=used)


def _without_path(message: str, path: Path) -> str:
    """A reader's message without the path it starts with (the error names it)."""
    for prefix in (f"{path}: ", f"{path.name}: "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message
