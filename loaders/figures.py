"""Figure extraction: every number a body paragraph states, with what it counts.

``extract_figures(text)`` scans one paragraph with a single precompiled pattern for number
cores (digits, number words, "hundreds of", fractions, ordinal words), then reads the short
context on either side of each core to decide its kind, unit, hedge, object and event.

Conventions (the gold file in ``benchmarks/gold`` follows the same ones):

- ``value`` is the full number: "$1.13bn" is 1.13e9, "12 per cent" is 12, "a dozen" is 12.
  "hundreds of" is a lower bound, value 200 with hedge "at least" (likewise dozens, thousands,
  millions). Fractions ("half", "a third") are kind other, unit "fraction", value 0.5 / 0.333.
- Ranges ("20 to 30", "20-30", "between 20 and 30") are one figure with ``value_high``.
  Sports scores ("3-1", "6-4") are kind other, unit "score", ``value_high`` holding the second
  side's number.
- Dates are one figure whose value reads YYYYMMDD with missing parts as zero: "July 19" is 719,
  "27 October, 1920" 19201027, "March 2005" 20050300. Years are kind year ("the 1990s": unit
  "decade"). Times of day are hours in 24-hour decimal ("2.15pm" 14.25, "1400 GMT" 14).
- Ordinals count from "third" upwards and in digits ("21st"); "first" and "second" are ranking
  words in news copy far more often than figures, so they are left out.
- Not figures: digits inside names and codes (G7, Covid-19, MP3, "Radio 4", "Chapter 11"),
  phone numbers, list markers, "one" as a pronoun ("one of the"), a lone "a".
"""

from __future__ import annotations

import re

from .figures_context import event_for, hedge_after, hedge_before, object_after, singular
from .figures_lexicon import (
    CAPITAL_FUNCTION_WORDS,
    CURRENCY_PREFIXES,
    CURRENCY_WORDS,
    FRACTIONS,
    MONTHS,
    NAME_PREFIXES,
    ORDINAL_WORDS,
    PLURAL_SCALES,
    SCALE_WORDS,
    SUBUNIT_CURRENCY,
    TENS_WORDS,
    UNIT_WORDS,
)
from .figures_numbers import (
    NUMBER_WORD,
    PERCENT_AFTER,
    SECOND_NUMBER,
    digits_value,
    scale_after,
    trie_pattern,
    unit_after,
    words_value,
)
from .model import Figure

__all__ = ["extract_figures"]

_ORDINALS = "|".join(ORDINAL_WORDS)
_SCALE_AHEAD = r"(?=\s+(?:third|quarter|hundred|thousand|million|billion|dozen)\b)"
# One scan finds every place a figure can start: digits (with a currency sign) or a word from
# the number vocabulary. The detailed word patterns below are then tried only at those places.
_GATE_WORDS = [
    *UNIT_WORDS, *TENS_WORDS, *SCALE_WORDS, "dozen", *PLURAL_SCALES, *ORDINAL_WORDS, "half",
]
# Every figure starts with a digit, a currency sign or one of these letters; checking that one
# character first lets the scan skip most positions cheaply.
_FIRST_CHARS = "".join(sorted({w[0] for w in _GATE_WORDS} | {"a"}))
_GATE = re.compile(
    r"(?=[\d$£€¥URCNHS" + _FIRST_CHARS + _FIRST_CHARS.upper() + r"])(?:"
    r"(?<![\w.])(?P<cur>US\$|A\$|C\$|NZ\$|HK\$|S\$|[$£€¥]|Rs\.?\s?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|\b(?:[Aa]" + _SCALE_AHEAD + "|" + trie_pattern(_GATE_WORDS) + r")\b)"
)
_FRAC = re.compile(
    r"(?i:(?P<frac>half(?!\s+an?\s+(?:hundred|thousand|million|billion|dozen)\b)(?:\s+an?)?"
    r"(?=\s+(?:of|the|a|an|its|their|his|her|our|my|your|all)\b)"
    r"|a\s+third|a\s+quarter|one[\s-]third|two[\s-]thirds|one[\s-]quarter|three[\s-]quarters)\b)"
)
_PLURAL = re.compile(
    r"(?i:(?P<plural>(?:tens|hundreds)\s+of\s+(?:thousands|millions)|dozens|scores|hundreds"
    r"|thousands|millions|billions)\b(?=\s+of\b))"
)
_WORDS = re.compile(
    r"(?i:(?P<words>(?:(?:a|half\s+a)\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?"
    + NUMBER_WORD
    + r"(?:[\s-]+" + NUMBER_WORD + r")*(?:[\s-]+and[\s-]+a[\s-]+half)?)\b)"
)
_ORDW = re.compile(r"(?i:(?P<ordw>" + _ORDINALS + r")\b)")
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November" \
         r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_MONTH_AFTER = re.compile(r"\s+(" + _MONTH + r")(?:,?\s+(\d{4})\b)?")
_MONTH_BEFORE = re.compile(r"\b(" + _MONTH + r")\s+$")
_YEAR_AFTER = re.compile(r",?\s+(\d{4})\b")
_PREV_WORD = re.compile(r"([A-Za-z][\w'’&]*)\.?\s+$")
_TIME_AFTER = re.compile(r"\s?(?:([ap])\.?m\b\.?|(GMT|BST|CET|EST|local time|hours)\b)", re.IGNORECASE)
_CLOCK = re.compile(r"[:.](\d{2})\s?([ap])\.?m\b\.?|:(\d{2})\b", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:aged|age of)\s+$", re.IGNORECASE)
_AGE_APPOSITION = re.compile(r"[A-Z][a-z]+,\s+$")
_ORDINAL_BEFORE = re.compile(r"\b(?:number|No\.?)\s+$")
_DASH_NUMBER = re.compile(r"\s?[-–]\s?(?=\d)")
_TO_NUMBER = re.compile(r"\s+(?:to|and)\s+(?=[$£€\dA-Za-z])")
_CURRENCY_START = re.compile(r"(?:US|A|C|NZ|HK|S)?[$£€¥]")
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.IGNORECASE)
_CHANGE_BEFORE = re.compile(
    r"\b(?:from|rose|fell|grew|increased|decreased|dropped|jumped|climbed|slid|slipped|cut|"
    r"raised|lowered|reduced|up|down|by|rising|falling|risen|fallen|soared|plunged|slumped)"
    r"\b[^.;]{0,25}$",
    re.IGNORECASE,
)
_SPORT = re.compile(
    r"\b(?:wins?|won|beat|beating|draw|drew|victory|defeat|lost|lose|losing|loss|lead|led|"
    r"leading|trail\w*|score\w*|set|sets|game|games|tie-?break|thrash\w*|triumph\w*|match|"
    r"final|goals?|half-time|at)\b",
    re.IGNORECASE,
)
_HYPHEN_WORD = re.compile(r"-([a-z]+)\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\-–—(\"“‘']\s*)$")
_PHONE = re.compile(r"[\s-]\d{3,4}[\s-]\d{3,4}")
_LIST_MARKER = re.compile(r"[.)]\s")
_RACE_NOUNS = re.compile(
    r"\s*(?:hurdles|race|final|freestyle|sprint|relay|record|title|breaststroke|backstroke|"
    r"butterfly|medley|run|indoor|outdoor|event|victory|win|winner|personal|gold|silver|bronze|heats?|world|champion\w*|"
    r"in|at|on|and|or|,|\.|$)",
    re.IGNORECASE,
)
_RACE_DISTANCES = {50, 60, 100, 110, 200, 400, 800, 1000, 1500, 3000, 5000, 10000}
_OF_AFTER = re.compile(r"\s+of\b")
_PRONOUN_ONE = re.compile(r"\s*(?:of\b|another\b|-off|-time|-on-one|-sided|-way|\s*or\s+two\b)")
_PLURAL_MONEY = re.compile(r"\s+of\s+(dollars|pounds|euros|yen|rupees)\b", re.IGNORECASE)
_ADDRESS = re.compile(r"(?:\s+[A-Z][a-z]+){1,2}\s+(?:Street|Road|Avenue|Lane|Square|Place|Drive)\b")
_AGE_COPULA = re.compile(r"(?:\b(?:[Hh]e|[Ss]he)|[A-Z][a-z]+)\s+(?:is|was)\s+$")
_AGE_COPULA_END = re.compile(r"(?:[,.;]|\s+(?:when|and|at|in)\b)")
_PARTITIVE = re.compile(r"\s+of\s+(?:the|their|these|those|its|his|her|our)\s+(?:\d[\d,]*\s+)?")
_HYPHEN_QUALIFIERS = {"strong": None, "odd": "about", "plus": "more than"}
_SHORT_DECADES = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90}
_SLASH = re.compile(r"/(\d{1,3})\b(?![/.]\d)")
_ODDS = re.compile(r"\bodds\b|\bfavourites?\b", re.IGNORECASE)
_AT_BEFORE = re.compile(r"\bat\s+$")
_TIMES_AFTER = re.compile(r"\s+times\b")


def extract_figures(text: str) -> list[Figure]:
    """Every figure stated in one body paragraph, in text order.

    >>> [(f.surface, f.value, f.object) for f in extract_figures("Some 140 soldiers fled.")]
    [('140', 140.0, 'soldier')]
    """
    figures: list[Figure] = []
    pos = 0
    while True:
        m = _GATE.search(text, pos)
        if not m:
            return figures
        fig, resume = _read(text, m)
        if fig is not None:
            figures.append(fig)
        pos = max(resume, m.end())


def _read(text: str, gate: re.Match[str]) -> tuple[Figure | None, int]:
    if gate.group("num") is not None:
        return _read_digits(text, gate)
    start = gate.start()
    for pattern, reader in _WORD_READERS:
        m = pattern.match(text, start)
        if m:
            return reader(text, m)
    return None, gate.end()


def _finish(
    text: str, start: int, end: int, value: float, kind: str, rule: str,
    unit: str | None = None, value_high: float | None = None, hedge: str | None = None,
    obj: str | None = None, phrase: str | None = None, counted_from: int | None = None,
) -> Figure:
    """Build the figure, reading the hedge and, for counts, the object and event."""
    hedge = hedge or hedge_before(text, start, kind) or hedge_after(text, end)
    event = None
    if kind == "count":
        if obj is None and counted_from is not None:
            obj, phrase, phrase_end = object_after(text, counted_from)
        else:
            phrase_end = end
        event = event_for(text, start, max(end, phrase_end), obj)
    return Figure(
        surface=text[start:end], value=value, start=start, end=end, rule=rule, kind=kind,
        value_high=value_high, unit=unit, hedge=hedge, object=obj, object_phrase=phrase,
        event=event,
    )


def _prev_word(text: str, start: int) -> str | None:
    m = _PREV_WORD.search(text, max(0, start - 30), start)
    return m.group(1) if m else None


def _at_sentence_start(text: str, start: int) -> bool:
    return bool(_SENTENCE_START.search(text, max(0, start - 4), start))


def _is_name_number(text: str, start: int, value: float, numtxt: str) -> bool:
    """Digits that belong to a name: "Radio 4", "Windows 2000", "Chapter 11", "BBC2"."""
    prev = _prev_word(text, start)
    if prev is None:
        return False
    low = prev.lower()
    if low in NAME_PREFIXES and not (low == "no" and prev[0] == "N"):
        return True
    if not prev[0].isupper() or low in CAPITAL_FUNCTION_WORDS or low.rstrip(".") in MONTHS:
        return False
    if prev.endswith(("'s", "’s")) or "," in numtxt:
        return False
    # A capitalised word starting a sentence ("Shares 5% higher") is not a name prefix.
    return not _at_sentence_start(text, start - len(prev) - 1)


def _read_digits(text: str, m: re.Match[str]) -> tuple[Figure | None, int]:
    start, num_end = m.start(), m.end("num")
    numtxt = m.group("num")
    value = digits_value(numtxt)
    cur = m.group("cur")
    before = text[start - 1] if start else ""
    # Codes and names: "Covid-19", "F-16", "24/7", "MP3" (letters before are excluded by the
    # pattern), glued letters after ("3G", "4x4").
    if before == "-" and not re.search(r"\b(?:mid|pre|post|early|late)-$", text[:start][-6:],
                                       re.IGNORECASE):
        return None, _skip_glued(text, num_end)
    if before == "/" or text.startswith("/", num_end):
        return _read_slash(text, start, num_end, value)
    if numtxt.startswith("0") and len(numtxt) > 2 and _PHONE.match(text, num_end):
        return None, _PHONE.match(text, num_end).end()
    if start == 0 and _LIST_MARKER.match(text, num_end) and value < 100:
        return None, num_end + 1
    if cur:
        return _read_money(text, start, num_end, value, CURRENCY_PREFIXES[cur.strip()])
    return _classify_digits(text, start, num_end, value, numtxt)


def _read_slash(text: str, start: int, end: int, value: float) -> tuple[Figure | None, int]:
    """Betting odds ("4/9", "9/4") near the word odds; other slashed numbers are codes
    ("24/7", "9/11") or dates and are skipped."""
    m = _SLASH.match(text, end)
    if (m and text[start - 1:start] != "/" and int(m.group(1))
            and (_ODDS.search(text, max(0, start - 80), min(len(text), m.end() + 40))
                 or _AT_BEFORE.search(text, max(0, start - 4), start))):
        odds = round(value / int(m.group(1)), 3)
        return _finish(text, start, m.end(), odds, "other", "odds", unit="odds"), m.end()
    return None, _skip_glued(text, end + 1)


def _skip_glued(text: str, pos: int) -> int:
    while pos < len(text) and (text[pos].isalnum() or text[pos] in "-/"):
        pos += 1
    return pos


def _read_money(
    text: str, start: int, end: int, value: float, unit: str
) -> tuple[Figure | None, int]:
    scale, end = scale_after(text, end, money=True)
    value *= scale
    high = None
    rng = _range_after(text, start, end, value, money=True)
    if rng:
        high, end = rng
    return _finish(text, start, end, value, "money", "money", unit=unit, value_high=high), end


def _classify_digits(
    text: str, start: int, end: int, value: float, numtxt: str
) -> tuple[Figure | None, int]:
    """Decide the kind of a digits core that has no currency sign before it."""
    glued = re.match(r"[A-Za-z]+", text[end:end + 12])
    suffix = glued.group(0) if glued else ""
    integer = "." not in numtxt
    if suffix.lower() in ("st", "nd", "rd", "th"):
        return _ordinal(text, start, end + len(suffix), value, "ordinal-digits")
    if suffix == "s" and integer and (1000 < value < 2100 or value in _SHORT_DECADES):
        # "the 1990s"; "the 90s" is read as the 1990s, "the 00s" as the 2000s
        year = value if value > 1000 else (2000 if value == 0 else 1900 + value)
        return _finish(text, start, end + 1, year, "year", "decade", unit="decade"), end + 1
    t = _TIME_AFTER.match(text, end) or _CLOCK.match(text, end)
    if t:
        return _read_time(text, start, end, value, t)
    p = PERCENT_AFTER.match(text, end)
    if p:
        return _percent(text, start, p, value)
    if suffix.lower() == "m" and _is_metres(text, end + 1, value, numtxt):
        return _measure(text, start, end + 1, value, "m", "measure-metre")
    scale, scaled_end = scale_after(text, end, money=False)
    if scale != 1.0:
        return _after_scaled(text, start, scaled_end, value * scale)
    if glued and suffix.lower() not in ("km", "kg", "mph", "mw", "gw", "kw", "gb", "mb", "tb",
                                        "kbps", "mbps", "cm", "mm", "ft", "lb", "lbs", "p",
                                        "ghz", "mhz", "kph", "secs", "mins", "hrs", "s"):
        return None, _skip_glued(text, end)
    if integer and value <= 31:
        date = _date_day_first(text, start, end, value)
        if date:
            return date
    month = _MONTH_BEFORE.search(text, max(0, start - 12), start)
    if month and integer:
        return _date_month_first(text, month.start(1), start, end, value, month.group(1))
    if (_is_name_number(text, start, value, numtxt) and not unit_after(text, end)
            and not re.match(r"[-–]\d", text[end:end + 2])) or _ADDRESS.match(text, end):
        return None, _skip_glued(text, end)
    if integer and 1900 <= value <= 2099 and "," not in numtxt:
        return _year(text, start, end, value)
    if _ORDINAL_BEFORE.search(text, max(0, start - 8), start):
        return _ordinal(text, start, end, value, "ordinal-number")
    return _after_plain(text, start, end, value, numtxt)


def _is_metres(text: str, pos: int, value: float, numtxt: str) -> bool:
    """"100m" is a race distance, "100m people" a hundred million."""
    if "." in numtxt:
        return len(numtxt.split(".")[1]) == 2 and value < 100
    if "," in numtxt:
        return True  # "3,000m": a million-scale figure would be written "3bn"
    return value in _RACE_DISTANCES and bool(_RACE_NOUNS.match(text, pos))


def _after_plain(
    text: str, start: int, end: int, value: float, numtxt: str
) -> tuple[Figure | None, int]:
    """A plain number: age, duration, measure, money word, range or score, else a count."""
    if _AGE_BEFORE.search(text, max(0, start - 10), start):
        return _age(text, start, end, value)
    if (value.is_integer() and 5 <= value <= 110 and text.startswith(",", end)
            and _AGE_APPOSITION.search(text, max(0, start - 20), start)):
        return _finish(text, start, end, value, "age", "age-apposition", unit="year"), end
    if (value.is_integer() and 5 <= value <= 110 and _AGE_COPULA_END.match(text, end)
            and _AGE_COPULA.search(text, max(0, start - 20), start)):
        return _finish(text, start, end, value, "age", "age-copula", unit="year"), end
    return _after_scaled(text, start, end, value, numtxt)


def _after_scaled(
    text: str, start: int, end: int, value: float, numtxt: str = ""
) -> tuple[Figure | None, int]:
    unit = unit_after(text, end)
    if unit:
        group, name, uend = unit
        if group == "currency":
            if name and text[end:uend].strip().lower() in SUBUNIT_CURRENCY:
                value /= 100
            return _read_money_word(text, start, uend, value, name)
        if group == "age":
            return _age(text, start, uend, value)
        if group == "time":
            return _duration(text, start, uend, value, name)
        if group == "rate":
            return _finish(text, start, uend, value, "rate", "rate", unit=name), uend
        return _measure(text, start, uend, value, name, "measure")
    rng = _range_or_score(text, start, end, value, numtxt)
    if rng:
        return rng
    return _count(text, start, end, value, "count")


def _read_money_word(
    text: str, start: int, end: int, value: float, unit: str
) -> tuple[Figure | None, int]:
    return _finish(text, start, end, value, "money", "money-word", unit=unit), end


def _count(text: str, start: int, end: int, value: float, rule: str,
           hedge: str | None = None) -> tuple[Figure | None, int]:
    if _TIMES_AFTER.match(text, end):
        tend = _TIMES_AFTER.match(text, end).end()
        return _finish(text, start, tend, value, "other", "times", unit="times"), tend
    h = _HYPHEN_WORD.match(text, end)
    if h and h.group(1) in _HYPHEN_QUALIFIERS:
        # "a 5,000-strong crowd", "20-odd players": the counted thing follows the compound
        hedge = hedge or _HYPHEN_QUALIFIERS[h.group(1)]
        return _finish(text, start, h.end(), value, "count", rule + "-compound", hedge=hedge,
                       counted_from=h.end()), h.end()
    if h and not text.startswith("-and-", end):
        word = h.group(1)
        fig = _finish(text, start, h.end(), value, "count", rule + "-compound",
                      obj=singular(word), phrase=word, hedge=hedge)
        return fig, h.end()
    counted_from = end
    if _OF_AFTER.match(text, end) and rule in ("plural-scale", "count-words-scale"):
        counted_from = _OF_AFTER.match(text, end).end()
    elif _PARTITIVE.match(text, end):
        counted_from = _PARTITIVE.match(text, end).end()  # "nine of their 14 matches"
    return _finish(text, start, end, value, "count", rule, hedge=hedge,
                   counted_from=counted_from), end


def _percent(text: str, start: int, p: re.Match[str], value: float) -> tuple[Figure, int]:
    unit = "percentage point" if p.group(3) else "percent"
    end = p.end()
    high = None
    rng = _range_after(text, start, end, value, money=False)
    if rng:
        high, end = rng
    return _finish(text, start, end, value, "percent", "percent", unit=unit,
                   value_high=high), end


def _measure(text: str, start: int, end: int, value: float, unit: str,
             rule: str) -> tuple[Figure, int]:
    return _finish(text, start, end, value, "measure", rule, unit=unit), end


def _duration(text: str, start: int, end: int, value: float, unit: str) -> tuple[Figure, int]:
    if text.startswith(" old", end):
        return _age(text, start, end + 4, value)
    return _finish(text, start, end, value, "duration", "duration", unit=unit), end


def _age(text: str, start: int, end: int, value: float) -> tuple[Figure, int]:
    high = None
    rng = re.compile(r"\s+to\s+(\d+)(?:-years?-olds?)?").match(text, end)
    if rng:
        high, end = float(rng.group(1)), rng.end()
    return _finish(text, start, end, value, "age", "age", unit="year", value_high=high), end


def _year(text: str, start: int, end: int, value: float) -> tuple[Figure, int]:
    high = None
    m = re.compile(r"[-–/](\d{2}|\d{4})\b").match(text, end)
    if m:
        tail = int(m.group(1))
        high = float(tail if tail > 1000 else int(value) // 100 * 100 + tail)
        end = m.end()
    else:
        m = re.compile(r"\s+(?:to|and)\s+(\d{4})\b").match(text, end)
        if m and 1900 <= int(m.group(1)) <= 2099:
            high, end = float(m.group(1)), m.end()
    return _finish(text, start, end, value, "year", "year", value_high=high), end


def _read_time(text: str, start: int, end: int, value: float,
               t: re.Match[str]) -> tuple[Figure, int]:
    hours = value
    g = t.groups()
    if t.re is _CLOCK:
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
    return _finish(text, start, t.end(), hours, "time", "time"), t.end()


def _date_day_first(text: str, start: int, end: int, day: float) -> tuple[Figure, int] | None:
    m = _MONTH_AFTER.match(text, end)
    if not m:
        return None
    month = MONTHS[m.group(1).lower().rstrip(".")]
    year = int(m.group(2)) if m.group(2) else 0
    return _finish(text, start, m.end(), year * 10000 + month * 100 + day, "date",
                   "date-day-month"), m.end()


def _date_month_first(text: str, mstart: int, start: int, end: int, value: float,
                      month_word: str) -> tuple[Figure, int]:
    month = MONTHS[month_word.lower().rstrip(".")]
    if value > 31:
        return _finish(text, mstart, end, value * 10000 + month * 100, "date",
                       "date-month-year"), end
    year = 0
    y = _YEAR_AFTER.match(text, end)
    if y:
        year, end = int(y.group(1)), y.end()
    return _finish(text, mstart, end, year * 10000 + month * 100 + value, "date",
                   "date-month-day"), end


def _ordinal(text: str, start: int, end: int, value: float, rule: str) -> tuple[Figure, int]:
    high = None
    m = re.compile(r"\s+(?:and|to)\s+(?:the\s+)?(\d+)(?:st|nd|rd|th)\b").match(text, end)
    if m and _BETWEEN.search(text, max(0, start - 14), start):
        high, end = float(m.group(1)), m.end()
    return _finish(text, start, end, value, "ordinal", rule, value_high=high), end


def _second_number(text: str, pos: int) -> tuple[float, float, int] | None:
    """(value, scale, end) of the number that closes a range."""
    m = SECOND_NUMBER.match(text, pos)
    if not m:
        return None
    if m.group(1):
        value, end = digits_value(m.group(1)), m.end()
    else:
        w = words_value(m.group(2))
        if w is None:
            return None
        value, end = w, m.end()
    scale, end = scale_after(text, end, money=text[pos] in "$£€")
    return value, scale, end


def _range_after(text: str, start: int, end: int, value: float,
                 money: bool) -> tuple[float, int] | None:
    """"20 to 30", "20-30%" or "between £1m and £2m" after a number, not a change
    ("rose from 5% to 7%")."""
    between = _BETWEEN.search(text, max(0, start - 14), start)
    link = _DASH_NUMBER.match(text, end) or _TO_NUMBER.match(text, end)
    if not link:
        return None
    word = text[link.start():link.end()].strip()
    if word == "and" and not between:
        return None
    if word == "to" and _CHANGE_BEFORE.search(text, max(0, start - 30), start):
        return None
    second = _second_number(text, link.end())
    if not second:
        return None
    high, scale, hend = second
    if not money and _CURRENCY_START.match(text, link.end()):
        return None  # "6.4% to $42.09bn" moves from one unit to another
    unit_end = PERCENT_AFTER.match(text, hend)
    if unit_end:
        hend = unit_end.end()
    high *= scale
    if high <= value:
        return None
    return high, hend


def _range_or_score(text: str, start: int, end: int, value: float,
                    numtxt: str) -> tuple[Figure | None, int] | None:
    dash = re.compile(r"[-–](\d+)\b(?![.,]\d)").match(text, end)
    if dash and value.is_integer() and value < 200 and "," not in numtxt:
        other = float(dash.group(1))
        window = text[max(0, start - 40):start] + text[dash.end():dash.end() + 25]
        if other <= value or _SPORT.search(window):
            return _finish(text, start, dash.end(), value, "other", "score", unit="score",
                           value_high=other), dash.end()
    rng = _range_after(text, start, end, value, money=False)
    if not rng:
        return None
    high, hend = rng
    if high >= 1e3 and value < 1e3 and SECOND_NUMBER.match(text, end):
        # "1.5 to 2 million": the scale written once applies to both ends.
        scale = high / max(_second_number(text, _link_end(text, end))[0], 1)
        value *= max(1, scale)
    unit = unit_after(text, hend)
    if unit and unit[0] == "time":
        return _finish(text, start, unit[2], value, "duration", "range-duration",
                       unit=unit[1], value_high=high), unit[2]
    if unit and unit[0] == "age":
        return _finish(text, start, unit[2], value, "age", "range-age", unit="year",
                       value_high=high), unit[2]
    fig = _finish(text, start, hend, value, "count", "range", value_high=high,
                  counted_from=hend)
    return fig, hend


def _link_end(text: str, end: int) -> int:
    link = _DASH_NUMBER.match(text, end) or _TO_NUMBER.match(text, end)
    return link.end() if link else end


def _read_words(text: str, m: re.Match[str]) -> tuple[Figure | None, int]:
    start, end = m.start("words"), m.end("words")
    words = m.group("words")
    value = words_value(words)
    if value is None:
        # "three four": read the first word alone.
        first = re.match(r"[A-Za-z]+(?:-[A-Za-z]+)?", words)
        end = start + first.end()
        words = first.group(0)
        value = words_value(words)
        if value is None:
            return None, end
    low = words.lower()
    if words[0].isupper() and not _at_sentence_start(text, start):
        return None, end  # a capitalised number word mid-sentence is a name: "Three Gorges"
    if _ORDINAL_BEFORE.search(text, max(0, start - 8), start):
        return _ordinal(text, start, end, value, "ordinal-number")
    if low == "one" and _is_pronoun_one(text, start, end):
        return None, end
    p = PERCENT_AFTER.match(text, end)
    if p:
        return _percent(text, start, p, value)
    rule = "count-words-scale" if re.search(r"hundred|thousand|million|billion|dozen",
                                             low) and _OF_AFTER.match(text, end) else ""
    if rule:
        return _count(text, start, end, value, rule)
    return _after_plain(text, start, end, value, words)


def _is_pronoun_one(text: str, start: int, end: int) -> bool:
    """"one of the", "no one", "the one", "one another": not a figure."""
    if _PRONOUN_ONE.match(text, end):
        return True
    if text[max(0, start - 3):start].lower() == "no-":
        return True
    prev = (_prev_word(text, start) or "").lower()
    if prev in ("no", "the", "this", "that", "any", "every", "which", "each", "someone", "no-"):
        return True
    obj = object_after(text, end)[0]
    return obj is None and not unit_after(text, end)


def _read_plural(text: str, m: re.Match[str]) -> tuple[Figure | None, int]:
    start, end = m.start("plural"), m.end("plural")
    words = m.group("plural").lower().split()
    value = float(PLURAL_SCALES[words[0]])
    if len(words) > 1:
        value = PLURAL_SCALES[words[0]] / 2 * PLURAL_SCALES[words[-1]]
    money = _PLURAL_MONEY.match(text, end)
    if money:
        unit = CURRENCY_WORDS[money.group(1).lower()]
        return _finish(text, start, money.end(), value, "money", "plural-money", unit=unit,
                       hedge="at least"), money.end()
    hedge = hedge_before(text, start, "count") or "at least"
    return _count(text, start, end, value, "plural-scale", hedge=hedge)


def _read_fraction(text: str, m: re.Match[str]) -> tuple[Figure | None, int]:
    start, end = m.start("frac"), m.end("frac")
    phrase = m.group("frac").lower()
    key = re.split(r"[\s-]+", phrase)[-1]
    if key == "a" or key == "an":
        key = "half"
    if phrase.startswith("half"):
        prev = (_prev_word(text, start) or "").lower()
        if prev in ("first", "second", "the", "a", "and", "other"):
            return None, end
        if phrase != "half":
            unit = unit_after(text, end)
            if unit and unit[0] == "time":
                return _duration(text, start, unit[2], 0.5, unit[1])
        end = start + 4
    elif phrase.startswith("a ") and not re.match(r"\s*(?:of\b|[,.;)]|$)", text[end:end + 4]):
        # "a third Spider-Man film": another one, an ordinal.
        if key == "quarter":
            return None, end
        word_start = start + 2
        return _ordinal(text, word_start, end, 3.0, "ordinal-words")
    factor = {"one": 1, "two": 2, "three": 3, "a": 1}.get(re.split(r"[\s-]+", phrase)[0], 1)
    value = round(factor * FRACTIONS[key], 3)
    return _finish(text, start, end, value, "other", "fraction", unit="fraction"), end


def _read_ordinal_word(text: str, m: re.Match[str]) -> tuple[Figure | None, int]:
    start, end = m.start("ordw"), m.end("ordw")
    word = m.group("ordw")
    if text.startswith("-", end) or (word[0].isupper() and not _at_sentence_start(text, start)):
        return None, end  # "third-party", "Third Way"
    return _ordinal(text, start, end, float(ORDINAL_WORDS[word.lower()]), "ordinal-words")




_WORD_READERS = (
    (_FRAC, _read_fraction),
    (_PLURAL, _read_plural),
    (_WORDS, _read_words),
    (_ORDW, _read_ordinal_word),
)
