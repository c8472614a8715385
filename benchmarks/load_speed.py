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

CPU time (all processes) is printed beside wall time: spread over every core it is the
least wall time any scheduling of the same work could take here. Parsing alone (no
storing) is timed in one process on a sample of the files, to show how much of the bare
insert's time the parse workers need before anything is written.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlite_utils

from datasette_reportcorpus.loaders.load import LoadSummary, load


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


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (parse workers and
    forked ranking processes are joined before a load returns)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def parse_cpu(paths: list[str], sample: int) -> tuple[float, int, int]:
    """CPU seconds per file that the parse workers spend on a file, measured here in one
    process over the first ``sample`` files (a second pass, so caches are warm as they
    are in a long load); also the number timed and the number of files in ``paths``."""
    from datasette_reportcorpus.loaders import load as loader

    every, _ = loader.discover(paths)  # the load's own list of files
    jobs = every[:sample]
    parser = loader.Parser()  # figures, no repeated blocks known, the default limits
    for job in jobs:
        parser.parse(job)
    t0 = time.process_time()
    for job in jobs:
        parser.parse(job)
    return (time.process_time() - t0) / max(1, len(jobs)), len(jobs), len(every)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--parse-sample", type=int, default=2000,
                    help="files whose parsing alone is timed in one process (0: skip)")
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
    cpu: dict[str, list[float]] = {k: [] for k in variants}
    for r in range(args.rounds):
        for name, run in variants.items():
            with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as tmp:
                c0 = cpu_seconds()
                t0 = time.perf_counter()
                result = run(f"{tmp}/c.db")
                times[name].append(time.perf_counter() - t0)
                cpu[name].append(cpu_seconds() - c0)
                if isinstance(result, LoadSummary):
                    phases.setdefault(name, []).append(result.timings)
        print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in times.items()),
              flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    print()
    for k, v in med.items():
        print(f"{k:8} median {v:7.2f} s, CPU {med_cpu[k]:7.2f} s (all processes)")
    for name, runs in phases.items():
        part = {p: statistics.median(t.get(p, 0.0) for t in runs)
                for p in ("files", "boilerplate", "related", "indexes")}
        plain = part["files"] + part["boilerplate"] + part["indexes"]
        print(f"{name:8} phases: files {part['files']:.2f} s, boilerplate "
              f"{part['boilerplate']:.2f} s, related {part['related']:.2f} s, indexes "
              f"{part['indexes']:.2f} s; related / plain load = {part['related'] / plain:.2f}")
    cores = os.cpu_count() or 1
    if "bare" in med:
        # Wall time can never beat the CPU time spread over every core: the floor any
        # scheduling of the same work could reach on this machine.
        for name in med:
            if name != "bare":
                print(f"{name:8} CPU / {cores} cores = {med_cpu[name] / cores:.2f} s, "
                      f"{med_cpu[name] / cores / med['bare']:.2f} x bare wall at best")
    if args.parse_sample:
        per, sampled, total = parse_cpu(paths, args.parse_sample)
        print(f"parsing alone (read, clean, figures, term counts; nothing stored): "
              f"{per * 1000:.3f} ms CPU per file over {sampled} files")
        if "bare" in med and total:
            floor = per * total / cores
            print(f"  for all {total} files on {cores} cores: {floor:.2f} s = "
                  f"{floor / med['bare']:.2f} x bare wall, before anything is stored")
    for a, b, note in (("full", "no-figs", "  (figure extraction overhead)"),
                       ("full", "bare", ""), ("no-figs", "bare", "")):
        if a in med and b in med:
            print(f"{a} / {b} = {med[a] / med[b]:.2f}{note}")


if __name__ == "__main__":
    main()
