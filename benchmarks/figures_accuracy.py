"""Measure the figure extractor against the hand-made gold in ``benchmarks/gold``.

Usage::

    REPORTCORPUS_SHARED=/path/to/shared python benchmarks/figures_accuracy.py [--verbose]

Two gold sets are scored, each on its own and then combined:

- ``figures.jsonl`` (bbc+seeds): BBC and seed paragraphs from the shared directory (default
  ``../shared`` relative to the repository root). Paragraphs are re-read here with a deliberately
  simple splitter, so the benchmark does not depend on the loader's own reader.
- ``figures_demo.jsonl`` (demo held-out): every body paragraph of the fictional demo corpus
  shipped in the package (``demo/<path>`` is relative to ``datasette_reportcorpus/demo``),
  annotated by reading before the extractor was run on it. Those files carry datelines, bylines,
  related-story blocks and mixed encodings, so paragraphs come from the real loader
  (``parse_article``); the demo's own ``gold.json`` checks that splitting separately. The wire
  dateline prefix ("SALTRY, March 2 (Tidewater Wire) -") is boilerplate there and its date is
  not annotated.

Prints precision/recall/F1 at three levels (value, value+kind, value+object), hedge accuracy and
event accuracy over matched figures per set and combined, and the extraction speed over every BBC
body paragraph. Without the shared directory only the demo set is scored.

Public sets, each scored beside quantulum3 (the plain library baseline) in the same run. Each is
found through an environment variable and skipped with a printed reason when it is absent; none of
their text is stored in this repository:

- ``REPORTCORPUS_CQE``: the folder ``data/formatted_test_set`` of the CQE evaluation data (GitHub
  satya77/CQE_Evaluation, commit 190c0ce409ce0acedc0eec82b9dadbd5336bf852; its README states no
  licence, so it is read in place and never redistributed). ``NewsQuant.json`` holds 590 news
  sentences tagged by the CQE authors; ``age-model.json``, ``currency-model.json``,
  ``dimension-model.json`` and ``temperature-model.json`` are the Microsoft Recognizers-Text
  number-with-unit specs (MIT) in the same format. Get it with
  ``git clone https://github.com/satya77/CQE_Evaluation`` and check out that commit.
- ``REPORTCORPUS_QUANTULUM_TESTS``: ``quantulum3/_lang/en_US/tests/quantities.json`` from GitHub
  nielstron/quantulum3, commit 168aef7c83dea3e34ef36170ceddd393788488a0 (MIT). It is quantulum3's
  own test and tuning suite, so it flatters quantulum3.
- ``REPORTCORPUS_BASIL``: the ``articles`` folder of BASIL (GitHub launchnlp/BASIL, commit
  4fdbc4f68d5ddae648990063cb6dd11424d96222; US news from 2010-2019, Fox News, the New York Times
  and HuffPost). ``benchmarks/gold/figures_basil.jsonl`` holds our own hand annotation of 75
  paragraphs, keyed by article uuid and paragraph index (``body-paragraphs`` joined by spaces),
  written before the extractor was run on them; it is measure-only and never used for tuning.
  ``benchmarks/gold/figures_basil2.jsonl`` is a second such file (79 paragraphs of 40 other
  articles, sampled by a fixed rule and annotated after the rules were frozen, before any run);
  each file is scored on its own and both together.

quantulum3 is imported when installed (``python3 -m venv q3env && q3env/bin/pip install
quantulum3 datasette sqlite-utils click``, then run this script with that interpreter); without it
its columns are skipped with a printed reason.

Matching on the public sets (one rule for both systems): each stated number counts once. A gold
range ("46-57") gives both ends; a system's range gives both ends too (quantulum3's range, a mean
with a half-width, is turned back into its two ends; a "+/-" tolerance is not a range). Per
sentence, gold numbers and predicted numbers are paired as multisets, equal within 0.5%. Calendar
numbers are not quantities in these sets (NewsQuant leaves years, dates and clock times out), so
one text rule drops them from gold (where a surface is known) and from both systems' output: a
span that is a bare year or decade (1500-2099, "1990s", "2010 to 2013"), a day or year next to a
month name, a clock time (a.m./p.m., "10:30") or a rank ("21st", "fifth"), which these sets do
not count as quantities either. Three conventions are read alike for both systems from the span
each reports (see ``readings``): pence or cents in the sub-unit or the main unit, "dozen" in
dozens or units, an indefinite plural ("hundreds of") as one to ten times its scale; no gold
number is dropped for them. Each set is split into a tuning half and a
measure-only half by the first hex digit of the SHA-1 of the sentence (even: tuning), and both
halves are reported. On BASIL the extractor is also scored by our own conventions (value and
value_high of each figure, dates as YYYYMMDD), the real-news score the README quotes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datasette_reportcorpus.loaders.figures.extract import extract_figures
from datasette_reportcorpus.loaders.model import Figure
from datasette_reportcorpus.loaders.text.parse import body_figures, parse_article

GOLD = ROOT / "benchmarks" / "gold" / "figures.jsonl"
GOLD_DEMO = ROOT / "benchmarks" / "gold" / "figures_demo.jsonl"
GOLD_BASIL = ROOT / "benchmarks" / "gold" / "figures_basil.jsonl"
GOLD_BASIL2 = ROOT / "benchmarks" / "gold" / "figures_basil2.jsonl"
DEMO = ROOT / "datasette_reportcorpus" / "demo"
BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n")
# Seed 004 keeps one paragraph per line; these lines are boilerplate and not counted in positions.
SEED_BOILERPLATE = re.compile(r"^(READ MORE:|READ NEXT:|- |Source: Read Full Article)")


def shared_dir() -> Path:
    """The shared data directory: ``REPORTCORPUS_SHARED`` or ``../shared`` next to the repo."""
    return Path(os.environ.get("REPORTCORPUS_SHARED", ROOT.parent / "shared")).resolve()


def read_text(path: Path) -> str:
    """Decode UTF-8 (cp1252 as fallback), NFC-normalise and unify line endings."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def body_paragraphs(rel: str, text: str) -> list[str]:
    """Body paragraphs of one file, following the conventions the gold was written against.

    BBC files: headline, blank line, blank-line separated paragraphs. Seed 000: blank-line
    separated, no headline. Seed 004: one paragraph per line, boilerplate lines skipped (the
    related-story headline after the tenth line is one of them).
    """
    if rel.startswith("seeds/004"):
        lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
        kept = [ln for ln in lines if not SEED_BOILERPLATE.match(ln)]
        return [ln for ln in kept if not (ln.startswith("Russia has") and ln.endswith("chief"))]
    if rel.startswith("seeds/"):
        blocks = BLANK_LINES.split(text)
    else:
        blocks = BLANK_LINES.split(text.split("\n", 1)[1] if "\n" in text else "")
    return [b.strip() for b in blocks if b.strip()]


@dataclass
class Score:
    """Counts for one matching level."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def line(self, name: str) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"{name:<14} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})"


LEVELS = ("value", "value+kind", "value+object")


@dataclass
class Tally:
    """Scores of one gold set (or several added together)."""

    paragraphs: int = 0
    figures: int = 0
    hedge_ok: int = 0
    hedge_n: int = 0
    event_ok: int = 0
    event_n: int = 0

    def __post_init__(self) -> None:
        self.levels = {name: Score() for name in LEVELS}
        self.misses: list[str] = []

    def add(self, other: Tally) -> None:
        for name in ("paragraphs", "figures", "hedge_ok", "hedge_n", "event_ok", "event_n"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name, sc in other.levels.items():
            mine = self.levels[name]
            mine.tp, mine.fp, mine.fn = mine.tp + sc.tp, mine.fp + sc.fp, mine.fn + sc.fn
        self.misses.extend(other.misses)

    def report(self, title: str) -> None:
        print(f"{title} ({self.paragraphs} paragraphs, {self.figures} gold figures)")
        for name, sc in self.levels.items():
            print(sc.line(name))
        print(
            f"hedge accuracy {self.hedge_ok / max(self.hedge_n, 1):.3f} "
            f"({self.hedge_ok}/{self.hedge_n} matched figures)"
        )
        print(
            f"event accuracy {self.event_ok / max(self.event_n, 1):.3f} "
            f"({self.event_ok}/{self.event_n} gold events)"
        )


def same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b)) or abs(a - b) < 0.001


def match(gold: list[dict], pred: list[Figure]) -> list[tuple[dict | None, Figure | None]]:
    """Pair gold and predicted figures whose spans overlap, greedily in text order."""
    pairs: list[tuple[dict | None, Figure | None]] = []
    used: set[int] = set()
    for g in gold:
        best = None
        for i, f in enumerate(pred):
            if i not in used and f.start < g["end"] and g["start"] < f.end:
                best = i
                break
        if best is None:
            pairs.append((g, None))
        else:
            used.add(best)
            pairs.append((g, pred[best]))
    pairs.extend((None, f) for i, f in enumerate(pred) if i not in used)
    return pairs


def shared_paragraphs(shared: Path, rel: str) -> list[str]:
    """Body paragraphs of a BBC or seed file, split the simple way the gold was written against."""
    base = shared / "corpora" if rel.startswith("bbc/") else shared
    return body_paragraphs(rel, read_text(base / rel))


def demo_paragraphs(rel: str) -> list[str]:
    """Body paragraphs of a demo file (``demo/<path>``), as the loader splits them."""
    inner = rel.removeprefix("demo/")
    article = parse_article((DEMO / inner).read_bytes(), inner, extract=None)
    return [p.text for p in article.paragraphs]


def score_set(gold: Path, paragraphs_of: Callable[[str], list[str]]) -> Tally:
    """Score every gold line of one file; ``paragraphs_of(path)`` gives that file's paragraphs."""
    tally = Tally()
    cache: dict[str, list[str]] = {}
    for line in gold.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        rel = item["path"]
        if rel not in cache:
            cache[rel] = paragraphs_of(rel)
        text = cache[rel][item["position"]]
        where = f"{rel}:{item['position']}"
        tally.paragraphs += 1
        tally.figures += len(item["figures"])
        for g, f in match(item["figures"], body_figures(text, item["position"], extract_figures)):
            checks = {
                "value": g is not None
                and f is not None
                and same_value(g["value"], f.value)
                and same_value(g.get("value_high"), f.value_high),
            }
            checks["value+kind"] = checks["value"] and g["kind"] == f.kind
            checks["value+object"] = checks["value"] and g.get("object") == f.object
            for name, ok in checks.items():
                sc = tally.levels[name]
                if ok:
                    sc.tp += 1
                else:
                    sc.fp += f is not None
                    sc.fn += g is not None
            gs = text[g["start"] : g["end"]] if g else None
            misses = tally.misses
            if g is None:
                misses.append(f"extra   {where} {f.surface!r} {f.kind} ({f.rule})")
                continue
            if f is None:
                misses.append(f"missed  {where} {gs!r} {g['kind']}")
                continue
            if not checks["value+kind"]:
                misses.append(
                    f"value   {where} {gs!r} gold {g['value']}/{g.get('value_high')} {g['kind']}"
                    f" got {f.surface!r} {f.value}/{f.value_high} {f.kind} ({f.rule})"
                )
            elif not checks["value+object"]:
                misses.append(f"object  {where} {gs!r} gold {g.get('object')} got {f.object}")
            tally.hedge_n += 1
            if g.get("hedge") == f.hedge:
                tally.hedge_ok += 1
            else:
                misses.append(f"hedge   {where} {gs!r} gold {g.get('hedge')} got {f.hedge}")
            if g.get("event"):
                tally.event_n += 1
                if g["event"] == f.event:
                    tally.event_ok += 1
                else:
                    misses.append(f"event   {where} {gs!r} gold {g['event']} got {f.event}")
    return tally


# --- public sets, scored beside quantulum3 -------------------------------------------------

_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_BARE_YEAR = re.compile(
    r"^(?:1[5-9]\d\d|20\d\d)s?(?:\s*(?:-|–|to|and|until|/)\s*(?:\d{2}|\d{4}))?$"
)
_MONTH_NEAR_BEFORE = re.compile(r"\b" + _MONTH_WORD + r"(?:\s+of)?\s*$", re.IGNORECASE)
_MONTH_NEAR_AFTER = re.compile(r"^\s*(?:of\s+)?" + _MONTH_WORD + r"(?![a-z])", re.IGNORECASE)
_MONTH_INSIDE = re.compile(r"\b" + _MONTH_WORD + r"(?![a-z])", re.IGNORECASE)
_CLOCK_SPAN = re.compile(r"\d:\d\d\b|\d(?:[.:]\d\d)?\s?[ap]\.?m\b", re.IGNORECASE)
_CLOCK_AFTER = re.compile(r"^(?:\s?[ap]\.m\.|\s?[ap]m\b|:\d\d)", re.IGNORECASE)
_ORDINAL_SPAN = re.compile(
    r"^(?:the\s+)?(?:\d+(?:st|nd|rd|th)|(?:third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
    r"|eleventh|twelfth|\w+teenth|\w+tieth|hundredth))(?:-\w+)?$",
    re.IGNORECASE,
)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b", re.IGNORECASE)
_RANGE_VALUE = re.compile(r"^\s*(-?[\d.]+(?:e[+-]?\d+)?)\s*-\s*(-?[\d.]+(?:e[+-]?\d+)?)\s*$")


def is_calendar(text: str, start: int, end: int) -> bool:
    """Whether the span ``text[start:end]`` is a year, a date, a clock time or a rank (the one
    rule applied to every system's output and to gold with a known surface)."""
    span = text[start:end].strip()
    if _BARE_YEAR.match(span) or _MONTH_INSIDE.search(span) or _CLOCK_SPAN.search(span):
        return True
    if _ORDINAL_SPAN.match(span) or _ORDINAL_AFTER.match(text[end : end + 3]):
        return True
    if _CLOCK_AFTER.match(text[end : end + 5]):
        return True
    if not re.fullmatch(r"\d{1,4},?", span):
        return False
    return bool(
        _MONTH_NEAR_BEFORE.search(text[max(0, start - 14) : start])
        or _MONTH_NEAR_AFTER.match(text[end : end + 14])
    )


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(a), abs(b)) or abs(a - b) < 1e-3


# Conventions both systems may follow, read from the text of the span each system reports and
# applied identically to both: an amount in pence or cents may be stated in the sub-unit (the
# sets' reading, "164p" is 164) or in the main unit (the extractor's, 1.64); a count of dozens
# as dozens ("a dozen" is 1 dozen) or as units (12); an indefinite plural of a scale ("hundreds
# of", "dozens", "tens of millions") as the sets' range of one to ten times the scale or as any
# single number the system gives. No gold number is dropped: each reading is paired against the
# same gold numbers and a system's reading counts as many numbers as it holds.
_SUBUNIT_AFTER = re.compile(r"\s?(?:p|pence|cents?|¢)(?![a-z])", re.IGNORECASE)
_DOZEN = re.compile(r"\bdozens?\b", re.IGNORECASE)
_PLURAL_SCALE = {"dozens": 12.0, "tens": 10.0, "hundreds": 100.0, "thousands": 1e3,
                 "millions": 1e6, "billions": 1e9, "trillions": 1e12}
_INDEFINITE = re.compile(
    r"^(?:(tens|hundreds|dozens)\s+of\s+)?(dozens|hundreds|thousands|millions|billions|trillions)"
    r"(?:\s+of)?$",
    re.IGNORECASE,
)


def readings(text: str, start: int, end: int, numbers: list[float]) -> list[list[float]]:
    """The readings of one reported span: its numbers as given, then the conventional ones."""
    span = text[start:end].strip()
    out = [numbers]
    plural = _INDEFINITE.match(span)
    if plural and len(numbers) == 1:
        scale = _PLURAL_SCALE[plural.group(2).lower()]
        if plural.group(1):
            scale *= _PLURAL_SCALE[plural.group(1).lower()]
        out.append([scale, 10 * scale])
    if _SUBUNIT_AFTER.match(text, end) or _SUBUNIT_AFTER.search(span[-7:]):
        out.extend([[n * 100 for n in numbers], [n / 100 for n in numbers]])
    if _DOZEN.search(span) and not plural:
        out.extend([[n / 12 for n in numbers], [n * 12 for n in numbers]])
    return out


def pair_numbers(gold: list[float], pred: list[list[list[float]]]) -> tuple[int, int]:
    """(hits, numbers predicted): each predicted span takes the reading that pairs most gold
    numbers still unpaired (the first reading on a tie), each gold number used once."""
    left = list(gold)
    hits = n_pred = 0
    for options in pred:
        best, best_hits, best_left = options[0], -1, left
        for option in options:
            rest = list(left)
            got = 0
            for p in option:
                for i, g in enumerate(rest):
                    if close(g, p):
                        del rest[i]
                        got += 1
                        break
            if got > best_hits:
                best, best_hits, best_left = option, got, rest
        left = best_left
        hits += best_hits
        n_pred += len(best)
    return hits, n_pred


def ours_numbers(text: str) -> list[list[list[float]]]:
    """The extractor's spans for one sentence as readings (calendar spans dropped, ranges as
    two ends)."""
    out: list[list[list[float]]] = []
    for f in extract_figures(text):
        if is_calendar(text, f.start, f.end):
            continue
        numbers = [f.value] + ([f.value_high] if f.value_high is not None else [])
        out.append(readings(text, f.start, f.end, numbers))
    return out


def quantulum_numbers(parse: Callable, text: str) -> list[list[list[float]]] | None:
    """quantulum3's spans for one sentence as readings by the same rule; None when it raises."""
    try:
        quantities = parse(text)
    except Exception:  # noqa: BLE001 - a crash on one sentence is counted, not fatal
        return None
    out: list[list[list[float]]] = []
    for q in quantities:
        start, end = q.span
        if is_calendar(text, start, end):
            continue
        unc = getattr(q, "uncertainty", None)
        if unc and "±" not in q.surface and "+/-" not in q.surface:
            numbers = [q.value - unc, q.value + unc]  # a range read as mean +/- half-width
        else:
            numbers = [q.value]
        out.append(readings(text, start, end, numbers))
    return out


def gold_numbers(value: object) -> list[float]:
    """A gold value as numbers: "46.0-57.0" is a range (two ends), "-5" one number."""
    text = str(value)
    m = _RANGE_VALUE.match(text)
    if m:
        return [float(m.group(1)), float(m.group(2))]
    return [float(text)]


def tuning_half(text: str) -> bool:
    """Even first hex digit of the sentence's SHA-1: tuning half; odd: measure-only half."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[0], 16) % 2 == 0


def load_quantulum() -> tuple[Callable | None, str]:
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser as q3
        version = getattr(sys.modules.get("quantulum3"), "__version__", "?")
        return q3.parse, f"quantulum3 {version}"
    except ImportError as exc:
        return None, f"quantulum3 not installed ({exc}); its column is skipped"


def public_sets() -> list[tuple[str, list[tuple[str, list[float]]]]]:
    """(name, [(sentence, gold numbers)]) for every public set found; prints why others are not."""
    sets = []
    cqe = os.environ.get("REPORTCORPUS_CQE")
    names = ("NewsQuant", "age-model", "currency-model", "dimension-model", "temperature-model")
    if not cqe:
        print("CQE sets: skipped, REPORTCORPUS_CQE is not set (folder data/formatted_test_set)")
    else:
        for name in names:
            path = Path(cqe) / f"{name}.json"
            if not path.is_file():
                print(f"{name}: skipped, {path} not found")
                continue
            try:
                rows = json.loads(path.read_text(encoding="utf-8"))
                items = [
                    (r["text"], [n for q in r["quantities"] for n in gold_numbers(q["value"])])
                    for r in rows
                ]
            except (ValueError, KeyError, TypeError) as exc:
                print(f"{name}: skipped, {path} is not in the expected format ({exc})")
                continue
            sets.append((name, items))
    qt = os.environ.get("REPORTCORPUS_QUANTULUM_TESTS")
    if not qt:
        print("quantulum3 tests: skipped, REPORTCORPUS_QUANTULUM_TESTS is not set (quantities.json)")
    elif not Path(qt).is_file():
        print(f"quantulum3 tests: skipped, {qt} not found")
    else:
        try:
            items = []
            for r in json.loads(Path(qt).read_text(encoding="utf-8")):
                text, numbers = r["req"], []
                for q in r["res"]:
                    at = text.find(q["surface"])
                    if at >= 0 and is_calendar(text, at, at + len(q["surface"])):
                        continue
                    unc = q.get("uncertainty")
                    if unc and "+/-" not in q["surface"] and "±" not in q["surface"]:
                        numbers.extend([q["value"] - unc, q["value"] + unc])
                    else:
                        numbers.append(float(q["value"]))
                items.append((text, numbers))
            sets.append(("quantulum3 tests", items))
        except (ValueError, KeyError, TypeError) as exc:
            print(f"quantulum3 tests: skipped, {qt} is not in the expected format ({exc})")
    return sets


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_numbers(
    items: list[tuple[str, list[float]]],
    system: Callable[[str], list[list[list[float]]] | None],
) -> tuple[tuple[float, float, float], int, list[str]]:
    tp = n_pred = n_gold = crashes = 0
    misses = []
    for text, gold in items:
        pred = system(text)
        if pred is None:
            crashes += 1
            pred = []
        hits, n = pair_numbers(gold, pred)
        tp, n_pred, n_gold = tp + hits, n_pred + n, n_gold + len(gold)
        if hits != len(gold) or hits != n:
            got = [p[0] if len(p[0]) > 1 else p[0][0] for p in pred]
            misses.append(f"  gold {gold} got {got}: {text[:150]}")
    return prf(tp, n_pred, n_gold), crashes, misses


def compare_public(
    name: str, items: list[tuple[str, list[float]]], q3: Callable | None, verbose: bool
) -> list[tuple[str, str, tuple, tuple | None]]:
    rows = []
    for part, keep in (("tuning", True), ("measure-only", False)):
        chosen = [it for it in items if tuning_half(it[0]) == keep]
        ours, _, misses = score_numbers(chosen, ours_numbers)
        theirs = None
        if q3 is not None:
            theirs, crashes, _ = score_numbers(chosen, lambda t: quantulum_numbers(q3, t))
            theirs = (*theirs, crashes)
        rows.append((f"{name} {part} ({len(chosen)})", part, ours, theirs))
        if verbose and keep:
            print(f"misses on {name} tuning half:")
            print("\n".join(misses))
    return rows


def basil_paragraphs(folder: Path) -> dict[str, list[str]]:
    """Body paragraphs of every BASIL article by uuid, sentences joined by spaces."""
    out = {}
    for path in sorted(folder.glob("*/*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            out[data["uuid"]] = [" ".join(p) for p in data["body-paragraphs"]]
        except (ValueError, KeyError, TypeError) as exc:
            print(f"BASIL: {path} skipped, not a BASIL article ({exc})")
    return out


def basil_gold(
    gold_path: Path, paragraphs: dict[str, list[str]], folder: str
) -> tuple[dict[str, Score], list[tuple[str, list[float]]]]:
    """Score one BASIL gold file by our conventions; return those counts and the shared items."""
    strict = {name: Score() for name in ("value", "value+kind")}
    shared: list[tuple[str, list[float]]] = []
    missing = 0
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        paras = paragraphs.get(item["uuid"])
        if paras is None or item["paragraph"] >= len(paras):
            missing += 1
            continue
        text = paras[item["paragraph"]]
        gold = item["figures"]
        pred = body_figures(text, item["paragraph"], extract_figures)
        left = list(pred)
        for g in gold:
            same = [
                f for f in left
                if same_value(g["value"], f.value) and same_value(g["value_high"], f.value_high)
            ]
            if not same:
                continue
            f = next((f for f in same if f.kind == g["kind"]), same[0])
            left.remove(f)
            strict["value"].tp += 1
            if f.kind == g["kind"]:
                strict["value+kind"].tp += 1
            else:
                strict["value+kind"].fp += 1
                strict["value+kind"].fn += 1
        matched = len(pred) - len(left)
        for sc in strict.values():
            sc.fp += len(left)
            sc.fn += len(gold) - matched
        numbers = [
            n for g in gold if g["kind"] not in ("date", "year", "time", "ordinal")
            for n in ([g["value"]] + ([g["value_high"]] if g["value_high"] is not None else []))
        ]
        shared.append((text, numbers))
    if missing:
        print(f"BASIL: {missing} paragraphs of {gold_path.name} not found in {folder}")
    return strict, shared


def score_basil(q3: Callable | None) -> list[tuple[str, str, tuple, tuple | None]]:
    """BASIL, measure-only: our conventions for the extractor, the shared rule for both.

    Each gold file is scored on its own, then both together ("BASIL combined")."""
    folder = os.environ.get("REPORTCORPUS_BASIL")
    if not folder or not Path(folder).is_dir():
        why = "REPORTCORPUS_BASIL is not set" if not folder else f"{folder} is not a folder"
        print(f"BASIL: skipped, {why} (the articles folder of launchnlp/BASIL)")
        return []
    paragraphs = basil_paragraphs(Path(folder))
    parts = []
    for title, gold_path in (("BASIL", GOLD_BASIL), ("BASIL second file", GOLD_BASIL2)):
        strict, shared = basil_gold(gold_path, paragraphs, folder)
        parts.append((title, strict, shared))
    combined = {name: Score() for name in parts[0][1]}
    for _, strict, _ in parts:
        for name, sc in strict.items():
            combined[name].tp += sc.tp
            combined[name].fp += sc.fp
            combined[name].fn += sc.fn
    parts.append(("BASIL combined", combined, [it for part in parts for it in part[2]]))
    rows = []
    for title, strict, shared in parts:
        # Measure-only: its misses are never listed, so that nobody tunes on them.
        print(f"{title} measure-only, our conventions ({len(shared)} paragraphs)")
        for name, sc in strict.items():
            print(sc.line(name))
        print()
        ours, _, _ = score_numbers(shared, ours_numbers)
        theirs = None
        if q3 is not None:
            theirs, crashes, _ = score_numbers(shared, lambda t: quantulum_numbers(q3, t))
            theirs = (*theirs, crashes)
        rows.append((f"{title} measure-only ({len(shared)})", "measure-only", ours, theirs))
    return rows


def report_public(rows: list[tuple[str, str, tuple, tuple | None]], q3_name: str) -> None:
    print(f"Public sets, value P / R / F1, ours beside {q3_name} (same run, shared rule)")
    for title, _, ours, theirs in rows:
        mine = "{:.3f} / {:.3f} / {:.3f}".format(*ours)
        other = "n/a" if theirs is None else "{:.3f} / {:.3f} / {:.3f}".format(*theirs[:3])
        crash = "" if theirs is None or not theirs[3] else f" ({theirs[3]} sentences raised)"
        print(f"{title:<38} ours {mine}   quantulum3 {other}{crash}")


def evaluate(verbose: bool) -> None:
    shared = shared_dir()
    sets: list[tuple[str, Tally]] = []
    if shared.is_dir():
        sets.append(("bbc+seeds", score_set(GOLD, lambda rel: shared_paragraphs(shared, rel))))
    else:
        print(f"bbc+seeds: skipped, shared data not found at {shared} (set REPORTCORPUS_SHARED)")
    sets.append(("demo held-out", score_set(GOLD_DEMO, demo_paragraphs)))
    combined = Tally()
    for title, tally in sets:
        tally.report(title)
        combined.add(tally)
        print()
    if len(sets) > 1:
        combined.report("combined")
        print()
    if verbose:
        print("\n".join(combined.misses))
        print()
    q3, q3_name = load_quantulum()
    print(q3_name)
    rows = []
    for name, items in public_sets():
        rows.extend(compare_public(name, items, q3, verbose))
    rows.extend(score_basil(q3))
    if rows:
        report_public(rows, q3_name)
        print()
    speed(shared / "corpora" / "bbc")


def speed(bbc: Path) -> None:
    """Time extraction alone over every BBC body paragraph (reading is not timed)."""
    if not bbc.is_dir():
        print(f"speed: skipped, no corpus at {bbc}")
        return
    paragraphs = [
        p
        for path in sorted(bbc.glob("*/*.txt"))
        for p in body_paragraphs("bbc/" + path.parent.name + "/" + path.name, read_text(path))
    ]
    # Best of three runs: the machine may be busy with other work, and the minimum is the
    # closest to the extractor's own cost.
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        n = sum(len(extract_figures(p)) for p in paragraphs)
        runs.append(time.perf_counter() - t0)
    dt = min(runs)
    print(
        f"speed (best of 3): {len(paragraphs)} paragraphs, {n} figures in {dt:.2f}s: "
        f"{len(paragraphs) / dt:,.0f} paragraphs/s, {10000 * dt / len(paragraphs):.2f}s per 10k"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    evaluate(parser.parse_args().verbose)


if __name__ == "__main__":
    main()
