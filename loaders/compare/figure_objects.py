"""What a figure counts: its counted thing ("80 soldiers"), heads that count one kind
of thing in different words (soldiers / personnel), and the words narrowing it ("two
Algerian suspects").
"""

from __future__ import annotations

from ..text.words import STOPWORDS, normalise, stem
from ..text.words import wordset as _wordset
from .tokens import WORD

__all__ = ["GENERIC_OBJECTS", "OBJECT_GROUPS", "counted_things_differ", "object_of",
           "object_tie", "quick_key", "shared_beyond_object", "subsets_differ"]


# Heads too general to say two figures count the same thing on their own.
GENERIC_OBJECTS = _wordset("""
person people man woman child thing time year day week month hour minute other one member
""")

OBJECT_GROUPS = [_wordset(g) for g in (
    "soldier troop personnel serviceman servicemen servicewoman conscript recruit reservist "
    "fighter marine sailor airman",
    "worker employee staff staffer labourer docker miner",
    "resident inhabitant local householder",
    "home house property household dwelling",
    "ship vessel boat",
    "death fatality victim casualty",
    "pupil student schoolchild",
    "job post role",
    "car vehicle",
    "protester demonstrator",
    "migrant refugee asylum-seeker",
    "officer policeman",
    "prisoner inmate detainee",
    "patient outpatient",
)]
"""Heads that count the same kind of thing in different words ("80 soldiers", "1,793
personnel"); one figure's head is matched against the other's group."""
_GROUP_OF = {w: n for n, g in enumerate(OBJECT_GROUPS) for w in g}
_HUMAN_GROUPS = {_GROUP_OF[w] for w in ("soldier", "worker", "resident", "death", "pupil",
                                        "protester", "migrant", "officer", "prisoner",
                                        "patient")}
_HUMAN_GENERIC = _wordset("person people man woman")


def object_of(f: dict) -> str | None:
    """The thing a figure counts: its ``object``, or what it is "of" in its context
    ("230 miles of levee"); None when it names nothing."""
    return f.get("object") or (f.get("_context") or {}).get("of_object")


def object_tie(a: dict, b: dict) -> str | None:
    """How the two counted things relate: ``same`` (one head), ``group`` (heads of one
    kind: soldier / personnel), ``generic`` (people / workers), ``different``, or None
    when either figure names nothing."""
    x = a.get("object") or (a.get("_context") or {}).get("of_object")
    y = b.get("object") or (b.get("_context") or {}).get("of_object")
    if not x or not y:
        return None
    if x == y:
        return "same"
    gx, gy = _GROUP_OF.get(x), _GROUP_OF.get(y)
    if gx is not None and gx == gy:
        return "group"
    if (x in _HUMAN_GENERIC and gy in _HUMAN_GROUPS) or (y in _HUMAN_GENERIC
                                                          and gx in _HUMAN_GROUPS):
        return "generic"
    return "different"


def quick_key(f: dict) -> tuple:
    """(counted thing, its group, rate) of a figure: two figures whose counted things
    differ, or of which one is a rate, are never compared further (see
    the verdicts' match strength)."""
    obj = object_of(f)
    return obj, _GROUP_OF.get(obj) if obj else None, (f.get("_context") or {}).get("rate")


def counted_things_differ(qa: tuple, qb: tuple) -> bool:
    """Whether two figures' :func:`quick_key` values rule out comparing them: different
    counted things (not of one group, nor people against a group of people), or a rate
    on one side only ("a day" / none)."""
    return bool(qa[2] != qb[2] or (qa[0] and qb[0] and qa[0] != qb[0] and (
        qa[1] is None or qa[1] != qb[1]) and not (
        (qa[0] in _HUMAN_GENERIC and qb[1] in _HUMAN_GROUPS)
        or (qb[0] in _HUMAN_GENERIC and qa[1] in _HUMAN_GROUPS))))


def shared_beyond_object(a: dict, b: dict) -> int:
    """Content words around both figures other than the counted thing and the words
    narrowing it ("civil" of "three civil servants")."""
    ca, cb = a.get("_context") or {}, b.get("_context") or {}
    shared = (ca.get("words") or set()) & (cb.get("words") or set())
    drop = {object_of(a), object_of(b)} | (_modifiers(a) or set()) | (_modifiers(b) or set())
    return len(shared - drop)


def _modifiers(f: dict) -> set[str] | None:
    """The words between a figure and the thing it counts ("Algerian" of "two Algerian
    suspects"), or None when the counted thing is not among the next few words."""
    ctx, obj = f.get("_context") or {}, object_of(f)
    if not obj or not ctx.get("_where"):
        return None
    if "modifiers" not in ctx:  # worked out once per figure, however many it meets
        ctx["modifiers"] = None
        text, _, end, (_, e) = ctx["_where"]
        words = WORD.findall(normalise(text[end:e]).lower())[:4]
        for k, w in enumerate(words):
            if stem(w) == obj or w == obj:
                ctx["modifiers"] = {stem(x) for x in words[:k]
                                    if x not in STOPWORDS and not x.isdigit()}
                break
    return ctx["modifiers"]


def subsets_differ(a: dict, b: dict) -> bool:
    """Whether two counts of one thing are each narrowed by words the other lacks:
    "two Algerian suspects" and "12 foreign suspects" count different groups."""
    ma, mb = _modifiers(a), _modifiers(b)
    return bool(ma and mb and not ma & mb)
