"""What a figure's value allows: its kind, the rounding its wording implies, and the
interval of true values it admits once hedges ("more than", "about") are read; whether
two figures can both be true.
"""

from __future__ import annotations

import math
import re

__all__ = ["ABOUT_SLACK", "BOUND_SLACK", "DURATION_DAYS", "EXACT_SLACK", "NEARLY_SLACK",
           "figure_interval", "figure_kind", "figures_consistent", "rounding_step",
           "scaled_value", "significant_digits", "units_comparable"]


# Relative slack for an unhedged figure: rounding in copy ("£4.2m" for 4,213,000).
EXACT_SLACK = 0.005
ABOUT_SLACK = 0.1
# A bound in copy is itself rounded: "more than 1,800" is written of a count of 1,793
# reported elsewhere, so a bound gives this much way before it contradicts a value.
BOUND_SLACK = 0.05
NEARLY_SLACK = 0.1

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
    if figure_kind(f) == "percent":
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
    (av, avh), (bv, bvh) = scaled_value(a), scaled_value(b)
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


def figure_kind(f: dict) -> str:
    """The figure's kind; a span of time labelled a time ("time" with unit "week") is a
    duration. A time of day (unit-less "time") is never a duration: "six-week" is not
    "6am"."""
    if "_k" in f:
        return f["_k"]
    k = f.get("kind") or "count"
    if k == "time" and f.get("unit") in DURATION_DAYS:
        return "duration"
    return k


def scaled_value(f: dict) -> tuple[float, float | None]:
    """(value, value_high) in units both sides share: durations in days."""
    if "_sv" in f:
        return f["_sv"]
    value, high = f["value"], f.get("value_high")
    factor = DURATION_DAYS.get(f.get("unit") or "") if figure_kind(f) == "duration" else None
    if factor:
        return value * factor, (high * factor if high is not None else None)
    return value, high


def units_comparable(a: dict, b: dict) -> bool:
    """Whether two figures of one kind are in units that can be compared: the same unit,
    a unit on one side only, or two spans of time (compared in days)."""
    ua, ub = a.get("unit"), b.get("unit")
    if figure_kind(a) == "duration" and ua in DURATION_DAYS and ub in DURATION_DAYS:
        return True
    return not (ua and ub and ua != ub)


def significant_digits(f: dict) -> int:
    """Significant digits of a figure as written ("$1.375 billion": 4, "$1.4bn": 2)."""
    if "_sig" in f:
        return f["_sig"]
    m = re.search(r"\d[\d,]*(?:\.\d+)?", f.get("surface") or "")
    if not m:
        return 0
    digits = m.group().replace(",", "").replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) if "." not in m.group() else len(digits)
