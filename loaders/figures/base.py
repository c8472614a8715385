"""Shared pieces of the figure rules: building a Figure, and the words just before a number."""

from __future__ import annotations

import re

from .context import event_for, hedge_after, hedge_before, object_after
from ..model import Figure

_PREV_WORD = re.compile(r"([A-Za-z][\w'’&]*)\.?\s+$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\-–—(\"“‘']\s*)$")
ORDINAL_BEFORE = re.compile(r"\b(?:number|No\.?)\s+$")
BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.IGNORECASE)
_ORDINAL_RANGE_END = re.compile(r"\s+(?:and|to)\s+(?:the\s+)?(\d+)(?:st|nd|rd|th)\b")


def finish(
    text: str,
    start: int,
    end: int,
    value: float,
    kind: str,
    rule: str,
    unit: str | None = None,
    value_high: float | None = None,
    hedge: str | None = None,
    obj: str | None = None,
    phrase: str | None = None,
    counted_from: int | None = None,
) -> Figure:
    """Build the figure, reading the hedge and, for counts, the object and event."""
    # "above 2004's average": a possessive number names whose thing it is, and the word
    # before it bounds the thing, not the number.
    possessive = text.startswith(("'s", "\u2019s"), end)
    hedge = hedge or (None if possessive else hedge_before(text, start, kind)
                      or hedge_after(text, end))
    event = None
    if kind == "count":
        if obj is None and counted_from is not None:
            obj, phrase, phrase_end = object_after(text, counted_from)
        else:
            phrase_end = end
        event = event_for(text, start, max(end, phrase_end), obj)
    return Figure(
        surface=text[start:end],
        value=value,
        start=start,
        end=end,
        rule=rule,
        kind=kind,
        value_high=value_high,
        unit=unit,
        hedge=hedge,
        object=obj,
        object_phrase=phrase,
        event=event,
    )


def prev_word(text: str, start: int) -> str | None:
    """The word just before ``start``, if any (trailing dot dropped: "No." -> "No")."""
    m = _PREV_WORD.search(text, max(0, start - 30), start)
    return m.group(1) if m else None


def at_sentence_start(text: str, start: int) -> bool:
    """True when ``start`` opens a sentence, a quotation or a bracket."""
    return bool(_SENTENCE_START.search(text, max(0, start - 4), start))


def ordinal(text: str, start: int, end: int, value: float, rule: str) -> tuple[Figure, int]:
    """An ordinal figure; "between the 30th and 95th" becomes one range."""
    high = None
    m = _ORDINAL_RANGE_END.match(text, end)
    if m and BETWEEN.search(text, max(0, start - 14), start):
        high, end = float(m.group(1)), m.end()
    return finish(text, start, end, value, "ordinal", rule, value_high=high), end


def measure(
    text: str, start: int, end: int, value: float, unit: str, rule: str
) -> tuple[Figure, int]:
    """A measurement in ``unit`` (km, tonne, MW, ...)."""
    return finish(text, start, end, value, "measure", rule, unit=unit), end


def money_word(
    text: str, start: int, end: int, value: float, unit: str
) -> tuple[Figure | None, int]:
    """An amount whose currency is written after it ("785m euros")."""
    return finish(text, start, end, value, "money", "money-word", unit=unit), end
