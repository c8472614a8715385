"""Plain data passed between the loader stages.

Every stage (read, split, classify, extract, store) takes and returns these
dataclasses, so each can be tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass
class Block:
    """A run of text the splitter found, before it is classified.

    ``start``/``end`` are character offsets in the article's normalised text.
    """

    index: int
    text: str
    start: int
    end: int


@dataclass
class Figure:
    """A number a paragraph states, with what it counts.

    ``start``/``end`` are offsets in the paragraph text, so
    ``paragraph.text[start:end] == surface``.
    """

    surface: str
    value: float
    start: int
    end: int
    rule: str
    kind: str = "count"
    value_high: float | None = None
    unit: str | None = None
    hedge: str | None = None
    object: str | None = None
    object_phrase: str | None = None
    event: str | None = None


@dataclass
class Paragraph:
    position: int
    text: str
    start: int
    end: int
    figures: list[Figure] = field(default_factory=list)

    @cached_property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass
class Dropped:
    """A block that left the body, and why."""

    block: int
    text: str
    reason: str
    start: int
    end: int


@dataclass
class Article:
    key: str
    path: str
    text: str  # normalised source text; all offsets point into it
    title: str | None = None
    title_derived: bool = False
    seq: int | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    byline: str | None = None
    convention: str | None = None  # blank-lines | one-per-line | indented
    encoding: str | None = None
    content_hash: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    given: tuple[str, ...] = ()
    """Fields whose values a manifest (or ``--outlet``) gave, not the file itself."""

    @property
    def word_count(self) -> int:
        return sum(p.word_count for p in self.paragraphs)  # each paragraph's is cached
