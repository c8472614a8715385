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
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

__all__ = [
    "AlignedRow", "Segment", "align_paragraphs", "compare_figures", "diff_words",
    "extract_names", "fold", "names_only_in_one", "normalise", "similarity_matrix", "summarise",
]

MATCH_THRESHOLD = 0.2
"""Two paragraphs this alike are a pair wherever they stand in their reports."""
ORDERED_THRESHOLD = 0.12
"""Two paragraphs this alike are a pair if they also stand in the same order relative to
the other pairs (the slot between two pairs holds the same part of the story)."""

# Typographic variants that say the same thing; folded before any comparison.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2026": "...",
})
_FOLDED = re.compile("[" + re.escape("".join(map(chr, _FOLD))) + "]")
_TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*|[^\w\s]")
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")

def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words carry no evidence that two paragraphs say the same thing.
STOPWORDS = _wordset("""
a about after again against all also am an and any are as at be because been before being
between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours out over own
said same says she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours also has had its it's he's she's they're
told say saying according one two new mr mrs ms yesterday today monday tuesday wednesday
thursday friday saturday sunday
""")


def fold(text: str) -> str:
    """Quote and dash styles folded to plain ones (``str.translate`` with :data:`_FOLD`,
    several times faster on text where few characters change).

    >>> fold("\u201cWe\u2019re\u201d \u2013 fine\u2026")
    '"We\\'re" - fine...'
    """
    return _FOLDED.sub(_fold_one, text)


def _fold_one(m: re.Match) -> str:
    return _FOLD[ord(m.group())]


def normalise(text: str) -> str:
    """Fold quote and dash styles and collapse whitespace: what "trivial" means here.

    >>> normalise("\u201cWe\u2019re  fine\u201d \u2013 he said")
    '"We\\'re fine" - he said'
    """
    return " ".join(fold(text).split())


def stem(word: str) -> str:
    """A light suffix strip so "died"/"dies", "workers"/"worker" meet.

    >>> [stem(w) for w in ["workers", "evacuated", "flooding", "cities", "press"]]
    ['worker', 'evacuat', 'flood', 'city', 'press']
    """
    if word.endswith(("'s", "\u2019s")):
        word = word[:-2]
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


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
    anchors = sorted((i, j) for i, j in match_l.items() if j in in_order)
    weak = sorted(
        ((s, i, j) for i, row in enumerate(sims) for j, s in enumerate(row)
         if ORDERED_THRESHOLD <= s < threshold and i not in match_l and j not in match_r),
        key=lambda t: (-t[0], t[1]),
    )
    for s, i, j in weak:
        if i in match_l or j in match_r:
            continue
        before = [b for a, b in anchors if a < i]
        after = [b for a, b in anchors if a > i]
        if (not before or before[-1] < j) and (not after or j < after[0]):
            match_l[i] = j
            match_r[j] = i
            anchors = sorted(anchors + [(i, j)])
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
# Kinds whose values mean the same thing when the extractor labelled them differently.
_KIND_GROUP = {"time": "duration"}
_NOT_COMPARED = {"ordinal"}


def figure_interval(value: float, hedge: str | None,
                    value_high: float | None = None) -> tuple[float, float, bool, bool]:
    """The range of true values a figure allows: (low, high, low_open, high_open).

    >>> figure_interval(2000, "more than")
    (1900.0, inf, True, False)
    >>> figure_interval(50, "up to")
    (-inf, 52.5, False, False)
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
    slack = abs(value) * EXACT_SLACK
    return value - slack, hi + slack, False, False


def figures_consistent(a: dict, b: dict) -> bool:
    """True when both figures can be true at once, hedges taken into account.

    >>> figures_consistent({"value": 1800, "hedge": "more than"}, {"value": 1793})
    True
    >>> figures_consistent({"value": 40, "hedge": "more than"}, {"value": 31})
    False
    >>> figures_consistent({"value": 300, "hedge": "more than"}, {"value": 312})
    True
    """
    al, ah, alo, aho = figure_interval(a["value"], a.get("hedge"), a.get("value_high"))
    bl, bh, blo, bho = figure_interval(b["value"], b.get("hedge"), b.get("value_high"))
    low, low_open = (al, alo) if al > bl else (bl, blo) if bl > al else (al, alo or blo)
    high, high_open = (ah, aho) if ah < bh else (bh, bho) if bh < ah else (ah, aho or bho)
    return low < high or (low == high and not low_open and not high_open)


def _kind(f: dict) -> str:
    k = f.get("kind") or "count"
    return _KIND_GROUP.get(k, k)


# Heads too general to say two figures count the same thing on their own.
GENERIC_OBJECTS = _wordset("""
person people man woman child thing time year day week month hour minute other one member
""")
_RATE = re.compile(r"\s*(?:a|an|per|each|every)\s+(day|week|month|year|hour|head|person|week)\b",
                   re.IGNORECASE)


# When a figure is dated: months, quarters, years, halves ("third quarter", "March", "2004").
_PERIOD = re.compile(
    r"\b(?:january|february|march|april|june|july|august|september|october|november"
    r"|december|(?:first|second|third|fourth|final|last) (?:quarter|half)|q[1-4]|(?:19|20)\d\d"
    r"|(?:last|this|next) (?:year|month|week|quarter))\b")
# A figure someone expects is a different claim from one that happened.
_FORECAST_STEMS = frozenset(stem(w) for w in (
    "forecast", "forecasts", "expected", "expects", "predicted", "projected", "pencilled",
    "target", "targets", "estimate", "outlook"))
_CONVERSION = re.compile(r"[\d%](?:bn|m|k)?(?:\s*\w+)?\s*\((?:[^()]*;\s*)?$")


def figure_context(text: str, start: int, end: int, width: int = 8) -> dict:
    """What surrounds a figure in its paragraph: content words either side, and a rate
    ("£38m a day") that is part of what the number means."""
    before = _WORD.findall(normalise(text[:start]).lower())[-width:]
    after_text = text[end:]
    after = _WORD.findall(normalise(after_text).lower())[:width]
    rate = _RATE.match(after_text)
    words = {stem(w) for w in before + after if w not in STOPWORDS and not w.isdigit()}
    near = {stem(w) for w in before[-3:] + after[:3]
            if w not in STOPWORDS and not w.isdigit()}
    periods = {m.group().lower() for m in _PERIOD.finditer(" ".join(before + after))}
    forecast = bool(words & _FORECAST_STEMS)
    # A conversion in brackets after another amount ("14bn euros ($19bn; £10bn)") is
    # only as exact as that amount's rounding and the exchange rate.
    conversion = bool(_CONVERSION.search(text, max(0, start - 40), start))
    return {"words": words, "near": near, "rate": rate.group(1).lower() if rate else None,
            "periods": periods, "conversion": conversion, "forecast": forecast}


def _match_strength(a: dict, b: dict, paired: set[tuple[int, int]]) -> tuple[int, list[str]]:
    """How surely two figures state the same fact (0 = not comparable), and why."""
    if _kind(a) != _kind(b) or _kind(a) in _NOT_COMPARED:
        return 0, []
    if a.get("unit") and b.get("unit") and a["unit"] != b["unit"]:
        return 0, []
    strength, why = 0, []
    x, y = a.get("object"), b.get("object")
    if x and y:
        if x != y:
            return 0, []
        strength += 1 if x in GENERIC_OBJECTS else 3
        why.append("object")
    x, y = a.get("event"), b.get("event")
    if x and y:
        if x != y:
            return 0, []
        strength += 3
        why.append("event")
    ca, cb = a.get("_context"), b.get("_context")
    if ca and cb:
        if ca["rate"] != cb["rate"]:
            return 0, []  # "£60 a day" and "£45m" are different measures
        if ca["rate"]:
            strength += 2
            why.append("rate")
        if len(ca["words"] & cb["words"]) >= 2:
            strength += 2
            why.append("context")
    if (a.get("paragraph"), b.get("paragraph")) in paired:
        strength += 2
        why.append("aligned paragraphs")
    if not a.get("object") and not b.get("object") and _kind(a) in ("money", "percent"):
        strength += 1  # amounts of money rarely need a noun to be comparable
    if a["value"] == b["value"] and a.get("value_high") == b.get("value_high"):
        strength += 1
        why.append("value")
    if why == ["value"] and _kind(a) == "count" and abs(a["value"]) < 10:
        return 0, []  # "two of the injured" and "those two": small numbers recur by chance
    return strength, why


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


DIFFER_OBJECT_MIN = 10
"""Below this, two counts of one kind of thing tied by nothing more are two tallies ("two
games left", "three games in a row"), not one fact told two ways."""


def _differ_ratio(a: dict, b: dict, why: list[str]) -> float:
    """The widest ratio of values that ``why`` (the ties of a match) lets differ; 1 for
    none. Figures dated to different periods ("in the third quarter", "in the fourth")
    are two facts; a tie by aligned paragraphs alone, or by equal kind, is no evidence
    that two values state one fact."""
    ca, cb = a.get("_context") or {}, b.get("_context") or {}
    pa, pb = ca.get("periods"), cb.get("periods")
    if pa and pb and not pa & pb:
        return 1.0
    if bool(ca.get("forecast")) != bool(cb.get("forecast")):
        return 1.0  # "the 4.2% rate pencilled in by forecasters" against the 3.8% reported
    if "event" in why or "rate" in why:
        return DIFFER_MAX_RATIO["event"]
    if "object" in why and a.get("object") not in GENERIC_OBJECTS:
        if min(a["value"], b["value"]) < DIFFER_OBJECT_MIN:
            return 1.0
        return DIFFER_MAX_RATIO["object"]
    # Shared words a few words away are common in reports on one subject ("growth",
    # "economy"); the words right beside the number say what it measures.
    near = len((ca.get("near") or set()) & (cb.get("near") or set()))
    if "context" in why and (_kind(a) == "money" or (_kind(a) == "percent" and near >= 1)):
        # An amount with the same words around it: "a cut worth £180m", "the cut would
        # take £210m out of the programme". A percentage needs a word right beside it
        # too: reports on an economy share "growth" and "rate" around every one.
        return DIFFER_MAX_RATIO["amount"]
    if "context" in why and near >= 2:
        return DIFFER_MAX_RATIO["other"]
    return 1.0


def compare_figures(left: list[dict], right: list[dict],
                    paired: set[tuple[int, int]] = frozenset(),
                    texts: tuple[list[str], list[str]] | None = None) -> list[dict]:
    """Match the figures of two reports and say whether each pair agrees.

    Figures are dicts with ``value``, ``kind`` and optionally ``value_high``, ``hedge``,
    ``object``, ``event``, ``unit``, ``paragraph`` (position), ``start``/``end`` (offsets
    in the paragraph) and anything else, which is passed through. ``paired`` holds
    (left, right) paragraph positions aligned with each other; ``texts`` the paragraph
    texts of both reports, whose words around each figure help tell what it measures.

    Each result row is ``{"status", "left", "right", "basis"}`` where status is ``agree``
    (same value), ``compatible`` (hedged values that can both be true: "more than 300"
    and "312"), ``differ``, ``left`` or ``right`` (only in that report); ``basis`` lists
    what linked the two figures (object, event, rate, context, aligned paragraphs, value).

    >>> rows = compare_figures(
    ...     [{"value": 3, "kind": "count", "object": "worker", "event": "kill"}],
    ...     [{"value": 4, "kind": "count", "object": "worker", "event": "kill"}])
    >>> [r["status"] for r in rows]
    ['differ']
    """
    for side, figs in enumerate((left, right)):
        for f in figs:
            if texts is not None and f.get("paragraph") is not None and "start" in f:
                para = texts[side][f["paragraph"]]
                f["_context"] = figure_context(para, f["start"], f.get("end", f["start"]))
    cands = []
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            s, why = _match_strength(a, b, paired)
            if not s:
                continue
            ok = figures_consistent(_as_stated(a), _as_stated(b))
            gap = abs(math.log((abs(a["value"]) + 1) / (abs(b["value"]) + 1)))
            if not ok and (s < DIFFER_STRENGTH or min(a["value"], b["value"]) < 2
                           or gap > math.log(_differ_ratio(a, b, why))):
                continue  # too little evidence to call it a contradiction
            # The same value linked as strongly as a contradiction would need goes first
            # ("22 of the 30 projects" / "30 projects ... the 26": the 30s agree, and 22
            # and 26 are not a contradiction of them); then the strongest link, among
            # equals the consistent reading, then the closest.
            same = ok and s >= DIFFER_STRENGTH and a["value"] == b["value"]
            cands.append((not same, -s, not ok, gap, abs(i - j), i, j, why))
    cands.sort(key=lambda c: c[:6])
    used_l: set[int] = set()
    used_r: set[int] = set()
    rows = []
    for _, neg_s, inconsistent, _, _, i, j, why in cands:
        if i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        a, b = left[i], right[j]
        if inconsistent:
            status = "differ"
        elif a["value"] == b["value"] and a.get("hedge") == b.get("hedge") \
                and a.get("value_high") == b.get("value_high"):
            status = "agree"
        else:
            status = "compatible"
        rows.append({"status": status, "left": a, "right": b, "basis": why})
    rows += [{"status": "left", "left": a, "right": None, "basis": []}
             for i, a in enumerate(left) if i not in used_l]
    rows += [{"status": "right", "left": None, "right": b, "basis": []}
             for j, b in enumerate(right) if j not in used_r]
    for figs in (left, right):
        for f in figs:
            f.pop("_context", None)
    order = {"differ": 0, "compatible": 1, "agree": 2, "left": 3, "right": 4}

    def position(r: dict) -> tuple:
        f = r["left"] or r["right"]
        return (order[r["status"]], f.get("paragraph") or 0, f.get("start") or 0)

    rows.sort(key=position)
    return rows


# --- names --------------------------------------------------------------------------

_NAME_WORD = r"[A-Z][\w'\u2019\-]*[\w]|[A-Z]"
# A name starts a word: the "Cast" of "4Cast" is not one.
_NAME = re.compile(
    rf"(?<![\w'\u2019\-])(?:{_NAME_WORD})"
    rf"(?:\s+(?:(?:of|de|la|le|von|van|al|bin|the|&)\s+)?(?:{_NAME_WORD}))*"
)
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
            for words in _possessive_parts(m.group().split()):
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


def _possessive_parts(words: list[str]) -> list[list[str]]:
    """A run of capitals cut after each possessive: "Arsenal's Thierry Henry" names
    Arsenal and Thierry Henry."""
    parts, current = [], []
    for i, w in enumerate(words):
        current.append(w)
        if w.endswith(("'s", "\u2019s")) and i < len(words) - 1:
            parts.append(current)
            current = []
    if current:
        parts.append(current)
    return parts


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


# --- summary ------------------------------------------------------------------------

@dataclass
class Summary:
    """The one-line verdict above the side-by-side view."""

    shared_share: float
    left_only: int
    right_only: int
    pairs: int
    figures_differ: int
    figures_agree: int
    figures_compatible: int = 0
    names_left_only: list[str] = field(default_factory=list)
    names_right_only: list[str] = field(default_factory=list)


def summarise(rows: list[AlignedRow], ratios: dict[tuple[int, int], float],
              left_words: list[int], right_words: list[int], figures: list[dict],
              names: tuple[list[str], list[str]]) -> Summary:
    """Share of content in common: words in paired paragraphs weighted by how alike
    the pair is, over all words of both reports."""
    total = sum(left_words) + sum(right_words)
    shared = 0.0
    for r in rows:
        if r.left is not None and r.right is not None:
            shared += ratios.get((r.left, r.right), r.score) * (
                left_words[r.left] + right_words[r.right])
    return Summary(
        shared_share=round(shared / total, 3) if total else 0.0,
        left_only=sum(1 for r in rows if r.right is None),
        right_only=sum(1 for r in rows if r.left is None),
        pairs=sum(1 for r in rows if r.left is not None and r.right is not None),
        figures_differ=sum(1 for f in figures if f["status"] == "differ"),
        figures_agree=sum(1 for f in figures if f["status"] == "agree"),
        figures_compatible=sum(1 for f in figures if f["status"] == "compatible"),
        names_left_only=names[0],
        names_right_only=names[1],
    )
