"""What surrounds a figure in its paragraph, and what it says of the figure's scope:
the words around it, a rate ("a day"), the period it is dated to, a forecast, a part of
a whole, and the people or places beside it ("Romney's 14%" / "Obama's 20.5%").
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text.words import STOPWORDS, normalise, stem
from .names import NOT_NAMES, name_key
from .spelling import spelling_variant
from .tokens import WORD, sentence_span

__all__ = ["figure_context", "lone_span", "near_shared", "one_part", "scope_reasons"]


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
        if not w[:1].isupper() or w.lower() in NOT_NAMES or len(w) < 3:
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
    before = WORD.findall(normalise(text[:start]).lower())[-width:]
    after_text = text[end:]
    after = WORD.findall(normalise(after_text).lower())[:width]
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
        ctx["sentence_folded"] = " " + name_key(ctx["sentence"]) + " "
    return ctx["names"], ctx["sentence_folded"]


def near_shared(a: dict, b: dict) -> int:
    """Content words within three words of both figures."""
    ca, cb = a.get("_context") or {}, b.get("_context") or {}
    return len((ca.get("near") or set()) & (cb.get("near") or set()))


def one_part(a: dict, b: dict) -> bool:
    """Whether one figure alone is a part of a whole ("twelve of the suspects")."""
    return bool((a.get("_context") or {}).get("part")) != bool(
        (b.get("_context") or {}).get("part"))


def lone_span(a: dict, b: dict) -> bool:
    """Whether one figure is a total over several years or months ("£15m over three
    years") and the other is dated to no period at all."""
    pa = (a.get("_context") or {}).get("periods") or set()
    pb = (b.get("_context") or {}).get("periods") or set()
    return bool(pa) != bool(pb) and any(_SPAN.search(p) for p in pa | pb)


def scope_reasons(a: dict, b: dict) -> list[str]:
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
    """The names anywhere in a figure's sentence (see :func:`_scope_names`), worked out
    when first asked for."""
    if "sentence_names" not in ctx:
        text, start, end, span = ctx["_where"]
        ctx["sentence_names"] = _scope_names(text, start, end, span, width=60)
    return ctx["sentence_names"]


_PRONOUN = re.compile(r"(?<!\w)(?:he|she|his|her|him)(?!\w)")


def _mentioned(name: str, folded: str) -> bool:
    return bool(_name_pattern(name).search(folded))


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(name_key(name)) + r"(?!\w)")
