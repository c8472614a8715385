"""Context rules for figures: the hedge before a number, the thing it counts, what happened.

Each function looks only at a short window of text next to the figure, with precompiled
patterns, so extraction stays linear in the paragraph length.
"""

from __future__ import annotations

import re

from .numbers import trie_pattern
from .lexicon import (
    ANY_EVENT_RE,
    EVENT_RE,
    HEDGES,
    IRREGULAR_SINGULARS,
    NOT_HEADS,
    OBJECT_STOP,
    WORK_NOUNS,
)

# Factored into a trie: the pattern is tried at every position of a short window before each
# number, and a flat alternation of forty phrases made that the extractor's largest cost.
_HEDGE_BEFORE = re.compile(
    r"\b("
    + trie_pattern([h for h in HEDGES if h not in ("or so", "or more")])
    + r")\s+$",
    re.IGNORECASE,
)
_HEDGE_AFTER = re.compile(r"\s+(or so|or more)\b", re.IGNORECASE)
# "over"/"under" before a span of time usually means "during"/"within", not a bound.
_TEMPORAL_PREPOSITIONS = frozenset({"over", "under", "just over", "just under"})
_SPREAD_BEFORE = re.compile(
    r"\b(?:rose|fell|grew|increased|decreased|spread|paid|repaid|phased|built|rise|fall|grow|"
    r"increase|spread|pay|repay|cut|falling|rising|growing)\s+$",
    re.IGNORECASE,
)
_WORD = re.compile(r"\s*([A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z])")
_CLAUSE_END = re.compile(r"[.;:!?]|\s[-–]\s")
# A comma ends the window unless a relative clause follows ("25 soldiers, where they were held").
_COMMA_END = re.compile(r",(?!\s+(?:where|who|which|whom)\b)")
_VERB_FOLLOWER = re.compile(
    r"\s*(?:[.,;:]|(?:that|the|a|an|to|it|he|she|they|his|her|their|its)\b)"
)
_ING_NOUNS = frozenset({"building", "ceiling", "meeting", "offspring", "wedding", "painting"})
_NEGATION = re.compile(r"\b(?:not|never|no|n't|nobody|none)\b[^.;]{0,15}$", re.IGNORECASE)


def hedge_before(text: str, start: int, kind: str) -> str | None:
    """The normalised hedge written just before ``start`` ("at least 4" -> "at least")."""
    m = _HEDGE_BEFORE.search(text, max(0, start - 24), start)
    if not m:
        return None
    phrase = m.group(1).lower()
    if phrase in _TEMPORAL_PREPOSITIONS and (
        kind in ("year", "date", "time", "measure")
        or kind == "duration"
        and _SPREAD_BEFORE.search(text, max(0, start - 40), m.start())
    ):
        # "over 60m" in a race, "rose over 10 years": a stretch, not a bound. But "for over
        # 60 years" and "spent just over four years" are bounds.
        return None
    if phrase == "some" and kind in ("year", "date", "ordinal"):
        return None
    return HEDGES[phrase]


def hedge_after(text: str, end: int) -> str | None:
    """A hedge written after the number ("140 or more")."""
    m = _HEDGE_AFTER.match(text, end)
    return HEDGES[m.group(1).lower()] if m else None


def singular(word: str) -> str:
    """Lower-case singular of an English plural noun, by rule plus a short exception list."""
    w = word.lower().strip("'’")
    if w in IRREGULAR_SINGULARS:
        return IRREGULAR_SINGULARS[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes", "zzes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")) and len(w) > 2:
        return w[:-1]
    return w


def object_after(text: str, pos: int) -> tuple[str | None, str | None, int]:
    """The counted thing written after ``pos``: (head noun, phrase as written, phrase end).

    Reads up to four words, stopping at function words and verbs; a participle after the first
    word ends the phrase ("20 people killed" -> "people").
    """
    words: list[tuple[str, int, int]] = []
    i = pos
    while len(words) < 4:
        m = _WORD.match(text, i)
        if not m:
            break
        w = m.group(1)
        lw = w.lower()
        if lw in OBJECT_STOP or (words and _is_participle(lw) and not _modifies_next(text, m)):
            break
        if (
            words
            and _looks_plural(words[-1][0])
            and not (_looks_plural(w) and not _VERB_FOLLOWER.match(text, m.end()))
        ):
            break  # a plural noun ends the phrase ("boats sank") unless a plural head follows
        words.append((w, m.start(1), m.end(1)))
        i = m.end()
        if text[i : i + 1] in ',;:.!?)("”' or text[i : i + 2] == "'s":
            break
    while words and words[-1][0].lower() in NOT_HEADS:
        words.pop()
    if not words:
        return None, None, pos
    head = words[-1][0]
    if head.lower().endswith("ed") or head[0].isdigit():
        return None, None, pos
    return singular(head), text[words[0][1] : words[-1][2]], words[-1][2]


def _is_participle(word: str) -> bool:
    return word.endswith(("ed", "ing", "ly")) and word not in _ING_NOUNS


def _modifies_next(text: str, m: re.Match[str]) -> bool:
    """True when a participle is followed by a noun it describes ("fishing boats")."""
    nxt = _WORD.match(text, m.end())
    if not nxt or text[m.end() : nxt.start(1)].strip():
        return False
    w = nxt.group(1).lower()
    return w not in OBJECT_STOP and not _is_participle(w)


def _looks_plural(word: str) -> bool:
    low = word.lower()
    if word[0].isupper() and low not in IRREGULAR_SINGULARS:
        return False  # "Chris", "Jones": names, not plurals
    return (low in IRREGULAR_SINGULARS or low.endswith("s")) and not low.endswith(("ss", "us"))


def event_for(text: str, start: int, end: int, obj: str | None) -> str | None:
    """What the sentence says happened to the counted thing, from a short window around it.

    The window is the three words before the number and six words after the counted phrase,
    cut at the end of the clause; a negation just before the trigger cancels it.
    """
    before_from = start
    for _ in range(3):
        j = text.rfind(" ", 0, max(before_from - 1, 0))
        if j < 0:
            before_from = 0
            break
        before_from = j
    before = text[before_from:start]
    cut = _CLAUSE_END.search(before)
    while cut:
        before = before[cut.end() :]
        cut = _CLAUSE_END.search(before)
    after = text[end : end + 80]
    for pattern in (_CLAUSE_END, _COMMA_END):
        cut = pattern.search(after)
        if cut:
            after = after[: cut.start()]
    after = " ".join(after.split()[:6])
    for window in (after, before):
        if not ANY_EVENT_RE.search(window):
            continue
        for name, pattern in EVENT_RE.items():
            m = pattern.search(window)
            if not m:
                continue
            if name == "layoff" and obj not in WORK_NOUNS:
                continue
            if _NEGATION.search(window, 0, m.start()):
                return None
            return name
    return None
