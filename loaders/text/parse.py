"""One file's bytes to an :class:`~loaders.model.Article`: read, split, classify, extract."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

from .classify import classify, dateline_end
from ..model import Article, Dropped, Figure, Paragraph
from .read import MAX_BYTES, read_text
from .split import split_blocks

_SEQ_HEX = re.compile(r"^(\d+)_([0-9a-fA-F]{6,})$")

Extractor = Callable[[str], list[Figure]]


def key_for_path(path: str) -> tuple[str, int | None]:
    """The stable key (and sequence number) of an article file.

    ``NNN_<hex>.txt`` files are keyed by their hex part; other files by their
    path without extension.

    >>> key_for_path("seeds/004_4395e273cc2742e2.txt")
    ('4395e273cc2742e2', 4)
    >>> key_for_path("business/001.txt")
    ('business/001', None)
    """
    p = PurePosixPath(path)
    m = _SEQ_HEX.match(p.stem)
    if m:
        return m.group(2).lower(), int(m.group(1))
    return str(p.with_suffix("")), None


def text_hash(text: str) -> str:
    """Hash of the normalised text: two files with the same words hash alike."""
    canon = "\n".join(line.strip() for line in text.strip().split("\n"))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:32]


def body_figures(text: str, position: int, extract: Extractor) -> list[Figure]:
    """The figures of the body paragraph at ``position``, as the loader stores them: the
    date of a wire dateline opening the first one says when the report was filed, not
    what it reports, and is left out.

    >>> from datasette_reportcorpus.loaders.figures.extract import extract_figures
    >>> [f.surface for f in body_figures("SALTRY, March 2 (Wire) - 300 dockers struck.",
    ...                                  0, extract_figures)]
    ['300']
    """
    # A number too long for a float (hundreds of digits) states no quantity anyone can
    # compare; it would reach the database as infinity.
    figures = [f for f in extract(text) if _finite(f.value) and _finite(f.value_high)]
    if figures and position == 0:
        opening = dateline_end(text)
        figures = [f for f in figures if f.start >= opening]
    return figures


def _finite(value: float | None) -> bool:
    return value is None or math.isfinite(value)


def parse_article(
    data: bytes,
    path: str,
    meta: dict | None = None,
    repeated: Iterable[str] = (),
    extract: Extractor | None = None,
    encoding: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Article:
    """Parse one article file.

    ``path`` is the file's path relative to the folder loaded (it becomes the
    key); ``meta`` holds manifest fields (outlet, title, url, published,
    byline). Raises :class:`~loaders.read.ReadError` for unusable input.
    """
    meta = meta or {}
    text, used = read_text(data, encoding=encoding, max_bytes=max_bytes)
    return parse_text(text, path, meta, repeated, extract, used)


def parse_text(
    text: str,
    path: str,
    meta: dict | None = None,
    repeated: Iterable[str] = (),
    extract: Extractor | None = None,
    encoding: str | None = None,
) -> Article:
    """Parse already normalised text (see :func:`parse_article`)."""
    meta = meta or {}
    key, seq = key_for_path(path)
    blocks, convention = split_blocks(text)
    c = classify(blocks, text, repeated, convention=convention)
    paragraphs = []
    for position, block in enumerate(c.body):
        figures = body_figures(block.text, position, extract) if extract else []
        paragraphs.append(Paragraph(position, block.text, block.start, block.end, figures))
    title, derived = c.title, c.title_derived
    if meta.get("title"):
        title, derived = meta["title"], False
    return Article(
        key=key,
        path=path,
        text=text,
        title=title,
        title_derived=derived,
        seq=seq,
        outlet=meta.get("outlet") or None,
        url=meta.get("url") or None,
        published=meta.get("published") or None,
        byline=meta.get("byline") or c.byline,
        given=tuple(f for f in ("outlet", "title", "url", "published", "byline") if meta.get(f)),
        convention=convention,
        encoding=encoding,
        content_hash=text_hash(text),
        paragraphs=paragraphs,
        dropped=[Dropped(b.index, b.text, reason, b.start, b.end) for b, reason in c.dropped],
    )
