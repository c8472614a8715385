"""Exports holding one article per record: JSON Lines, JSON arrays and CSV.

This module is long (about 450 lines) because the three formats share one record model
(field mapping, values, keys, errors) and the line reader under them (offsets, encodings,
over-long lines); split, each part would import most of the others.

:func:`iter_records` streams a file: it reads one line (JSON Lines, CSV) or one array
element (JSON) at a time, so memory does not grow with the file, and yields a
:class:`Record` per article or a :class:`RecordError` for a record that cannot be one,
carrying its line number, and goes on with the next. Each record knows its byte offset,
so :func:`read_record` can read it again on its own (a worker given only the path and
offset).

Fields are found by a :class:`FieldMap`: a name given for a field (``--text-field body``,
a dotted path such as ``source.name`` for nested JSON) is used as it is; a field not
given takes the first of :data:`DEFAULTS` a record has (in any case, ``_`` and ``-``
ignored), which covers the exports of common scrapers and news APIs.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields as dc_fields
from pathlib import Path

from ..text.read import MAX_BYTES, normalise
from . import FormatError
from .meta import clean_outlet, iso_date

DEFAULTS: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "article_text", "articletext", "maintext",
             "main_text", "full_text", "fulltext", "story", "article_body", "articlebody",
             "body_text", "text_content", "raw_text"),
    "title": ("title", "headline", "heading", "head", "name"),
    "outlet": ("outlet", "source", "sitename", "site_name", "site", "publisher", "publication",
               "source_name", "media", "newspaper", "source_domain", "domain", "hostname"),
    "date": ("published", "date", "published_at", "publishedat", "publish_date",
             "date_publish", "datepublished", "date_published", "pubdate", "pub_date",
             "published_date", "publication_date", "published_time", "datetime",
             "timestamp", "created_at", "time"),
    "url": ("url", "link", "canonical_url", "source_url", "article_url", "permalink", "href",
            "uri"),
    "author": ("author", "authors", "byline", "creator", "writer", "by"),
    "id": ("id", "_id", "uuid", "guid", "article_id", "doc_id", "docid", "key"),
}
"""Field names tried, in order, for a field the :class:`FieldMap` does not name."""


@dataclass(frozen=True)
class FieldMap:
    """Which record field gives each article field (None: try :data:`DEFAULTS`).

    Names are matched in any case; a dotted name (``source.name``) reads a nested
    object. ``FieldMap(text="body", date="meta.published")``.
    """

    text: str | None = None
    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None
    author: str | None = None
    id: str | None = None

    def given(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in dc_fields(self) if getattr(self, f.name)}


@dataclass
class Record:
    """One article read from an export.

    ``line`` is the 1-based line the record starts on, ``offset`` its byte offset (None
    for UTF-16 files, which are read as text). ``key`` is the id field's value, or
    ``<file>#<line>``. ``text`` is normalised as text files are (LF, NFC, ordinary
    spaces); paragraphs are whatever the export put between them (blank lines, line
    breaks, or HTML blocks, which are turned into blank-line separated paragraphs).
    ``published`` is ISO 8601. ``sources`` names the record field each value came from;
    ``warnings`` are problems that lost a value but not the record.
    """

    key: str
    line: int
    offset: int | None
    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    author: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class RecordError:
    """A record that could not be read as an article (the stream goes on after it)."""

    line: int
    offset: int | None
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


RECORD_FORMATS = ("jsonl", "json", "csv")


def iter_records(path: str | Path, fmt: str, fields: FieldMap = FieldMap(), *,
                 encoding: str | None = None, max_bytes: int = MAX_BYTES,
                 key_prefix: str | None = None) -> Iterator[Record | RecordError]:
    """Stream the articles of a JSON Lines (``jsonl``), JSON array (``json``) or CSV
    (``csv``) export, one :class:`Record` or :class:`RecordError` at a time.

    ``encoding`` forces one (otherwise UTF-8, with or without a BOM, UTF-16 with a BOM,
    and per line cp1252 where a line is not UTF-8 and the file has shown no UTF-8 beyond
    ASCII). ``max_bytes`` bounds one record. ``key_prefix`` replaces the file name in
    ``<file>#<line>`` keys. Raises :class:`FormatError` (naming the file) for what stops
    the whole file: it cannot be opened, a CSV has no header or lacks a column named in
    ``fields``, a JSON file is not an array of objects.
    """
    path = Path(path)
    prefix = key_prefix if key_prefix is not None else path.name
    if fmt not in RECORD_FORMATS:
        raise FormatError(f"{path}: {fmt!r} is not a record format ({', '.join(RECORD_FORMATS)})")
    try:
        f = open(path, "rb")
    except OSError as e:
        raise FormatError(f"{path}: cannot read ({e.strerror})") from None
    with f:
        if fmt == "jsonl":
            yield from _jsonl(path, f, fields, encoding, max_bytes, prefix)
        elif fmt == "csv":
            yield from _csv(path, f, fields, encoding, max_bytes, prefix)
        else:
            yield from _json_array(path, f, fields, encoding, max_bytes, prefix)


def read_record(path: str | Path, fmt: str, offset: int, line: int,
                fields: FieldMap = FieldMap(), *, encoding: str | None = None,
                max_bytes: int = MAX_BYTES, key_prefix: str | None = None) -> Record | RecordError:
    """The record :func:`iter_records` gave at ``offset`` (and ``line``), read again on
    its own: a seek, one record's bytes (and for CSV the header row) read."""
    path = Path(path)
    prefix = key_prefix if key_prefix is not None else path.name
    with open(path, "rb") as f:
        if fmt == "csv":
            header_rows = _csv(path, f, fields, encoding, max_bytes, prefix, seek_to=(offset, line))
            for rec in header_rows:
                return rec
        elif fmt in ("jsonl", "json"):
            f.seek(offset)
            if fmt == "jsonl":
                for rec in _jsonl(path, f, fields, encoding, max_bytes, prefix, start=(offset, line)):
                    return rec
            else:
                dec = json.JSONDecoder()
                raw = f.read(max_bytes).decode(encoding or "utf-8", errors="replace")
                raw = raw.lstrip(" \t\r\n")
                try:
                    obj, _ = dec.raw_decode(raw)
                except json.JSONDecodeError as e:
                    return RecordError(line, offset, f"invalid JSON ({e.msg})")
                return _record(obj, fields, line, offset, prefix)
        else:
            raise FormatError(f"{path}: {fmt!r} is not a record format")
    return RecordError(line, offset, "no record at this offset")


# --- lines ---------------------------------------------------------------------------

_WIDE = ("utf-16", "utf_16", "utf16", "utf-32", "utf_32", "utf32")


@dataclass
class _Line:
    number: int
    offset: int | None
    text: str | None  # None: too long, or not decodable (``problem`` says which)
    problem: str | None = None
    note: str | None = None


def _lines(f, encoding: str | None, max_bytes: int, start: tuple[int, int] = (0, 1)) -> Iterator[_Line]:
    """The file's lines, decoded, each with its number and byte offset."""
    offset, number = start
    head = f.read(4)
    f.seek(offset)
    wide = encoding and encoding.lower().startswith(_WIDE)
    if offset == 0 and not encoding and head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        wide, encoding = True, "utf-16"
    if wide:
        yield from _wide_lines(f, encoding, max_bytes, number)
        return
    if offset == 0 and head.startswith(codecs.BOM_UTF8):
        f.read(3)
        offset = 3
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise FormatError(f"unknown encoding {encoding!r}") from None
    seen_utf8 = False  # a line with UTF-8 beyond ASCII: the file is UTF-8
    while True:
        raw = f.readline(max_bytes + 1)
        if not raw:
            return
        size = len(raw)
        if size > max_bytes and not raw.endswith(b"\n"):
            while True:  # skip the rest of the over-long line, a megabyte at a time
                chunk = f.readline(1 << 20)
                size += len(chunk)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield _Line(number, offset, None, f"record longer than {max_bytes / 1e6:g} MB"
                        " (raise the limit with --max-mb)")
        elif encoding:
            try:
                yield _Line(number, offset, raw.decode(encoding))
            except UnicodeDecodeError as e:
                yield _Line(number, offset, None, f"cannot decode as {encoding}: {e.reason} at"
                            f" byte {e.start}")
        elif raw.isascii():
            yield _Line(number, offset, raw.decode("ascii"))
        else:
            try:
                text = raw.decode("utf-8")
                seen_utf8 = True
                yield _Line(number, offset, text)
            except UnicodeDecodeError as e:
                text = None if seen_utf8 else _cp1252(raw)
                if text is None:
                    yield _Line(number, offset, None, f"not UTF-8 (byte 0x{raw[e.start]:02x} at"
                                f" column {e.start + 1}); pass --encoding if the file has one")
                else:
                    yield _Line(number, offset, text, note="read as cp1252 (not UTF-8)")
        offset += size
        number += 1


def _cp1252(raw: bytes) -> str | None:
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    odd = sum(1 for ch in text if not (ch.isprintable() or ch in "\n\r\t"))
    return text if odd <= 2 else None


def _wide_lines(f, encoding: str, max_bytes: int, number: int) -> Iterator[_Line]:
    import io
    stream = io.TextIOWrapper(f, encoding=encoding, errors="strict", newline="")
    try:
        while True:
            try:
                text = stream.readline(max_bytes + 1)
            except UnicodeDecodeError as e:
                yield _Line(number, None, None, f"cannot decode as {encoding}: {e.reason}")
                return
            if not text:
                return
            if len(text) > max_bytes and not text.endswith("\n"):
                while True:
                    more = stream.readline(1 << 20)
                    if not more or more.endswith("\n"):
                        break
                yield _Line(number, None, None, f"record longer than {max_bytes / 1e6:g} MB")
            else:
                yield _Line(number, None, text.lstrip("\ufeff") if number == 1 else text)
            number += 1
    finally:
        stream.detach()


# --- JSON Lines ----------------------------------------------------------------------

def _jsonl(path, f, fields, encoding, max_bytes, prefix, start=(0, 1)):
    for ln in _lines(f, encoding, max_bytes, start):
        if ln.text is None:
            yield RecordError(ln.number, ln.offset, ln.problem)
            continue
        if not ln.text.strip():
            continue
        try:
            obj = json.loads(ln.text)
        except json.JSONDecodeError as e:
            hint = " (a record spread over several lines? JSON Lines needs one per line)" \
                if ln.text.strip() in ("{", "[") else ""
            yield RecordError(ln.number, ln.offset, f"invalid JSON: {e.msg} at column"
                              f" {e.colno}{hint}")
            continue
        rec = _record(obj, fields, ln.number, ln.offset, prefix)
        if ln.note and isinstance(rec, Record):
            rec.warnings.append(ln.note)
        yield rec


# --- JSON arrays ---------------------------------------------------------------------

def _json_array(path, f, fields, encoding, max_bytes, prefix):
    """The elements of a top-level JSON array, decoded one at a time from a window of
    the file (``raw_decode`` on a buffer that grows only while an element is cut off)."""
    head = f.read(4)
    f.seek(0)
    if not encoding:
        encoding = "utf-16" if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            else "utf-8-sig"
    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    except LookupError:
        raise FormatError(f"unknown encoding {encoding!r}") from None
    byte_exact = not encoding.lower().startswith(_WIDE)
    measure = "utf-8" if codecs.lookup(encoding).name == "utf-8-sig" else encoding
    dec = json.JSONDecoder()
    buf, pos, eof = "", 0, False
    # line and byte offset of buf[0]
    line, offset = 1, 3 if measure == "utf-8" and head.startswith(codecs.BOM_UTF8) else 0
    chunk = 1 << 16

    def fill(size: int) -> bool:
        nonlocal buf, eof
        if eof:
            return False
        data = f.read(size)
        try:
            buf += decoder.decode(data, final=not data)
        except UnicodeDecodeError as e:
            raise FormatError(f"{path}: not {encoding} ({e.reason}; pass --encoding)") from None
        eof = not data
        return True

    def skip_space():
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n":
                pos += 1
            if pos < len(buf) or not fill(chunk):
                return

    def advance(to: int):
        nonlocal buf, pos, line, offset
        done = buf[:to]
        line += done.count("\n")
        if byte_exact:
            offset += len(done.encode(measure, errors="surrogatepass"))
        buf, pos = buf[to:], 0

    skip_space()
    if pos >= len(buf) or buf[pos] != "[":
        if pos < len(buf) and buf[pos] == "{":
            raise FormatError(f"{path}: a JSON object, not an array of articles: for one article"
                              " per line use JSON Lines (.jsonl)")
        raise FormatError(f"{path}: not a JSON array of articles")
    pos += 1
    advance(pos)
    first = True
    while True:
        skip_space()
        if pos >= len(buf):
            yield RecordError(line, offset if byte_exact else None, "the array is not closed"
                              " (file cut short?)")
            return
        if buf[pos] == "]":
            return
        if not first:
            if buf[pos] != ",":
                yield RecordError(line + buf[:pos].count("\n"), None,
                                  f"expected ',' between elements, found {buf[pos]!r}: rest of file not read")
                return
            pos += 1
            skip_space()
        advance(pos)
        size = chunk
        while True:
            try:
                obj, end = dec.raw_decode(buf, 0)
                if end == len(buf) and not eof and not isinstance(obj, (dict, list, str)):
                    raise json.JSONDecodeError("cut off", buf, end)  # a number may go on
                break
            except json.JSONDecodeError as e:
                if len(buf) > max_bytes:
                    yield RecordError(line, offset if byte_exact else None,
                                      f"element longer than {max_bytes / 1e6:g} MB or invalid"
                                      " JSON: rest of file not read")
                    return
                if not fill(size):
                    yield RecordError(line + buf[:e.pos].count("\n"), None,
                                      f"invalid JSON: {e.msg}: rest of file not read")
                    return
                size *= 2
        yield _record(obj, fields, line, offset if byte_exact else None, prefix)
        first = False
        pos = end
        advance(pos)


# --- CSV -----------------------------------------------------------------------------

class _Feed:
    """Lines for ``csv.reader``, remembering where the row being read started and
    whether any of its lines could not be decoded."""

    def __init__(self, lines: Iterator[_Line]):
        self.lines = lines
        self.start: _Line | None = None
        self.problem: str | None = None
        self.note: str | None = None

    def __iter__(self):
        return self

    def __next__(self) -> str:
        ln = next(self.lines)
        if self.start is None:
            self.start = ln
        if ln.text is None:
            self.problem = self.problem or ln.problem
            return "\n"
        if ln.note:
            self.note = ln.note
        return ln.text

    def take(self) -> tuple[_Line | None, str | None, str | None]:
        out = self.start, self.problem, self.note
        self.start = self.problem = self.note = None
        return out


def _delimiter(header: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    outside = re.sub(r'"[^"]*"', "", header)
    return max(",;\t|", key=outside.count)


def _csv(path, f, fields, encoding, max_bytes, prefix, seek_to=None):
    lines = _lines(f, encoding, max_bytes)
    feed = _Feed(lines)
    first = None
    for ln in lines:
        if ln.text is None:
            raise FormatError(f"{path}: header row unreadable: {ln.problem}")
        if ln.text.strip():
            first = ln
            break
    if first is None:
        raise FormatError(f"{path}: empty CSV file")
    delimiter = _delimiter(first.text, path.suffix.lower())
    csv.field_size_limit(max_bytes)  # (process-wide: set for each file read)
    header = next(csv.reader([first.text], delimiter=delimiter))
    header = [h.strip() for h in header]
    if len(header) < 2 and header[0].lower() not in _all_defaults():
        raise FormatError(f"{path}: the first row ({first.text.strip()[:60]!r}) is not a header"
                          " of columns")
    missing = [f"--{name}-field {col}" for name, col in fields.given().items()
               if col.split(".")[0].lower() not in {h.lower() for h in header}]
    if missing:
        raise FormatError(f"{path}: no column for {', '.join(missing)}; the columns are"
                          f" {', '.join(header)}")
    text_given = fields.text
    if not text_given and not _find(dict.fromkeys(header, "x"), DEFAULTS["text"])[0]:
        raise FormatError(f"{path}: no text column (tried {', '.join(DEFAULTS['text'][:6])}, ...);"
                          f" name it with --text-field (the columns are {', '.join(header)})")
    if seek_to is not None:
        f.seek(seek_to[0])
        lines = _lines(f, encoding, max_bytes, seek_to)
        feed = _Feed(lines)
    reader = csv.reader(feed, delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            start, _, _ = feed.take()
            n = start.number if start else reader.line_num
            yield RecordError(n, start.offset if start else None, f"malformed CSV: {e}")
            continue
        start, problem, note = feed.take()
        if problem:
            yield RecordError(start.number, start.offset, problem)
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        obj = dict(zip(header, row))
        rec = _record(obj, fields, start.number, start.offset, prefix)
        if isinstance(rec, Record):
            if len(row) != len(header):
                rec.warnings.append(f"{len(row)} cells where the header has {len(header)}"
                                    + (": the last ones not read" if len(row) > len(header) else ""))
            if note:
                rec.warnings.append(note)
        yield rec
        if seek_to is not None:
            return


def _all_defaults() -> set[str]:
    return {n for names in DEFAULTS.values() for n in names}


# --- one record ----------------------------------------------------------------------

def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(name)).lower()


def _find(obj: dict, names: tuple[str, ...]) -> tuple[str | None, object]:
    """The first of ``names`` ``obj`` has with a value (in any case, ``_``/``-`` ignored)."""
    by_norm = {}
    for k in obj:
        by_norm.setdefault(_norm(k), k)
    for name in names:
        k = by_norm.get(_norm(name))
        if k is not None and obj[k] not in (None, "", [], {}):
            return k, obj[k]
    return None, None


def _get(obj: dict, dotted: str) -> tuple[str | None, object]:
    """The value at a dotted path (``source.name``), matching each part as :func:`_find`."""
    cur, used = obj, []
    for part in dotted.split("."):
        if not isinstance(cur, dict):
            return None, None
        k, cur = _find(cur, (part,))
        if k is None:
            return None, None
        used.append(k)
    return ".".join(used), cur


def _as_text(value, key: str) -> str | None:
    """A field's value as one line of text: names of objects (``{"name": ...}``), lists
    joined with commas."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, dict):
        k, v = _find(value, ("name", "title", "display_name", "id"))
        return _as_text(v, key) if k else None
    if isinstance(value, list):
        parts = [_as_text(v, key) for v in value]
        parts = [p for p in parts if p]
        return ", ".join(dict.fromkeys(parts)) or None
    return None


_MARKUP = re.compile(r"<(?:p|br|div|h[1-6]|li|blockquote)\b[^>]*>", re.IGNORECASE)


def _body_text(value) -> tuple[str | None, str | None]:
    """The article text of a record's text field, and a problem if it has none."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n\n".join(v.strip() for v in value if v.strip())  # a list of paragraphs
    if not isinstance(value, str):
        return None, f"the text field holds {type(value).__name__}, not text"
    if len(_MARKUP.findall(value[:20000])) >= 2:
        from .html import fragment_text
        value = fragment_text(value)
    text = normalise(value).strip()
    if not text:
        return None, "empty text"
    return text, None


def _record(obj, fields: FieldMap, line: int, offset: int | None, prefix: str) -> Record | RecordError:
    if not isinstance(obj, dict):
        return RecordError(line, offset, f"a JSON {type(obj).__name__}, not an object (one"
                           " article per record)")
    values, sources = {}, {}
    for name in ("text", "title", "outlet", "date", "url", "author", "id"):
        given = getattr(fields, name)
        k, v = _get(obj, given) if given else _find(obj, DEFAULTS[name])
        if k is not None:
            values[name], sources[name] = v, k
    if "text" not in values:
        present = [k for k in obj if _norm(k) in {_norm(n) for n in (
            (fields.text,) if fields.text else DEFAULTS["text"])}]
        if present:
            return RecordError(line, offset, f"empty text (field '{present[0]}')")
        tried = f"no '{fields.text}'" if fields.text else \
            f"none of {', '.join(DEFAULTS['text'][:5])}, ..."
        keys = ", ".join(list(obj)[:8])
        return RecordError(line, offset, f"no text: the record has {tried} (its fields: {keys};"
                           " name one with --text-field)")
    text, problem = _body_text(values["text"])
    if problem:
        return RecordError(line, offset, f"{problem} (field '{sources['text']}')")
    warnings = []
    rid = _as_text(values.get("id"), "id")
    key = rid if rid else f"{prefix}#{line}"
    published = None
    if "date" in values:
        published = iso_date(values["date"])
        if published is None:
            warnings.append(f"{sources['date']} {str(values['date'])[:40]!r} is not a date"
                            " (write YYYY-MM-DD): left out")
    url = _as_text(values.get("url"), "url")
    if url and (" " in url or "." not in url):
        warnings.append(f"{sources['url']} {url[:40]!r} is not a URL: left out")
        url = None
    return Record(key=key, line=line, offset=offset, text=text,
                  title=_as_text(values.get("title"), "title"),
                  outlet=clean_outlet(_as_text(values.get("outlet"), "outlet")),
                  published=published, url=url,
                  author=_as_text(values.get("author"), "author"),
                  sources=sources, warnings=warnings)
