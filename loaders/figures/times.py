"""Dates, years, times of day, durations and ages."""

from __future__ import annotations

import re

from .base import finish
from .lexicon import MONTHS
from ..model import Figure

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_MONTH_AFTER = re.compile(r"\s+(" + _MONTH + r")(?:,?\s+(\d{4})\b)?")
MONTH_BEFORE = re.compile(r"\b(" + _MONTH + r")\s+$")
_YEAR_AFTER = re.compile(r",?\s+(\d{4})\b")
TIME_AFTER = re.compile(
    r"\s?(?:([ap])(?:\.m\.|m\b)|(GMT|BST|CET|EST|local time|hours)\b)", re.IGNORECASE
)
# "8:11.22" or "2:08:30": a race time (minutes:seconds or hours:minutes:seconds).
LAP_TIME = re.compile(r":(\d{2})(?::(\d{2}))?(\.\d+)?(?=\b|$)")
CLOCK = re.compile(r"[:.](\d{2})\s?([ap])(?:\.m\.|m\b)|:(\d{2})\b", re.IGNORECASE)
_AGE_RANGE_END = re.compile(r"\s+to\s+(\d+)(?:-years?-olds?)?")
_YEAR_SPAN_END = re.compile(r"[-–/](\d{2}|\d{4})\b")
_YEAR_TO_END = re.compile(r"\s+(to|and|through)\s+(\d{4})\b")
_ERA_BEFORE = re.compile(r"(?:\bAD|\bA\.D\.)\s+$")
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+(?:years\s+)?)?(?:AD\s+|A\.D\.\s+)?$", re.IGNORECASE)


def duration(text: str, start: int, end: int, value: float, unit: str) -> tuple[Figure, int]:
    """A span of time in ``unit``; "N years old" is an age instead."""
    if text.startswith(" old", end):
        return age(text, start, end + 4, value)
    return finish(text, start, end, value, "duration", "duration", unit=unit), end


def age(text: str, start: int, end: int, value: float) -> tuple[Figure, int]:
    """An age in years, possibly a range ("aged 18 to 99")."""
    high = None
    rng = _AGE_RANGE_END.match(text, end)
    if rng:
        high, end = float(rng.group(1)), rng.end()
    return finish(text, start, end, value, "age", "age", unit="year", value_high=high), end


def year(text: str, start: int, end: int, value: float) -> tuple[Figure, int]:
    """A year, or a span of years ("2007-13", "from 1941 to 1945")."""
    high = None
    m = _YEAR_SPAN_END.match(text, end)
    if m:
        tail = int(m.group(1))
        high = float(tail if tail > 1000 else int(value) // 100 * 100 + tail)
        end = m.end()
    else:
        m = _YEAR_TO_END.match(text, end)
        # "and" joins a span only after "between": "2007, 2013 and 2014" lists three years.
        if m and m.group(1) == "and" and not _BETWEEN.search(text, max(0, start - 20), start):
            m = None
        era = _ERA_BEFORE.search(text, max(0, start - 6), start)
        low_bound = 1000 if era else 1900  # "between AD 1000 and 1260"
        if m and low_bound <= int(m.group(2)) <= 2099 and int(m.group(2)) > value:
            high, end = float(m.group(2)), m.end()
    return finish(text, start, end, value, "year", "year", value_high=high), end


def lap_time(
    text: str, start: int, value: float, lap: re.Match[str]
) -> tuple[Figure, int] | tuple[None, int]:
    """Race times are durations in seconds; "10:30" without a fraction is a clock time."""
    second, third, fraction = lap.group(1), lap.group(2), lap.group(3)
    if third is None and fraction is None:
        t = CLOCK.match(text, start + len(str(int(value))))
        return read_time(text, start, start + len(str(int(value))), value, t)
    if third is None:
        seconds = value * 60 + int(second) + float(fraction or 0)
    else:
        seconds = value * 3600 + int(second) * 60 + int(third) + float(fraction or 0)
    return finish(
        text, start, lap.end(), round(seconds, 3), "duration", "race-time", unit="second"
    ), lap.end()


def read_time(
    text: str, start: int, end: int, value: float, t: re.Match[str]
) -> tuple[Figure, int]:
    """A time of day as decimal hours on a 24-hour clock ("2.15pm" -> 14.25)."""
    hours = value
    g = t.groups()
    if t.re is CLOCK:
        minutes = int(g[0] or g[2])
        hours = int(value) + minutes / 60
        if g[1] and g[1].lower() == "p" and hours < 12:
            hours += 12
    elif g[0]:
        whole = int(value)
        hours = whole + round((value - whole) * 100) / 60
        if g[0].lower() == "p" and hours < 12:
            hours += 12
    elif value >= 100:
        hours = int(value) // 100 + int(value) % 100 / 60
    return finish(text, start, t.end(), hours, "time", "time"), t.end()


def date_day_first(text: str, start: int, end: int, day: float) -> tuple[Figure, int] | None:
    """Day first: "19 July" or "27 October, 1920" as YYYYMMDD (year 0 when absent); None if no month."""
    m = _MONTH_AFTER.match(text, end)
    if not m:
        return None
    month = MONTHS[m.group(1).lower().rstrip(".")]
    yyyy = int(m.group(2)) if m.group(2) else 0
    return finish(
        text, start, m.end(), yyyy * 10000 + month * 100 + day, "date", "date-day-month"
    ), m.end()


def date_month_first(
    text: str, mstart: int, start: int, end: int, value: float, month_word: str
) -> tuple[Figure, int]:
    """Month first: "July 19", "July 19, 2022" or "March 2005" as YYYYMMDD with missing parts zero."""
    month = MONTHS[month_word.lower().rstrip(".")]
    if value > 31:
        return finish(
            text, mstart, end, value * 10000 + month * 100, "date", "date-month-year"
        ), end
    yyyy = 0
    y = _YEAR_AFTER.match(text, end)
    if y:
        yyyy, end = int(y.group(1)), y.end()
    return finish(
        text, mstart, end, yyyy * 10000 + month * 100 + value, "date", "date-month-day"
    ), end
