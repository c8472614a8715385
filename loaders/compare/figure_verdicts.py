"""Figures of two reports paired, each pair with a verdict: agree, compatible (hedged,
both true), differ (a contradiction), scope (one point counted over a different scope),
or only in one report. The ties that say two figures are on one point, and the rules
that weigh them, are here; what a value allows is in :mod:`.figure_values`, what a
figure counts in :mod:`.figure_objects`, what surrounds it in :mod:`.figure_context`.
"""

from __future__ import annotations

import math

from .figure_context import figure_context, lone_span, near_shared, one_part, scope_reasons
from .figure_objects import (
    GENERIC_OBJECTS,
    counted_things_differ,
    object_of,
    object_tie,
    quick_key,
    shared_beyond_object,
    subsets_differ,
)
from .figure_values import (
    figure_kind,
    figures_consistent,
    rounding_step,
    scaled_value,
    significant_digits,
    units_comparable,
)

__all__ = ["DIFFER_MAX_RATIO", "DIFFER_OBJECT_MIN", "DIFFER_STRENGTH", "SCOPE_MAX_RATIO",
           "VERDICTS", "compare_figures"]


_NOT_COMPARED = {"ordinal"}

VERDICTS = ("differ", "scope", "compatible", "agree", "left", "right")
"""Every status a figure row can have, in the order the view lists them: ``differ`` (the
reports contradict each other on one point), ``scope`` (figures on one point counted over
a different scope - one site and a whole army, one year and another, one person and
another - to check, not a contradiction), ``compatible`` (hedged figures both true),
``agree``, and ``left`` / ``right`` (only in that report)."""


def _match_strength(a: dict, b: dict, paired: set[tuple[int, int]]
                    ) -> tuple[int, list[str], dict]:
    """How surely two figures state the same fact (0 = not comparable), why, and what
    the two figures are about: ``{"point": same point (the same event, or counted things
    of one kind), "events": (a, b) when the two name different events}``."""
    info: dict = {"point": False, "events": None, "object": None}
    kind = figure_kind(a)
    if kind != figure_kind(b) or kind in _NOT_COMPARED or not units_comparable(a, b):
        return 0, [], info
    strength, why = 0, []
    tie = object_tie(a, b)
    info["object"] = tie
    if tie == "different":
        return 0, [], info
    if tie == "same":
        specific = object_of(a) not in GENERIC_OBJECTS
        strength += 3 if specific else 1
        why.append("object")
        info["point"] = specific
    elif tie == "group":
        strength += 3
        why.append("similar object")
        info["point"] = True
    elif tie == "generic":
        strength += 1
        why.append("object")
    x, y = a.get("event"), b.get("event")
    if x and y:
        if x != y:
            info["events"] = (x, y)
        else:
            strength += 3
            why.append("event")
            info["point"] = True
    ca, cb = a.get("_context"), b.get("_context")
    if ca and cb:
        if ca["rate"] != cb["rate"]:
            return 0, [], info  # "£60 a day" and "£45m" are different measures
        if ca["rate"]:
            strength += 2
            why.append("rate")
        if len(ca["words"] & cb["words"]) >= 2:
            strength += 2
            why.append("context")
    if (a.get("paragraph"), b.get("paragraph")) in paired:
        strength += 2
        why.append("aligned paragraphs")
    if not object_of(a) and not object_of(b) and kind in ("money", "percent"):
        strength += 1  # amounts of money rarely need a noun to be comparable
    if scaled_value(a) == scaled_value(b):
        strength += 1
        why.append("value")
    if why == ["value"] and kind == "count" and abs(a["value"]) < 10:
        return 0, [], info  # "two of the injured" and "those two": small numbers recur by chance
    return strength, why, info


def _as_stated(f: dict) -> dict:
    """``f`` with the rounding its wording implies: a converted amount in brackets is
    about its value."""
    if not f.get("hedge") and (f.get("_context") or {}).get("conversion"):
        return {**f, "hedge": "about"}
    return f


DIFFER_STRENGTH = 3
"""Evidence needed before two different values are called a contradiction."""
DIFFER_MAX_RATIO = {"event": 5.0, "rate": 5.0, "object": 1.5, "amount": 1.25, "other": 1.1}
"""How far apart two values may be and still be one fact told two ways, by the strongest
tie between them. Reports that disagree on a fact disagree by a margin (31 or 40 ships),
not by a factor of a thousand. Only the same event ("killed") ties two counts firmly; the
same counted thing alone ("nominations", "points") is often two different tallies (a
film's 11, another's seven), and shared words or aligned paragraphs alone tie an amount to
another one nearby ("$11bn fraud", "$6.75bn deal"), so weaker ties call only near values
a contradiction ("$9.3bn" and "$9.4bn" for one sale; aged 30 and 29)."""

SCOPE_MAX_RATIO = 40.0
"""Counts of one thing on one point this far apart, or less, are the same point counted
over a different scope (80 held at one base, 1,793 who refused across an army); further
apart they are different quantities."""

DIFFER_OBJECT_MIN = 10
"""Below this, two counts of one kind of thing tied by nothing more are two tallies ("two
games left", "three games in a row"), not one fact told two ways."""


def _differ_ratio(a: dict, b: dict, why: list[str]) -> float:
    """The widest ratio of values that ``why`` (the ties of a match) lets differ; 1 for
    none. A tie by aligned paragraphs alone, or by equal kind, is no evidence that two
    values state one fact."""
    if "event" in why or "rate" in why:
        return DIFFER_MAX_RATIO["event"]
    if ("object" in why or "similar object" in why) and object_of(a) not in GENERIC_OBJECTS:
        if min(a["value"], b["value"]) < DIFFER_OBJECT_MIN:
            return 1.0
        return DIFFER_MAX_RATIO["object"]
    # Shared words a few words away are common in reports on one subject ("growth",
    # "economy"); the words right beside the number say what it measures.
    near = near_shared(a, b)
    if "context" in why and (figure_kind(a) == "money" or (figure_kind(a) == "percent" and near >= 1)):
        # An amount with the same words around it: "a cut worth £180m", "the cut would
        # take £210m out of the programme". A percentage needs a word right beside it
        # too: reports on an economy share "growth" and "rate" around every one.
        return DIFFER_MAX_RATIO["amount"]
    if "context" in why and near >= 2:
        return DIFFER_MAX_RATIO["other"]
    return 1.0


def compare_figures(left: list[dict], right: list[dict],
                    paired: set[tuple[int, int]] = frozenset(),
                    texts: tuple[list[str], list[str]] | None = None) -> list[dict]:
    """Match the figures of two reports and say whether each pair agrees.

    Figures are dicts with ``value``, ``kind`` and optionally ``value_high``, ``hedge``,
    ``object``, ``event``, ``unit``, ``surface``, ``paragraph`` (position), ``start``/
    ``end`` (offsets in the paragraph) and anything else, which is passed through.
    ``paired`` holds (left, right) paragraph positions aligned with each other; ``texts``
    the paragraph texts of both reports, whose words around each figure help tell what
    it measures, and whose sentences are given with each pair.

    Each result row is ``{"status", "left", "right", "basis", "scope", "left_sentence",
    "right_sentence"}``; status is one of :data:`VERDICTS`: ``agree`` (same value, or
    one a rounding of the other: "$43 million" / "$43,885,310"), ``compatible`` (hedged
    values that can both be true: "more than 300" and "312"), ``differ`` (a
    contradiction), ``scope`` (one point counted over a different scope: check),
    ``left`` or ``right`` (only in that report). ``basis`` lists what linked the two
    figures (object, similar object, event, rate, context, aligned paragraphs, value);
    ``scope`` says why a ``scope`` pair may count different things. A figure is paired
    with one figure of the other report, except that several figures of one report
    may each be set against one figure of the other as differing in scope (~140 jailed
    at one base, 80 held at another, against 1,793 who refused across an army).

    >>> rows = compare_figures(
    ...     [{"value": 3, "kind": "count", "object": "worker", "event": "kill"}],
    ...     [{"value": 4, "kind": "count", "object": "worker", "event": "kill"}])
    >>> [r["status"] for r in rows]
    ['differ']
    >>> rows = compare_figures(
    ...     [{"value": 80, "kind": "count", "object": "soldier", "event": "refuse"}],
    ...     [{"value": 1793, "kind": "count", "object": "personnel", "event": "refuse"}])
    >>> [r["status"] for r in rows]
    ['scope']
    """
    for side, figs in enumerate((left, right)):
        for f in figs:
            if texts is not None and f.get("paragraph") is not None and "start" in f:
                para = texts[side][f["paragraph"]]
                f["_context"] = figure_context(para, f["start"], f.get("end", f["start"]))
            # What every pairing of this figure reads, worked out once.
            f["_k"] = figure_kind(f)
            f["_step"] = rounding_step(f)
            f["_sv"] = scaled_value(f)
            f["_sig"] = significant_digits(f)
    by_kind: dict[str, list[tuple[int, dict, tuple]]] = {}
    for j, b in enumerate(right):
        by_kind.setdefault(b["_k"], []).append((j, b, quick_key(b)))
    cands = []
    for i, a in enumerate(left):
        qa = quick_key(a)
        for j, b, qb in by_kind.get(a["_k"], ()):
            if counted_things_differ(qa, qb):
                continue  # different counted things, or measures ("a day" / none)
            verdict = _verdict(a, b, paired)
            if verdict is None:
                continue
            status, s, why, scope, gap = verdict
            # The same value linked as strongly as a contradiction would need goes first
            # ("22 of the 30 projects" / "30 projects ... the 26": the 30s agree, and 22
            # and 26 are not a contradiction of them); then the strongest link, among
            # equals the consistent reading, then the closest; differences of scope last,
            # so that they never take a figure from a closer reading.
            same = status == "agree" and s >= DIFFER_STRENGTH
            cands.append((status == "scope", not same, -s, status == "differ", gap,
                          abs(i - j), i, j, status, why, scope))
    cands.sort(key=lambda c: c[:8])
    used_l: dict[int, str] = {}
    used_r: dict[int, str] = {}
    rows = []
    for *_, i, j, status, why, scope in cands:
        if i in used_l or j in used_r:
            continue
        used_l[i] = used_r[j] = status
        rows.append(_row(status, left[i], right[j], why, scope))
    # Several figures of one report against one of the other, each on its own scope:
    # a figure left alone joins a figure already set against another on its scope.
    for *_, i, j, status, why, scope in cands:
        if status != "scope" or (i in used_l) == (j in used_r):
            continue
        other = used_r.get(j) if i not in used_l else used_l.get(i)
        if other != "scope":
            continue
        used_l.setdefault(i, status)
        used_r.setdefault(j, status)
        rows.append(_row(status, left[i], right[j], why, scope))
    rows += [_row("left", a, None) for i, a in enumerate(left) if i not in used_l]
    rows += [_row("right", None, b) for j, b in enumerate(right) if j not in used_r]
    for figs in (left, right):
        for f in figs:
            for key in ("_context", "_k", "_step", "_sv", "_sig"):
                f.pop(key, None)
    order = {v: n for n, v in enumerate(VERDICTS)}

    def position(r: dict) -> tuple:
        f = r["left"] or r["right"]
        return (order[r["status"]], f.get("paragraph") or 0, f.get("start") or 0)

    rows.sort(key=position)
    return rows


def _row(status: str, a: dict | None, b: dict | None, why: list[str] = (),
         scope: list[str] = ()) -> dict:
    def sentence(f):
        ctx = (f or {}).get("_context")
        return ctx["sentence"] if ctx else None

    return {"status": status, "left": a, "right": b, "basis": list(why),
            "scope": list(scope), "left_sentence": sentence(a), "right_sentence": sentence(b)}


def _verdict(a: dict, b: dict, paired: set[tuple[int, int]]
             ) -> tuple[str, int, list[str], list[str], float] | None:
    """The verdict on two figures, or None when nothing says they are on one point:
    ``(status, strength, basis, scope reasons, log ratio of the values)``."""
    s, why, info = _match_strength(a, b, paired)
    if not s:
        return None
    (av, _), (bv, _) = scaled_value(a), scaled_value(b)
    sa, sb = _as_stated(a), _as_stated(b)
    ok = figures_consistent(sa, sb)
    gap = abs(math.log((abs(av) + 1) / (abs(bv) + 1)))
    small = min(abs(a["value"]), abs(b["value"]))
    specific = info["object"] in ("same", "group") and object_of(a) not in GENERIC_OBJECTS
    if info["events"]:
        # Two events ("jailed", "refused"): only counts of one kind of thing, far apart,
        # are one point over different scopes; close or equal counts of two events are
        # two facts ("three killed", "three injured").
        if ok or not specific or small < DIFFER_OBJECT_MIN or gap > math.log(SCOPE_MAX_RATIO) \
                or gap <= math.log(DIFFER_MAX_RATIO["object"]):
            return None
        return "scope", s, why, ["different events ({} / {})".format(*info["events"])], gap
    if not ok and s < DIFFER_STRENGTH:
        return None  # too little evidence to set two different values against each other
    if not ok and (lone_span(a, b) or subsets_differ(a, b) or one_part(a, b)):
        # A total over several years against an undated figure, two tallies of one
        # thing narrowed by different words ("two Algerian suspects" / "12 foreign
        # suspects"), or a part against a whole ("twelve of the suspects" / "14
        # suspects"): different quantities, not one point.
        return None
    scope = [] if ok else scope_reasons(a, b)
    if scope:
        # Values that differ, of a dated, forecast or someone else's figure: a different
        # fact; only figures on one point are worth setting side by side.
        if s < DIFFER_STRENGTH or not (info["point"] or "rate" in why or (
                "context" in why and near_shared(a, b))) or (
                figure_kind(a) == "count" and small < DIFFER_OBJECT_MIN):
            # Words in common a few words away tie two amounts of one story ("Doyle's
            # salary of £186,000", "Doyle's pension pot worth £192,000"); only a word
            # right beside both says they measure one thing. Small counts ("three of
            # its four hospitals", "three hospitals in the region") recur by chance.
            return None
        if gap > math.log(SCOPE_MAX_RATIO):
            return None
        return "scope", s, why, scope, gap
    if not ok:
        if s < DIFFER_STRENGTH or small < 2:
            return None
        if gap <= math.log(_differ_ratio(a, b, why)):
            return "differ", s, why, [], gap
        if info["point"] and specific and small >= DIFFER_OBJECT_MIN \
                and gap <= math.log(SCOPE_MAX_RATIO):
            ratio = max(av, bv) / max(min(av, bv), 1e-9)
            return "scope", s, why, [f"values {ratio:.0f} times apart"], gap
        return None
    if figure_kind(a) == "count" and small < DIFFER_OBJECT_MIN and not (
            "event" in why or shared_beyond_object(a, b) >= 2):
        # "one soldier" and "one young conscript", "three civil servants suspended" and
        # "three civil servants gave evidence": small counts recur by chance, and the
        # counted thing named in both is no evidence of one fact.
        return None
    if scaled_value(a) == scaled_value(b) and sa.get("hedge") == sb.get("hedge"):
        return "agree", s, why, [], gap
    # Different values both true: only for figures tied as firmly as a contradiction
    # would need, and near enough to be one fact ("more than 300" / "312").
    rounding = not sa.get("hedge") and not sb.get("hedge") and min(
        significant_digits(a), significant_digits(b)) < 3 <= max(significant_digits(a), significant_digits(b))
    ratio = _differ_ratio(a, b, why)
    if scaled_value(a) != scaled_value(b) and (
            s < DIFFER_STRENGTH or not (rounding or (ratio > 1.0 and gap <= math.log(ratio)))):
        # A rounding of a precise figure ("$1.4 billion" / "$1.375 billion") is itself
        # evidence of one fact; other values both true need a firm tie.
        return None
    if not sa.get("hedge") and not sb.get("hedge"):
        return "agree", s, why, [], gap  # a rounding: "$43 million" / "$43,885,310"
    return "compatible", s, why, [], gap
