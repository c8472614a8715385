"""Ranges ("20 to 30", "between 20 and 30", "20-30") and sports scores ("3-1")."""

from __future__ import annotations

import re

from .base import BETWEEN, finish
from .numbers import (
    PERCENT_AFTER,
    SECOND_NUMBER,
    digits_value,
    scale_after,
    unit_after,
    words_value,
)
from ..model import Figure

_DASH_NUMBER = re.compile(r"\s?[-–]\s?(?=-?\d)")
# "20 to 30", "between 20 and 30", and a suspended hyphen: "8- to 16-metre".
_TO_NUMBER = re.compile(r"-?\s+(?:to|and)\s+(?=[$£€\dA-Za-z-])")
_CURRENCY_START = re.compile(r"(?:US|A|C|NZ|HK|S)?[$£€¥]")
# A change from one level to another ("rose from 5% to 7%", "grew by 1.4 million to 44.9
# million", "dropped 5.9% to 20.7 kronor"): "from", a word of rising, or a word of falling
# after which the first end carries its own unit or scale. After a word of falling, a bare first
# end below the second cannot be a fall to a new level: "dropped 3 to 5 inches of rain" and
# "fell 3 to 5 per cent" are ranges.
_CHANGE_BEFORE = re.compile(
    r"\b(?:from|rose|grew|increased|jumped|climbed|raised|up|by|rising|risen|soared)"
    r"\b[^.;]{0,25}$",
    re.IGNORECASE,
)
_FALL_BEFORE = re.compile(
    r"\b(?:fell|decreased|dropped|slid|slipped|cut|lowered|reduced|down|falling|fallen|"
    r"plunged|slumped)\b[^.;]{0,25}$",
    re.IGNORECASE,
)
_BARE_END = re.compile(r"[\d.,]+")
_SPORT = re.compile(
    r"\b(?:wins?|won|beat|beating|draw|drew|victory|defeat|lost|lose|losing|loss|lead|led|"
    r"leading|trail\w*|score\w*|set|sets|game|games|tie-?break|thrash\w*|triumph\w*|match|"
    r"final|goals?|half-time|at|votes?|voted|passed|approved|confirmed|rejected|margin|split|"
    r"tally|decisions?|ruling|majority)\b",
    re.IGNORECASE,
)
_TRAILING_SCALE = re.compile(r"[\s-]+(?:hundred|thousand|million|billion|trillion)$", re.IGNORECASE)
_PERCENT_END = re.compile(r"(?:%|\bper ?cent|\bpct)$", re.IGNORECASE)
_SCORE_DASH = re.compile(r"[-–](\d+)\b(?![.,]\d)")
# A unit written again after the second end: "44 mg to 50 mg", "between 15kHz and 17kHz".
_RANGE_UNIT_GROUPS = ("measure", "currency", "rate")


def second_number(text: str, pos: int) -> tuple[float, float, int] | None:
    """(value, scale, end) of the number that closes a range."""
    m = SECOND_NUMBER.match(text, pos)
    if not m:
        return None
    if m.group(1):
        value, end = digits_value(m.group(1)), m.end()
    else:
        words = m.group(2)
        w = words_value(words)
        if w is None:
            return None
        value, end = w, m.end()
        # "two to three million": the trailing scale word is the range's scale, as in
        # "2 to 3 million", so that it can apply to the first end too.
        tail = _TRAILING_SCALE.search(words)
        head = words_value(words[: tail.start()]) if tail else None
        if tail and head:
            return head, value / head, end
    scale, end = scale_after(text, end, money=text[pos] in "$£€")
    return value, scale, end


def range_after(
    text: str, start: int, end: int, value: float, money: bool, scaled: bool = True
) -> tuple[float, float, int] | None:
    """(low, high, end) of "20 to 30", "20-30%" or "between £1m and £2m" after a number.

    A scale written once after the second end applies to both ("between $19 and $22 million"
    is 19e6 to 22e6) when the first end has none of its own (``scaled`` False) and is smaller
    than the second as written. None for a change ("rose from 5% to 7%") or a switch of unit
    ("6.4% to $42.09bn").
    """
    between = BETWEEN.search(text, max(0, start - 14), start)
    link = _DASH_NUMBER.match(text, end) or _TO_NUMBER.match(text, end)
    if not link:
        return None
    word = text[link.start() : link.end()].strip()
    if word == "and" and not between:
        return None
    if word == "to" and (
        _CHANGE_BEFORE.search(text, max(0, start - 30), start)
        or (
            not _BARE_END.fullmatch(text, start, end)
            and _FALL_BEFORE.search(text, max(0, start - 30), start)
        )
    ):
        return None
    second = second_number(text, link.end())
    if not second:
        return None
    high, scale, hend = second
    if not money and _CURRENCY_START.match(text, link.end()):
        return None  # "6.4% to $42.09bn" moves from one unit to another
    unit_end = PERCENT_AFTER.match(text, hend)
    if unit_end:
        hend = unit_end.end()
    if scale != 1.0 and not scaled and value < high:
        value *= scale
    high *= scale
    if high <= value:
        return None
    return value, high, hend


def same_unit_after(text: str, pos: int, unit: str) -> int:
    """End of a repeat of ``unit`` at ``pos`` ("44 mg to 50 mg"), else ``pos``."""
    again = unit_after(text, pos)
    return again[2] if again and again[1] == unit else pos


def range_or_score(
    text: str, start: int, end: int, value: float, numtxt: str
) -> tuple[Figure | None, int] | None:
    """A score ("3-1", "a 2-2 draw") or a range of plain numbers, else None."""
    dash = _SCORE_DASH.match(text, end)
    if dash and value.is_integer() and value < 1000 and "," not in numtxt:
        other = float(dash.group(1))
        window = text[max(0, start - 40) : start] + text[dash.end() : dash.end() + 25]
        # A second side no bigger than the first cannot close a range: a score or a vote
        # ("3-1", "a 5-4 decision", "passed 396-9").
        if (other <= value and (value < 200 or _SPORT.search(window))) or (
            value < 200 and _SPORT.search(window)
        ):
            return finish(
                text, start, dash.end(), value, "other", "score", unit="score", value_high=other
            ), dash.end()
    rng = range_after(text, start, end, value, money=False, scaled=False)
    if not rng:
        return None
    value, high, hend = rng
    unit = unit_after(text, hend)
    if unit and unit[0] in _RANGE_UNIT_GROUPS:
        group, name, uend = unit
        kind = {"measure": "measure", "currency": "money", "rate": "rate"}[group]
        return finish(
            text, start, uend, value, kind, f"range-{kind}", unit=name, value_high=high
        ), uend
    if unit and unit[0] == "time":
        return finish(
            text, start, unit[2], value, "duration", "range-duration", unit=unit[1], value_high=high
        ), unit[2]
    if unit and unit[0] == "age":
        return finish(
            text, start, unit[2], value, "age", "range-age", unit="year", value_high=high
        ), unit[2]
    if _PERCENT_END.search(text, max(start, hend - 8), hend):
        # "between 3 and 5 per cent", "fell by 3 to 5%": the percent sign closes the range
        return finish(
            text, start, hend, value, "percent", "range-percent", unit="percent", value_high=high
        ), hend
    fig = finish(text, start, hend, value, "count", "range", value_high=high, counted_from=hend)
    return fig, hend
