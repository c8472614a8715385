"""Paragraph similarity and alignment: which paragraph of one report tells what a
paragraph of the other tells.

Paragraphs are paired first by similarity (allowing reordering), then, between pairs
that keep both reports' order, by a weaker likeness chosen in order.

Example::

    >>> rows = align_paragraphs(["The dam broke at dawn.", "Nobody was hurt."],
    ...                         ["Nobody was hurt, police said.", "The dam broke at dawn."])
    >>> [(r.left, r.right) for r in rows]
    [(0, 1), (1, 0)]
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from ..text.words import stem
from .names import NOT_NAMES
from .spelling import spelling_variant
from .tokens import content_words

__all__ = ["MATCH_THRESHOLD", "ORDERED_THRESHOLD", "AlignedRow", "align_paragraphs",
           "similarity_matrix"]


MATCH_THRESHOLD = 0.2
"""Two paragraphs this alike are a pair wherever they stand in their reports."""
ORDERED_THRESHOLD = 0.12
"""Two paragraphs this alike are a pair if they also stand in the same order relative to
the other pairs (the slot between two pairs holds the same part of the story)."""


def similarity_matrix(left: list[str], right: list[str]) -> list[list[float]]:
    """Cosine similarity of content-word counts for every (left, right) paragraph pair.

    Words are weighted by how rare they are across the two reports, so shared names
    and figures count for more than shared vocabulary of the subject.
    """
    lc = [content_words(t) for t in left]
    rc = [content_words(t) for t in right]
    aliases = _name_aliases(left, right, lc, rc)
    if aliases:
        rc = [Counter({aliases.get(w, w): k for w, k in c.items()}) for c in rc]
    df: Counter = Counter()
    for c in lc + rc:
        df.update(c.keys())
    n = len(lc) + len(rc) or 1
    idf = {w: math.log(1 + n / d) for w, d in df.items()}

    def vec(c: Counter) -> tuple[dict[str, float], float]:
        v = {w: (1 + math.log(k)) * idf[w] for w, k in c.items()}
        return v, math.sqrt(sum(x * x for x in v.values())) or 1.0

    lv = [vec(c) for c in lc]
    rv = [vec(c) for c in rc]
    # An inverted index over the right side keeps 60x60 cheap: only pairs sharing a word cost.
    postings: dict[str, list[tuple[int, float]]] = {}
    for j, (v, _) in enumerate(rv):
        for w, x in v.items():
            postings.setdefault(w, []).append((j, x))
    out = [[0.0] * len(right) for _ in left]
    for i, (v, norm) in enumerate(lv):
        row = out[i]
        for w, x in v.items():
            for j, y in postings.get(w, ()):
                row[j] += x * y
        for j in range(len(right)):
            if row[j]:
                row[j] = round(row[j] / (norm * rv[j][1]), 4)
    return out


_CAPITALISED = re.compile(r"(?<![\w'\u2019-])[A-Z][^\W_]{4,}")


def _name_aliases(left: list[str], right: list[str], lc: list[Counter], rc: list[Counter]
                  ) -> dict[str, str]:
    """Words of the right report that spell a name of the left one differently (Bryanka
    for Bryansk; see :func:`spelling_variant`), as ``{right word: left word}``, so that
    the paragraphs telling one fact meet. Only capitalised words one report alone uses
    are tried, against words of the same first letter and nearly the same length."""
    lwords = {w for c in lc for w in c}
    rwords = {w for c in rc for w in c}

    def capitalised(texts: list[str], words: set[str], other: set[str]) -> dict:
        out: dict[str, list[str]] = {}
        for t in texts:
            for m in _CAPITALISED.finditer(t):
                w = stem(m.group().lower())
                if w in words and w not in other and w not in NOT_NAMES:
                    out.setdefault(w[0], []).append(w)
        return {k: sorted(set(v)) for k, v in out.items()}

    lcap = capitalised(left, lwords, rwords)
    rcap = capitalised(right, rwords, lwords)
    aliases: dict[str, str] = {}
    for first, rs in rcap.items():
        for y in rs:
            for x in lcap.get(first, ()):
                if abs(len(x) - len(y)) <= 2 and spelling_variant(x, y):
                    aliases[y] = x
                    break
    return aliases


@dataclass
class AlignedRow:
    """One row of the side-by-side view: a pair, or a paragraph opposite a gap.

    ``left``/``right`` are paragraph positions (None = gap); ``moved`` marks a pair
    whose right paragraph sits out of the right report's order.
    """

    left: int | None
    right: int | None
    score: float = 0.0
    moved: bool = False


def align_paragraphs(left: list[str], right: list[str],
                     threshold: float = MATCH_THRESHOLD) -> list[AlignedRow]:
    """Pair the paragraphs of two reports; unmatched ones stand opposite a gap.

    Pairs are chosen greedily by similarity (one-to-one, reordering allowed); rows
    follow the left report's order, and each right-only paragraph is placed just after
    the row holding its predecessor in the right report, so both columns read in order
    wherever the reports agree on order.

    >>> [(r.left, r.right) for r in align_paragraphs(["Alpha beta gamma."], ["Delta."])]
    [(None, 0), (0, None)]
    """
    sims = similarity_matrix(left, right)
    candidates = sorted(
        ((s, i, j) for i, row in enumerate(sims) for j, s in enumerate(row) if s >= threshold),
        key=lambda t: (-t[0], abs(t[1] - t[2]), t[1]),
    )
    match_l: dict[int, int] = {}
    match_r: dict[int, int] = {}
    for s, i, j in candidates:
        if i not in match_l and j not in match_r:
            match_l[i] = j
            match_r[j] = i
    in_order = _longest_increasing([match_l[i] for i in sorted(match_l)])
    # Second pass: between pairs that keep both reports' order, a weaker likeness is
    # enough - two reporters telling the same fact in their own words rarely share more.
    # In each stretch between two such pairs, the weaker pairs are chosen together, in
    # order, for the most likeness in all (not greedily: a paragraph that is a little
    # more like the lead than the lead's own partner is does not take it from it).
    anchors = sorted((i, j) for i, j in match_l.items() if j in in_order)
    bounds = [(-1, -1), *anchors, (len(left), len(right))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:]):
        free_l = [i for i in range(i0 + 1, i1) if i not in match_l]
        free_r = [j for j in range(j0 + 1, j1) if j not in match_r]
        for i, j in _best_in_order(free_l, free_r, sims, ORDERED_THRESHOLD, threshold):
            match_l[i] = j
            match_r[j] = i
            in_order.add(j)

    rows: list[AlignedRow] = []
    row_of_right: dict[int, int] = {}
    for i in range(len(left)):
        j = match_l.get(i)
        rows.append(AlignedRow(i, j, sims[i][j] if j is not None else 0.0,
                               moved=j is not None and j not in in_order))
        if j is not None:
            row_of_right[j] = len(rows) - 1
    # Right-only paragraphs: insert after the row of the nearest earlier right paragraph.
    inserts: dict[int, list[int]] = {}
    for j in range(len(right)):
        if j in match_r:
            continue
        anchor = -1
        for k in range(j - 1, -1, -1):
            if k in row_of_right:
                anchor = row_of_right[k]
                break
        inserts.setdefault(anchor, []).append(j)
    out: list[AlignedRow] = [AlignedRow(None, j) for j in inserts.get(-1, [])]
    for idx, row in enumerate(rows):
        out.append(row)
        out.extend(AlignedRow(None, j) for j in inserts.get(idx, []))
    return out


def _best_in_order(rows: list[int], cols: list[int], sims: list[list[float]], low: float,
                   high: float) -> list[tuple[int, int]]:
    """Pairs of ``rows`` and ``cols``, both in order, each at least ``low`` and below
    ``high`` alike, with the largest sum of likeness (dynamic programming over the
    stretch: its rows times its columns)."""
    if not rows or not cols:
        return []
    n, m = len(rows), len(cols)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(1, n + 1):
        srow = sims[rows[a - 1]]
        prev, cur = best[a - 1], best[a]
        for b in range(1, m + 1):
            s = srow[cols[b - 1]]
            take = prev[b - 1] + s if low <= s < high else -1.0
            cur[b] = max(prev[b], cur[b - 1], take)
    out = []
    a, b = n, m
    while a and b:
        s = sims[rows[a - 1]][cols[b - 1]]
        if low <= s < high and best[a][b] == best[a - 1][b - 1] + s \
                and best[a][b] > max(best[a - 1][b], best[a][b - 1]):
            out.append((rows[a - 1], cols[b - 1]))
            a, b = a - 1, b - 1
        elif best[a][b] == best[a - 1][b]:
            a -= 1
        else:
            b -= 1
    return out[::-1]


def _longest_increasing(seq: list[int]) -> set[int]:
    """Values of one longest strictly increasing subsequence (patience sorting)."""
    import bisect

    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(seq)
    for k, x in enumerate(seq):
        p = bisect.bisect_left(tails, x)
        if p == len(tails):
            tails.append(x)
            tail_idx.append(k)
        else:
            tails[p] = x
            tail_idx[p] = k
        prev[k] = tail_idx[p - 1] if p else -1
    out: set[int] = set()
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        out.add(seq[k])
        k = prev[k]
    return out
