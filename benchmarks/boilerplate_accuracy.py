"""Boilerplate and paragraph accuracy against hand-checked gold.

Loads three corpora through the real loader (so the corpus-wide repeated-block
pass takes part) and compares every block with the gold:

* seeds  - the two sample reports (gold in benchmarks/gold/boilerplate.json)
* demo   - the bundled fictional corpus (gold in datasette_reportcorpus/demo/gold.json)
* bbc    - 2,225 BBC reports (gold rule and exceptions in boilerplate.json)

Positive class = boilerplate. Prints precision, recall and F1 of dropping,
how many body paragraphs were wrongly dropped, reason accuracy, and the share
of files whose body paragraph count is exactly right.

    python benchmarks/boilerplate_accuracy.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.load import load

GOLD = json.loads((ROOT / "benchmarks/gold/boilerplate.json").read_text())
DEMO = ROOT / "datasette_reportcorpus/demo"


def shared_dir() -> Path:
    p = Path(os.environ.get("REPORTCORPUS_SHARED", ROOT.parent / "shared")).resolve()
    if not (p / "seeds").is_dir():
        sys.exit(f"shared data not found at {p}: set REPORTCORPUS_SHARED")
    return p


def loaded(db_path: str) -> dict[str, dict]:
    """path -> {"dropped": {line: reason}, "body": n, "body_lines": [line...], "title_derived"}"""
    conn = sqlite3.connect(db_path)
    out = {}
    for aid, path, derived, text in conn.execute(
        "select a.id, a.path, a.title_derived, s.text from articles a"
        " join article_sources s on s.id = a.id"
    ):
        def line(offset: int, text: str = text) -> int:
            return text.count("\n", 0, offset) + 1

        dropped = {
            line(start): reason
            for start, reason in conn.execute(
                "select start, reason from dropped where article_id = ? and reason != 'byline'"
                " or article_id = ? and reason = 'byline'", [aid, aid])
        }
        body = [line(r[0]) for r in conn.execute(
            "select start from paragraphs where article_id = ? order by position", [aid])]
        out[path] = {"dropped": dropped, "body_lines": body, "title_derived": bool(derived)}
    return out


def score(name: str, got: dict, want: dict, verbose: bool) -> dict:
    """want: path -> {"dropped": {line: reason} , "body": n}"""
    tp = fp = fn = reason_ok = exact = 0
    body_lost = []
    for path, w in want.items():
        g = got.get(path)
        if g is None:
            print(f"  {name}: {path} did not load")
            continue
        w_drop = {int(k): v for k, v in w["dropped"].items()}
        for ln, reason in g["dropped"].items():
            if ln in w_drop:
                tp += 1
                reason_ok += reason == w_drop[ln]
                if verbose and reason != w_drop[ln]:
                    print(f"  reason {path}:{ln} got {reason} want {w_drop[ln]}")
            else:
                fp += 1
                body_lost.append(f"{path}:{ln} ({reason})")
        for ln, reason in w_drop.items():
            if ln not in g["dropped"]:
                fn += 1
                if verbose:
                    print(f"  missed {path}:{ln} ({reason})")
        exact += len(g["body_lines"]) == w["body"]
        if verbose and len(g["body_lines"]) != w["body"]:
            print(f"  count {path}: {len(g['body_lines'])} body paragraphs, want {w['body']}")
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    if verbose:
        for b in body_lost:
            print(f"  dropped body text {b}")
    return {"set": name, "files": len(want), "boilerplate": tp + fn, "precision": p, "recall": r,
            "f1": f1, "body_dropped": fp, "reason_acc": reason_ok / tp if tp else 1.0,
            "count_exact": exact / len(want)}


def demo_want() -> dict:
    gold = json.loads((DEMO / "gold.json").read_text())["articles"]
    want = {}
    for path, g in gold.items():
        raw = (DEMO / path).read_bytes()
        from loaders.read import read_text

        text, _ = read_text(raw)
        lines = text.split("\n")
        dropped = {}
        for b in g["boilerplate"]:
            if b.get("prefix_of_body_paragraph"):
                continue  # a dateline stays with its paragraph
            start = b["starts_with"].replace("\u00a0", " ").strip()
            if start:
                hits = [i + 1 for i, ln in enumerate(lines) if ln.strip().startswith(start)]
            else:  # a spacer line of (non-breaking) spaces
                hits = [i + 1 for i, ln in enumerate(lines) if ln and not ln.strip()]
            for h in hits:
                if h not in dropped:
                    dropped[h] = b["reason"]
                    break
        want[path] = {"dropped": dropped, "body": g["body_paragraphs"]}
    return want


def bbc_want(bbc: Path) -> dict:
    exceptions = GOLD["bbc"]["dropped"]
    want = {}
    for f in sorted(bbc.glob("*/*.txt")):
        rel = f.relative_to(bbc).as_posix()
        raw = f.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        lines = text.replace("\r\n", "\n").split("\n")
        extra = exceptions.get(rel, {})
        body = sum(1 for i, ln in enumerate(lines[1:], 2) if ln.strip() and str(i) not in extra)
        want[rel] = {"dropped": extra, "body": body}
    return want


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    shared = shared_dir()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        seeds_db = f"{tmp}/seeds.db"
        load(seeds_db, [str(shared / "seeds")], figures=False)
        got = {f"seeds/{k}": v for k, v in loaded(seeds_db).items()}
        want = {k: {"dropped": v["dropped"], "body": v["body_paragraphs"]}
                for k, v in GOLD["seeds"].items()}
        results.append(score("seeds", got, want, args.verbose))

        demo_db = f"{tmp}/demo.db"
        load(demo_db, [str(DEMO)], manifest=str(DEMO / "manifest.csv"), figures=False)
        results.append(score("demo", loaded(demo_db), demo_want(), args.verbose))

        bbc = shared / "corpora/bbc"
        bbc_db = f"{tmp}/bbc.db"
        load(bbc_db, [str(bbc)], figures=False, workers=2)
        got = loaded(bbc_db)
        want = {k: v for k, v in bbc_want(bbc).items() if k in got}  # duplicates are not loaded
        results.append(score("bbc", got, want, args.verbose))
        elapsed = time.perf_counter() - t0

    print(f"{'set':6} {'files':>5} {'boiler':>6} {'P':>6} {'R':>6} {'F1':>6} "
          f"{'body lost':>9} {'reason':>6} {'count exact':>11}")
    for r in results:
        print(f"{r['set']:6} {r['files']:5d} {r['boilerplate']:6d} {r['precision']:6.3f} "
              f"{r['recall']:6.3f} {r['f1']:6.3f} {r['body_dropped']:9d} {r['reason_acc']:6.3f} "
              f"{r['count_exact']:11.3f}")
    print(f"({elapsed:.1f} s for all three loads)")


if __name__ == "__main__":
    main()
