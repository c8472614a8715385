"""Write a folder of report files holding about N paragraphs, for ``reportcorpus load``.

    python benchmarks/generate_paragraphs.py /tmp/c100k --paragraphs 100000
    reportcorpus load /tmp/c100k.db /tmp/c100k --manifest /tmp/c100k/manifest.csv -q
    python benchmarks/generate_paragraphs.py /tmp/c1m --paragraphs 1000000

Sentences of the BBC News corpus (found through ``REPORTCORPUS_SHARED``, default
``../shared``: ``corpora/bbc``) and of the bundled demo corpus are recombined, seeded,
into stories told by one to six fictional outlets (the recombination of
``generate_corpus.py --files``, which this reuses: its pool database is built once with
the real loader). Each outlet writes in one of the three paragraph conventions the
loader reads, so a load of the folder exercises all three:

* ``blank-lines``: a headline, then paragraphs separated by blank lines;
* ``one-per-line``: a headline and a blank line, then one paragraph a line;
* ``indented``: newswire copy hard-wrapped at 72 columns, each paragraph starting at an
  indented line, the first with a dateline.

A ``manifest.csv`` gives each file's outlet and date. The same ``--seed`` and
``--paragraphs`` always give the same files. Keep the folder outside the repository.
Without the BBC corpus the script stops with a message saying where it looked.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
import sys
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_corpus import (  # noqa: E402  (the benchmarks folder, put on the path above)
    OUTLETS,
    STORY_SIZES,
    _paragraphs,
    _renamer,
    build_pool,
    default_bbc,
    read_sentences,
)

CONVENTIONS = ("blank-lines", "one-per-line", "indented")
WIDTH = 72


def outlet_conventions() -> dict[str, str]:
    """Each outlet's convention: the outlets take the three in turn."""
    return {o: CONVENTIONS[i % len(CONVENTIONS)] for i, o in enumerate(OUTLETS)}


def render(convention: str, headline: str, body: list[str], place: str, day: dt.date,
           outlet: str) -> str:
    """One report's file text in ``convention``."""
    if convention == "blank-lines":
        return headline + "\n\n" + "\n\n".join(body) + "\n"
    if convention == "one-per-line":
        return headline + "\n\n" + "\n".join(body) + "\n"
    dateline = f"{place.upper()}, {day.strftime('%B')} {day.day} ({outlet}) - "
    lines = []
    for i, para in enumerate(body):
        lines += textwrap.wrap((dateline if i == 0 else "") + para, width=WIDTH,
                               initial_indent="     ", subsequent_indent="",
                               break_on_hyphens=False)
    return "\n".join(lines) + "\n"


def generate(out: Path, paragraphs: int, seed: int, pool: list[str], keep: set[str]) -> dict:
    """Write files under ``out`` until they hold ``paragraphs`` paragraphs; return counts."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=False)
    conventions = outlet_conventions()
    slugs = {o: re.sub(r"[^a-z]+", "-", o.lower()).strip("-") for o in OUTLETS}
    for slug in slugs.values():
        (out / slug).mkdir()
    counts = {"files": 0, "paragraphs": 0, **{c: 0 for c in CONVENTIONS}}
    story = 0
    with (out / "manifest.csv").open("w", newline="", encoding="utf-8") as mf:
        manifest = csv.writer(mf)
        manifest.writerow(["path", "outlet", "published"])
        while counts["paragraphs"] < paragraphs:
            story += 1
            k = rng.choice(STORY_SIZES)
            core = [rng.choice(pool) for _ in range(rng.randint(6, 14))] if k > 1 else []
            rename = _renamer(rng, keep)
            headline = rename(rng.choice(core or pool))
            place = rename(" " + rng.choice(pool)).split()[0].strip(".,;:'\"")
            day = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(3000))
            for outlet in rng.sample(OUTLETS, k):
                counts["files"] += 1
                words = headline.rstrip(".").split()[:rng.randint(6, 10)]
                body = _paragraphs(rng, core, pool, rename)
                published = day + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3]))
                convention = conventions[outlet]
                rel = f"{slugs[outlet]}/{counts['files']:07d}.txt"
                (out / rel).write_text(render(convention, " ".join(words), body, place,
                                              published, outlet), encoding="utf-8")
                manifest.writerow([rel, outlet, published.isoformat()])
                counts["paragraphs"] += len(body)
                counts[convention] += 1
                if counts["paragraphs"] >= paragraphs:
                    break
            if story % 1000 == 0:
                print(f"\r{counts['files']:,} files, {counts['paragraphs']:,} paragraphs",
                      end="", file=sys.stderr)
    print(file=sys.stderr)
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to create (must not exist)")
    parser.add_argument("--paragraphs", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--bbc", type=Path, default=None, help="BBC corpus folder")
    parser.add_argument("--pool", type=Path, default=None,
                        help="pool database (default: <out's parent>/pool.db, reused)")
    args = parser.parse_args(argv)
    if args.out.exists():
        parser.error(f"{args.out} exists; choose a new folder")
    if args.paragraphs < 1:
        parser.error("--paragraphs must be at least 1")
    bbc = args.bbc or default_bbc()
    if not bbc.is_dir():
        parser.error(f"BBC corpus not found at {bbc} (set --bbc or REPORTCORPUS_SHARED)")
    pool_path = args.pool or args.out.resolve().parent / "pool.db"
    build_pool(pool_path, bbc)
    started = time.perf_counter()
    sentences, keep = read_sentences(pool_path)
    counts = generate(args.out, args.paragraphs, args.seed, sentences, keep)
    print(f"{counts['files']:,} files ({', '.join(f'{c} {counts[c]:,}' for c in CONVENTIONS)}),"
          f" {counts['paragraphs']:,} paragraphs in {time.perf_counter() - started:.0f}s"
          f" -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
