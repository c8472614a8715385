"""Variant spellings of one name across two reports (Bryansk / Bryanka, Kharkiv /
Harkiv): one edit apart once romanisation variants are folded, in a like context.
"""

from __future__ import annotations

import re
import unicodedata

from ..text.words import fold
from .names import name_key
from .tokens import content_words, sentence_span

__all__ = ["VARIANT_CONTEXT", "edit_distance", "spelled_differently", "spelling_variant"]


_DERIVATIONS = ("n", "an", "ian", "ns", "s", "es", "ese", "i", "ish", "ic", "er", "ers")
"""What turns a name into another word ("Russia" / "Russian", "Iraq" / "Iraqi"): a longer
form of one name is not a spelling of it."""
_TRANSLIT = (("kh", "h"), ("ks", "x"), ("ph", "f"), ("tz", "z"), ("ts", "z"), ("ou", "u"),
             ("iy", "y"), ("yi", "y"), ("ij", "y"), ("yu", "iu"), ("ya", "ia"), ("j", "y"),
             ("w", "v"), ("ck", "k"))
"""Letters that romanise one sound in several ways (Kharkiv / Harkiv, Aleksei / Alexei)."""


def _translit(word: str) -> str:
    word = "".join(c for c in unicodedata.normalize("NFKD", word.casefold())
                   if not unicodedata.combining(c))
    for a, b in _TRANSLIT:
        word = word.replace(a, b)
    return re.sub(r"(.)\1", r"\1", word)


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from ``a`` to ``b``."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def spelling_variant(a: str, b: str) -> bool:
    """Whether two names may be one name spelled two ways: the same words but one, which
    is one edit apart (two from seven letters), once romanisation variants are folded,
    with the same first letter.

    >>> [spelling_variant(*p) for p in [("Bryansk", "Bryanka"), ("Tarnholme", "Tarnholm"),
    ...  ("Yulia Gorbunova", "Yuliya Gorbunova"), ("Russia", "Russian"), ("Luhansk", "Lugansk"),
    ...  ("Kent", "Kant"), ("Ada Quarrie", "Ada Corless")]]
    [True, True, True, False, True, False, False]
    """
    wa, wb = name_key(a).split(), name_key(b).split()
    if len(wa) != len(wb) or wa == wb:
        return False
    diff = [(x, y) for x, y in zip(wa, wb) if x != y]
    if len(diff) != 1:
        return False
    x, y = diff[0]
    if x[0] != y[0] or min(len(x), len(y)) < 5:
        return False
    short, long_ = sorted((x, y), key=len)
    if long_.startswith(short) and long_[len(short):] in _DERIVATIONS:
        return False
    tx, ty = _translit(x), _translit(y)
    limit = 1 if min(len(x), len(y)) < 7 else 2
    return tx == ty or edit_distance(tx, ty) <= limit


VARIANT_CONTEXT = 2
"""Content words the paragraphs of two differently spelled names must share (or be an
aligned pair): "detained ... Bryansk ... Luhansk" and "detained ... Bryanka ... Luhansk"."""


def spelled_differently(left: list[str], right: list[str], only: tuple[list[str], list[str]],
                        paired: set[tuple[int, int]] = frozenset()) -> list[dict]:
    """Names only one report has that the other seems to spell differently, one to one:
    ``[{"left", "right", "left_paragraph", "right_paragraph", "left_sentence",
    "right_sentence"}]``. ``only`` is what :func:`.names.names_only_in_one` returned; a pair
    needs :func:`spelling_variant` and a like context (see :data:`VARIANT_CONTEXT`).

    >>> from datasette_reportcorpus.loaders.compare.names import names_only_in_one
    >>> left = ["He was taken from Bryansk to Luhansk and detained with 80 others."]
    >>> right = ["Those who refuse are detained at a camp in Bryanka in Luhansk."]
    >>> [(v["left"], v["right"]) for v in spelled_differently(left, right,
    ...                                                       names_only_in_one(left, right))]
    [('Bryansk', 'Bryanka')]
    """
    def places(name: str, texts: list[str]) -> list[tuple[int, int]]:
        pattern = re.compile(r"(?<![\w'])" + re.escape(name) + r"(?!\w)")
        return [(p, m.start()) for p, t in enumerate(texts) for m in pattern.finditer(fold(t))
                if len(fold(t)) == len(t)] or [
            (p, t.find(name)) for p, t in enumerate(texts) if name in t]

    cands = []
    for x in only[0]:
        for y in only[1]:
            if not spelling_variant(x, y):
                continue
            px, py = places(x, left), places(y, right)
            best = None
            for p, ps in px:
                for q, qs in py:
                    wa = set(content_words(left[p])) - set(content_words(x))
                    wb = set(content_words(right[q])) - set(content_words(y))
                    shared = len(wa & wb) + (VARIANT_CONTEXT if (p, q) in paired else 0)
                    if shared >= VARIANT_CONTEXT and (best is None or shared > best[0]):
                        best = (shared, p, ps, q, qs)
            if best:
                cands.append((-best[0], x, y, best[1:]))
    cands.sort(key=lambda c: c[:3])
    used_l: set[str] = set()
    used_r: set[str] = set()
    out = []
    for _, x, y, (p, ps, q, qs) in cands:
        if x in used_l or y in used_r:
            continue
        used_l.add(x)
        used_r.add(y)
        ls, le = sentence_span(left[p], ps, ps + len(x))
        rs, re_ = sentence_span(right[q], qs, qs + len(y))
        out.append({"left": x, "right": y, "left_paragraph": p, "right_paragraph": q,
                    "left_sentence": left[p][ls:le], "right_sentence": right[q][rs:re_]})
    return out
