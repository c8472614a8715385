"""Names and places in a report's text, and those only one of two reports gives; a
name that is (part of) an outlet's name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text.words import STOPWORDS, fold, normalise
from ..text.words import wordset as _wordset

__all__ = ["NOT_NAMES", "extract_names", "name_key", "names_only_in_one", "outlet_fragment"]


_NAME_WORD = r"[A-Z][\w'\u2019\-]*[\w]|[A-Z]"
# A name starts a word: the "Cast" of "4Cast" is not one.
_NAME = re.compile(
    rf"(?<![\w'\u2019\-])(?:{_NAME_WORD})"
    rf"(?:\s+(?:(?:of|de|la|le|von|van|al|bin|the|&|and)\s+)?(?:{_NAME_WORD}))*"
)
# The last word of a name that holds "and" whole: "Aske and Lunedale Fire and Rescue
# Service", "Department of Health and Social Care"; elsewhere "and" joins two names.
_INSTITUTION_HEADS = _wordset("""
service services council authority company trust board commission department association
institute society agency office committee group union federation party foundation bureau
court museum hospital university college school centre center partnership corporation
industries holdings care affairs development ministry alliance league network
""")
# The last word of a place or building named after someone: "Tanner's Row", "St Bride's
# Primary School"; the possessive stays inside the name.
_PLACE_HEADS = _wordset("""
row street road lane avenue square cross wood park hill green place court close way bay
island gate bridge church cathedral abbey school college hospital academy yard quay wharf
field fields market inn arms head end walk drive crescent terrace gardens mews
""")
# What may stand before a word capitalised because it opens a sentence, a quote or an
# item of a list ("- Increased spending on ...").
_SENTENCE_START = re.compile(
    r"(?:^|[.!?:;]['\"\u2019\u201d)]?\s+|[\"\u201c\u2018(]\s*|\n|\s-\s|\s'|^[-*\u2022\u2013]\s*"
    r"|\n[-*\u2022\u2013]\s*)$")
# Capitalised words that are not names: sentence openers, titles, months, pronouns.
NOT_NAMES = STOPWORDS | _wordset("""
january february march april may june july august september october november december
mr mrs ms dr sir lord lady prof the a an it he she they we i but and or if in on at as so
this that these those there here when while after before however meanwhile last next
yes no oh police council government minister president chief officer ministry rev
though although since let despite during unless until because whether unlike yet still
instead now then today tonight yesterday tomorrow earlier later also even many some most
several both each every all other another such what which who whom whose where why how
i'm i've i'd i'll we're we've you're they're it's that's there's let's he's she's
zero one two three four five six seven eight nine ten eleven twelve twenty thirty forty
fifty sixty seventy eighty ninety hundred thousand million billion dozen half
like plus besides
""")
"""Capitalised words that are not names (sentence openers, titles, months, pronouns,
number words); also read by the alignment and the figures' scope."""


def extract_names(paragraphs: list[str]) -> dict[str, dict]:
    """Capitalised names and places in the text: ``{name: {"count", "paragraph", "start"}}``.

    A word capitalised only because it opens a sentence is not a name unless the text
    also capitalises it mid-sentence ("Vladimir was held... a soldier called Vladimir").
    Possessives fold into the name ("Tarnholm's" -> "Tarnholm"); a one-word name that is
    part of a longer name in the same text ("Danny" in "Danny Corless") is left out.

    >>> sorted(extract_names(["Regulators took him to Bryansk. Then Ada Quarrie spoke."]))
    ['Ada Quarrie', 'Bryansk']
    >>> sorted(extract_names(["New York fell. Shares in New Carrow rose. New rules apply.",
    ...                       "New Home Secretary Ada Quarrie spoke."]))
    ['Home Secretary Ada Quarrie', 'New Carrow', 'New York']
    """
    found: list[tuple[list[str], bool, int, int]] = []
    mid_sentence: set[str] = set()
    for p, text in enumerate(paragraphs):
        folded = fold(text)
        if len(folded) != len(text):
            folded = text
        for m in _NAME.finditer(folded):
            start = m.start()
            at_start = start == 0 or bool(_SENTENCE_START.search(folded[max(0, start - 4):start]))
            for words in _name_runs(m.group().split()):
                if not at_start or words[-1].endswith("'s"):
                    # Mid-sentence capitals, and possessives ("Tarnholm's schools"), are
                    # names.
                    mid_sentence.add(words[0].lower().removesuffix("'s"))
                    if len(words) > 1:
                        mid_sentence.add(" ".join(words[:2]).lower())
                found.append((words, at_start, p, start))
                at_start = False
    out: dict[str, dict] = {}
    for words, at_start, p, start in found:
        # Leading words capitalised by position or convention, not names themselves.
        while words and (_not_name(words, at_start, mid_sentence) or
                         (at_start and words[0].lower().removesuffix("'s")
                          not in mid_sentence)):
            if (at_start and len(words) > 1 and words[1][:1].isupper()
                    and not _not_name(words, at_start, mid_sentence)):
                break  # "Danny Corless" opening a sentence is still a name
            words = words[1:]
            at_start = False
        while words and words[-1].lower() in NOT_NAMES | {"of", "de", "the", "and", "&"}:
            words = words[:-1]
        if not words:
            continue
        name = re.sub(r"'s$", "", " ".join(words))
        if len(name) < 2 or (name.isupper() and len(name) > 5):
            continue  # initials, and shouted datelines ("TARNHOLME")
        entry = out.setdefault(name, {"count": 0, "paragraph": p, "start": start})
        entry["count"] += 1
    longer = {w for name in out if " " in name for w in name.split()}
    return {n: v for n, v in out.items() if " " in n or n not in longer}


_NAME_OPENERS = {"new"}
"""Common words that open a name when a capital follows ("New York", "New Zealand")."""


def _not_name(words: list[str], at_start: bool = False, mid_sentence: set = frozenset()
              ) -> bool:
    """Whether the first of a run of capitalised words is not (part of) a name. Opening
    a sentence, "New" opens a name only as one of two words ("New Zealand") or where the
    text writes the pair mid-sentence too: "New Home Secretary Ada Quarrie" is not one."""
    first = words[0].lower()
    if first not in NOT_NAMES:
        return False
    if first not in _NAME_OPENERS or len(words) < 2:
        return True
    return at_start and len(words) > 2 and " ".join(words[:2]).lower() not in mid_sentence


def _name_runs(words: list[str]) -> list[list[str]]:
    """A run of capitals cut into the names it holds: at "and" unless the run names an
    institution ("Blair and Brown" are two, "Aske and Lunedale Fire and Rescue Service"
    one), around a hyphenated adjective ("Russian-occupied Luhansk" is Luhansk,
    "Moscow-based" no name), and after a possessive (see :func:`_possessive_parts`).

    >>> _name_runs("Aske and Lunedale Fire and Rescue Service".split())
    [['Aske', 'and', 'Lunedale', 'Fire', 'and', 'Rescue', 'Service']]
    >>> _name_runs("Blair and Brown".split()), _name_runs("Russian-occupied Luhansk".split())
    ([['Blair'], ['Brown']], [['Luhansk']])
    """
    runs: list[list[str]] = [[]]
    for w in words:
        if "-" in w and w.rsplit("-", 1)[1][:1].islower():
            runs.append([])  # an adjective: "Moscow-based", "Russian-occupied"
            continue
        runs[-1].append(w)
    out: list[list[str]] = []
    for run in runs:
        while run and run[-1] in ("and", "&", "of", "the", "de"):
            run = run[:-1]
        if not run:
            continue
        if "and" in run:
            # Parts joined by "and" make one name only up to a part that ends a name
            # itself ("Tanner's Row and St Bride's School" are two), and only when an
            # institution closes them ("... Fire and Rescue Service").
            parts: list[list[str]] = [[]]
            for w in run:
                if w == "and":
                    parts.append([])
                else:
                    parts[-1].append(w)
            current: list[list[str]] = []
            for part in (p for p in parts if p):
                current.append(part)
                last = part[-1].lower()
                if last in _INSTITUTION_HEADS and len(current) > 1:
                    out.extend(_possessive_parts(
                        [w for k, c in enumerate(current) for w in (["and"] if k else []) + c]))
                    current = []
                elif last in _INSTITUTION_HEADS or last in _PLACE_HEADS:
                    for c in current:
                        out.extend(_possessive_parts(c))
                    current = []
            for c in current:
                out.extend(_possessive_parts(c))
            continue
        out.extend(_possessive_parts(run))
    return out


def _possessive_parts(words: list[str]) -> list[list[str]]:
    """A run of capitals cut after each possessive: "Arsenal's Thierry Henry" names
    Arsenal and Thierry Henry."""
    parts, current = [], []
    for i, w in enumerate(words):
        current.append(w)
        if w.endswith(("'s", "\u2019s")) and i < len(words) - 1 \
                and words[-1].lower() not in _PLACE_HEADS:
            parts.append(current)
            current = []
    if current:
        parts.append(current)
    return parts


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """A name as looked up in text: folded, lower case, possessives and extra spaces
    dropped ("Tarnholm's  Mayor" -> "tarnholm mayor")."""
    return " ".join(normalise(name).casefold().replace("'s", "").split())


def names_only_in_one(left: list[str], right: list[str]) -> tuple[list[str], list[str]]:
    """Names each report has that the other never mentions (whole-name match, any case).

    >>> names_only_in_one(["He was held in Bryansk."], ["He was held in Bryanka."])
    (['Bryansk'], ['Bryanka'])
    """
    ln, rn = extract_names(left), extract_names(right)
    ltext = " " + name_key(" ".join(left)) + " "
    rtext = " " + name_key(" ".join(right)) + " "

    def mentioned(key: str, other: str) -> bool:
        return bool(re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)", other))

    def missing(names: dict[str, dict], other: str) -> list[str]:
        found = []
        for name in names:
            words = name_key(name).split()
            # "Divisional Fire Officer Kit Ambrose" is shared with "Kit Ambrose": any
            # two-word-or-longer ending of a name counts as the same name.
            tails = [" ".join(words[k:]) for k in range(max(1, len(words) - 1))]
            if not any(mentioned(t, other) for t in tails):
                found.append(name)
        return sorted(found, key=lambda n: (names[n]["paragraph"], names[n]["start"]))

    return missing(ln, rtext), missing(rn, ltext)


def outlet_fragment(name: str, outlets: list[str]) -> bool:
    """Whether a name is (part of) the name of one of the two outlets: "Tidewater Wire",
    "Gazette" of "The Kestrel Gazette"; a place the outlet is named after, its first
    word alone ("Lowmoor" of "Lowmoor Evening Star"), stays.

    >>> [outlet_fragment(n, ["The Kestrel Gazette", "Lowmoor Evening Star"]) for n in
    ...  ["Gazette", "Kestrel Gazette", "Lowmoor", "Evening Star", "Star Wharf"]]
    [True, True, False, True, False]
    """
    words = name_key(name).split()
    for outlet in outlets:
        ow = [w for w in name_key(outlet or "").split()]
        if ow[:1] == ["the"]:
            ow = ow[1:]
        if not ow or not words:
            continue
        for k in range(len(ow) - len(words) + 1):
            if ow[k:k + len(words)] == words and (len(words) > 1 or k > 0 or len(ow) == 1):
                return True
    return False
