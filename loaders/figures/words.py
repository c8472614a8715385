"""Numbers written in words: "twenty-five", "hundreds of", "half", "a third", "sixth"."""

from __future__ import annotations

import re

from .base import ORDINAL_BEFORE, at_sentence_start, finish, ordinal, prev_word
from .context import hedge_before, object_after
from .counts import OF_AFTER, after_plain, count, percent
from .lexicon import (
    ARTICLE_SIZE_AFTER,
    ARTICLE_UNITS,
    ARTICLE_UNITS_SIZED,
    CURRENCY_WORDS,
    FRACTIONS,
    ORDINAL_WORDS,
    PLURAL_SCALES,
)
from .numbers import NUMBER_WORD, PERCENT_AFTER, trie_pattern, unit_after, words_value
from .times import duration
from ..model import Figure

_ORDINALS = "|".join(ORDINAL_WORDS)

_FRAC = re.compile(
    r"(?i:(?P<frac>half(?!\s+an?\s+(?:hundred|thousand|million|billion|dozen)\b)(?:\s+an?)?"
    r"(?=\s+(?:of|the|a|an|its|their|his|her|our|my|your|all)\b)"
    r"|(?:a\s+third|a\s+quarter|one(?:\s?-\s?|\s)third|two(?:\s?-\s?|\s)thirds"
    r"|one(?:\s?-\s?|\s)quarter|three(?:\s?-\s?|\s)quarters)"
    r"(?!\s+(?:of\s+an?\s+)?(?:hundred|thousand|million|billion)\b))\b)"
)
_PLURAL = re.compile(
    r"(?i:(?P<plural>(?:tens|hundreds)\s+of\s+(?:thousands|millions)|dozens|scores|hundreds"
    r"|thousands|millions|billions)\b(?=\s+of\b))"
)
_WORDS = re.compile(
    r"(?i:(?P<words>(?:(?:a|half(?:\s+an?)?|(?:a|one|three)[\s-]+quarters?(?:\s+of\s+an?)?)\s+"
    r"(?=(?:hundred|thousand|million|billion|dozen)\b))?"
    + NUMBER_WORD
    + r"(?:[\s-]+(?:and[\s-]+)?"
    + NUMBER_WORD
    + r")*(?:[\s-]+and[\s-]+a[\s-]+half)?)\b)"
)
_ORDW = re.compile(r"(?i:(?P<ordw>" + _ORDINALS + r")\b)")
_PRONOUN_ONE = re.compile(r"\s*(?:of\b|another\b|-off|-time|-on-one|-sided|-way|\s*or\s+two\b)")
_PLURAL_MONEY = re.compile(r"\s+of\s+(dollars|pounds|euros|yen|rupees)\b", re.IGNORECASE)
_FIRST_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)?")
_SCALE_WORD = re.compile(r"hundred|thousand|million|billion|dozen")
_SEPARATORS = re.compile(r"[\s-]+")
_FRACTION_END = re.compile(r"\s*(?:of\b|[,.;)]|$)")
# "two fifths", "three tenths": a number word counting parts is a fraction ("two quarters" and
# "two halves" are more often periods of a year or of a match, so they are left as counts).
_PARTS_AFTER = re.compile(
    r"[\s-](thirds|fifths|sixths|sevenths|eighths|ninths|tenths)\b"
    r"(?!\s+(?:of\s+an?\s+)?(?:hundred|thousand|million|billion)\b)",
    re.IGNORECASE,
)
_HALVES_AFTER = re.compile(r"[\s-]halves\b", re.IGNORECASE)
_PARTS = {"thirds": 3, "fifths": 5, "sixths": 6, "sevenths": 7,
          "eighths": 8, "ninths": 9, "tenths": 10}
# "one fourth of", "a fifth of the vote": one part of a whole, before "of".
_PART_AFTER = re.compile(
    r"[\s-](fourth|fifth|sixth|seventh|eighth|ninth|tenth|hundredth)\b(?=\s+of\b)", re.IGNORECASE
)
_PART = {"fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
         "hundredth": 100}
_A_BEFORE = re.compile(r"\b[Aa]\s+$")
_OF_AFTER = re.compile(r"\s+of\b")
_ABSOLUTE = re.compile(r"\babsolute\s+$", re.IGNORECASE)

# "a mile away", "an acre", "a quarter mile", "half mile", "a half turn", "a mile and a half".
_UNIT_NAMES = trie_pattern(sorted(ARTICLE_UNITS | ARTICLE_UNITS_SIZED, key=len, reverse=True))
ARTICLE_UNIT_AHEAD = (
    r"(?:[Aa]n?\s+(?:(?:half|quarter)[\s-]+)?|(?:[Hh]alf|[Qq]uarter)[\s-]+)"
    r"(?=(?:" + _UNIT_NAMES + r"|turn)\b)"
)
_ARTICLE_UNIT = re.compile(
    r"(?:(?P<art>[Aa]n?)\s+(?P<p1>(?i:half|quarter)[\s-]+)?|(?P<p2>(?i:half|quarter))[\s-]+)"
    r"(?=(?:" + _UNIT_NAMES + r"|turn)\b)"
)
_AND_A_HALF = re.compile(r"\s+and\s+a\s+half\b")
# "$3 a gallon", "40p a litre", "ten dollars a gallon": after an amount, "a" means "per".
_AMOUNT_BEFORE = re.compile(
    r"(?:\d[\d,.]*\S*(?:\s+[A-Za-z]+)?|\b(?i:" + NUMBER_WORD + r")\s+[A-Za-z]+)\s+$"
)
# "a third of a mile", "two-thirds of a mile": the article belongs to the fraction's unit.
_PART_OF_BEFORE = re.compile(
    r"(?:\b(?i:half|thirds?|quarters?|fifths?|tenths?)|\d)\s+of\s+$"
)

def read_words(text: str, m: re.Match[str]) -> tuple[Figure | None, int]:
    """A number written in words; capitalised mid-sentence it is part of a name ("Three Gorges")."""
    start, end = m.start("words"), m.end("words")
    words = m.group("words")
    value = words_value(words)
    if value is None:
        # "three four": read the first word alone.
        first = _FIRST_WORD.match(words)
        end = start + first.end()
        words = first.group(0)
        value = words_value(words)
        if value is None:
            return None, end
    low = words.lower()
    if words[0].isupper() and not at_sentence_start(text, start):
        return None, end  # a capitalised number word mid-sentence is a name: "Three Gorges"
    if ORDINAL_BEFORE.search(text, max(0, start - 8), start):
        return ordinal(text, start, end, value, "ordinal-number")
    if low == "one" and _is_pronoun_one(text, start, end):
        return None, end
    if low == "zero":
        absolute = _ABSOLUTE.search(text, max(0, start - 10), start)
        if absolute:  # "absolute zero": 0 K, the one temperature named by a word
            return finish(text, absolute.start(), end, 0.0, "measure", "absolute-zero", unit="K"), end
        if text.startswith("-", end):
            return None, end  # "zero-sum", "zero-hours contracts": a compound, not a figure
    part = _PART_AFTER.match(text, end) if low == "one" else None
    if part:
        value = round(1 / _PART[part.group(1).lower()], 4)
        return finish(text, start, part.end(), value, "other", "fraction", unit="fraction"), part.end()
    halves = _HALVES_AFTER.match(text, end)
    if halves and value >= 3 and " " not in low.strip():
        # "three halves": more halves than a whole has, so parts of a number, not of a match
        return finish(text, start, halves.end(), value / 2, "other", "fraction",
                      unit="fraction"), halves.end()
    parts = _PARTS_AFTER.match(text, end)
    if parts and value and " " not in low.strip():
        value = round(value / _PARTS[parts.group(1).lower()], 4)
        return finish(text, start, parts.end(), value, "other", "fraction", unit="fraction"), parts.end()
    p = PERCENT_AFTER.match(text, end)
    if p:
        return percent(text, start, p, value)
    rule = "count-words-scale" if _SCALE_WORD.search(low) and OF_AFTER.match(text, end) else ""
    if rule:
        return count(text, start, end, value, rule)
    return after_plain(text, start, end, value, words)


def read_article_unit(text: str, m: re.Match[str]) -> tuple[Figure | None, int]:
    """One of a unit of measure, or a half or quarter of one: "a mile away" is 1 mile,
    "a quarter mile" 0.25, "a half turn" 0.5, "a mile and a half" 1.5."""
    start, word_at = m.start(), m.end()
    part = (m.group("p1") or m.group("p2") or "").rstrip(" -\t\n").lower()
    name_end = word_at
    while name_end < len(text) and text[name_end].isalpha():
        name_end += 1
    word = text[word_at:name_end].lower()
    if word == "turn":
        if not part:
            return None, name_end
        unit = "turn"
    else:
        found = unit_after(text, word_at - 1)
        if found is None or found[0] != "measure" or found[2] != name_end:
            return None, name_end
        unit = found[1]
    if (
        word in ARTICLE_UNITS_SIZED
        and not part
        and not ARTICLE_SIZE_AFTER.match(text, name_end)
        and not _AND_A_HALF.match(text, name_end)
    ):
        return None, name_end
    if m.group("art") and _AMOUNT_BEFORE.search(text, max(0, start - 30), start):
        return None, name_end  # "$3 a gallon": a price per unit
    if _PART_OF_BEFORE.search(text, max(0, start - 16), start):
        return None, name_end
    if not m.group("art") and (prev_word(text, start) or "").lower() in ("the", "a", "an"):
        return None, name_end
    value = {"half": 0.5, "quarter": 0.25}.get(part, 1.0)
    end = name_end
    tail = _AND_A_HALF.match(text, end)
    if tail and not part:
        value, end = 1.5, tail.end()
    return finish(text, start, end, value, "measure", "measure-article", unit=unit), end


def _is_pronoun_one(text: str, start: int, end: int) -> bool:
    """Pronoun uses of one ("one of the", "no one", "the one", "one another") are not figures."""
    if _PRONOUN_ONE.match(text, end):
        return True
    if text[max(0, start - 3) : start].lower() == "no-":
        return True
    unit = unit_after(text, end)
    if unit and unit[0] in ("measure", "rate"):
        return False  # "that one mile": a unit of measure follows, so one is a number
    prev = (prev_word(text, start) or "").lower()
    if prev in ("no", "the", "this", "that", "any", "every", "which", "each", "someone", "no-"):
        return True
    obj = object_after(text, end)[0]
    return obj is None and not unit


def read_plural(text: str, m: re.Match[str]) -> tuple[Figure | None, int]:
    """Plural scales: "hundreds of", "tens of thousands of": a lower bound (hedge "at least")."""
    start, end = m.start("plural"), m.end("plural")
    words = m.group("plural").lower().split()
    value = float(PLURAL_SCALES[words[0]])
    if len(words) > 1:
        value = PLURAL_SCALES[words[0]] / 2 * PLURAL_SCALES[words[-1]]
    money = _PLURAL_MONEY.match(text, end)
    if money:
        unit = CURRENCY_WORDS[money.group(1).lower()]
        return finish(
            text, start, money.end(), value, "money", "plural-money", unit=unit, hedge="at least"
        ), money.end()
    hedge = hedge_before(text, start, "count") or "at least"
    return count(text, start, end, value, "plural-scale", hedge=hedge)


def read_fraction(text: str, m: re.Match[str]) -> tuple[Figure | None, int]:
    """Fractions: "half of", "a third of", "two-thirds"; "a third sequel" is an ordinal instead."""
    start, end = m.start("frac"), m.end("frac")
    phrase = m.group("frac").lower()
    key = _SEPARATORS.split(phrase)[-1]
    if key == "a" or key == "an":
        key = "half"
    if phrase.startswith("half"):
        prev = (prev_word(text, start) or "").lower()
        if prev in ("first", "second", "the", "a", "and", "other"):
            return None, end
        if phrase != "half":
            unit = unit_after(text, end)
            if unit and unit[0] == "time":
                return duration(text, start, unit[2], 0.5, unit[1])
        end = start + 4
    elif phrase.startswith("a ") and not _FRACTION_END.match(text, end):
        # "a third Spider-Man film": another one, an ordinal.
        if key == "quarter":
            return None, end
        word_start = start + 2
        return ordinal(text, word_start, end, 3.0, "ordinal-words")
    factor = {"one": 1, "two": 2, "three": 3, "a": 1}.get(_SEPARATORS.split(phrase)[0], 1)
    value = round(factor * FRACTIONS[key], 3)
    return finish(text, start, end, value, "other", "fraction", unit="fraction"), end


def read_ordinal_word(text: str, m: re.Match[str]) -> tuple[Figure | None, int]:
    """Ordinal words ("sixth"), not in compounds ("third-party") or names ("Third Way")."""
    start, end = m.start("ordw"), m.end("ordw")
    word = m.group("ordw")
    if text.startswith("-", end) or (word[0].isupper() and not at_sentence_start(text, start)):
        return None, end  # "third-party", "Third Way"
    a = _A_BEFORE.search(text, max(0, start - 3), start)
    if a and word.lower() in _PART and _OF_AFTER.match(text, end):
        value = round(1 / _PART[word.lower()], 4)  # "a fifth of the vote"
        return finish(text, a.start(), end, value, "other", "fraction", unit="fraction"), end
    return ordinal(text, start, end, float(ORDINAL_WORDS[word.lower()]), "ordinal-words")


WORD_READERS = (
    (_ARTICLE_UNIT, read_article_unit),
    (_FRAC, read_fraction),
    (_PLURAL, read_plural),
    (_WORDS, read_words),
    (_ORDW, read_ordinal_word),
)
