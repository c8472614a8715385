"""Word differences inside a pair of paragraphs: segments of each side's text tagged
same, inserted, deleted or changed. Quote and dash styles and whitespace are not
differences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..text.words import fold

__all__ = ["Segment", "diff_words"]


_TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*|[^\w\s]")


@dataclass
class Segment:
    """A run of one side's text, as written, tagged ``same``, ``ins``, ``del`` or ``chg``.

    ``start``/``end`` are offsets in that side's paragraph text.
    """

    text: str
    tag: str
    start: int
    end: int


def _tokens(text: str) -> list[tuple[str, int, int]]:
    folded = fold(text)
    # Folding maps one character to one, except the ellipsis; offsets stay valid without it.
    if len(folded) != len(text):
        folded = text
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded)]


def diff_words(left: str, right: str) -> tuple[list[Segment], list[Segment], float]:
    """Word-level differences between two paragraph texts.

    Returns segments covering each text exactly (joined, they give back the text),
    and the share of tokens the two have in common (0-1). Quote and dash styles and
    whitespace are not differences.

    >>> a, b, ratio = diff_words("Police said 31 ships waited.", "Police said 40 ships waited.")
    >>> [(s.text, s.tag) for s in a if s.tag != "same"], [(s.text, s.tag) for s in b if s.tag != "same"]
    ([('31', 'chg')], [('40', 'chg')])
    >>> diff_words("\u201cNo,\u201d she said", '"No," she said')[2]
    1.0
    """
    lt, rt = _tokens(left), _tokens(right)
    matcher = SequenceMatcher(None, [t[0] for t in lt], [t[0] for t in rt], autojunk=False)
    lseg: list[Segment] = []
    rseg: list[Segment] = []
    same = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            same += i2 - i1
            ltag = rtag = "same"
        elif op == "replace":
            ltag = rtag = "chg"
        elif op == "delete":
            ltag, rtag = "del", ""
        else:
            ltag, rtag = "", "ins"
        if i2 > i1:
            _add(lseg, left, lt, i1, i2, ltag)
        if j2 > j1:
            _add(rseg, right, rt, j1, j2, rtag)
    total = len(lt) + len(rt)
    ratio = round(2 * same / total, 4) if total else 1.0
    return _cover(lseg, left), _cover(rseg, right), ratio


def _add(out: list[Segment], text: str, toks: list, a: int, b: int, tag: str) -> None:
    start, end = toks[a][1], toks[b - 1][2]
    if out and out[-1].tag == tag:
        prev = out.pop()
        start = prev.start
    out.append(Segment(text[start:end], tag, start, end))


def _cover(segs: list[Segment], text: str) -> list[Segment]:
    """Fill the gaps between segments (spaces) so the segments spell the whole text."""
    out: list[Segment] = []
    pos = 0
    for s in segs:
        if s.start > pos:
            gap = Segment(text[pos:s.start], "same", pos, s.start)
            if out and out[-1].tag == "same":
                prev = out.pop()
                gap = Segment(text[prev.start:s.start], "same", prev.start, s.start)
            out.append(gap)
        if out and out[-1].tag == s.tag == "same":
            prev = out.pop()
            s = Segment(text[prev.start:s.end], "same", prev.start, s.end)
        out.append(s)
        pos = s.end
    if pos < len(text):
        if out and out[-1].tag == "same":
            prev = out.pop()
            out.append(Segment(text[prev.start:], "same", prev.start, len(text)))
        else:
            out.append(Segment(text[pos:], "same", pos, len(text)))
    return out
