"""Exports holding one article per record: JSON Lines, JSON arrays and CSV.

:func:`iter_records` streams a file: it reads one line (JSON Lines, CSV) or one array
element (JSON) at a time, so memory does not grow with the file, and yields a
:class:`Record` per article or a :class:`RecordError` for a record that cannot be one,
carrying its line number, and goes on with the next. Each record knows its byte offset,
so :func:`read_record` can read it again on its own (a worker given only the path and
offset). Which record fields give the text and metadata: :mod:`.fields`.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

from ..text.read import MAX_BYTES
from . import FormatError
from .fields import DEFAULTS, FieldMap, Record, RecordError, all_defaults, find, record_from
from .lines import WIDE, Line
from .lines import lines as read_lines

__all__ = ["DEFAULTS", "FieldMap", "Record", "RecordError", "RECORD_FORMATS", "iter_records",
           "read_record"]

RECORD_FORMATS = ("jsonl", "json", "csv")


def iter_records(path: str | Path, fmt: str, fields: FieldMap = FieldMap(), *,
                 encoding: str | None = None, max_bytes: int = MAX_BYTES,
                 key_prefix: str | None = None) -> Iterator[Record | RecordError]:
    """Stream the articles of a JSON Lines (``jsonl``), JSON array (``json``) or CSV
    (``csv``) export, one :class:`Record` or :class:`RecordError` at a time.

    ``encoding`` forces one (otherwise UTF-8, with or without a BOM, UTF-16 with a BOM,
    and per line cp1252 where a line is not UTF-8 and the file has shown no UTF-8 beyond
    ASCII). ``max_bytes`` bounds one record. ``key_prefix`` replaces the file name in
    ``<file>:<line>`` keys. Raises :class:`FormatError` (naming the file) for what stops
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
                # One element, read in growing chunks until it decodes whole.
                dec = json.JSONDecoder()
                text = codecs.getincrementaldecoder(encoding or "utf-8")(errors="replace")
                raw, size = "", 1 << 14
                while True:
                    data = f.read(size)
                    raw += text.decode(data, final=not data)
                    try:
                        obj, _ = dec.raw_decode(raw.lstrip(" \t\r\n"))
                        break
                    except json.JSONDecodeError as e:
                        if not data or len(raw) > max_bytes:
                            return RecordError(line, offset, f"invalid JSON ({e.msg})")
                        size = min(size * 2, 1 << 22)
                return record_from(obj, fields, line, offset, prefix)
        else:
            raise FormatError(f"{path}: {fmt!r} is not a record format")
    return RecordError(line, offset, "no record at this offset")


# --- JSON Lines ----------------------------------------------------------------------

def _jsonl(path, f, fields, encoding, max_bytes, prefix, start=(0, 1)):
    for ln in read_lines(f, encoding, max_bytes, start):
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
        rec = record_from(obj, fields, ln.number, ln.offset, prefix)
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
    byte_exact = not encoding.lower().startswith(WIDE)
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
        yield record_from(obj, fields, line, offset if byte_exact else None, prefix)
        first = False
        pos = end
        advance(pos)


# --- CSV -----------------------------------------------------------------------------

class _Feed:
    """Lines for ``csv.reader``, remembering where the row being read started and
    whether any of its lines could not be decoded."""

    def __init__(self, lines: Iterator[Line]):
        self.lines = lines
        self.start: Line | None = None
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

    def take(self) -> tuple[Line | None, str | None, str | None]:
        out = self.start, self.problem, self.note
        self.start = self.problem = self.note = None
        return out


def _delimiter(header: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    outside = re.sub(r'"[^"]*"', "", header)
    return max(",;\t|", key=outside.count)


def _csv(path, f, fields, encoding, max_bytes, prefix, seek_to=None):
    lines = read_lines(f, encoding, max_bytes)
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
    if len(header) < 2 and header[0].lower() not in all_defaults():
        raise FormatError(f"{path}: the first row ({first.text.strip()[:60]!r}) is not a header"
                          " of columns")
    missing = [f"--{name}-field {col}" for name, col in fields.given().items()
               if col.split(".")[0].lower() not in {h.lower() for h in header}]
    if missing:
        raise FormatError(f"{path}: no column for {', '.join(missing)}; the columns are"
                          f" {', '.join(header)}")
    text_given = fields.text
    if not text_given and not find(dict.fromkeys(header, "x"), DEFAULTS["text"])[0]:
        raise FormatError(f"{path}: no text column (tried {', '.join(DEFAULTS['text'][:6])}, ...);"
                          f" name it with --text-field (the columns are {', '.join(header)})")
    if seek_to is not None:
        f.seek(seek_to[0])
        lines = read_lines(f, encoding, max_bytes, seek_to)
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
        rec = record_from(obj, fields, start.number, start.offset, prefix)
        if isinstance(rec, Record):
            if len(row) != len(header):
                rec.warnings.append(f"{len(row)} cells where the header has {len(header)}"
                                    + (": the last ones not read" if len(row) > len(header) else ""))
            if note:
                rec.warnings.append(note)
        yield rec
        if seek_to is not None:
            return
