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
    python benchmarks/load_speed.py --sizes 20000,200000 --work DIR   # the scale run

With ``--sizes``, corpora of those many articles are generated (once, kept in
``--work``; see ``generate_corpus.py``) and each is loaded bare and in full, every load in
a process of its own so that its peak memory (resident set of the loading process and
of its largest worker) is its own; after the largest, 100 new articles (another seed)
are loaded into its corpus: the incremental load a researcher adding a week of
coverage waits for. Everything is printed in one table at the end.

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


def _child(variant: str, db: str, paths: list[str], workers: int) -> None:
    """One measured load in this process; prints its figures as JSON (see --sizes)."""
    import json

    manifest = None
    if len(paths) == 1 and (Path(paths[0]) / "manifest.csv").is_file():
        manifest = str(Path(paths[0]) / "manifest.csv")
    c0, t0 = cpu_seconds(), time.perf_counter()
    timings: dict = {}
    if variant == "bare":
        bare_insert(db, paths)
    else:
        timings = load(db, paths, manifest=manifest, workers=workers).timings
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"wall": time.perf_counter() - t0, "cpu": cpu_seconds() - c0,
                      "rss_mb": own / 1024, "worker_rss_mb": kids / 1024, "timings": timings}))


def measured(variant: str, db: str, paths: list[str], workers: int) -> dict:
    import json
    import subprocess

    out = subprocess.run([sys.executable, __file__, "--child", variant, db, *paths,
                          "--workers", str(workers)], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{variant} load of {paths} failed: {out.stderr.strip()[-500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def corpus(work: Path, articles: int, seed: int = 4, name: str | None = None,
           pool: Path | None = None) -> Path:
    """A generated folder of ``articles`` files in ``work`` (made once, then reused)."""
    import subprocess

    folder = work / (name or f"corpus-{articles}")
    if not (folder / "manifest.csv").is_file():
        work.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate_corpus.py"),
                        "--files", str(folder), "--articles", str(articles),
                        "--seed", str(seed), "--pool", str(pool or work / "pool.db")],
                       check=True)
    return folder


def scale_run(sizes: list[int], work: Path, rounds: int, workers: int) -> None:
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    big_db = None
    for size in sizes:
        folder = corpus(work, size)
        res: dict[str, list[dict]] = {"bare": [], "full": []}
        for r in range(rounds):
            for variant in res:
                db = work / f"{variant}-{size}.db"
                for leftover in work.glob(db.name + "*"):
                    leftover.unlink()
                res[variant].append(measured(variant, str(db), [str(folder)], workers))
                print(f"{size} articles, round {r + 1}, {variant}: "
                      f"{res[variant][-1]['wall']:.1f} s", flush=True)
        bare = statistics.median(x["wall"] for x in res["bare"])
        full = sorted(res["full"], key=lambda x: x["wall"])[len(res["full"]) // 2]
        rows.append((size, bare, statistics.median(x["cpu"] for x in res["bare"]), full))
        big_db = work / f"full-{size}.db"
    # 100 new articles (another seed), in a folder of their own so their keys are new.
    inc = corpus(work / "increment", 100, seed=99, name="new", pool=work / "pool.db")
    incremental = measured("full", str(big_db), [str(inc.parent)], workers)
    print()
    print(f"{'articles':>9} {'bare s':>7} {'bare CPU':>8} {'full s':>7} {'full CPU':>8} "
          f"{'ratio':>6} {'CPU/cores':>9} {'peak MB (main, worker)':>23}  phases (s)")
    cores = os.cpu_count() or 1
    for size, bare, bare_cpu, full in rows:
        t = full["timings"]
        print(f"{size:9d} {bare:7.1f} {bare_cpu:8.1f} {full['wall']:7.1f} {full['cpu']:8.1f} "
              f"{full['wall'] / bare:6.2f} {full['cpu'] / cores / bare:9.2f} "
              f"{full['rss_mb']:11.0f}, {full['worker_rss_mb']:9.0f}  "
              + ", ".join(f"{k} {v:.1f}" for k, v in t.items()))
    t = incremental["timings"]
    print(f"incremental: 100 new articles into the {sizes[-1]}-article corpus: "
          f"{incremental['wall']:.1f} s wall, {incremental['cpu']:.1f} s CPU, peak "
          f"{incremental['rss_mb']:.0f} MB; " + ", ".join(f"{k} {v:.1f}" for k, v in t.items()))
    print("ratio = full wall / bare wall (goal <= 3); CPU/cores = the full load's CPU time"
          " spread over every core, over bare wall: the least ratio any scheduling reaches")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        ap = argparse.ArgumentParser()
        ap.add_argument("variant")
        ap.add_argument("db")
        ap.add_argument("paths", nargs="+")
        ap.add_argument("--workers", type=int, default=2)
        a = ap.parse_args(sys.argv[2:])
        _child(a.variant, a.db, a.paths, a.workers)
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--parse-sample", type=int, default=2000,
                    help="files whose parsing alone is timed in one process (0: skip)")
    ap.add_argument("--only", default="bare,no-figs,full",
                    help="comma-separated variants to run (bare, no-figs, full)")
    ap.add_argument("--sizes", help="comma-separated article counts: generated corpora, each"
                    " loaded bare and in full, then an incremental load of 100 (see above)")
    ap.add_argument("--work", help="folder for the generated corpora and databases (--sizes)")
    args = ap.parse_args()
    if args.sizes:
        if not args.work:
            ap.error("--sizes needs --work DIR")
        scale_run([int(x) for x in args.sizes.split(",")], Path(args.work), args.rounds,
                  args.workers)
        return
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
