"""Term statistics of one article: the words, two-word names and figures that related
reports and stories are built from.

One tokenisation for both: :data:`TOKEN` finds the words, :func:`index_term` gives each
its index term (folded, lower-cased, stemmed, stopwords dropped; cached, since a corpus
repeats its words), and :data:`NAME_RUN` the runs of capitalised words whose pairs name
one person or organisation. Parse workers run :func:`article_terms` beside the rest of
the parsing, so the corpus passes never tokenise a text again.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

from ..text.words import STOPWORDS, normalise, stem

NAME_BOOST = 1.0
"""Weight of a capitalised word (a name or place) over an ordinary one: none, since in
news the most frequent names (a president, a party, a capital) are capitalised too, and
their two-word runs already count as names of their own (:data:`PAIR_BOOST`)."""
PAIR_BOOST = 1.3
"""Weight of a two-word name ("Lanley Council") counted as a term of its own."""
FIGURE_BOOST = 1.2

TOKEN = re.compile(r"[^\W\d_][\w'\u2019\-]*[^\W_]|[^\W\d_]")
# Runs of capitalised words: their word pairs ("Lanley Council", "Hugo Denbrook") name one
# organisation or person, which two unrelated reports sharing one of the words do not.
NAME_RUN = re.compile(r"[A-Z][\w'\u2019\-]*[^\W_](?:\s+[A-Z][\w'\u2019\-]*[^\W_])+")
_NOT_FIGURES = {"ordinal", "date", "time"}
_term_cache: dict[str, tuple[str | None, bool]] = {}
_weight_cache: dict[str, tuple[str, float] | None] = {}
_CACHE_MAX = 500_000


def index_term(surface: str) -> tuple[str | None, bool]:
    """The index term for a word as written, and whether it was capitalised (cached).

    >>> index_term("Residents"), index_term("the")
    (('resident', True), (None, False))
    """
    hit = _term_cache.get(surface)
    if hit is None:
        low = normalise(surface).lower()
        low = low.removesuffix("'s")
        term = None if len(low) < 3 or low in STOPWORDS else stem(low)
        hit = (term, surface[:1].isupper())
        if len(_term_cache) < _CACHE_MAX:
            _term_cache[surface] = hit
    return hit


def _weighted(surface: str) -> tuple[str, float] | None:
    """The index term for a word as written and its weight (names count extra), or None."""
    term, cap = index_term(surface)
    # Capitalised words are mostly names; "The" at a sentence start is a stopword and
    # never gets here.
    hit = None if term is None else (term, NAME_BOOST if cap else 1.0)
    if len(_weight_cache) < _CACHE_MAX:
        _weight_cache[surface] = hit
    return hit


def term_counts(title: str | None, paragraphs: Iterable[str],
                figures: Iterable[tuple[str, float]] = ()) -> dict[str, float]:
    """Weighted term counts of one article: words (names boosted) and figures.

    ``figures`` are (kind, value) pairs; each becomes a term like ``#count:1400``.

    >>> c = term_counts(None, ["Tarnholme residents fled. The residents of Tarnholme wait."],
    ...                 [("count", 1400.0)])
    >>> sorted(c.items())
    [('#count:1400', 1.2), ('fled', 1.0), ('resident', 2.0), ('tarnholme', 2.0), ('wait', 1.0)]
    >>> sorted(t for t in term_counts(None, ["Hugo Denbrook of Lanley Council."]) if " " in t)
    ['hugo denbrook', 'lanley council']
    """
    text = " ".join(paragraphs)
    if title:
        text = title + " " + text
    out: dict[str, float] = {}
    get, cached = out.get, _weight_cache.get
    # Each distinct word is looked up once: the regex finds them and Counter counts them
    # (both in C), in the order of their first use, which is the order of the terms.
    for surface, n in Counter(TOKEN.findall(text)).items():
        hit = cached(surface, False)
        if hit is False:
            hit = _weighted(surface)
        if hit is not None:
            term, weight = hit
            out[term] = get(term, 0.0) + weight * n
    # Word counts are whole numbers (their weights are), so only the names' and figures'
    # sums need rounding below.
    fractional: list[str] = [] if NAME_BOOST == 1.0 else list(out)
    terms = _term_cache.get
    for run, n in Counter(NAME_RUN.findall(text)).items():
        words = [(terms(w) or index_term(w))[0] for w in run.split()]
        for a, b in pairwise(words):
            if a and b:
                pair = f"{a} {b}"
                out[pair] = get(pair, 0.0) + PAIR_BOOST * n
                fractional.append(pair)
    for fig_kind, value in figures:
        if fig_kind in _NOT_FIGURES or value is None or value < 2:
            continue
        fig = f"#{fig_kind}:{value:g}"
        out[fig] = get(fig, 0.0) + FIGURE_BOOST
        fractional.append(fig)
    # Rounding keeps stored signatures compact.
    for t in fractional:
        out[t] = round(out[t], 3)
    return out


def document_frequencies(counts: Iterable[dict[str, float]]) -> Counter:
    """How many articles use each term."""
    df: Counter = Counter()
    for c in counts:
        df.update(c.keys())
    return df


def article_terms(article) -> dict[str, float]:
    """:func:`term_counts` of a parsed :class:`~datasette_reportcorpus.loaders.model.Article` (run by the parse
    workers, so the link pass need not read and tokenise the text again)."""
    return term_counts(None if article.title_derived else article.title,
                       [p.text for p in article.paragraphs],
                       [(f.kind, f.value) for p in article.paragraphs for f in p.figures])


class TermCounts:
    """Term counts of many articles held compactly: term ids and float32 counts.

    >>> store = TermCounts()
    >>> store.add(7, "k1", {"tarnholm": 2.0, "flood": 1.0})
    >>> store.get(7, "k1"), store.get(7, "changed")
    ({'tarnholm': 2.0, 'flood': 1.0}, None)
    """

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.names: list[str] = []
        self.rows: dict[int, tuple[str, array, array]] = {}

    def add(self, aid: int, key: str, counts: dict[str, float]) -> None:
        vocab = self.vocab
        if not counts.keys() <= vocab.keys():
            new = [t for t in counts if t not in vocab]
            vocab.update(zip(new, range(len(self.names), len(self.names) + len(new))))
            self.names.extend(new)
        self.rows[aid] = (key, array("i", map(vocab.__getitem__, counts)),
                          array("f", counts.values()))

    def has(self, aid: int, key: str) -> bool:
        row = self.rows.get(aid)
        return row is not None and row[0] == key

    def get(self, aid: int, key: str) -> dict[str, float] | None:
        if not self.has(aid, key):
            return None
        _, ids, vals = self.rows[aid]
        return {self.names[t]: round(c, 3) for t, c in zip(ids, vals)}
