"""Normalised text to blocks (candidate paragraphs) with offsets.

Real corpora use three paragraph conventions, detected per file:

* ``blank-lines``: paragraphs separated by blank lines. Lines inside a block
  are kept apart (list items) unless the file is hard-wrapped.
* ``one-per-line``: no blank lines; every line is a paragraph.
* ``indented``: hard-wrapped at a fixed width (newswire), a paragraph starting
  at an indented line; wrapped lines are joined, never cut.

A line holding only spaces between blank lines (often a non-breaking-space
spacer) becomes a block of its own, so the classifier can drop it with a reason.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ..model import Block

_END_PUNCT = tuple(".!?:;\"'”’)»…")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•–—]|\d{1,2}[.)])\s+")
# A row of a table laid out in columns: two gaps of two or more spaces between
# entries (not a stray double space, nor the one some typists leave after a full stop).
_TABLE_ROW = re.compile(r"[^\s.!?:;] {2,}\S.*?[^\s.!?:;] {2,}\S")


class _Line:
    """One line: its text (without the newline), where it starts, and its text stripped
    (worked out once: every step of the split asks for it)."""

    __slots__ = ("text", "start", "stripped")

    def __init__(self, text: str, start: int):
        self.text, self.start, self.stripped = text, start, text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip())


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(_Line(raw, pos))
        pos += len(raw) + 1
    return out


def _wrap_width(lines: list[_Line]) -> int | None:
    """The column a hard-wrapped file is wrapped at, or None if it is not wrapped.

    Hard-wrapped text has many lines, nearly all of them no longer than a fixed
    width, and most of them ending mid-sentence. Unwrapped text (one line per
    paragraph) has long lines that end with sentence punctuation.
    """
    body = [ln.text.rstrip() for ln in lines if ln.stripped]
    if len(body) < 4:
        return None
    lengths = sorted(len(t) for t in body)
    p90 = lengths[int(len(lengths) * 0.9) - 1]
    if p90 > 100:
        return None
    mid_sentence = sum(1 for t in body if not t.endswith(_END_PUNCT))
    if mid_sentence / len(body) < 0.35 and not _indent_wrapped(lines):
        return None
    return max(lengths)


def _indent_wrapped(lines: list[_Line]) -> bool:
    """Indented paragraphs whose wrapped lines return to the margin, twice or more:
    a wire report of short sentences ("Turnover 38.01 billion marks vs 42.72\nbillion.")
    whose lines mostly end a sentence all the same."""
    returns = sum(1 for a, b in pairwise(lines)
                  if a.indent > 0 and a.stripped and b.stripped and b.indent == 0)
    return returns >= 2


def detect_convention(text: str, lines: list[_Line] | None = None,
                      width: int | None | bool = False) -> str:
    """Name the paragraph convention of a normalised text (``lines`` and ``width``: its
    :func:`_lines` and :func:`_wrap_width`, when the caller has them already).

    >>> detect_convention("Para one.\\n\\nPara two.\\n")
    'blank-lines'
    """
    lines = _lines(text) if lines is None else lines
    if width is False:
        width = _wrap_width(lines)
    nonblank = [ln for ln in lines if ln.stripped]
    # Blank runs between two non-blank lines; a trailing newline is not one.
    blank_gaps, seen_text = 0, False
    for prev, ln in pairwise(lines):
        seen_text = seen_text or bool(prev.stripped)
        if seen_text and ln.stripped and not prev.stripped:
            blank_gaps += 1
    if width is not None:
        indented = sum(1 for ln in nonblank if ln.indent > 0)
        if blank_gaps and blank_gaps >= indented:
            return "blank-lines"
        return "indented"
    # Most paragraph boundaries decide: a blank line after a headline, or a
    # spacer line or two, does not make a one-per-line file a blank-line one.
    single_breaks = sum(1 for a, b in pairwise(lines) if a.stripped and b.stripped)
    if blank_gaps and blank_gaps >= single_breaks:
        return "blank-lines"
    return "one-per-line" if single_breaks else "blank-lines"


def split_blocks(text: str) -> tuple[list[Block], str]:
    """Split normalised text into blocks; returns ``(blocks, convention)``."""
    lines = _lines(text)
    width = _wrap_width(lines)
    convention = detect_convention(text, lines, width)
    groups: list[list[_Line]] = []
    current: list[_Line] = []
    for i, ln in enumerate(lines):
        if ln.stripped:
            current.append(ln)
            continue
        if current:
            groups.append(current)
            current = []
        # A line of spaces (often non-breaking ones) is a spacer of its own
        # where it cannot be a paragraph separator.
        if ln.text and (convention == "one-per-line" or _between_blanks(lines, i)):
            groups.append([ln])
    if current:
        groups.append(current)

    blocks: list[Block] = []
    for group in groups:
        for para in _paragraphs(group, convention, width):
            blocks.append(_block(len(blocks), para, text))
    return blocks, convention


def _between_blanks(lines: list[_Line], i: int) -> bool:
    before = i == 0 or not lines[i - 1].text
    after = i == len(lines) - 1 or not lines[i + 1].text
    return before and after


def _paragraphs(group: list[_Line], convention: str, width: int | None) -> list[list[_Line]]:
    if len(group) == 1:
        return [group]
    if width is None:
        return [[ln] for ln in group]  # lines of an unwrapped file are paragraphs or list items
    paras: list[list[_Line]] = []
    base_indent = min(ln.indent for ln in group)
    for i, ln in enumerate(group):
        starts_new = (
            not paras
            or ln.indent > base_indent
            or _LIST_ITEM.match(ln.text) is not None and _item_starts(group[i - 1], convention)
            or _ends_paragraph(group[i - 1], width, convention)
            or i == len(group) - 1 and _closing_word(group[i - 1], ln, convention)
            or _TABLE_ROW.search(ln.stripped) is not None
            or _TABLE_ROW.search(group[i - 1].stripped) is not None
        )
        if starts_new:
            paras.append([ln])
        else:
            paras[-1].append(ln)
    return paras


def _item_starts(prev: _Line, convention: str) -> bool:
    # In an indented file a wrapped line may begin with "13. " or "- " (a number or
    # a dash carried over from the line before); it opens an item only after a
    # line that ends a sentence or introduces a list.
    return convention != "indented" or prev.text.rstrip().endswith(_END_PUNCT)


def _closing_word(prev: _Line, ln: _Line, convention: str) -> bool:
    # A word or two without punctuation after a finished sentence, closing the
    # text ("Reuter"), is a line of its own, not the end of the paragraph; so is a
    # closing line in brackets or after a dash ("(Reporting by ...)", "-- Staff").
    if convention != "indented" or not prev.text.rstrip().endswith(_END_PUNCT):
        return False
    text = ln.stripped.removesuffix("...").removesuffix("…")
    if text.startswith(("(", "--", "—", "–")):
        return True
    return 0 < len(text.split()) <= 3 and not text.endswith(_END_PUNCT)


def _ends_paragraph(prev: _Line, width: int, convention: str) -> bool:
    # In an indented file the indent marks paragraphs; a short line only ends one
    # where it also ends a sentence, so a short wrapped line is never a cut.
    if convention == "indented":
        return False
    text = prev.text.rstrip()
    return len(text) < 0.6 * width and text.endswith(_END_PUNCT)


def _block(index: int, para: list[_Line], text: str) -> Block:
    first, last = para[0], para[-1]
    start = first.start + first.indent
    end = last.start + len(last.text.rstrip())
    if not first.stripped:  # spacer line: keep its span for the dropped record
        return Block(index, first.text, first.start, first.start + len(first.text))
    joined = first.stripped
    for ln in para[1:]:
        piece = ln.stripped
        # "well-" + "known" joins without a space; other wraps join with one.
        if joined.endswith("-") and piece[:1].islower() and not joined.endswith(" -"):
            joined += piece
        else:
            joined += " " + piece
    return Block(index, joined, start, end)
