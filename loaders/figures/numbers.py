"""Reading the number itself: digits, number words, scales, and the unit written after it.

These helpers return plain tuples and know nothing about figures; ``figures.py`` decides what
kind of figure a number is from what they find.
"""

from __future__ import annotations

import re

from .lexicon import (
    AREA_AFTER,
    CURRENCY_WORDS,
    MEASURE_UNITS,
    NATIONAL_CURRENCIES,
    RATE_UNITS,
    SCALE_SUFFIXES,
    SCALE_WORDS,
    STERLING_CONTEXT,
    TEMPERATURE_AFTER,
    TENS_WORDS,
    TIME_UNITS,
    UNIT_WORDS,
)

_UNITS = "|".join(sorted(UNIT_WORDS, key=len, reverse=True))
_TENS = "|".join(TENS_WORDS)
NUMBER_WORD = (
    rf"(?:(?:{_TENS})(?:-(?:{_UNITS}))?|{_UNITS}|hundred|thousand|million|billion|trillion|dozen)"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

SCALE_AFTER = re.compile(
    r"(?:\s?(bn|mn|mln|tn)\b|([mkbtMKBT])\b(?!['’]|\.\w)"
    r"|\s(billion|million|trillion|thousand|hundred|lakhs?|crores?)\b)"
)
PERCENT_AFTER = re.compile(
    r"\s?(?:(%)|(per\s?cent|percent|pct|(?-i:pc))\b|(percentage[\s-]points?)\b)", re.IGNORECASE
)
# A unit word after the number: glued ("9km"), spaced ("40 metres") or hyphenated ("three-month").
UNIT_AFTER = re.compile(r"(\s|-)?([A-Za-z]+(?:/[a-zA-Z]+)?)")
NATIONAL_CURRENCY_AFTER = re.compile(
    r"\s(" + "|".join(NATIONAL_CURRENCIES) + r")\s+(?:dollars?|francs?)\b", re.IGNORECASE
)
# Cups only as a measure of something ("two cups of flour"), not "two cup finals".
CUPS_AFTER = re.compile(r"\s(?:cups?)\b(?=\s+of\b)|\s(?:cups?)\b(?=\s+[a-z]+\s+oil\b)")
TONS_AFTER = re.compile(r"[\s-](?:metric|short|long)[\s-]+(?:tons?|tonnes?)\b", re.IGNORECASE)
# "in" for inches only where it cannot be the preposition: "2 1/2 in thick", "a 12 in. pipe".
INCH_AFTER = re.compile(
    r"\s?in\.?(?=\s+(?:thick|long|wide|tall|high|deep|across|diameter|pipe|screen)\b"
    r"|\s*[,;)]|\s*$)"
)
PER_SECOND = re.compile(r"\s+(?:per|a)\s+second\b")
SECOND_NUMBER = re.compile(
    rf"(?:[$£€]|US\$|A\$)?\s?(-?(?:{_DIGITS}))|((?i:{NUMBER_WORD})(?:[\s-]+(?i:{NUMBER_WORD}))*)\b"
)
_SEPARATORS = re.compile(r"[\s-]+")


def trie_pattern(words: list[str]) -> str:
    """A regex alternation of ``words`` factored by common prefixes, first letter in either case.

    Python's ``re`` tries alternatives one by one at every position; factoring them into a trie
    makes the scan for number words several times faster.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict, first: bool) -> str:
        branches = []
        optional = "" in node
        for ch in sorted(k for k in node if k):
            head = f"[{ch}{ch.upper()}]" if first and ch.isalpha() else re.escape(ch)
            branches.append(head + emit(node[ch], False))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if optional else body

    return emit(trie, True)


def digits_value(text: str) -> float:
    """``"1,793"`` -> 1793.0."""
    return float(text.replace(",", ""))


def words_value(text: str) -> float | None:
    """Value of a run of number words: "twenty-five" 25, "two dozen" 24, "three million" 3e6.

    Handles "a hundred", "half a million" and "five-and-a-half". Returns None for a run that
    is not one number ("three four").
    """
    tokens = _SEPARATORS.split(text.lower())
    total = 0.0
    current = 0.0
    seen = False
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t in ("a", "an") and i == 0:
            current = 1.0
        elif t in ("a", "an") and tokens[i - 1] in ("half", "of"):
            pass
        elif t == "of" and tokens[i - 1] in ("quarter", "quarters"):
            pass
        elif t == "half" and i == 0:
            current = 0.5
        elif t == "and" and tokens[i + 1 : i + 3] == ["a", "half"]:
            current += 0.5
            i += 2
        elif (
            t == "and"
            and i
            and tokens[i - 1] in SCALE_WORDS
            and i + 1 < len(tokens)
            and not any(x in SCALE_WORDS and SCALE_WORDS[x] >= SCALE_WORDS[tokens[i - 1]]
                        for x in tokens[i + 1 :])
        ):
            pass  # "a hundred and two", "five hundred and eighty-four"
        elif t in ("quarter", "quarters") and any(x in SCALE_WORDS for x in tokens[i + 1 :]):
            current = (current or 1) * 0.25  # "a quarter million", "three quarters billion"
        elif t == "half" and i + 1 < len(tokens) and tokens[i + 1] in SCALE_WORDS:
            current = (current or 1) * 0.5  # "half million"
        elif t in UNIT_WORDS or t in TENS_WORDS:
            if (
                seen
                and current % 100 != 0
                and not (current >= 20 and UNIT_WORDS.get(t, 99) < 10 and current % 10 == 0)
            ):
                return None
            current += UNIT_WORDS[t] if t in UNIT_WORDS else TENS_WORDS[t]
            seen = True
        elif t == "dozen":
            current = (current or 1) * 12
        elif t == "hundred":
            current = (current or 1) * 100
        elif t in SCALE_WORDS:
            total += (current or 1) * SCALE_WORDS[t]
            current = 0.0
        else:
            return None
        if t not in ("a", "an", "half", "and", "quarter", "quarters"):
            seen = True
        i += 1
    return total + current


def scale_after(text: str, pos: int, money: bool) -> tuple[float, int]:
    """(multiplier, end) of a scale suffix at ``pos``; single letters need a currency."""
    m = SCALE_AFTER.match(text, pos)
    if not m:
        return 1.0, pos
    letter = m.group(2)
    word = (m.group(1) or letter or m.group(3)).lower()
    if letter and not money and (letter in "bBtTM" or letter == "K"):
        return 1.0, pos  # "5b" is a code, "5T" a tonne or a code; only money takes them
    if letter == "k" and not money and text.startswith(("m", "g", "w"), pos + 1):
        return 1.0, pos
    return SCALE_SUFFIXES[word], m.end()


def unit_after(text: str, pos: int) -> tuple[str, str, int] | None:
    """(group, unit, end) for a unit written at ``pos``.

    group is one of time, measure, rate, currency. Abbreviations must be glued or spaced;
    words may also be hyphenated ("three-month").
    """
    national = NATIONAL_CURRENCY_AFTER.match(text, pos)
    if national:
        return "currency", NATIONAL_CURRENCIES[national.group(1).lower()], national.end()
    temp = TEMPERATURE_AFTER.match(text, pos)
    if temp:
        return "measure", _temperature_unit(text, temp), temp.end()
    area = AREA_AFTER.match(text, pos)
    if area:
        return "measure", _area_unit(area), area.end()
    cups = CUPS_AFTER.match(text, pos)
    if cups:
        return "measure", "cup", cups.end()
    tons = TONS_AFTER.match(text, pos)
    if tons:
        return "measure", "tonne", tons.end()
    inch = INCH_AFTER.match(text, pos)
    if inch:
        return "measure", "inch", inch.end()
    m = UNIT_AFTER.match(text, pos)
    if not m:
        return None
    sep, word = m.group(1), m.group(2)
    low = word.lower()
    if low in TIME_UNITS and (sep or len(low) > 3):
        if text.startswith("-old", m.end()) or text.startswith("-olds", m.end()):
            return "age", "year", m.end() + 4 + (text[m.end() + 4 : m.end() + 5] == "s")
        return "time", TIME_UNITS[low], m.end()
    if low in RATE_UNITS:
        return "rate", RATE_UNITS[low], m.end()
    if (
        low in MEASURE_UNITS
        and (len(low) > 2 or not sep or sep == " ")
        and sep != "-"
        or (sep == "-" and low in MEASURE_UNITS and len(low) > 2)
    ):
        # A glued capital "G" or "M" is a code ("3G"), not grams or metres; the symbols of
        # watts, volts and litres are written in capitals ("60W", "12V", "2.0L").
        if not sep and word[0].isupper() and len(word) == 1 and word not in "WVL":
            return None
        if sep and low == "v":
            return None  # "a 2 v 1 drill": versus
        unit = MEASURE_UNITS[low]
        per_second = PER_SECOND.match(text, m.end())
        if per_second and unit.endswith("bit"):
            return "rate", unit[0] + "bps" if unit[0] != "k" else "kbps", per_second.end()
        return "measure", unit, m.end()
    if low in ("pound", "pounds") and sep != "-" and not _sterling(text, pos, m.end()):
        return "measure", "lb", m.end()
    if low in CURRENCY_WORDS and sep != "-" and (len(low) > 1 or not sep):
        return "currency", CURRENCY_WORDS[low], m.end()
    return None


def _sterling(text: str, start: int, end: int) -> bool:
    """Whether "pounds" after a number is money: "sterling" after it, or a word of money in
    the clause ("paid 300 pounds", "5 million pounds"); otherwise it is weight."""
    left = max(text.rfind(".", 0, start - 1), text.rfind(";", 0, start), start - 60, 0)
    right = min(len(text), end + 40)
    dot = text.find(". ", end)
    if dot >= 0:
        right = min(right, dot)
    return bool(STERLING_CONTEXT.search(text, left, right))


def _temperature_unit(text: str, m: re.Match[str]) -> str:
    letter = (m.group("letter") or "").upper()
    word = (m.group("word") or "").lower()
    if letter == "F" or word == "fahrenheit":
        return "°F"
    if word == "kelvin":
        return "K"
    return "°C" if letter == "C" or word in ("celsius", "centigrade") else "degree"


def _area_unit(m: re.Match[str]) -> str:
    base_names = {"kilometre": "km", "kilometer": "km", "metre": "m", "meter": "m", "feet": "ft",
                  "foot": "ft", "mile": "mi", "yard": "yd", "inch": "in", "centimetre": "cm",
                  "centimeter": "cm"}
    if m.group(1):
        kind, base = m.group(1).lower().rstrip("."), m.group(2).lower()
        power = "3" if kind.startswith("cu") else "2"
    elif m.group(3):
        base, power = m.group(3).lower(), m.group(4) or ("2" if m.group(5) == "²" else "3")
    else:
        base, power = m.group(6).lower(), "2" if m.group(7).lower() == "squared" else "3"
    for name, short in base_names.items():
        if base.startswith(name):
            base = short
            break
    return f"{base}{'²' if power == '2' else '³'}"
