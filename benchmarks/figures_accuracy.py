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
"""

from __future__ import annotations

import argparse
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

from loaders.figures import extract_figures
from loaders.model import Figure
from loaders.parse import body_figures, parse_article

GOLD = ROOT / "benchmarks" / "gold" / "figures.jsonl"
GOLD_DEMO = ROOT / "benchmarks" / "gold" / "figures_demo.jsonl"
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
