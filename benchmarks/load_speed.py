"""Load speed: with and without figure extraction, against a bare sqlite-utils insert.

Runs the loads side by side, alternating, so machine noise hits every variant
alike, and prints the median of each and their ratios:

* bare     - sqlite-utils inserts the same paragraphs (split on blank lines) with an
             FTS5 index, nothing else: the floor for any loader
* no-figs  - reportcorpus load --no-figures
* full     - reportcorpus load (figures, boilerplate, corpus-wide passes)

    python benchmarks/load_speed.py [PATH ...] [--rounds 3] [--workers 2]

PATH defaults to the BBC corpus in REPORTCORPUS_SHARED.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlite_utils

from loaders.load import load


def bare_insert(db_path: str, paths: list[str]) -> int:
    """The simplest possible load: files split on blank lines, inserted with FTS5."""
    db = sqlite_utils.Database(db_path)
    rows = []
    for root in paths:
        for f in sorted(Path(root).rglob("*.txt")):
            text = f.read_bytes().decode("utf-8", errors="replace")
            for i, para in enumerate(p for p in text.split("\n\n") if p.strip()):
                rows.append({"path": str(f), "position": i, "text": para})
    db["paragraphs"].insert_all(rows, batch_size=5000)
    db["paragraphs"].enable_fts(["text"], fts_version="FTS5", tokenize="porter")
    return len(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    paths = args.paths
    if not paths:
        shared = Path(os.environ.get("REPORTCORPUS_SHARED", ROOT.parent / "shared"))
        bbc = shared / "corpora" / "bbc"
        if not bbc.is_dir():
            sys.exit(f"BBC corpus not found at {bbc}: set REPORTCORPUS_SHARED or give paths")
        paths = [str(bbc)]

    variants = {
        "bare": lambda db: bare_insert(db, paths),
        "no-figs": lambda db: load(db, paths, figures=False, workers=args.workers),
        "full": lambda db: load(db, paths, figures=True, workers=args.workers),
    }
    times: dict[str, list[float]] = {k: [] for k in variants}
    for r in range(args.rounds):
        for name, run in variants.items():
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.perf_counter()
                run(f"{tmp}/c.db")
                times[name].append(time.perf_counter() - t0)
        print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in times.items()))
    med = {k: statistics.median(v) for k, v in times.items()}
    print()
    for k, v in med.items():
        print(f"{k:8} median {v:6.2f} s")
    print(f"full / no-figs  = {med['full'] / med['no-figs']:.2f}  (figure extraction overhead)")
    print(f"full / bare     = {med['full'] / med['bare']:.2f}")
    print(f"no-figs / bare  = {med['no-figs'] / med['bare']:.2f}")


if __name__ == "__main__":
    main()
