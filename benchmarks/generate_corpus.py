"""Generate a large corpus database for benchmarks: real paragraphs, recombined, seeded.

The BBC News corpus and the bundled demo corpus are loaded once (with the real
loader: paragraphs, figures) into a *pool* database; synthetic articles are then
streamed into the output database, each made of paragraphs drawn from the pool
together with their figures, under fictional outlets, dates and stories. The same
``--seed`` and ``--articles`` always give the same corpus.

    python benchmarks/generate_corpus.py out.db --articles 200000   # ~1M paragraphs
    python benchmarks/generate_corpus.py out.db --articles 20000 --bbc ../shared/corpora/bbc
    python benchmarks/generate_corpus.py --files big/ --articles 200000   # text files

With ``--files`` the same recombination is written as a folder of article files
(one folder per outlet, a ``manifest.csv`` with outlet and date, and ``stories.csv``
naming each file's generated story), for timing the real loader against a bare
insert. Files are recombined at sentence level into stories: each story has its own
fictional cast of names (the rare capitalised words of the pool sentences are
renamed to it) and a core of sentences its reports share, told by one to six outlets within a
few days; most articles are single reports of other stories. Sentence-level
recombination keeps paragraphs distinct, so they read as reporting rather than as
furniture repeated across a site.

Memory stays flat: the pool (a few tens of thousands of paragraphs) is held in
memory, the output is written a batch at a time. The FTS index is rebuilt once at
the end rather than maintained row by row, which is what makes a million
paragraphs take minutes rather than an hour.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datasette_reportcorpus.loaders.load import load
from datasette_reportcorpus.loaders.store import magnitude, open_db

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
                    f_rows.append((fid, pid, aid, *f, magnitude(f[1])))
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
                " unit, kind, hedge, object, object_phrase, event, start, [end], rule,"
                " magnitude) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", f_rows)
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


# --- files mode -----------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"\u2018\u201c])")
_CAPITALISED = re.compile(r"(?<=[\s(])[A-Z][a-z]{2,}")
SYL = ["bar", "wick", "hol", "mere", "ton", "ash", "by", "den", "ford", "lan", "gar", "rith",
       "mor", "ley", "stan", "cor", "vel", "tham", "brook", "dal", "en", "kirk", "pen", "wyn",
       "ost", "ril", "sen", "quar", "bel", "dun", "fal", "hith", "ner", "sky", "tor", "ulm"]
STORY_SIZES = [1, 1, 1, 1, 2, 2, 3, 4, 5, 6]


def read_sentences(pool_path: Path) -> tuple[list[str], set[str]]:
    """Pool sentences of six words or more, and the capitalised words common enough in
    the pool (days, titles, institutions) to keep when renaming."""
    conn = sqlite3.connect(pool_path)
    sentences = []
    for (text,) in conn.execute("select text from paragraphs"):
        sentences += [s for s in _SENTENCE_END.split(text) if len(s.split()) >= 6]
    conn.close()
    counts = Counter(w for s in sentences for w in _CAPITALISED.findall(s))
    return sentences, {w for w, n in counts.items() if n >= 25}


def _fictional(rng: random.Random) -> str:
    return "".join(rng.choice(SYL) for _ in range(rng.choice([2, 2, 3]))).capitalize()


def _renamer(rng: random.Random, keep: set[str]):
    """Rename rare capitalised words to the story's own cast of names, consistently, so
    a story's reports share its people and places as real reports do."""
    cast = [_fictional(rng) for _ in range(rng.randint(3, 5))]
    names: dict[str, str] = {}

    def rename(m: re.Match) -> str:
        word = m.group(0)
        if word in keep:
            return word
        if word not in names:
            names[word] = rng.choice(cast)
        return names[word]

    return lambda text: _CAPITALISED.sub(rename, text)


def _paragraphs(rng: random.Random, core: list[str], pool: list[str], rename) -> list[str]:
    n = max(1, min(40, int(rng.expovariate(1 / MEAN_PARAGRAPHS)) + 1))
    out = []
    for _ in range(n):
        # A story's shared sentence leads most paragraphs; the rest is drawn at large,
        # so no two paragraphs are the same text.
        lead = rng.choice(core) if core and rng.random() < 0.7 else rng.choice(pool)
        picked = [lead] + [rng.choice(pool) for _ in range(rng.choice([1, 1, 2]))]
        out.append(rename(" ".join(picked)))
    return out


def generate_files(out: Path, articles: int, seed: int, pool: list[str],
                   keep: set[str]) -> int:
    """Write ``articles`` article files under ``out``; return the paragraph count."""
    import datetime as dt

    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=False)
    slugs = {o: re.sub(r"[^a-z]+", "-", o.lower()).strip("-") for o in OUTLETS}
    for slug in slugs.values():
        (out / slug).mkdir()
    written = paragraphs = story = 0
    with (out / "manifest.csv").open("w", newline="", encoding="utf-8") as mf, \
            (out / "stories.csv").open("w", newline="", encoding="utf-8") as sf:
        manifest, stories = csv.writer(mf), csv.writer(sf)
        manifest.writerow(["path", "outlet", "published"])
        stories.writerow(["path", "story"])
        while written < articles:
            story += 1
            k = min(rng.choice(STORY_SIZES), articles - written)
            core = [rng.choice(pool) for _ in range(rng.randint(6, 14))] if k > 1 else []
            rename = _renamer(rng, keep)
            headline = rename(rng.choice(core or pool))
            day = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(3000))
            for outlet in rng.sample(OUTLETS, k):
                written += 1
                words = headline.rstrip(".").split()[:rng.randint(6, 10)]
                body = _paragraphs(rng, core, pool, rename)
                paragraphs += len(body)
                rel = f"{slugs[outlet]}/{written:07d}.txt"
                (out / rel).write_text(" ".join(words) + "\n\n" + "\n\n".join(body) + "\n",
                                       encoding="utf-8")
                published = day + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3]))
                manifest.writerow([rel, outlet, published.isoformat()])
                stories.writerow([rel, f"s{story}" if k > 1 else ""])
            if written % 5000 < k:
                print(f"\r{written:,} files, {paragraphs:,} paragraphs", end="",
                      file=sys.stderr)
    print(file=sys.stderr)
    return paragraphs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, nargs="?",
                        help="corpus database to create (must not exist)")
    parser.add_argument("--files", type=Path, default=None,
                        help="write article files into this new folder instead of a database")
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--stories", type=int, default=None,
                        help="number of stories (default: articles / 8)")
    parser.add_argument("--bbc", type=Path, default=None, help="BBC corpus folder")
    parser.add_argument("--pool", type=Path, default=None,
                        help="pool database (default: <out folder>/pool.db, reused)")
    args = parser.parse_args(argv)
    target = args.files or args.out
    if target is None:
        parser.error("give a database to create, or --files FOLDER")
    if target.exists():
        parser.error(f"{target} exists; choose a new name")
    bbc = args.bbc or default_bbc()
    if not bbc.is_dir():
        parser.error(f"BBC corpus not found at {bbc} (set --bbc or REPORTCORPUS_SHARED)")
    pool_path = args.pool or target.resolve().parent / "pool.db"
    build_pool(pool_path, bbc)
    started = time.perf_counter()
    if args.files:
        sentences, keep = read_sentences(pool_path)
        n = generate_files(args.files, args.articles, args.seed, sentences, keep)
        print(f"{args.articles:,} files, {n:,} paragraphs in "
              f"{time.perf_counter() - started:.0f}s -> {args.files}", file=sys.stderr)
        return
    pool = read_pool(pool_path)
    n = generate(args.out, args.articles, args.seed, pool,
                 args.stories or max(1, args.articles // 8))
    print(f"{args.articles:,} articles, {n:,} paragraphs in "
          f"{time.perf_counter() - started:.0f}s -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
