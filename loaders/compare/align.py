"""Compare two reports: paragraph alignment, word differences, figures and names.

Pure functions over plain data (no database, no Datasette), used by the compare view.

Alignment works at two levels, as version-diff research does: paragraphs are paired
first (by similarity, allowing reordering), then words are diffed only inside a pair.
Trivial differences (whitespace, quote and dash styles) never count as changes.

Example::

    >>> rows = align_paragraphs(["The dam broke at dawn.", "Nobody was hurt."],
    ...                         ["Nobody was hurt, police said.", "The dam broke at dawn."])
    >>> [(r.left, r.right) for r in rows]
    [(0, 1), (1, 0)]
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from ..text.words import STOPWORDS, fold, normalise, stem
from ..text.words import wordset as _wordset

__all__ = [
    "VERDICTS", "AlignedRow", "Segment", "align_paragraphs", "compare_figures", "diff_words",
    "extract_names", "fold", "names_only_in_one", "normalise", "outlet_fragment",
    "sentence_span", "similarity_matrix", "spelled_differently", "spelling_variant",
    "summarise",
]

MATCH_THRESHOLD = 0.2
"""Two paragraphs this alike are a pair wherever they stand in their reports."""
ORDERED_THRESHOLD = 0.12
"""Two paragraphs this alike are a pair if they also stand in the same order relative to
the other pairs (the slot between two pairs holds the same part of the story)."""

_TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*|[^\w\s]")
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def _content_words(text: str) -> Counter:
    return Counter(stem(w) for w in _WORD.findall(normalise(text).lower())
                   if w not in STOPWORDS)


def similarity_matrix(left: list[str], right: list[str]) -> list[list[float]]:
    """Cosine similarity of content-word counts for every (left, right) paragraph pair.

    Words are weighted by how rare they are across the two reports, so shared names
    and figures count for more than shared vocabulary of the subject.
    """
    lc = [_content_words(t) for t in left]
    rc = [_content_words(t) for t in right]
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
                if w in words and w not in other and w not in _NOT_NAMES:
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


# --- word differences ---------------------------------------------------------------

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


# --- figures ------------------------------------------------------------------------

# Relative slack for an unhedged figure: rounding in copy ("£4.2m" for 4,213,000).
EXACT_SLACK = 0.005
ABOUT_SLACK = 0.1
# A bound in copy is itself rounded: "more than 1,800" is written of a count of 1,793
# reported elsewhere, so a bound gives this much way before it contradicts a value.
BOUND_SLACK = 0.05
NEARLY_SLACK = 0.1
_NOT_COMPARED = {"ordinal"}

VERDICTS = ("differ", "scope", "compatible", "agree", "left", "right")
"""Every status a figure row can have, in the order the view lists them: ``differ`` (the
reports contradict each other on one point), ``scope`` (figures on one point counted over
a different scope - one site and a whole army, one year and another, one person and
another - to check, not a contradiction), ``compatible`` (hedged figures both true),
``agree``, and ``left`` / ``right`` (only in that report)."""

DURATION_DAYS = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1.0,
                 "night": 1.0, "week": 7.0, "fortnight": 14.0, "month": 30.4375,
                 "year": 365.25, "decade": 3652.5, "century": 36525.0}
"""Durations in days, so that "a three-week strike" meets "the 21-day strike"."""

# "$43 million", "£4.2m", "1.5bn": a figure written with a scale word is given only to
# its last written digit.
_SCALED = re.compile(r"(\d[\d,]*)(?:\.(\d+))?\s*-?\s*(k|mn|mln|m|bn|b|tn|thousand|million"
                     r"|billion|trillion)\b", re.IGNORECASE)
_SCALE_STEPS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6,
                "b": 1e9, "bn": 1e9, "billion": 1e9, "tn": 1e12, "trillion": 1e12}
_DECIMALS = re.compile(r"\d\.(\d+)")


def rounding_step(f: dict) -> tuple[float, bool]:
    """How coarsely a figure is written, from its surface: ``(step, truncated)``.

    A figure with a scale word is given to its last written digit and may be cut rather
    than rounded ("$43 million" for $43,885,310); a decimal figure is rounded to its
    decimals ("14%" for 13.9%); a whole number written out in digits is rounded to its
    whole thousands ("$43,000" for $43,350; "50,000 pages" is not "55,000", which would
    round up) and is otherwise exact ("2,600", "1,400").

    >>> rounding_step({"surface": "$43 million"}), rounding_step({"surface": "£4.2m"})
    ((1000000.0, True), (100000.0, True))
    >>> rounding_step({"surface": "1,400"}), rounding_step({"surface": "13.9%", "kind": "percent"})
    ((0.0, False), (0.1, False))
    >>> rounding_step({"surface": "$43,000"}), rounding_step({"surface": "2,600"})
    ((1000.0, False), (0.0, False))
    """
    if "_step" in f:
        return f["_step"]
    surface = f.get("surface") or ""
    m = _SCALED.search(surface)
    if m:
        return _SCALE_STEPS[m.group(3).lower()] * 10.0 ** -len(m.group(2) or ""), True
    if _kind(f) == "percent":
        d = _DECIMALS.search(surface)
        return (10.0 ** -len(d.group(1)) if d else 1.0), False
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", surface)
    if digits and "." not in digits.group():
        # Whole thousands written out are rounded to them: "$43,000" for $43,350.
        zeros = len(digits.group().replace(",", "")) - len(
            digits.group().replace(",", "").rstrip("0"))
        if zeros >= 3 and digits.group().replace(",", "").rstrip("0"):
            return 10.0 ** zeros, False
    return 0.0, False


def figure_interval(value: float, hedge: str | None, value_high: float | None = None,
                    step: float = 0.0, truncated: bool = False
                    ) -> tuple[float, float, bool, bool]:
    """The range of true values a figure allows: (low, high, low_open, high_open).

    ``step`` is the rounding of the figure as written (see :func:`rounding_step`).

    >>> figure_interval(2000, "more than")
    (1900.0, inf, True, False)
    >>> figure_interval(50, "up to")
    (-inf, 52.5, False, False)
    >>> figure_interval(43e6, None, step=1e6, truncated=True)
    (42500000.0, 44000000.0, False, False)
    """
    hi = value_high if value_high is not None and value_high >= value else value
    if hedge in ("more than", "at least"):
        return value * (1 - BOUND_SLACK), math.inf, hedge == "more than", False
    if hedge in ("fewer than", "up to"):
        return -math.inf, hi * (1 + BOUND_SLACK), False, hedge == "fewer than"
    if hedge in ("nearly",):
        return value * (1 - NEARLY_SLACK), value, False, False
    if hedge in ("about", "estimated"):
        return value * (1 - ABOUT_SLACK), hi * (1 + ABOUT_SLACK), False, False
    if step:
        # Rounded as written: half a step either way (the upper end open: 55,000 rounds
        # up to 60,000), or, cut, a whole step up.
        return value - step / 2, hi + (step if truncated else step / 2), False, not truncated
    slack = abs(value) * EXACT_SLACK
    return value - slack, hi + slack, False, False


def figures_consistent(a: dict, b: dict) -> bool:
    """True when both figures can be true at once, hedges and rounding taken into account.

    >>> figures_consistent({"value": 1800, "hedge": "more than"}, {"value": 1793})
    True
    >>> figures_consistent({"value": 40, "hedge": "more than"}, {"value": 31})
    False
    >>> figures_consistent({"value": 300, "hedge": "more than"}, {"value": 312})
    True
    >>> figures_consistent({"value": 43e6, "surface": "$43 million", "kind": "money"},
    ...                    {"value": 43885310, "surface": "$43,885,310", "kind": "money"})
    True
    """
    (av, avh), (bv, bvh) = _scaled(a), _scaled(b)
    sa, sb = rounding_step(a), rounding_step(b)
    # Of two rounded figures, the finer is read as written, and must fall within the
    # coarser's rounding: "55,000" is not a rounding of "50,000".
    point_a = point_b = False
    if sa[0] and sb[0]:
        point_a, point_b = sa[0] <= sb[0], sa[0] > sb[0]
    al, ah, alo, aho = figure_interval(av, a.get("hedge"), avh, *sa)
    bl, bh, blo, bho = figure_interval(bv, b.get("hedge"), bvh, *sb)
    if point_a and not a.get("hedge"):
        al, ah, alo, aho = av, max(av, avh or av), False, False
    if point_b and not b.get("hedge"):
        bl, bh, blo, bho = bv, max(bv, bvh or bv), False, False
    low, low_open = (al, alo) if al > bl else (bl, blo) if bl > al else (al, alo or blo)
    high, high_open = (ah, aho) if ah < bh else (bh, bho) if bh < ah else (ah, aho or bho)
    return low < high or (low == high and not low_open and not high_open)


def _kind(f: dict) -> str:
    """The figure's kind; a span of time labelled a time ("time" with unit "week") is a
    duration. A time of day (unit-less "time") is never a duration: "six-week" is not
    "6am"."""
    if "_k" in f:
        return f["_k"]
    k = f.get("kind") or "count"
    if k == "time" and f.get("unit") in DURATION_DAYS:
        return "duration"
    return k


def _scaled(f: dict) -> tuple[float, float | None]:
    """(value, value_high) in units both sides share: durations in days."""
    if "_sv" in f:
        return f["_sv"]
    value, high = f["value"], f.get("value_high")
    factor = DURATION_DAYS.get(f.get("unit") or "") if _kind(f) == "duration" else None
    if factor:
        return value * factor, (high * factor if high is not None else None)
    return value, high


def _units_comparable(a: dict, b: dict) -> bool:
    """Whether two figures of one kind are in units that can be compared: the same unit,
    a unit on one side only, or two spans of time (compared in days)."""
    ua, ub = a.get("unit"), b.get("unit")
    if _kind(a) == "duration" and ua in DURATION_DAYS and ub in DURATION_DAYS:
        return True
    return not (ua and ub and ua != ub)


# Heads too general to say two figures count the same thing on their own.
GENERIC_OBJECTS = _wordset("""
person people man woman child thing time year day week month hour minute other one member
""")

OBJECT_GROUPS = [_wordset(g) for g in (
    "soldier troop personnel serviceman servicemen servicewoman conscript recruit reservist "
    "fighter marine sailor airman",
    "worker employee staff staffer labourer docker miner",
    "resident inhabitant local householder",
    "home house property household dwelling",
    "ship vessel boat",
    "death fatality victim casualty",
    "pupil student schoolchild",
    "job post role",
    "car vehicle",
    "protester demonstrator",
    "migrant refugee asylum-seeker",
    "officer policeman",
    "prisoner inmate detainee",
    "patient outpatient",
)]
"""Heads that count the same kind of thing in different words ("80 soldiers", "1,793
personnel"); one figure's head is matched against the other's group."""
_GROUP_OF = {w: n for n, g in enumerate(OBJECT_GROUPS) for w in g}
_HUMAN_GROUPS = {_GROUP_OF[w] for w in ("soldier", "worker", "resident", "death", "pupil",
                                        "protester", "migrant", "officer", "prisoner",
                                        "patient")}
_HUMAN_GENERIC = _wordset("person people man woman")


def _object_of(f: dict) -> str | None:
    return f.get("object") or (f.get("_context") or {}).get("of_object")


def _object_tie(a: dict, b: dict) -> str | None:
    """How the two counted things relate: ``same`` (one head), ``group`` (heads of one
    kind: soldier / personnel), ``generic`` (people / workers), ``different``, or None
    when either figure names nothing."""
    x = a.get("object") or (a.get("_context") or {}).get("of_object")
    y = b.get("object") or (b.get("_context") or {}).get("of_object")
    if not x or not y:
        return None
    if x == y:
        return "same"
    gx, gy = _GROUP_OF.get(x), _GROUP_OF.get(y)
    if gx is not None and gx == gy:
        return "group"
    if (x in _HUMAN_GENERIC and gy in _HUMAN_GROUPS) or (y in _HUMAN_GENERIC
                                                          and gx in _HUMAN_GROUPS):
        return "generic"
    return "different"


_RATE = re.compile(r"\s*(?:a|an|per|each|every)\s+(day|week|month|year|hour|head|person|week)\b",
                   re.IGNORECASE)


# When a figure is dated: months, quarters, years, halves ("third quarter", "March", "2004").
_PERIOD = re.compile(
    r"\b(?:january|february|march|april|june|july|august|september|october|november"
    r"|december|(?:first|second|third|fourth|final|last) (?:quarter|half)|q[1-4]|(?:19|20)\d\d"
    r"|(?:last|this|next) (?:year|month|week|quarter)|(?<=in )may|(?<=to )may"
    r"|(?:year|months) to \w+|full year|(?:the )?year as a whole|whole (?:of the )?year"
    r"|since (?:the |it |its |work |then )?\w+"
    r"|(?:over|in|during|for|across|within) (?:the )?(?:next |past |last |coming |previous "
    r"|first |following )?(?:\w+ )?(?:years|months|quarters|decades))\b")
_DAY = re.compile(r"(?:\w+ )?on (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
# A period of several years or months ("over three years", "in the six months to
# September", "since work began"): a total over it is not a figure for one year, and is never set against one
# as a contradiction.
_SPAN = re.compile(r"\b(?:years|months|quarters|decades|since)\b")
# A figure someone expects is a different claim from one that happened.
_FORECAST_STEMS = frozenset(stem(w) for w in (
    "forecast", "forecasts", "expected", "expects", "predicted", "projected", "pencilled",
    "target", "targets", "estimate", "outlook"))
_CONVERSION = re.compile(r"[\d%](?:bn|m|k)?(?:\s*\w+)?\s*\((?:[^()]*;\s*)?$")
# Who said it is not what the figure is about: "according to Nestka", "the Guardian
# reported", "Vladimir wrote".
_ATTRIBUTION = re.compile(
    r"\b(?:according to|quoted by|reported by|told|cited by|said|says)\s+(?:the\s+)?"
    r"(?:[A-Z][\w'\u2019\-]*\s*){1,4}"
    r"|(?:[A-Z][\w'\u2019\-]*\s+){1,4}(?:has\s+|have\s+)?(?:said|says|reported|reports|told|"
    r"wrote|estimated|estimates|added|claimed|claims)\b")
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


def _scope_names(text: str, start: int, end: int, span: tuple[int, int],
                 width: int = 7) -> set[str]:
    """Names a few words either side of a figure, inside its sentence (``span``), that say
    whose or where the figure is (not who reported it): "Romney's rate of 14%", "80 held
    in Luhansk"."""
    s, e = span
    before = _ATTRIBUTION.sub(" ", text[s:start])
    after = _ATTRIBUTION.sub(" ", text[end:e])
    left_words = before.split()[-width:]
    right_words = after.split()[:width]
    out = set()
    for w in left_words + right_words:
        w = w.strip(".,;:!?\"'()[]\u201c\u201d\u2018\u2019")
        w = re.sub(r"['\u2019]s$", "", w)
        if not w[:1].isupper() or w.lower() in _NOT_NAMES or len(w) < 3:
            continue
        if "-" in w:
            continue  # "Russian-occupied", "Moscow-based": an adjective
        out.add(w)
    # A sentence's first word is capitalised by position, not as a name.
    first = text[s:e].split()[:1]
    if first:
        out.discard(first[0].strip("\"'\u201c\u2018(").removesuffix("'s"))
    return out


# What an amount or a measure is of, when the figure names no counted thing: "230 miles
# of levee", "$2bn of loans".
_OF_OBJECT = re.compile(r"\s+of\s+(?:the\s+|its\s+|new\s+)?([^\W\d_]{3,})")


# A part of a whole the sentence names: "twelve of the suspects", "three of its four
# hospitals".
_PART = re.compile(r"\s+of\s+(?:the|its|their|those|these|them|whom|which)\b", re.IGNORECASE)


def figure_context(text: str, start: int, end: int, width: int = 8) -> dict:
    """What surrounds a figure in its paragraph: content words either side, a rate
    ("£38m a day") that is part of what the number means, the period it is dated to,
    whether it is a forecast, and the names beside it (whose, or where, it is)."""
    before = _WORD.findall(normalise(text[:start]).lower())[-width:]
    after_text = text[end:]
    after = _WORD.findall(normalise(after_text).lower())[:width]
    rate = _RATE.match(after_text)
    words = {stem(w) for w in before + after if w not in STOPWORDS and not w.isdigit()}
    near = {stem(w) for w in before[-3:] + after[:3]
            if w not in STOPWORDS and not w.isdigit()}
    # "The 12 months to March" is the year to March.
    dated = re.sub(r"\b(?:12|twelve) months\b", "year", " ".join(before + after))
    periods = {m.group().lower() for m in _PERIOD.finditer(dated)}
    # A day right after the figure dates it ("suspended at 412p on Tuesday", "430p on
    # Wednesday"); one further off is more often the day it was reported.
    day = _DAY.match(" ".join(after[:3]))
    if day:
        periods.add(day.group(1))
    forecast = bool(words & _FORECAST_STEMS)
    # A conversion in brackets after another amount ("14bn euros ($19bn; £10bn)") is
    # only as exact as that amount's rounding and the exchange rate.
    conversion = bool(_CONVERSION.search(text, max(0, start - 40), start))
    s, e = span = sentence_span(text, start, end)
    of = _OF_OBJECT.match(after_text)
    part = bool(_PART.match(after_text))
    return {"part": part, "words": words, "near": near, "rate": rate.group(1).lower() if rate else None,
            "of_object": stem(of.group(1).lower()) if of and of.group(1).lower() not in
            STOPWORDS else None,
            "periods": periods, "conversion": conversion, "forecast": forecast,
            "sentence": text[s:e], "_where": (text, start, end, span)}


def _context_names(ctx: dict) -> tuple[set[str], str]:
    """The names beside a figure (see :func:`_scope_names`) and its sentence folded for
    looking names up, worked out when first asked for."""
    if "names" not in ctx:
        text, start, end, span = ctx["_where"]
        ctx["names"] = _scope_names(text, start, end, span)
        ctx["sentence_folded"] = " " + _name_key(ctx["sentence"]) + " "
    return ctx["names"], ctx["sentence_folded"]


def _match_strength(a: dict, b: dict, paired: set[tuple[int, int]]
                    ) -> tuple[int, list[str], dict]:
    """How surely two figures state the same fact (0 = not comparable), why, and what
    the two figures are about: ``{"point": same point (the same event, or counted things
    of one kind), "events": (a, b) when the two name different events}``."""
    info: dict = {"point": False, "events": None, "object": None}
    kind = _kind(a)
    if kind != _kind(b) or kind in _NOT_COMPARED or not _units_comparable(a, b):
        return 0, [], info
    strength, why = 0, []
    tie = _object_tie(a, b)
    info["object"] = tie
    if tie == "different":
        return 0, [], info
    if tie == "same":
        specific = _object_of(a) not in GENERIC_OBJECTS
        strength += 3 if specific else 1
        why.append("object")
        info["point"] = specific
    elif tie == "group":
        strength += 3
        why.append("similar object")
        info["point"] = True
    elif tie == "generic":
        strength += 1
        why.append("object")
    x, y = a.get("event"), b.get("event")
    if x and y:
        if x != y:
            info["events"] = (x, y)
        else:
            strength += 3
            why.append("event")
            info["point"] = True
    ca, cb = a.get("_context"), b.get("_context")
    if ca and cb:
        if ca["rate"] != cb["rate"]:
            return 0, [], info  # "£60 a day" and "£45m" are different measures
        if ca["rate"]:
            strength += 2
            why.append("rate")
        if len(ca["words"] & cb["words"]) >= 2:
            strength += 2
            why.append("context")
    if (a.get("paragraph"), b.get("paragraph")) in paired:
        strength += 2
        why.append("aligned paragraphs")
    if not _object_of(a) and not _object_of(b) and kind in ("money", "percent"):
        strength += 1  # amounts of money rarely need a noun to be comparable
    if _scaled(a) == _scaled(b):
        strength += 1
        why.append("value")
    if why == ["value"] and kind == "count" and abs(a["value"]) < 10:
        return 0, [], info  # "two of the injured" and "those two": small numbers recur by chance
    return strength, why, info


def _as_stated(f: dict) -> dict:
    """``f`` with the rounding its wording implies: a converted amount in brackets is
    about its value."""
    if not f.get("hedge") and (f.get("_context") or {}).get("conversion"):
        return {**f, "hedge": "about"}
    return f


DIFFER_STRENGTH = 3
"""Evidence needed before two different values are called a contradiction."""
DIFFER_MAX_RATIO = {"event": 5.0, "rate": 5.0, "object": 1.5, "amount": 1.25, "other": 1.1}
"""How far apart two values may be and still be one fact told two ways, by the strongest
tie between them. Reports that disagree on a fact disagree by a margin (31 or 40 ships),
not by a factor of a thousand. Only the same event ("killed") ties two counts firmly; the
same counted thing alone ("nominations", "points") is often two different tallies (a
film's 11, another's seven), and shared words or aligned paragraphs alone tie an amount to
another one nearby ("$11bn fraud", "$6.75bn deal"), so weaker ties call only near values
a contradiction ("$9.3bn" and "$9.4bn" for one sale; aged 30 and 29)."""

SCOPE_MAX_RATIO = 40.0
"""Counts of one thing on one point this far apart, or less, are the same point counted
over a different scope (80 held at one base, 1,793 who refused across an army); further
apart they are different quantities."""

DIFFER_OBJECT_MIN = 10
"""Below this, two counts of one kind of thing tied by nothing more are two tallies ("two
games left", "three games in a row"), not one fact told two ways."""


def _differ_ratio(a: dict, b: dict, why: list[str]) -> float:
    """The widest ratio of values that ``why`` (the ties of a match) lets differ; 1 for
    none. A tie by aligned paragraphs alone, or by equal kind, is no evidence that two
    values state one fact."""
    ca, cb = a.get("_context") or {}, b.get("_context") or {}
    if "event" in why or "rate" in why:
        return DIFFER_MAX_RATIO["event"]
    if ("object" in why or "similar object" in why) and _object_of(a) not in GENERIC_OBJECTS:
        if min(a["value"], b["value"]) < DIFFER_OBJECT_MIN:
            return 1.0
        return DIFFER_MAX_RATIO["object"]
    # Shared words a few words away are common in reports on one subject ("growth",
    # "economy"); the words right beside the number say what it measures.
    near = _near_shared(a, b)
    if "context" in why and (_kind(a) == "money" or (_kind(a) == "percent" and near >= 1)):
        # An amount with the same words around it: "a cut worth £180m", "the cut would
        # take £210m out of the programme". A percentage needs a word right beside it
        # too: reports on an economy share "growth" and "rate" around every one.
        return DIFFER_MAX_RATIO["amount"]
    if "context" in why and near >= 2:
        return DIFFER_MAX_RATIO["other"]
    return 1.0


def _near_shared(a: dict, b: dict) -> int:
    """Content words within three words of both figures."""
    ca, cb = a.get("_context") or {}, b.get("_context") or {}
    return len((ca.get("near") or set()) & (cb.get("near") or set()))


def _shared_beyond_object(a: dict, b: dict) -> int:
    """Content words around both figures other than the counted thing and the words
    narrowing it ("civil" of "three civil servants")."""
    ca, cb = a.get("_context") or {}, b.get("_context") or {}
    shared = (ca.get("words") or set()) & (cb.get("words") or set())
    drop = {_object_of(a), _object_of(b)} | (_modifiers(a) or set()) | (_modifiers(b) or set())
    return len(shared - drop)


def _one_part(a: dict, b: dict) -> bool:
    """Whether one figure alone is a part of a whole ("twelve of the suspects")."""
    return bool((a.get("_context") or {}).get("part")) != bool(
        (b.get("_context") or {}).get("part"))


def _lone_span(a: dict, b: dict) -> bool:
    """Whether one figure is a total over several years or months ("£15m over three
    years") and the other is dated to no period at all."""
    pa = (a.get("_context") or {}).get("periods") or set()
    pb = (b.get("_context") or {}).get("periods") or set()
    return bool(pa) != bool(pb) and any(_SPAN.search(p) for p in pa | pb)


def _modifiers(f: dict) -> set[str] | None:
    """The words between a figure and the thing it counts ("Algerian" of "two Algerian
    suspects"), or None when the counted thing is not among the next few words."""
    ctx, obj = f.get("_context") or {}, _object_of(f)
    if not obj or not ctx.get("_where"):
        return None
    text, _, end, (_, e) = ctx["_where"]
    words = _WORD.findall(normalise(text[end:e]).lower())[:4]
    for k, w in enumerate(words):
        if stem(w) == obj or w == obj:
            return {stem(x) for x in words[:k] if x not in STOPWORDS and not x.isdigit()}
    return None


def _subsets_differ(a: dict, b: dict) -> bool:
    """Whether two counts of one thing are each narrowed by words the other lacks:
    "two Algerian suspects" and "12 foreign suspects" count different groups."""
    ma, mb = _modifiers(a), _modifiers(b)
    return bool(ma and mb and not ma & mb)


def _scope_reasons(a: dict, b: dict) -> list[str]:
    """Why two figures on one point may count different things: dated to different
    periods ("in the third quarter" / "in the fourth", "2004" / "next year"), a forecast
    against a reported figure, or different people or places beside them ("Romney's
    14%" / "Obama's 20.5%"; a name the other sentence never mentions, in any spelling)."""
    ca, cb = a.get("_context") or {}, b.get("_context") or {}
    out = []
    pa, pb = ca.get("periods"), cb.get("periods")
    if pa and pb and not pa & pb:
        out.append("different periods ({} / {})".format(", ".join(sorted(pa)),
                                                        ", ".join(sorted(pb))))
    if bool(ca.get("forecast")) != bool(cb.get("forecast")):
        out.append("a forecast against a reported figure")
    if not ca.get("_where") or not cb.get("_where"):
        return out
    (na, fa), (nb, fb) = _context_names(ca), _context_names(cb)
    if na and nb:
        lone_a = {n for n in na if not _mentioned(n, fb)}
        lone_b = {n for n in nb if not _mentioned(n, fa)}
        if lone_a == na and lone_b == nb and not any(
                spelling_variant(x, y) for x in na for y in nb):
            out.append("different people or places ({} / {})".format(
                ", ".join(sorted(na)), ", ".join(sorted(nb))))
    if not (na and nb):
        # A named person against "he" or "she": the other sentence speaks of someone
        # named before it, who may be another person ("He paid 14.1 percent" /
        # "Senator Halvorsen paid 15.2 percent"); names anywhere in the sentence count.
        na, nb = _sentence_names(ca), _sentence_names(cb)
        if bool(na) == bool(nb):
            return out
        named, other = (na, fb) if na else (nb, fa)
        pronoun = _PRONOUN.search(other)
        if pronoun and not any(_mentioned(n, other) for n in named):
            out.append("different people? ({} / {})".format(", ".join(sorted(named)),
                                                            pronoun.group().strip()))
    return out


def _sentence_names(ctx: dict) -> set[str]:
    """The names anywhere in a figure's sentence (see :func:`_scope_names`)."""
    text, start, end, span = ctx["_where"]
    return _scope_names(text, start, end, span, width=60)


_PRONOUN = re.compile(r"(?<!\w)(?:he|she|his|her|him)(?!\w)")


def _mentioned(name: str, folded: str) -> bool:
    return bool(_name_pattern(name).search(folded))


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(_name_key(name)) + r"(?!\w)")


def compare_figures(left: list[dict], right: list[dict],
                    paired: set[tuple[int, int]] = frozenset(),
                    texts: tuple[list[str], list[str]] | None = None) -> list[dict]:
    """Match the figures of two reports and say whether each pair agrees.

    Figures are dicts with ``value``, ``kind`` and optionally ``value_high``, ``hedge``,
    ``object``, ``event``, ``unit``, ``surface``, ``paragraph`` (position), ``start``/
    ``end`` (offsets in the paragraph) and anything else, which is passed through.
    ``paired`` holds (left, right) paragraph positions aligned with each other; ``texts``
    the paragraph texts of both reports, whose words around each figure help tell what
    it measures, and whose sentences are given with each pair.

    Each result row is ``{"status", "left", "right", "basis", "scope", "left_sentence",
    "right_sentence"}``; status is one of :data:`VERDICTS`: ``agree`` (same value, or
    one a rounding of the other: "$43 million" / "$43,885,310"), ``compatible`` (hedged
    values that can both be true: "more than 300" and "312"), ``differ`` (a
    contradiction), ``scope`` (one point counted over a different scope: check),
    ``left`` or ``right`` (only in that report). ``basis`` lists what linked the two
    figures (object, similar object, event, rate, context, aligned paragraphs, value);
    ``scope`` says why a ``scope`` pair may count different things. A figure is paired
    with one figure of the other report, except that several figures of one report
    may each be set against one figure of the other as differing in scope (~140 jailed
    at one base, 80 held at another, against 1,793 who refused across an army).

    >>> rows = compare_figures(
    ...     [{"value": 3, "kind": "count", "object": "worker", "event": "kill"}],
    ...     [{"value": 4, "kind": "count", "object": "worker", "event": "kill"}])
    >>> [r["status"] for r in rows]
    ['differ']
    >>> rows = compare_figures(
    ...     [{"value": 80, "kind": "count", "object": "soldier", "event": "refuse"}],
    ...     [{"value": 1793, "kind": "count", "object": "personnel", "event": "refuse"}])
    >>> [r["status"] for r in rows]
    ['scope']
    """
    for side, figs in enumerate((left, right)):
        for f in figs:
            if texts is not None and f.get("paragraph") is not None and "start" in f:
                para = texts[side][f["paragraph"]]
                f["_context"] = figure_context(para, f["start"], f.get("end", f["start"]))
            # What every pairing of this figure reads, worked out once.
            f["_k"] = _kind(f)
            f["_step"] = rounding_step(f)
            f["_sv"] = _scaled(f)
            f["_sig"] = _significant(f)
    by_kind: dict[str, list[tuple[int, dict, tuple]]] = {}
    for j, b in enumerate(right):
        by_kind.setdefault(b["_k"], []).append((j, b, _quick_key(b)))
    cands = []
    for i, a in enumerate(left):
        qa = _quick_key(a)
        for j, b, qb in by_kind.get(a["_k"], ()):
            if qa[2] != qb[2] or (qa[0] and qb[0] and qa[0] != qb[0] and (
                    qa[1] is None or qa[1] != qb[1]) and not (
                    (qa[0] in _HUMAN_GENERIC and qb[1] in _HUMAN_GROUPS)
                    or (qb[0] in _HUMAN_GENERIC and qa[1] in _HUMAN_GROUPS))):
                continue  # different counted things, or measures ("a day" / none)
            verdict = _verdict(a, b, paired)
            if verdict is None:
                continue
            status, s, why, scope, gap = verdict
            # The same value linked as strongly as a contradiction would need goes first
            # ("22 of the 30 projects" / "30 projects ... the 26": the 30s agree, and 22
            # and 26 are not a contradiction of them); then the strongest link, among
            # equals the consistent reading, then the closest; differences of scope last,
            # so that they never take a figure from a closer reading.
            same = status == "agree" and s >= DIFFER_STRENGTH
            cands.append((status == "scope", not same, -s, status == "differ", gap,
                          abs(i - j), i, j, status, why, scope))
    cands.sort(key=lambda c: c[:8])
    used_l: dict[int, str] = {}
    used_r: dict[int, str] = {}
    rows = []
    for *_, i, j, status, why, scope in cands:
        if i in used_l or j in used_r:
            continue
        used_l[i] = used_r[j] = status
        rows.append(_row(status, left[i], right[j], why, scope))
    # Several figures of one report against one of the other, each on its own scope:
    # a figure left alone joins a figure already set against another on its scope.
    for *_, i, j, status, why, scope in cands:
        if status != "scope" or (i in used_l) == (j in used_r):
            continue
        other = used_r.get(j) if i not in used_l else used_l.get(i)
        if other != "scope":
            continue
        used_l.setdefault(i, status)
        used_r.setdefault(j, status)
        rows.append(_row(status, left[i], right[j], why, scope))
    rows += [_row("left", a, None) for i, a in enumerate(left) if i not in used_l]
    rows += [_row("right", None, b) for j, b in enumerate(right) if j not in used_r]
    for figs in (left, right):
        for f in figs:
            for key in ("_context", "_k", "_step", "_sv", "_sig"):
                f.pop(key, None)
    order = {v: n for n, v in enumerate(VERDICTS)}

    def position(r: dict) -> tuple:
        f = r["left"] or r["right"]
        return (order[r["status"]], f.get("paragraph") or 0, f.get("start") or 0)

    rows.sort(key=position)
    return rows


def _significant(f: dict) -> int:
    """Significant digits of a figure as written ("$1.375 billion": 4, "$1.4bn": 2)."""
    if "_sig" in f:
        return f["_sig"]
    m = re.search(r"\d[\d,]*(?:\.\d+)?", f.get("surface") or "")
    if not m:
        return 0
    digits = m.group().replace(",", "").replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) if "." not in m.group() else len(digits)


def _quick_key(f: dict) -> tuple:
    """(counted thing, its group, rate) of a figure: two figures whose counted things
    differ, or of which one is a rate, are never compared further (see
    :func:`_match_strength`)."""
    obj = _object_of(f)
    return obj, _GROUP_OF.get(obj) if obj else None, (f.get("_context") or {}).get("rate")


def _row(status: str, a: dict | None, b: dict | None, why: list[str] = (),
         scope: list[str] = ()) -> dict:
    def sentence(f):
        ctx = (f or {}).get("_context")
        return ctx["sentence"] if ctx else None

    return {"status": status, "left": a, "right": b, "basis": list(why),
            "scope": list(scope), "left_sentence": sentence(a), "right_sentence": sentence(b)}


def _verdict(a: dict, b: dict, paired: set[tuple[int, int]]
             ) -> tuple[str, int, list[str], list[str], float] | None:
    """The verdict on two figures, or None when nothing says they are on one point:
    ``(status, strength, basis, scope reasons, log ratio of the values)``."""
    s, why, info = _match_strength(a, b, paired)
    if not s:
        return None
    (av, _), (bv, _) = _scaled(a), _scaled(b)
    sa, sb = _as_stated(a), _as_stated(b)
    ok = figures_consistent(sa, sb)
    gap = abs(math.log((abs(av) + 1) / (abs(bv) + 1)))
    small = min(abs(a["value"]), abs(b["value"]))
    specific = info["object"] in ("same", "group") and _object_of(a) not in GENERIC_OBJECTS
    if info["events"]:
        # Two events ("jailed", "refused"): only counts of one kind of thing, far apart,
        # are one point over different scopes; close or equal counts of two events are
        # two facts ("three killed", "three injured").
        if ok or not specific or small < DIFFER_OBJECT_MIN or gap > math.log(SCOPE_MAX_RATIO) \
                or gap <= math.log(DIFFER_MAX_RATIO["object"]):
            return None
        return "scope", s, why, ["different events ({} / {})".format(*info["events"])], gap
    if not ok and s < DIFFER_STRENGTH:
        return None  # too little evidence to set two different values against each other
    if not ok and (_lone_span(a, b) or _subsets_differ(a, b) or _one_part(a, b)):
        # A total over several years against an undated figure, two tallies of one
        # thing narrowed by different words ("two Algerian suspects" / "12 foreign
        # suspects"), or a part against a whole ("twelve of the suspects" / "14
        # suspects"): different quantities, not one point.
        return None
    scope = [] if ok else _scope_reasons(a, b)
    if scope:
        # Values that differ, of a dated, forecast or someone else's figure: a different
        # fact; only figures on one point are worth setting side by side.
        if s < DIFFER_STRENGTH or not (info["point"] or "rate" in why or (
                "context" in why and _near_shared(a, b))) or (
                _kind(a) == "count" and small < DIFFER_OBJECT_MIN):
            # Words in common a few words away tie two amounts of one story ("Doyle's
            # salary of £186,000", "Doyle's pension pot worth £192,000"); only a word
            # right beside both says they measure one thing. Small counts ("three of
            # its four hospitals", "three hospitals in the region") recur by chance.
            return None
        if gap > math.log(SCOPE_MAX_RATIO):
            return None
        return "scope", s, why, scope, gap
    if not ok:
        if s < DIFFER_STRENGTH or small < 2:
            return None
        if gap <= math.log(_differ_ratio(a, b, why)):
            return "differ", s, why, [], gap
        if info["point"] and specific and small >= DIFFER_OBJECT_MIN \
                and gap <= math.log(SCOPE_MAX_RATIO):
            ratio = max(av, bv) / max(min(av, bv), 1e-9)
            return "scope", s, why, [f"values {ratio:.0f} times apart"], gap
        return None
    if _kind(a) == "count" and small < DIFFER_OBJECT_MIN and not (
            "event" in why or _shared_beyond_object(a, b) >= 2):
        # "one soldier" and "one young conscript", "three civil servants suspended" and
        # "three civil servants gave evidence": small counts recur by chance, and the
        # counted thing named in both is no evidence of one fact.
        return None
    if _scaled(a) == _scaled(b) and sa.get("hedge") == sb.get("hedge"):
        return "agree", s, why, [], gap
    # Different values both true: only for figures tied as firmly as a contradiction
    # would need, and near enough to be one fact ("more than 300" / "312").
    rounding = not sa.get("hedge") and not sb.get("hedge") and min(
        _significant(a), _significant(b)) < 3 <= max(_significant(a), _significant(b))
    ratio = _differ_ratio(a, b, why)
    if _scaled(a) != _scaled(b) and (
            s < DIFFER_STRENGTH or not (rounding or (ratio > 1.0 and gap <= math.log(ratio)))):
        # A rounding of a precise figure ("$1.4 billion" / "$1.375 billion") is itself
        # evidence of one fact; other values both true need a firm tie.
        return None
    if not sa.get("hedge") and not sb.get("hedge"):
        return "agree", s, why, [], gap  # a rounding: "$43 million" / "$43,885,310"
    return "compatible", s, why, [], gap


# --- names --------------------------------------------------------------------------

_NAME_WORD = r"[A-Z][\w'\u2019\-]*[\w]|[A-Z]"
# A name starts a word: the "Cast" of "4Cast" is not one.
_NAME = re.compile(
    rf"(?<![\w'\u2019\-])(?:{_NAME_WORD})"
    rf"(?:\s+(?:(?:of|de|la|le|von|van|al|bin|the|&|and)\s+)?(?:{_NAME_WORD}))*"
)
# The last word of a name that holds "and" whole: "Aske and Lunedale Fire and Rescue
# Service", "Department of Health and Social Care"; elsewhere "and" joins two names.
_INSTITUTION_HEADS = _wordset("""
service services council authority company trust board commission department association
institute society agency office committee group union federation party foundation bureau
court museum hospital university college school centre center partnership corporation
industries holdings care affairs development ministry alliance league network
""")
# The last word of a place or building named after someone: "Tanner's Row", "St Bride's
# Primary School"; the possessive stays inside the name.
_PLACE_HEADS = _wordset("""
row street road lane avenue square cross wood park hill green place court close way bay
island gate bridge church cathedral abbey school college hospital academy yard quay wharf
field fields market inn arms head end walk drive crescent terrace gardens mews
""")
# What may stand before a word capitalised because it opens a sentence, a quote or an
# item of a list ("- Increased spending on ...").
_SENTENCE_START = re.compile(
    r"(?:^|[.!?:;]['\"\u2019\u201d)]?\s+|[\"\u201c\u2018(]\s*|\n|\s-\s|\s'|^[-*\u2022\u2013]\s*"
    r"|\n[-*\u2022\u2013]\s*)$")
# Capitalised words that are not names: sentence openers, titles, months, pronouns.
_NOT_NAMES = STOPWORDS | _wordset("""
january february march april may june july august september october november december
mr mrs ms dr sir lord lady prof the a an it he she they we i but and or if in on at as so
this that these those there here when while after before however meanwhile last next
yes no oh police council government minister president chief officer ministry rev
though although since let despite during unless until because whether unlike yet still
instead now then today tonight yesterday tomorrow earlier later also even many some most
several both each every all other another such what which who whom whose where why how
i'm i've i'd i'll we're we've you're they're it's that's there's let's he's she's
zero one two three four five six seven eight nine ten eleven twelve twenty thirty forty
fifty sixty seventy eighty ninety hundred thousand million billion dozen half
like plus besides
""")


def extract_names(paragraphs: list[str]) -> dict[str, dict]:
    """Capitalised names and places in the text: ``{name: {"count", "paragraph", "start"}}``.

    A word capitalised only because it opens a sentence is not a name unless the text
    also capitalises it mid-sentence ("Vladimir was held... a soldier called Vladimir").
    Possessives fold into the name ("Tarnholm's" -> "Tarnholm"); a one-word name that is
    part of a longer name in the same text ("Danny" in "Danny Corless") is left out.

    >>> sorted(extract_names(["Regulators took him to Bryansk. Then Ada Quarrie spoke."]))
    ['Ada Quarrie', 'Bryansk']
    >>> sorted(extract_names(["New York fell. Shares in New Carrow rose. New rules apply.",
    ...                       "New Home Secretary Ada Quarrie spoke."]))
    ['Home Secretary Ada Quarrie', 'New Carrow', 'New York']
    """
    found: list[tuple[list[str], bool, int, int]] = []
    mid_sentence: set[str] = set()
    for p, text in enumerate(paragraphs):
        folded = fold(text)
        if len(folded) != len(text):
            folded = text
        for m in _NAME.finditer(folded):
            start = m.start()
            at_start = start == 0 or bool(_SENTENCE_START.search(folded[max(0, start - 4):start]))
            for words in _name_runs(m.group().split()):
                if not at_start or words[-1].endswith("'s"):
                    # Mid-sentence capitals, and possessives ("Tarnholm's schools"), are
                    # names.
                    mid_sentence.add(words[0].lower().removesuffix("'s"))
                    if len(words) > 1:
                        mid_sentence.add(" ".join(words[:2]).lower())
                found.append((words, at_start, p, start))
                at_start = False
    out: dict[str, dict] = {}
    for words, at_start, p, start in found:
        # Leading words capitalised by position or convention, not names themselves.
        while words and (_not_name(words, at_start, mid_sentence) or
                         (at_start and words[0].lower().removesuffix("'s")
                          not in mid_sentence)):
            if (at_start and len(words) > 1 and words[1][:1].isupper()
                    and not _not_name(words, at_start, mid_sentence)):
                break  # "Danny Corless" opening a sentence is still a name
            words = words[1:]
            at_start = False
        while words and words[-1].lower() in _NOT_NAMES | {"of", "de", "the", "and", "&"}:
            words = words[:-1]
        if not words:
            continue
        name = re.sub(r"'s$", "", " ".join(words))
        if len(name) < 2 or (name.isupper() and len(name) > 5):
            continue  # initials, and shouted datelines ("TARNHOLME")
        entry = out.setdefault(name, {"count": 0, "paragraph": p, "start": start})
        entry["count"] += 1
    longer = {w for name in out if " " in name for w in name.split()}
    return {n: v for n, v in out.items() if " " in n or n not in longer}


_NAME_OPENERS = {"new"}
"""Common words that open a name when a capital follows ("New York", "New Zealand")."""


def _not_name(words: list[str], at_start: bool = False, mid_sentence: set = frozenset()
              ) -> bool:
    """Whether the first of a run of capitalised words is not (part of) a name. Opening
    a sentence, "New" opens a name only as one of two words ("New Zealand") or where the
    text writes the pair mid-sentence too: "New Home Secretary Ada Quarrie" is not one."""
    first = words[0].lower()
    if first not in _NOT_NAMES:
        return False
    if first not in _NAME_OPENERS or len(words) < 2:
        return True
    return at_start and len(words) > 2 and " ".join(words[:2]).lower() not in mid_sentence


def _name_runs(words: list[str]) -> list[list[str]]:
    """A run of capitals cut into the names it holds: at "and" unless the run names an
    institution ("Blair and Brown" are two, "Aske and Lunedale Fire and Rescue Service"
    one), around a hyphenated adjective ("Russian-occupied Luhansk" is Luhansk,
    "Moscow-based" no name), and after a possessive (see :func:`_possessive_parts`).

    >>> _name_runs("Aske and Lunedale Fire and Rescue Service".split())
    [['Aske', 'and', 'Lunedale', 'Fire', 'and', 'Rescue', 'Service']]
    >>> _name_runs("Blair and Brown".split()), _name_runs("Russian-occupied Luhansk".split())
    ([['Blair'], ['Brown']], [['Luhansk']])
    """
    runs: list[list[str]] = [[]]
    for w in words:
        if "-" in w and w.rsplit("-", 1)[1][:1].islower():
            runs.append([])  # an adjective: "Moscow-based", "Russian-occupied"
            continue
        runs[-1].append(w)
    out: list[list[str]] = []
    for run in runs:
        while run and run[-1] in ("and", "&", "of", "the", "de"):
            run = run[:-1]
        if not run:
            continue
        if "and" in run:
            # Parts joined by "and" make one name only up to a part that ends a name
            # itself ("Tanner's Row and St Bride's School" are two), and only when an
            # institution closes them ("... Fire and Rescue Service").
            parts: list[list[str]] = [[]]
            for w in run:
                if w == "and":
                    parts.append([])
                else:
                    parts[-1].append(w)
            current: list[list[str]] = []
            for part in (p for p in parts if p):
                current.append(part)
                last = part[-1].lower()
                if last in _INSTITUTION_HEADS and len(current) > 1:
                    out.extend(_possessive_parts(
                        [w for k, c in enumerate(current) for w in (["and"] if k else []) + c]))
                    current = []
                elif last in _INSTITUTION_HEADS or last in _PLACE_HEADS:
                    for c in current:
                        out.extend(_possessive_parts(c))
                    current = []
            for c in current:
                out.extend(_possessive_parts(c))
            continue
        out.extend(_possessive_parts(run))
    return out


def _possessive_parts(words: list[str]) -> list[list[str]]:
    """A run of capitals cut after each possessive: "Arsenal's Thierry Henry" names
    Arsenal and Thierry Henry."""
    parts, current = [], []
    for i, w in enumerate(words):
        current.append(w)
        if w.endswith(("'s", "\u2019s")) and i < len(words) - 1 \
                and words[-1].lower() not in _PLACE_HEADS:
            parts.append(current)
            current = []
    if current:
        parts.append(current)
    return parts


@lru_cache(maxsize=8192)
def _name_key(name: str) -> str:
    return " ".join(normalise(name).casefold().replace("'s", "").split())


def names_only_in_one(left: list[str], right: list[str]) -> tuple[list[str], list[str]]:
    """Names each report has that the other never mentions (whole-name match, any case).

    >>> names_only_in_one(["He was held in Bryansk."], ["He was held in Bryanka."])
    (['Bryansk'], ['Bryanka'])
    """
    ln, rn = extract_names(left), extract_names(right)
    ltext = " " + _name_key(" ".join(left)) + " "
    rtext = " " + _name_key(" ".join(right)) + " "

    def mentioned(key: str, other: str) -> bool:
        return bool(re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)", other))

    def missing(names: dict[str, dict], other: str) -> list[str]:
        found = []
        for name in names:
            words = _name_key(name).split()
            # "Divisional Fire Officer Kit Ambrose" is shared with "Kit Ambrose": any
            # two-word-or-longer ending of a name counts as the same name.
            tails = [" ".join(words[k:]) for k in range(max(1, len(words) - 1))]
            if not any(mentioned(t, other) for t in tails):
                found.append(name)
        return sorted(found, key=lambda n: (names[n]["paragraph"], names[n]["start"]))

    return missing(ln, rtext), missing(rn, ltext)


_DERIVATIONS = ("n", "an", "ian", "ns", "s", "es", "ese", "i", "ish", "ic", "er", "ers")
"""What turns a name into another word ("Russia" / "Russian", "Iraq" / "Iraqi"): a longer
form of one name is not a spelling of it."""
_TRANSLIT = (("kh", "h"), ("ks", "x"), ("ph", "f"), ("tz", "z"), ("ts", "z"), ("ou", "u"),
             ("iy", "y"), ("yi", "y"), ("ij", "y"), ("yu", "iu"), ("ya", "ia"), ("j", "y"),
             ("w", "v"), ("ck", "k"))
"""Letters that romanise one sound in several ways (Kharkiv / Harkiv, Aleksei / Alexei)."""


def _translit(word: str) -> str:
    word = "".join(c for c in unicodedata.normalize("NFKD", word.casefold())
                   if not unicodedata.combining(c))
    for a, b in _TRANSLIT:
        word = word.replace(a, b)
    return re.sub(r"(.)\1", r"\1", word)


def _edits(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from ``a`` to ``b``."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def spelling_variant(a: str, b: str) -> bool:
    """Whether two names may be one name spelled two ways: the same words but one, which
    is one edit apart (two from seven letters), once romanisation variants are folded,
    with the same first letter.

    >>> [spelling_variant(*p) for p in [("Bryansk", "Bryanka"), ("Tarnholme", "Tarnholm"),
    ...  ("Yulia Gorbunova", "Yuliya Gorbunova"), ("Russia", "Russian"), ("Luhansk", "Lugansk"),
    ...  ("Kent", "Kant"), ("Ada Quarrie", "Ada Corless")]]
    [True, True, True, False, True, False, False]
    """
    wa, wb = _name_key(a).split(), _name_key(b).split()
    if len(wa) != len(wb) or wa == wb:
        return False
    diff = [(x, y) for x, y in zip(wa, wb) if x != y]
    if len(diff) != 1:
        return False
    x, y = diff[0]
    if x[0] != y[0] or min(len(x), len(y)) < 5:
        return False
    short, long_ = sorted((x, y), key=len)
    if long_.startswith(short) and long_[len(short):] in _DERIVATIONS:
        return False
    tx, ty = _translit(x), _translit(y)
    limit = 1 if min(len(x), len(y)) < 7 else 2
    return tx == ty or _edits(tx, ty) <= limit


VARIANT_CONTEXT = 2
"""Content words the paragraphs of two differently spelled names must share (or be an
aligned pair): "detained ... Bryansk ... Luhansk" and "detained ... Bryanka ... Luhansk"."""


def spelled_differently(left: list[str], right: list[str], only: tuple[list[str], list[str]],
                        paired: set[tuple[int, int]] = frozenset()) -> list[dict]:
    """Names only one report has that the other seems to spell differently, one to one:
    ``[{"left", "right", "left_paragraph", "right_paragraph", "left_sentence",
    "right_sentence"}]``. ``only`` is what :func:`names_only_in_one` returned; a pair
    needs :func:`spelling_variant` and a like context (see :data:`VARIANT_CONTEXT`).

    >>> left = ["He was taken from Bryansk to Luhansk and detained with 80 others."]
    >>> right = ["Those who refuse are detained at a camp in Bryanka in Luhansk."]
    >>> [(v["left"], v["right"]) for v in spelled_differently(left, right,
    ...                                                       names_only_in_one(left, right))]
    [('Bryansk', 'Bryanka')]
    """
    def places(name: str, texts: list[str]) -> list[tuple[int, int]]:
        pattern = re.compile(r"(?<![\w'])" + re.escape(name) + r"(?!\w)")
        return [(p, m.start()) for p, t in enumerate(texts) for m in pattern.finditer(fold(t))
                if len(fold(t)) == len(t)] or [
            (p, t.find(name)) for p, t in enumerate(texts) if name in t]

    cands = []
    for x in only[0]:
        for y in only[1]:
            if not spelling_variant(x, y):
                continue
            px, py = places(x, left), places(y, right)
            best = None
            for p, ps in px:
                for q, qs in py:
                    wa = set(_content_words(left[p])) - set(_content_words(x))
                    wb = set(_content_words(right[q])) - set(_content_words(y))
                    shared = len(wa & wb) + (VARIANT_CONTEXT if (p, q) in paired else 0)
                    if shared >= VARIANT_CONTEXT and (best is None or shared > best[0]):
                        best = (shared, p, ps, q, qs)
            if best:
                cands.append((-best[0], x, y, best[1:]))
    cands.sort(key=lambda c: c[:3])
    used_l: set[str] = set()
    used_r: set[str] = set()
    out = []
    for _, x, y, (p, ps, q, qs) in cands:
        if x in used_l or y in used_r:
            continue
        used_l.add(x)
        used_r.add(y)
        ls, le = sentence_span(left[p], ps, ps + len(x))
        rs, re_ = sentence_span(right[q], qs, qs + len(y))
        out.append({"left": x, "right": y, "left_paragraph": p, "right_paragraph": q,
                    "left_sentence": left[p][ls:le], "right_sentence": right[q][rs:re_]})
    return out


def outlet_fragment(name: str, outlets: list[str]) -> bool:
    """Whether a name is (part of) the name of one of the two outlets: "Tidewater Wire",
    "Gazette" of "The Kestrel Gazette"; a place the outlet is named after, its first
    word alone ("Lowmoor" of "Lowmoor Evening Star"), stays.

    >>> [outlet_fragment(n, ["The Kestrel Gazette", "Lowmoor Evening Star"]) for n in
    ...  ["Gazette", "Kestrel Gazette", "Lowmoor", "Evening Star", "Star Wharf"]]
    [True, True, False, True, False]
    """
    words = _name_key(name).split()
    for outlet in outlets:
        ow = [w for w in _name_key(outlet or "").split()]
        if ow[:1] == ["the"]:
            ow = ow[1:]
        if not ow or not words:
            continue
        for k in range(len(ow) - len(words) + 1):
            if ow[k:k + len(words)] == words and (len(words) > 1 or k > 0 or len(ow) == 1):
                return True
    return False


# --- summary ------------------------------------------------------------------------

@dataclass
class Summary:
    """The one-line verdict above the side-by-side view: ``figures_<verdict>`` counts the
    figure rows of each of :data:`VERDICTS`."""

    shared_share: float
    left_only: int
    right_only: int
    pairs: int
    figures_differ: int
    figures_agree: int
    figures_compatible: int = 0
    figures_scope: int = 0
    figures_left: int = 0
    figures_right: int = 0
    names_left_only: list[str] = field(default_factory=list)
    names_right_only: list[str] = field(default_factory=list)
    names_spelled_differently: list[dict] = field(default_factory=list)


def summarise(rows: list[AlignedRow], ratios: dict[tuple[int, int], float],
              left_words: list[int], right_words: list[int], figures: list[dict],
              names: tuple[list[str], list[str]], variants: list[dict] = ()) -> Summary:
    """Share of content in common: words in paired paragraphs weighted by how alike
    the pair is, over all words of both reports."""
    total = sum(left_words) + sum(right_words)
    shared = 0.0
    for r in rows:
        if r.left is not None and r.right is not None:
            shared += ratios.get((r.left, r.right), r.score) * (
                left_words[r.left] + right_words[r.right])
    count = Counter(f["status"] for f in figures)
    return Summary(
        shared_share=round(shared / total, 3) if total else 0.0,
        left_only=sum(1 for r in rows if r.right is None),
        right_only=sum(1 for r in rows if r.left is None),
        pairs=sum(1 for r in rows if r.left is not None and r.right is not None),
        figures_differ=count["differ"],
        figures_agree=count["agree"],
        figures_compatible=count["compatible"],
        figures_scope=count["scope"],
        figures_left=count["left"],
        figures_right=count["right"],
        names_left_only=names[0],
        names_right_only=names[1],
        names_spelled_differently=list(variants),
    )
