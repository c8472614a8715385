"""Figure extraction: every number a body paragraph states, with what it counts.

``extract_figures(text)`` scans one paragraph with a single precompiled pattern for number
cores (digits, number words, "hundreds of", fractions, ordinal words), then reads the short
context on either side of each core to decide its kind, unit, hedge, object and event. The
module is long because the rules for digits (codes, names, signs, fractions, scientific
notation, money) run in one order that must be read top to bottom; number words, ranges, times
and context have their own modules.

Conventions (the gold file in ``benchmarks/gold`` follows the same ones):

- ``value`` is the full number: "$1.13bn" is 1.13e9, "12 per cent" is 12, "a dozen" is 12.
  "hundreds of" is a lower bound, value 200 with hedge "at least" (likewise dozens, thousands,
  millions). Fractions ("half", "a third") are kind other, unit "fraction", value 0.5 / 0.333.
- Negative amounts keep their sign: "minus 5", "-18 °C", "($99.99)" (an amount alone in
  brackets, as accounts write a loss) are -5, -18, -99.99. A fraction with a unit is a measure
  ("2 1/2 in" is 2.5 inch, "½ cup" 0.5 cup); without one it is kind other, unit "fraction".
- Ranges ("20 to 30", "20-30", "between 20 and 30") are one figure with ``value_high``; a scale
  or unit written once applies to both ends ("between $19 and $22 million" is 19e6 to 22e6,
  "44 mg to 50 mg" and "8- to 16-metre" are measures).
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

import dataclasses
import re

from .base import ORDINAL_BEFORE, at_sentence_start, finish, measure, ordinal, prev_word
from .counts import after_plain, after_scaled, percent
from .lexicon import (
    ASCII_POUND,
    ARTICLE_UNITS,
    ARTICLE_UNITS_SIZED,
    CAPITAL_FUNCTION_WORDS,
    CURRENCY_PREFIXES,
    CURRENCY_SIGNS_AFTER,
    VULGAR_FRACTIONS,
    MONTHS,
    NAME_PREFIXES,
    ORDINAL_WORDS,
    PLURAL_SCALES,
    SCALE_WORDS,
    TENS_WORDS,
    UNIT_WORDS,
)
from .numbers import PERCENT_AFTER, digits_value, scale_after, trie_pattern, unit_after
from .ranges import range_after
from .times import (
    CLOCK,
    LAP_TIME,
    MONTH_BEFORE,
    TIME_AFTER,
    date_day_first,
    date_month_first,
    lap_time,
    read_time,
    year,
)
from .words import ARTICLE_UNIT_AHEAD, WORD_READERS
from ..model import Figure

__all__ = ["extract_figures"]

_ORDINALS = "|".join(ORDINAL_WORDS)
_SCALE_AHEAD = r"(?=\s+(?:third|quarter|hundred|thousand|million|billion|dozen)\b)"
# One scan finds every place a figure can start: digits (with a currency sign) or a word from
# the number vocabulary. The detailed word patterns below are then tried only at those places.
_GATE_WORDS = [
    *UNIT_WORDS,
    *TENS_WORDS,
    *SCALE_WORDS,
    "dozen",
    *PLURAL_SCALES,
    *ORDINAL_WORDS,
    "half",
]
# Every figure starts with a digit, a currency sign or one of these letters; checking that one
# character first lets the scan skip most positions cheaply.
_FIRST_CHARS = "".join(sorted({w[0] for w in _GATE_WORDS} | {"a", "q"}))
_VULGAR = "".join(VULGAR_FRACTIONS)
# Currency written before the digits, factored into a trie ("US$", "HK $", "EUR", "£").
_CURRENCY_BEFORE = trie_pattern(sorted(CURRENCY_PREFIXES, key=len, reverse=True))
_CURRENCY_CODES = {k.lower(): v for k, v in CURRENCY_PREFIXES.items()}
_GATE = re.compile(
    r"(?=[\d.$£€¥URCNHSEGJAIMP" + _VULGAR + _FIRST_CHARS + _FIRST_CHARS.upper() + r"])(?:"
    r"(?<![\w.^])(?:(?P<cur>" + _CURRENCY_BEFORE + r")\s?(?P<neg>[-−])?)?"
    r"(?P<num>\d{1,2}(?:,\d{2})+,\d{3}(?!\d)(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    r"|(?<![\d,])\.\d+)"
    r"|(?<![\w.])(?P<vulgar>[" + _VULGAR + r"])"
    r"|\b(?:[Aa]" + _SCALE_AHEAD + "|" + ARTICLE_UNIT_AHEAD + "|" + trie_pattern(_GATE_WORDS)
    + r")\b)"
)
# Every figure holds a digit, a currency sign or a vulgar fraction, or else one of these words
# ("a mile" holds "mile"). A paragraph with none of them returns at once: a character-class
# search and a set lookup of its words cost a fraction of the gate's scan.
_DIGITISH = re.compile(r"[\d$£€¥" + _VULGAR + r"]")
_LETTERS = re.compile(r"[a-z]+")
_NUMBER_VOCABULARY = frozenset(
    w.lower() for w in (*_GATE_WORDS, "quarter", *ARTICLE_UNITS, *ARTICLE_UNITS_SIZED)
)
# A minus sign or word before a number ("-5 yards", "minus 387", "minus-260"), not a hyphen
# inside a code ("Covid-19") nor a dash between words.
_MINUS_WORD = re.compile(r"(?<![Pp]lus or )\b[Mm]inus[\s-]$")  # "plus or minus 3": a tolerance
_SIGN_BEFORE = re.compile(r"(?:^|[\s(\[\"“'‘=:])[-−]$")
# A mixed number or a plain fraction: "2 1/2 in", "10 1/2 miles", "1/4 inch", "1⁄32 of".
_MIXED = re.compile(r"[\s-](\d{1,2})[/⁄](\d{1,3})\b(?![/⁄.]\d)")
_FRACTION_TAIL = re.compile(r"[/⁄](\d{1,3})\b(?![/⁄.]\d)(?=\s+(?:of\b|[a-z])|-[a-z])")
_SPACED_FRACTION = re.compile(r"\s[/⁄]\s(\d{1,3})\b(?![/⁄.]\d)")
_DENOMINATORS = {2, 3, 4, 5, 6, 8, 10, 12, 16, 32, 64, 100, 128}
# "($99.99)": an amount alone in brackets is negative in accounts, unless it converts the
# amount written just before it ("HK$216,925 (£21,700)").
_CONVERSION_BEFORE = re.compile(r"\d[^()]{0,24}$")
# ... and only where accounts would put it: after a verb of reporting or a word for the result
# ("revenue is ($99.99)"), not after a thing priced in brackets ("iron ingots ($5)").
_ACCOUNT_BEFORE = re.compile(
    r"(?:^|[:=]|\b(?:is|was|were|are|be|been|of|at|totals?|totall?ed|reported|posted|showed"
    r"|net|loss|losses|income|revenue|profit|earnings|balance|result))\s*$",
    re.IGNORECASE,
)
_SIGN_AFTER = re.compile(r"\s?([€£$¥])(?![\d\w])")
_YEAR_PREFIX = re.compile(r"\b(?:mid|pre|post|early|late|sub)-$", re.IGNORECASE)
_GLUED = re.compile(r"[A-Za-z]+")
_DASH_DIGIT = re.compile(r"[-–]\d")
_PHONE = re.compile(r"[\s-]\d{3,4}[\s-]\d{3,4}")
_LIST_MARKER = re.compile(r"[.)]\s")
_SPATIAL_AFTER = re.compile(
    r"(?:-|\s+)(?:below|above|beneath|under|underground|deep|high|tall|long|wide|away|down|up"
    r"|across|offshore|inland|in (?:length|height|depth|diameter))\b"
)
# "1.5m up on last year" is an amount that moved, not a height.
_MOVE_AFTER = re.compile(r"(?:-|\s+)(?:up|down|away)\b")
_RACE_NOUNS = re.compile(
    r"\s*(?:hurdles|race|final|freestyle|sprint|relay|record|title|breaststroke|backstroke|"
    r"butterfly|medley|run|indoor|outdoor|event|victory|win|winner|personal|gold|silver|bronze|heats?|world|champion\w*|"
    r"in|at|on|and|or|,|\.|$)",
    re.IGNORECASE,
)
_CONVERTED_LENGTH = re.compile(
    r"\s*\(\s*[\d,.]+\s?(?:ft|feet|foot|in|inches|yards|yd|miles?)\b", re.IGNORECASE
)
# "15m (49ft)" is read by _CONVERTED_LENGTH; "49ft (15m)" and "3m by 4m" are metres too.
_CONVERTED_BEFORE = re.compile(
    r"\d\s?(?:ft|feet|foot|in|inches|yards|yd|miles?)\s*\(\s*$", re.IGNORECASE
)
_METRE_SIDE = re.compile(r"\s?(?:[x×]|by)\s?\d+(?:\.\d+)?\s?m\b")
_METRE_SIDE_BEFORE = re.compile(r"\dm\s?(?:[x×]|by)\s?$")
_RACE_DISTANCES = {50, 60, 100, 110, 200, 400, 800, 1000, 1500, 3000, 5000, 10000}
_OLD_YEAR_BEFORE = re.compile(r"\b(?:in|since|until|till|from|before|after|during|circa|c\.)\s+$")
_ERA_BEFORE = re.compile(r"(?:\bAD|\bA\.D\.)\s+$")
_ERA_AFTER = re.compile(r"\s?(?:AD|BC|BCE|CE|A\.D\.|B\.C\.)(?!\w)")
# A street number, or a range of them ("16-18 Mill Avenue"), before a street name.
_ADDRESS = re.compile(
    r"(?:[-–]\d{1,4})?(?:\s+[A-Z][a-z]+){1,2}\s+(?:Street|Road|Avenue|Lane|Square|Place|Drive)\b"
)
_SHORT_DECADES = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90}
_SLASH = re.compile(r"/(\d{1,3})\b(?![/.]\d)")
_ODDS = re.compile(r"\bodds\b|\bfavourites?\b", re.IGNORECASE)
_AT_BEFORE = re.compile(r"\bat\s+$")
# Scientific notation: "1.5e6", "9.83e-3", "3 x 10^6", "8x2^10", "10^6", "10⁶".
# A lower-case e with a decimal mantissa or a signed exponent: "7E7" and "2e5" stay names/codes.
_EXPONENT = re.compile(r"e([+-]?\d{1,3})(?![\w.])")
_TIMES_POWER = re.compile(
    r"\s?[x×*·]\s?(\d{1,3})(?:(?:\^|\*\*)([+\-−]?\d{1,3})|(?<=10)([\-−]\d{1,3})|([⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))"
    r"(?![\w.])"
)
_POWER = re.compile(r"(?:\^|\*\*)([+\-−]?\d{1,3})(?![\w.])")
_SUPERSCRIPT = re.compile(r"([⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_SUPER_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻−", "0123456789+--")
# Thousands written with a space after the comma, as tokenised text has them: "80, 000".
_SPACED_THOUSANDS = re.compile(r"(?:, 000)+(?![\d,])")
# Other groups ("1, 118 tunes") only where the paragraph is tokenised throughout (a space
# before its punctuation, "it' s"), since "In 2019, 118 people" is two numbers in plain text.
_SPACED_GROUPS = re.compile(r"(?:, \d{3})+(?![\d,.])(?=\s+[a-z])")
_TOKENISED = re.compile(r"\w [,;:](?= )|\w['’] [a-z]\b")
# Dimensions: "2x4 inches", "12 by 14 feet", "a 10-by-12-foot rug": every side is a measure in
# the unit written after the last one.
_DIMENSION = re.compile(r"\s?(?:[x×]|-?by-?)\s?(?=\d)")
_DIMENSION_SIDE = re.compile(r"\d+(?:\.\d+)?")
# A number closing a list item without an opening bracket: "1 ) explains ..., 2 ) ...".
_CLOSE_BRACKET = re.compile(r"\s?\)")
_TIMES_AFTER = re.compile(r"\s+times\b")
# An account or reference number: "1111-22223333-4444" (ten digits or more in three groups).
_REFERENCE = re.compile(r"-(\d+)-(\d+)\b")
# An area or volume written with a digit ("24703m2", "5km2", "3cm3") is a unit, not a code.
_SQUARE_GLUED = re.compile(r"(?:[kcmd]?m|ft|in|mi|yd)[23](?!\w)")
# A tolerance after a measurement is part of it: "9.83e-3 +/- 1e-5", "20 ± 2".
_TOLERANCE = re.compile(r"\s*(?:\+/-|\+-|±)\s*\d[\d.,]*(?:[eE][+-]?\d+)?")
# A metric length written nearby makes "1m" a metre: "1m is equal to 10 dm".
_METRIC_NEAR = re.compile(r"\d\s?(?:km|cm|mm|dm)\b")


def extract_figures(text: str) -> list[Figure]:
    """Every figure stated in one body paragraph, in text order.

    >>> [(f.surface, f.value, f.object) for f in extract_figures("Some 140 soldiers fled.")]
    [('140', 140.0, 'soldier')]
    """
    figures: list[Figure] = []
    if not _DIGITISH.search(text) and _NUMBER_VOCABULARY.isdisjoint(
        _LETTERS.findall(text.lower())
    ):
        return figures
    pos = 0
    while True:
        m = _GATE.search(text, pos)
        if not m:
            return _ratios(text, figures) if len(figures) > 1 else figures
        fig, resume = _read(text, m)
        if fig is not None and fig.rule in ("measure-dimension", "count-dimension"):
            figures.append(fig)
            # The next side is read as a plain number: "-by-12-foot" is no code.
            side = _DIMENSION_SIDE.match(text, resume)
            numtxt = side.group(0)
            fig, resume = _classify_digits(text, side.start(), side.end(), float(numtxt), numtxt)
        if fig is not None:
            figures.append(fig)
            tolerance = _TOLERANCE.match(text, fig.end)
            if tolerance:
                resume = max(resume, tolerance.end())
        pos = max(resume, m.end())


def _ratios(text: str, figures: list[Figure]) -> list[Figure]:
    """Join a chance or share written "4 in 10" ("one in five voters") into one figure: kind
    other, unit ratio, the second number in ``value_high``, as a score keeps its second side."""
    out: list[Figure] = []
    for f in figures:
        prev = out[-1] if out else None
        if (
            prev is not None
            and f.kind == prev.kind == "count"
            and prev.value_high is None
            and f.value_high is None
            and text[prev.end : f.start] == " in "
            and prev.value.is_integer()
            and f.value.is_integer()
            and 0 < prev.value < f.value <= 1000
        ):
            out[-1] = finish(
                text, prev.start, f.end, prev.value, "other", "ratio", unit="ratio",
                value_high=f.value, hedge=prev.hedge,
            )
            continue
        out.append(f)
    return out


def _read(text: str, gate: re.Match[str]) -> tuple[Figure | None, int]:
    if gate.group("num") is not None:
        fig, end = _read_digits(text, gate)
        return _signed(text, gate, fig), end
    if gate.group("vulgar") is not None:
        value = VULGAR_FRACTIONS[gate.group("vulgar")]
        return _fraction(text, gate.start(), gate.end(), value)
    start = gate.start()
    for pattern, reader in WORD_READERS:
        m = pattern.match(text, start)
        if m:
            return reader(text, m)
    return None, gate.end()


def _signed(text: str, gate: re.Match[str], fig: Figure | None) -> Figure | None:
    """Apply a minus written before the number (or between a currency sign and it), or the
    brackets of an amount in accounts."""
    if fig is None or fig.start != gate.start():
        return fig
    start = fig.start
    negative = gate.group("neg") is not None
    if not negative and gate.group("cur") is None:
        word = _MINUS_WORD.search(text, max(0, start - 6), start)
        sign = _SIGN_BEFORE.search(text, max(0, start - 2), start)
        if word:
            negative, start = True, word.start()
        elif sign and not _name_before(text, start - 1):
            negative, start = True, start - 1
    elif (
        not negative
        and text[start - 1 : start] == "("
        and text.startswith(")", fig.end)
        and not _CONVERSION_BEFORE.search(text, max(0, start - 26), start - 1)
        and _ACCOUNT_BEFORE.search(text, max(0, start - 16), start - 1)
    ):
        negative, start = True, start - 1
        fig = dataclasses.replace(fig, end=fig.end + 1)
    if not negative or fig.kind not in ("count", "money", "measure", "percent", "other", "rate"):
        return fig
    high = fig.value_high
    if high is not None and fig.kind != "other":
        high = -high if high > 0 and fig.value > 0 else high
    return dataclasses.replace(
        fig, value=-fig.value, value_high=high, start=start, surface=text[start : fig.end]
    )


def _name_before(text: str, start: int) -> bool:
    """A capitalised word (not opening the sentence) just before ``start``: "COVID -19"."""
    prev = prev_word(text, start)
    return bool(
        prev
        and prev[0].isupper()
        and prev.lower() not in CAPITAL_FUNCTION_WORDS
        and not at_sentence_start(text, start - len(prev) - 1)
    )


def _fraction(text: str, start: int, end: int, value: float) -> tuple[Figure | None, int]:
    """A fraction as a number: with a unit after it a measure ("1/4 inch", "½ tbsp"), else a
    fraction (kind other, unit fraction), as "a third" is."""
    unit = unit_after(text, end)
    if unit:
        return after_scaled(text, start, end, round(value, 4))
    return finish(text, start, end, round(value, 4), "other", "fraction", unit="fraction"), end


def _is_name_number(text: str, start: int, value: float, numtxt: str) -> bool:
    """Digits that belong to a name: "Radio 4", "Windows 2000", "Chapter 11", "BBC2"."""
    prev = prev_word(text, start)
    if prev is None:
        return False
    low = prev.lower()
    if low in NAME_PREFIXES and not (low == "no" and prev[0] == "N"):
        return True
    if prev[0].islower() and any(c.isupper() for c in prev[1:]) and "," not in numtxt:
        return True  # a product name in camel case: "iPhone 11", "eReader 3"
    if not prev[0].isupper() or low in CAPITAL_FUNCTION_WORDS or low.rstrip(".") in MONTHS:
        return False
    if prev.endswith(("'s", "’s", "'", "’")) or "," in numtxt:
        return False  # "Labour's 2005 manifesto", "the Clintons' 2014 tax rate"
    # A capitalised word starting a sentence ("Shares 5% higher") is not a name prefix.
    return not at_sentence_start(text, start - len(prev) - 1)


def _read_digits(text: str, m: re.Match[str]) -> tuple[Figure | None, int]:
    start, num_end = m.start(), m.end("num")
    numtxt = m.group("num")
    value = digits_value(numtxt)
    cur = m.group("cur")
    if (
        start >= 2
        and text[start - 1] == ","
        and text[start - 2].isdigit()
        and len(numtxt) == 3
        and numtxt.isdigit()
    ):
        return None, num_end  # the tail of a number whose head was not read: "12,34,567"
    if numtxt.startswith("."):
        numtxt = "0" + numtxt  # ".534", ".001 per cent"
    if text[num_end : num_end + 1] in VULGAR_FRACTIONS:
        value += VULGAR_FRACTIONS[text[num_end]]  # "2½ miles"
        num_end += 1
        numtxt = str(value)
    before = text[start - 1] if start else ""
    if before == "+" and start >= 2 and text[start - 2].isalnum():
        return None, _skip_glued(text, num_end)  # a catalogue code: "J1149.5+6663"
    ref = _REFERENCE.match(text, num_end)
    if ref and "." not in numtxt and len(numtxt + ref.group(1) + ref.group(2)) >= 10:
        return None, ref.end()
    if not cur and "," not in numtxt and "." not in numtxt:
        spaced = _SPACED_THOUSANDS.match(text, num_end)
        if not spaced and len(numtxt) <= 3 and text.startswith(", ", num_end):
            spaced = _SPACED_GROUPS.match(text, num_end)
            spaced = spaced if spaced and _TOKENISED.search(text) else None
        if spaced and len(numtxt) <= 3:
            num_end = spaced.end()
            value = digits_value(text[start:num_end].replace(" ", ""))
            numtxt = text[start:num_end].replace(" ", "")
    if (
        not cur
        and "." not in numtxt
        and value < 100
        and _CLOSE_BRACKET.match(text, num_end)
        and text.count("(", 0, start) <= text.count(")", 0, start)
    ):
        return None, _CLOSE_BRACKET.match(text, num_end).end()  # a list marker: "2 ) cautions"
    # Codes and names: "Covid-19", "F-16", "24/7", "MP3" (letters before are excluded by the
    # pattern), glued letters after ("3G", "4x4"); a minus sign is read by ``_signed``.
    if (
        before in "-−"
        and before
        and not cur
        and not _YEAR_PREFIX.search(text, max(0, start - 6), start)
        and not _MINUS_WORD.search(text, max(0, start - 6), start)
        and not (
            _SIGN_BEFORE.search(text, max(0, start - 2), start)
            and not _name_before(text, start - 1)
        )
    ):
        return None, _skip_glued(text, num_end)
    sci = _scientific(text, num_end, value, numtxt)
    if sci and before != "/" and not cur:
        value, num_end = sci
        return after_plain(text, start, num_end, value, "")
    if (
        before == "("
        and text.startswith(")", num_end)
        and not cur
        and value < 100
        and "." not in numtxt
        and _name_before(text, start - 1)
    ):
        return None, num_end + 1  # a shirt number after a name: "Dak Mowbray (4)"
    mixed = _MIXED.match(text, num_end)
    if mixed and "." not in numtxt and "," not in numtxt and not cur:
        num, den = int(mixed.group(1)), int(mixed.group(2))
        if 0 < num < den and den in _DENOMINATORS:
            return _fraction(text, start, mixed.end(), value + num / den)
    if not cur and text.startswith(("/", "⁄"), num_end):
        tail = _FRACTION_TAIL.match(text, num_end)
        if tail and before not in ("/", "⁄") and 0 < value < int(tail.group(1)) and "." not in numtxt:
            if int(tail.group(1)) in _DENOMINATORS or text.startswith(" of ", tail.end()):
                return _fraction(text, start, tail.end(), value / int(tail.group(1)))
    spaced = _SPACED_FRACTION.match(text, num_end) if not cur and "." not in numtxt else None
    if spaced and 0 < value < int(spaced.group(1)) and int(spaced.group(1)) in _DENOMINATORS:
        found = unit_after(text, spaced.end())
        if found and found[0] == "measure":  # tokenised text: "a 1 / 2 mile walk"
            return _fraction(text, start, spaced.end(), value / int(spaced.group(1)))
    # An argument in code quoted by a report: "alert(1)", "f(2, 3)".
    if before == "(" and start >= 2 and (text[start - 2].isalnum() or text[start - 2] == "_"):
        return None, num_end
    per_unit = text.startswith("/", num_end) and text[num_end + 1 : num_end + 2].isalpha()
    if before == "/" or (text.startswith("/", num_end) and not per_unit):
        return _read_slash(text, start, num_end, value)
    if numtxt.startswith("0") and len(numtxt) > 2 and _PHONE.match(text, num_end):
        return None, _PHONE.match(text, num_end).end()
    if start == 0 and _LIST_MARKER.match(text, num_end) and value < 100:
        return None, num_end + 1
    if cur and cur.strip() == ASCII_POUND and "," not in numtxt and "." not in numtxt and (
        scale_after(text, num_end, money=True)[0] == 1.0
    ):
        return None, _skip_glued(text, num_end)  # "PS4": a name, not an amount in pounds
    if cur:
        return _read_money(text, start, num_end, value, _CURRENCY_CODES[cur.strip().lower()])
    sign = _SIGN_AFTER.match(text, num_end)
    if sign and not _GLUED.match(text, num_end):
        # "15€", "-15 €": the currency sign written after the amount
        return finish(
            text, start, sign.end(), value, "money", "money", unit=CURRENCY_SIGNS_AFTER[sign.group(1)]
        ), sign.end()
    return _classify_digits(text, start, num_end, value, numtxt)


def _scientific(text: str, pos: int, value: float, numtxt: str) -> tuple[float, int] | None:
    """(value, end) of a number in scientific notation continuing at ``pos``, else None."""
    m = _EXPONENT.match(text, pos)
    if m and ("." in numtxt or m.group(1)[0] in "+-"):
        return value * 10.0 ** int(m.group(1)), m.end()
    m = _TIMES_POWER.match(text, pos)
    if m:
        power = (m.group(2) or m.group(3) or m.group(4)).translate(_SUPER_DIGITS)
        return value * float(m.group(1)) ** int(power.replace("−", "-")), m.end()
    m = _POWER.match(text, pos)
    if m and value in (2, 10):
        return value ** int(m.group(1).replace("−", "-")), m.end()
    m = _SUPERSCRIPT.match(text, pos)
    if m and value == 10:
        return 10.0 ** int(m.group(1).translate(_SUPER_DIGITS)), m.end()
    return None


def _read_slash(text: str, start: int, end: int, value: float) -> tuple[Figure | None, int]:
    """Betting odds ("4/9", "9/4") near the word odds; other slashed numbers are codes
    ("24/7", "9/11") or dates and are skipped."""
    m = _SLASH.match(text, end)
    if (
        m
        and text[start - 1 : start] != "/"
        and int(m.group(1))
        and (
            _ODDS.search(text, max(0, start - 80), min(len(text), m.end() + 40))
            or _AT_BEFORE.search(text, max(0, start - 4), start)
        )
    ):
        odds = round(value / int(m.group(1)), 3)
        return finish(text, start, m.end(), odds, "other", "odds", unit="odds"), m.end()
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
    rng = range_after(text, start, end, value, money=True, scaled=scale != 1.0)
    if rng:
        value, high, end = rng
    return finish(text, start, end, value, "money", "money", unit=unit, value_high=high), end


def _classify_digits(
    text: str, start: int, end: int, value: float, numtxt: str
) -> tuple[Figure | None, int]:
    """Decide the kind of a digits core that has no currency sign before it."""
    glued = _GLUED.match(text, end)
    suffix = glued.group(0) if glued else ""
    integer = "." not in numtxt
    if suffix.lower() in ("st", "nd", "rd", "th"):
        return ordinal(text, start, end + len(suffix), value, "ordinal-digits")
    if suffix == "s" and integer and (1000 < value < 2100 or value in _SHORT_DECADES):
        # "the 1990s"; "the 90s" is read as the 1990s, "the 00s" as the 2000s
        first_year = value if value > 1000 else (2000 if value == 0 else 1900 + value)
        return finish(text, start, end + 1, first_year, "year", "decade", unit="decade"), end + 1
    lap = LAP_TIME.match(text, end)
    if lap and integer:
        return lap_time(text, start, value, lap)
    t = TIME_AFTER.match(text, end) or CLOCK.match(text, end)
    # "1400 hours" is a clock time; "19 hours" is a span of time.
    if t and t.lastindex == 2 and t.group(2).lower() == "hours" and len(numtxt) != 4:
        t = None
    if t:
        return read_time(text, start, end, value, t)
    p = PERCENT_AFTER.match(text, end)
    if p:
        return percent(text, start, p, value)
    dim = _DIMENSION.match(text, end)
    if dim:
        side = _DIMENSION_SIDE.match(text, dim.end())
        last = side.end()
        while more := _DIMENSION.match(text, last):
            last = _DIMENSION_SIDE.match(text, more.end()).end()
        unit = unit_after(text, last)
        if unit and unit[0] == "measure":
            fig, _ = measure(text, start, end, value, unit[1], "measure-dimension")
            return fig, dim.end()
        if "-by-" in dim.group(0) and integer and "." not in side.group(0):
            # "a 4-by-8 sheet": two sides without a unit, each its own number
            fig, _ = after_plain(text, start, end, value, numtxt)
            if fig is not None:
                fig = dataclasses.replace(
                    fig, surface=text[start:end], end=end, rule="count-dimension", object=None, object_phrase=None
                )
            return fig, dim.end()
    if glued and text[glued.end() : glued.end() + 1].isdigit() and not _SQUARE_GLUED.match(text, end):
        return None, _skip_glued(text, end)  # a code: "24703m212", "A4B6"
    if suffix.lower() == "m" and _is_metres(text, end + 1, value, numtxt):
        return measure(text, start, end + 1, value, "m", "measure-metre")
    scale, scaled_end = scale_after(text, end, money=False)
    if scale != 1.0:
        return after_scaled(text, start, scaled_end, value * scale)
    if glued and not unit_after(text, end) and suffix.lower() not in (
        "km",
        "kg",
        "mph",
        "mw",
        "gw",
        "kw",
        "gb",
        "mb",
        "tb",
        "kbps",
        "mbps",
        "cm",
        "mm",
        "ft",
        "lb",
        "lbs",
        "p",
        "ghz",
        "mhz",
        "kph",
        "secs",
        "mins",
        "hrs",
        "s",
    ):
        return None, _skip_glued(text, end)
    if integer and value <= 31:
        date = date_day_first(text, start, end, value)
        if date:
            return date
    month = MONTH_BEFORE.search(text, max(0, start - 12), start)
    if month and integer:
        return date_month_first(text, month.start(1), start, end, value, month.group(1))
    if (
        _is_name_number(text, start, value, numtxt)
        and not unit_after(text, end)
        and not _TIMES_AFTER.match(text, end)
        and not _ERA_BEFORE.search(text, max(0, start - 6), start)
        and not _DASH_DIGIT.match(text, end)
    ) or _ADDRESS.match(text, end):
        address = _ADDRESS.match(text, end)
        return None, address.end() if address else _skip_glued(text, end)
    if integer and 1900 <= value <= 2099 and "," not in numtxt:
        return year(text, start, end, value)
    if (
        integer
        and 1000 <= value < 1900
        and len(numtxt) == 4
        and (_OLD_YEAR_BEFORE.search(text, max(0, start - 8), start) or _ERA_AFTER.match(text, end))
    ) or (integer and 0 < value < 1900 and _ERA_BEFORE.search(text, max(0, start - 6), start)):
        return year(text, start, end, value)  # "used by Lincoln in 1861", "1066 AD"
    if ORDINAL_BEFORE.search(text, max(0, start - 8), start):
        if _DASH_DIGIT.match(text, end):
            return None, _skip_glued(text, end)  # a case number: "No. 10-277"
        return ordinal(text, start, end, value, "ordinal-number")
    return after_plain(text, start, end, value, numtxt)


def _is_metres(text: str, pos: int, value: float, numtxt: str) -> bool:
    """Whether "100m" is a race distance (metres) rather than "100m people" (a hundred million)."""
    if _SPATIAL_AFTER.match(text, pos) and not ("." in numtxt and _MOVE_AFTER.match(text, pos)):
        return True  # "900m below the surface", "a 40m-high wall", "1.8m tall"
    if "." in numtxt:
        return len(numtxt.split(".")[1]) == 2 and value < 100
    if "," in numtxt:
        return True  # "3,000m": a million-scale figure would be written "3bn"
    if _CONVERTED_LENGTH.match(text, pos):
        return True  # "37m (121ft)": converted to feet, so metres
    start = pos - 1 - len(numtxt)
    if _CONVERTED_BEFORE.search(text, max(0, start - 20), start):
        return True  # "49ft (15m)": a conversion of a length, so metres
    if _METRE_SIDE.match(text, pos) or _METRE_SIDE_BEFORE.search(text, max(0, start - 12), start):
        return True  # "3m by 4m", "2m x 5m": the sides of a room
    if _METRIC_NEAR.search(text, max(0, pos - 60), pos + 60):
        return True  # "1m is equal to 10 dm": other metric lengths nearby
    return value in _RACE_DISTANCES and bool(_RACE_NOUNS.match(text, pos))
