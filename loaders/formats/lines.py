"""An export's lines, decoded one at a time, each with its number and byte offset.

UTF-8 with or without a byte-order mark; UTF-16 (and 32) read as text, without byte
offsets; a forced encoding; and, where no encoding is given, a line that is not UTF-8 in a
file that has shown no UTF-8 beyond ASCII read as cp1252 (saying so). A line longer than
the limit is skipped a megabyte at a time, never held whole.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass

from . import FormatError

WIDE = ("utf-16", "utf_16", "utf16", "utf-32", "utf_32", "utf32")


@dataclass
class Line:
    number: int
    offset: int | None
    text: str | None  # None: too long, or not decodable (``problem`` says which)
    problem: str | None = None
    note: str | None = None


def lines(f, encoding: str | None, max_bytes: int, start: tuple[int, int] = (0, 1)) -> Iterator[Line]:
    """The file's lines, decoded, each with its number and byte offset."""
    offset, number = start
    head = f.read(4)
    f.seek(offset)
    wide = encoding and encoding.lower().startswith(WIDE)
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
            yield Line(number, offset, None, f"record longer than {max_bytes / 1e6:g} MB"
                        " (raise the limit with --max-mb)")
        elif encoding:
            try:
                yield Line(number, offset, raw.decode(encoding))
            except UnicodeDecodeError as e:
                yield Line(number, offset, None, f"cannot decode as {encoding}: {e.reason} at"
                            f" byte {e.start}")
        elif raw.isascii():
            yield Line(number, offset, raw.decode("ascii"))
        else:
            try:
                text = raw.decode("utf-8")
                seen_utf8 = True
                yield Line(number, offset, text)
            except UnicodeDecodeError as e:
                text = None if seen_utf8 else _cp1252(raw)
                if text is None:
                    yield Line(number, offset, None, f"not UTF-8 (byte 0x{raw[e.start]:02x} at"
                                f" column {e.start + 1}); pass --encoding if the file has one")
                else:
                    yield Line(number, offset, text, note="read as cp1252 (not UTF-8)")
        offset += size
        number += 1


def _cp1252(raw: bytes) -> str | None:
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    odd = sum(1 for ch in text if not (ch.isprintable() or ch in "\n\r\t"))
    return text if odd <= 2 else None


def _wide_lines(f, encoding: str, max_bytes: int, number: int) -> Iterator[Line]:
    stream = io.TextIOWrapper(f, encoding=encoding, errors="strict", newline="")
    try:
        while True:
            try:
                text = stream.readline(max_bytes + 1)
            except UnicodeDecodeError as e:
                yield Line(number, None, None, f"cannot decode as {encoding}: {e.reason}")
                return
            if not text:
                return
            if len(text) > max_bytes and not text.endswith("\n"):
                while True:
                    more = stream.readline(1 << 20)
                    if not more or more.endswith("\n"):
                        break
                yield Line(number, None, None, f"record longer than {max_bytes / 1e6:g} MB")
            else:
                yield Line(number, None, text.lstrip("\ufeff") if number == 1 else text)
            number += 1
    finally:
        stream.detach()
