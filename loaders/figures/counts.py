"""The shared tail of the rules: a number with no sign before it becomes a count, an age, a
duration, a measure, a percentage or an amount, depending on what follows it."""

from __future__ import annotations

import re

from .base import finish, measure, money_word
from .context import singular
from .lexicon import ISO_CODES, SUBUNIT_CURRENCY
from .numbers import NUMBER_WORD, scale_after, unit_after, words_value
from .ranges import range_after, range_or_score, same_unit_after
from .times import age, duration
from ..model import Figure

AGE_BEFORE = re.compile(r"\b(?:aged|age of)\s+$", re.IGNORECASE)
_AGE_APPOSITION = re.compile(r"[A-Z][a-z]+,\s+$")
# "The veteran film-maker, 68, won": a person named by a noun phrase, the age set off by
# commas. The phrase must start with an article, so "In the final, 29, ..." stays a count.
_AGE_APPOSITION_NOUN = re.compile(
    r"\b(?:[Tt]he|[Aa]n?)\s+(?:[\w'\u2019-]+\s+){0,3}(?!(?:total|rest|group|number|year|"
    r"final|half|end|match|game|season|day|week|month|time)\b)[a-z][a-z'-]*[a-z],\s+$")
_LIST_NEXT = re.compile(r",\s*\d")  # "45, 50 and 60": a list of numbers, not an age
_AGE_COPULA = re.compile(r"(?:\b(?:[Hh]e|[Ss]he)|[A-Z][a-z]+)\s+(?:is|was)\s+$")
_AGE_COPULA_END = re.compile(r"(?:[,.;]|\s+(?:when|and|at|in)\b)")
_HYPHEN_WORD = re.compile(r"-([a-z]+)\b")
_HYPHEN_QUALIFIERS = {"strong": None, "odd": "about", "plus": "more than"}
OF_AFTER = re.compile(r"\s+of\b")
_PARTITIVE = re.compile(r"\s+of\s+(?:the|their|these|those|its|his|her|our)\s+(?:\d[\d,]*\s+)?")
_TIMES_AFTER = re.compile(r"\s+times\b")
# The smaller unit after an amount: "thirteen dollars forty-five cents", "15 dollars 50." (a
# bare number only when the sentence ends after it).
_MINOR_NUMBER = r"(\d{1,2}|(?i:" + NUMBER_WORD + r")(?:-(?i:" + NUMBER_WORD + r"))?)"
_MINOR_AFTER = re.compile(
    r"(?:\s+and)?\s+" + _MINOR_NUMBER + r"\s+(?:cents?|pence)\b"
    r"|\s+" + _MINOR_NUMBER + r"(?=\s*(?:[.!?;]|$))"
)
# A currency code with a scale letter, as finance writes millions and thousands: "48.5 MGBP",
# "twenty MUSD", "300 KEUR".
_SCALED_CODE = re.compile(r"\s?([MK])(" + "|".join(ISO_CODES) + r")\b")


def count(
    text: str, start: int, end: int, value: float, rule: str, hedge: str | None = None
) -> tuple[Figure | None, int]:
    """A count, with its object: "times" multipliers, hyphen compounds ("six-cylinder"),
    partitives ("nine of their 14 matches") and plain "140 soldiers"."""
    if _TIMES_AFTER.match(text, end):
        tend = _TIMES_AFTER.match(text, end).end()
        return finish(text, start, tend, value, "other", "times", unit="times"), tend
    h = _HYPHEN_WORD.match(text, end)
    if h and h.group(1) in _HYPHEN_QUALIFIERS:
        # "a 5,000-strong crowd", "20-odd players": the counted thing follows the compound
        hedge = hedge or _HYPHEN_QUALIFIERS[h.group(1)]
        return finish(
            text,
            start,
            h.end(),
            value,
            "count",
            rule + "-compound",
            hedge=hedge,
            counted_from=h.end(),
        ), h.end()
    if h and not text.startswith("-and-", end):
        word = h.group(1)
        fig = finish(
            text,
            start,
            h.end(),
            value,
            "count",
            rule + "-compound",
            obj=singular(word),
            phrase=word,
            hedge=hedge,
        )
        return fig, h.end()
    counted_from = end
    if OF_AFTER.match(text, end) and rule in ("plural-scale", "count-words-scale"):
        counted_from = OF_AFTER.match(text, end).end()
    elif _PARTITIVE.match(text, end):
        counted_from = _PARTITIVE.match(text, end).end()  # "nine of their 14 matches"
    return finish(
        text, start, end, value, "count", rule, hedge=hedge, counted_from=counted_from
    ), end


def percent(text: str, start: int, p: re.Match[str], value: float) -> tuple[Figure, int]:
    """A percentage or percentage-point figure, possibly a range ("20-30%")."""
    unit = "percentage point" if p.group(3) else "percent"
    end = p.end()
    high = None
    rng = range_after(text, start, end, value, money=False)
    if rng:
        value, high, end = rng
    return finish(text, start, end, value, "percent", "percent", unit=unit, value_high=high), end


def after_plain(
    text: str, start: int, end: int, value: float, numtxt: str
) -> tuple[Figure | None, int]:
    """A plain number: age, duration, measure, money word, range or score, else a count."""
    if AGE_BEFORE.search(text, max(0, start - 10), start):
        return age(text, start, end, value)
    if (
        value.is_integer()
        and 5 <= value <= 110
        and text.startswith(",", end)
        and (_AGE_APPOSITION.search(text, max(0, start - 20), start)
             or (value >= 15 and not _LIST_NEXT.match(text, end)
                 and _AGE_APPOSITION_NOUN.search(text, max(0, start - 60), start)))
    ):
        return finish(text, start, end, value, "age", "age-apposition", unit="year"), end
    if (
        value.is_integer()
        and 5 <= value <= 110
        and _AGE_COPULA_END.match(text, end)
        and _AGE_COPULA.search(text, max(0, start - 20), start)
    ):
        return finish(text, start, end, value, "age", "age-copula", unit="year"), end
    return after_scaled(text, start, end, value, numtxt)


def _minor_after(text: str, pos: int, value: float) -> tuple[float, int]:
    """Add the cents or pence written after a whole amount ("15 dollars 50")."""
    m = _MINOR_AFTER.match(text, pos)
    if not m:
        return value, pos
    minor = m.group(1) or m.group(2)
    cents = float(minor) if minor.isdigit() else words_value(minor)
    if cents is None or not 0 < cents < 100:
        return value, pos
    return value + cents / 100, m.end()


def after_scaled(
    text: str, start: int, end: int, value: float, numtxt: str = ""
) -> tuple[Figure | None, int]:
    """A number with its scale read: a unit word decides the kind, else a range, score or count."""
    code = _SCALED_CODE.match(text, end)
    if code:
        scale = 1e6 if code.group(1) == "M" else 1e3
        return money_word(text, start, code.end(), value * scale, code.group(2))
    unit = unit_after(text, end)
    if unit:
        group, name, uend = unit
        if group == "currency":
            if name and text[end:uend].strip().lower() in SUBUNIT_CURRENCY:
                value /= 100
            else:
                # "75 USD million": a scale written after the currency
                scale, send = scale_after(text, uend, money=True)
                if scale != 1.0 and text[uend:send].startswith(" "):
                    value, uend = value * scale, send
                elif value.is_integer():
                    value, uend = _minor_after(text, uend, value)
            return money_word(text, start, uend, value, name)
        if group == "age":
            return age(text, start, uend, value)
        if group == "time":
            return duration(text, start, uend, value, name)
        if group == "rate":
            return finish(text, start, uend, value, "rate", "rate", unit=name), uend
        rng = range_after(text, start, uend, value, money=False)
        if rng:
            # "44 mg to 50 mg", "between 15kHz and 17kHz": one range, the unit written twice
            _, high, hend = rng
            hend = same_unit_after(text, hend, name)
            return finish(
                text, start, hend, value, "measure", "range-measure", unit=name, value_high=high
            ), hend
        return measure(text, start, uend, value, name, "measure")
    rng = range_or_score(text, start, end, value, numtxt)
    if rng:
        return rng
    return count(text, start, end, value, "count")
