"""Load speed: with and without figure extraction, against a bare sqlite-utils insert.

Runs the loads side by side, alternating, so machine noise hits every variant
alike, and prints the median of each and their ratios:

* bare     - sqlite-utils inserts the same paragraphs (split on blank lines) with an
             FTS5 index, nothing else: the floor for any loader
* no-figs  - reportcorpus load --no-figures
* full     - reportcorpus load (figures, boilerplate, corpus-wide passes)

    python benchmarks/load_speed.py [PATH ...] [--rounds 3] [--workers 2]
    python benchmarks/generate_corpus.py --files big --articles 200000
    python benchmarks/load_speed.py big --rounds 1 --only bare,full

PATH defaults to the BBC corpus in REPORTCORPUS_SHARED; a folder holding a
``manifest.csv`` (as the generator writes) is loaded with it. For the loader's
variants the phases are printed too: files (read, parse, store), boilerplate (the
corpus-wide repeated-block pass), related (related reports and stories) and indexes
(building the indexes a large load sets aside), and the related pass is set against
the plain load (files + boilerplate + indexes).
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

from loaders.load import LoadSummary, load


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
    ap.add_argument("--only", default="bare,no-figs,full",
                    help="comma-separated variants to run (bare, no-figs, full)")
    args = ap.parse_args()
    paths = args.paths
    if not paths:
        shared = Path(os.environ.get("REPORTCORPUS_SHARED", ROOT.parent / "shared"))
        bbc = shared / "corpora" / "bbc"
        if not bbc.is_dir():
            sys.exit(f"BBC corpus not found at {bbc}: set REPORTCORPUS_SHARED or give paths")
        paths = [str(bbc)]

    manifest = None
    if len(paths) == 1 and (Path(paths[0]) / "manifest.csv").is_file():
        manifest = str(Path(paths[0]) / "manifest.csv")
    phases: dict[str, list[dict]] = {}

    def ours(db: str, figures: bool) -> LoadSummary:
        summary = load(db, paths, manifest=manifest, figures=figures, workers=args.workers)
        return summary

    every = {
        "bare": lambda db: bare_insert(db, paths),
        "no-figs": lambda db: ours(db, False),
        "full": lambda db: ours(db, True),
    }
    variants = {k: every[k] for k in args.only.split(",")}
    times: dict[str, list[float]] = {k: [] for k in variants}
    for r in range(args.rounds):
        for name, run in variants.items():
            with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as tmp:
                t0 = time.perf_counter()
                result = run(f"{tmp}/c.db")
                times[name].append(time.perf_counter() - t0)
                if isinstance(result, LoadSummary):
                    phases.setdefault(name, []).append(result.timings)
        print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in times.items()),
              flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    print()
    for k, v in med.items():
        print(f"{k:8} median {v:7.2f} s")
    for name, runs in phases.items():
        part = {p: statistics.median(t.get(p, 0.0) for t in runs)
                for p in ("files", "boilerplate", "related", "indexes")}
        plain = part["files"] + part["boilerplate"] + part["indexes"]
        print(f"{name:8} phases: files {part['files']:.2f} s, boilerplate "
              f"{part['boilerplate']:.2f} s, related {part['related']:.2f} s, indexes "
              f"{part['indexes']:.2f} s; related / plain load = {part['related'] / plain:.2f}")
    for a, b, note in (("full", "no-figs", "  (figure extraction overhead)"),
                       ("full", "bare", ""), ("no-figs", "bare", "")):
        if a in med and b in med:
            print(f"{a} / {b} = {med[a] / med[b]:.2f}{note}")


if __name__ == "__main__":
    main()
