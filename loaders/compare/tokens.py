"""Words and sentences of paragraph text, as every part of the comparison reads them:
content words (folded, stemmed, without stopwords) and sentence boundaries.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..text.words import STOPWORDS, normalise, stem

__all__ = ["WORD", "content_words", "sentence_span"]


WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
"""A word: letters and digits, with inner apostrophes ("don't", "O'Neill")."""


def content_words(text: str) -> Counter:
    """Counts of the stemmed words of ``text`` that are not stopwords."""
    return Counter(stem(w) for w in WORD.findall(normalise(text).lower())
                   if w not in STOPWORDS)


# A sentence ends at . ! ? (and a closing quote), before a capital or a quote; not after
# a title or an initial ("Mr.", "U.S.").
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)"
                           r"(?<!\bNo)[.!?]['\"\u2019\u201d)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")


def sentence_span(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """Offsets of the sentence of ``text`` holding ``start``..``end``.

    >>> t = "Police said 31 ships waited. Mr. Dray said 40 did. Fine."
    >>> s, e = sentence_span(t, t.index("40")); t[s:e]
    'Mr. Dray said 40 did.'
    """
    end = start if end is None else end
    s, e = 0, len(text)
    for m_start, m_end, stop in _sentence_ends(text):
        if m_end <= start:
            s = m_end
        elif m_start >= end:
            e = stop
            break
    return s, e


@lru_cache(maxsize=512)
def _sentence_ends(text: str) -> tuple[tuple[int, int, int], ...]:
    """(start, end, end of the sentence's last character) of every sentence break."""
    return tuple((m.start(), m.end(), m.start() + len(m.group().rstrip()))
                 for m in _SENTENCE_END.finditer(text))
