"""Generate a large corpus database for benchmarks: real paragraphs, recombined, seeded.

The BBC News corpus and the bundled demo corpus are loaded once (with the real
loader: paragraphs, figures) into a *pool* database; synthetic articles are then
streamed into the output database, each made of paragraphs drawn from the pool
together with their figures, under fictional outlets, dates and stories. The same
``--seed`` and ``--articles`` always give the same corpus.

    python benchmarks/generate_corpus.py out.db --articles 200000   # ~1M paragraphs
    python benchmarks/generate_corpus.py out.db --articles 20000 --bbc ../shared/corpora/bbc

Memory stays flat: the pool (a few tens of thousands of paragraphs) is held in
memory, the output is written a batch at a time. The FTS index is rebuilt once at
the end rather than maintained row by row, which is what makes a million
paragraphs take minutes rather than an hour.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.load import load
from loaders.store import open_db

DEMO = ROOT / "datasette_reportcorpus" / "demo"
OUTLETS = [
    "Tidewater Wire", "Lowmoor Evening Star", "The Brackenford Herald", "The Kestrel Gazette",
    "Northfold Courier", "Ashby Vale Post", "The Marrowgate Times", "Coastline Daily",
    "Fenwick Chronicle", "The Upland Observer", "Harrowby Standard", "Westmere Record",
]
MEAN_PARAGRAPHS = 5  # 200k articles -> about 1M paragraphs
BATCH = 2000


def default_bbc() -> Path:
    shared = Path(os.environ.get("REPORTCORPUS_SHARED", ROOT.parent / "shared"))
    return shared / "corpora" / "bbc"


def build_pool(pool_path: Path, bbc: Path) -> None:
    """Load the BBC corpus and the demo corpus into ``pool_path`` (once; reused after)."""
    if pool_path.exists():
        return
    tmp = pool_path.with_suffix(".partial")
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    load(str(tmp), [str(bbc)], outlet="BBC", workers=os.cpu_count() or 1)
    load(str(tmp), [str(DEMO)], manifest=str(DEMO / "manifest.csv"), workers=1)
    tmp.rename(pool_path)
    print(f"pool built in {time.perf_counter() - started:.0f}s: {pool_path}", file=sys.stderr)


def read_pool(pool_path: Path) -> list[tuple[str, int, list[tuple]]]:
    """``(text, word_count, figures)`` for every pool paragraph."""
    conn = sqlite3.connect(pool_path)
    figures: dict[int, list[tuple]] = {}
    for row in conn.execute(
        "select paragraph_id, surface, value, value_high, unit, kind, hedge, object,"
        " object_phrase, event, start, [end], rule from figures"
    ):
        figures.setdefault(row[0], []).append(row[1:])
    pool = [(text, wc, figures.get(pid, []))
            for pid, text, wc in conn.execute("select id, text, word_count from paragraphs")]
    conn.close()
    return pool


def generate(out: Path, articles: int, seed: int, pool: list, stories: int) -> int:
    """Stream ``articles`` synthetic articles into ``out``; return the paragraph count."""
    rng = random.Random(seed)
    db = open_db(str(out))
    conn = db.conn
    triggers = conn.execute(
        "select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'paragraphs'"
    ).fetchall()
    for name, _ in triggers:  # rebuilt in one pass at the end instead
        conn.execute(f"drop trigger [{name}]")
    conn.execute("pragma journal_mode = wal")
    conn.execute("pragma synchronous = off")
    with conn:
        conn.executemany("insert into stories (id, label, article_count) values (?, ?, 0)",
                         [(i, f"story {i}") for i in range(1, stories + 1)])
    pid = fid = 0
    for start in range(0, articles, BATCH):
        a_rows, p_rows, f_rows = [], [], []
        for aid in range(start + 1, min(start + BATCH, articles) + 1):
            n = max(1, min(40, int(rng.expovariate(1 / MEAN_PARAGRAPHS)) + 1))
            picked = [pool[rng.randrange(len(pool))] for _ in range(n)]
            offset, words = 0, 0
            for position, (text, wc, figs) in enumerate(picked):
                pid += 1
                p_rows.append((pid, aid, position, text, offset, offset + len(text), wc))
                for f in figs:
                    fid += 1
                    f_rows.append((fid, pid, aid, *f))
                offset += len(text) + 2
                words += wc
            year = 2018 + rng.randrange(9)
            published = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            a_rows.append((
                aid, f"gen{seed}-{aid:07d}", aid, f"generated/{aid:07d}.txt",
                picked[0][0][:80], 1, OUTLETS[rng.randrange(len(OUTLETS))], None, published,
                None, n, words, f"h{seed}-{aid}", rng.randrange(1, stories + 1) if
                rng.random() < 0.6 else None,
            ))
        with conn:
            conn.executemany(
                "insert into articles (id, key, seq, path, title, title_derived, outlet, url,"
                " published, byline, paragraph_count, word_count, content_hash, story_id)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", a_rows)
            conn.executemany(
                "insert into paragraphs (id, article_id, position, text, start, [end],"
                " word_count) values (?, ?, ?, ?, ?, ?, ?)", p_rows)
            conn.executemany(
                "insert into figures (id, paragraph_id, article_id, surface, value, value_high,"
                " unit, kind, hedge, object, object_phrase, event, start, [end], rule)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", f_rows)
        print(f"\r{min(start + BATCH, articles):,} articles, {pid:,} paragraphs",
              end="", file=sys.stderr)
    print(file=sys.stderr)
    with conn:
        conn.execute("update stories set article_count = (select count(*) from articles "
                     "where story_id = stories.id)")
        conn.execute("insert into paragraphs_fts (paragraphs_fts) values ('rebuild')")
        for _, sql in triggers:
            conn.execute(sql)
    conn.execute("analyze")
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.execute("pragma journal_mode = delete")
    conn.close()
    return pid


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="corpus database to create (must not exist)")
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--stories", type=int, default=None,
                        help="number of stories (default: articles / 8)")
    parser.add_argument("--bbc", type=Path, default=None, help="BBC corpus folder")
    parser.add_argument("--pool", type=Path, default=None,
                        help="pool database (default: <out folder>/pool.db, reused)")
    args = parser.parse_args(argv)
    if args.out.exists():
        parser.error(f"{args.out} exists; choose a new file")
    bbc = args.bbc or default_bbc()
    if not bbc.is_dir():
        parser.error(f"BBC corpus not found at {bbc} (set --bbc or REPORTCORPUS_SHARED)")
    pool_path = args.pool or args.out.resolve().parent / "pool.db"
    build_pool(pool_path, bbc)
    pool = read_pool(pool_path)
    started = time.perf_counter()
    n = generate(args.out, args.articles, args.seed, pool,
                 args.stories or max(1, args.articles // 8))
    print(f"{args.articles:,} articles, {n:,} paragraphs in "
          f"{time.perf_counter() - started:.0f}s -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
