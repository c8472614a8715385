"""Input formats other than plain text: saved web pages, JSON Lines, JSON arrays and CSV.

Every reader is a pure function over a path or bytes, so the loader can call it from a
worker process and a test can call it on a file in a temporary folder:

* :func:`detect` names the format of a file (by suffix, then by its first bytes).
* :func:`.html.html_article` turns one saved page into text (paragraphs separated by
  blank lines), metadata and the blocks it left out with their reasons.
* :func:`.records.iter_records` streams one article per record from a JSON Lines, JSON
  array or CSV export, in constant memory, with line numbers and byte offsets.
* :mod:`.meta` normalises published dates (ISO 8601) and outlet names.

>>> from pathlib import Path
>>> detect(Path("a.jsonl"), head=b""), detect(Path("b.htm"), head=b""), detect(Path("c.txt"), "csv", b"")
('jsonl', 'html', 'csv')
"""

from __future__ import annotations

from pathlib import Path

FORMATS = ("text", "html", "jsonl", "json", "csv")
"""Formats a file can be read as; ``auto`` (the default) picks one per file."""

SUFFIXES = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl",
    ".json": "json",
    ".csv": "csv", ".tsv": "csv",
}
"""File name suffixes (in any case) and the format each means."""

SNIFF_BYTES = 4096
_UNREADABLE = {  # leading bytes of formats that hold no readable article text
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (also .docx, .xlsx, .epub): unpack it first",
    b"\x1f\x8b": "a gzip archive: unpack it first",
    b"BZh": "a bzip2 archive: unpack it first",
    b"\xfd7zXZ\x00": "an xz archive: unpack it first",
    b"7z\xbc\xaf\x27\x1c": "a 7-Zip archive: unpack it first",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document (.doc, .xls)",
    b"{\\rtf": "an RTF document: save it as plain text",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"SQLite format 3\x00": "an SQLite database",
}


class FormatError(ValueError):
    """A file cannot be read in the format asked for (or in any); the message says why."""


def detect(path: Path, given: str = "auto", head: bytes | None = None) -> str:
    """The format to read ``path`` as: ``text``, ``html``, ``jsonl``, ``json`` or ``csv``.

    ``given`` other than ``auto`` is checked and returned as it is. Otherwise a known
    suffix decides (``.html``/``.htm``, ``.jsonl``/``.ndjson``, ``.json``, ``.csv``/``.tsv``,
    ``.txt``; a ``.json`` file whose first line is a whole object is ``jsonl``, as many
    exports named ``.json`` are); a file without one is sniffed from its first bytes (``head``, read from
    the file when not given): markup that opens like a web page is ``html``, a first line
    holding a JSON object is ``jsonl`` (``json`` for an array), anything else that decodes
    is ``text``. A file that is a known binary format (PDF, archive, image, office
    document) raises :class:`FormatError` naming it, also under a readable suffix, so a
    PDF saved as ``report.txt`` is refused with the right reason.

    >>> detect(Path("x"), head=b"<!DOCTYPE html><html><body><p>Hi</p>")
    'html'
    >>> detect(Path("x"), head=b'{"title": "A", "text": "B"}\\n{"title": "C"}')
    'jsonl'
    >>> try:
    ...     detect(Path("x.txt"), head=b"%PDF-1.7 ...")
    ... except FormatError as e:
    ...     print(e)
    x.txt: a PDF document, which cannot be read as text
    """
    given = (given or "auto").lower()
    if given not in FORMATS and given != "auto":
        raise FormatError(f"unknown format {given!r}: choose one of auto, {', '.join(FORMATS)}")
    if head is None:
        try:
            with open(path, "rb") as f:
                head = f.read(SNIFF_BYTES)
        except OSError as e:
            raise FormatError(f"{path}: cannot read ({e.strerror})") from None
    for magic, what in _UNREADABLE.items():
        if head.startswith(magic):
            raise FormatError(f"{Path(path).name}: {what}, which cannot be read as text")
    if given != "auto":
        return given
    by_suffix = SUFFIXES.get(Path(path).suffix.lower())
    if by_suffix == "json" and _first_line_is_object(head):
        return "jsonl"  # many exports named .json hold one object per line
    if by_suffix:
        return by_suffix
    return sniff(head)


def _first_line_is_object(head: bytes) -> bool:
    """Whether the first line of ``head`` is a whole JSON object (JSON Lines, whatever
    the file's suffix says); a pretty-printed object's first line is only ``{``."""
    import json

    first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0].strip()
    if not first.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(first.decode("utf-8", "replace")), dict)
    except ValueError:
        return False


def sniff(head: bytes) -> str:
    """The format the first bytes of a file look like (``text`` when nothing else fits).

    >>> sniff(b"\\xef\\xbb\\xbf  <html lang='en'>"), sniff(b"[{\\"text\\": 1}]"), sniff(b"Dam breach")
    ('html', 'json', 'text')
    """
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            if bom != b"\xef\xbb\xbf":
                try:
                    head = head.decode("utf-16", errors="ignore").encode("utf-8")
                except UnicodeError:
                    return "text"
            else:
                head = head[3:]
            break
    start = head.lstrip()[:512].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head.lower() \
            or start.startswith((b"<head", b"<body", b"<meta", b"<!--")) and b"<p" in head.lower():
        return "html"
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"["):
        return "json"
    return "text"
