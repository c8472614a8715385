"""Time the custom facets and the ranked search against a generated corpus.

    python benchmarks/generate_corpus.py big.db --articles 200000
    python benchmarks/search_facets.py big.db

Queries are real index terms chosen by how many paragraphs they match (about 1k,
5k, 20k, 50k and 100k by default). For each:

* every custom facet on ``paragraphs`` (and the figure value range on ``figures``
  and on ``figures_provenance``) is run through Datasette exactly as a table page
  runs it, with the time limit lifted so the real cost is seen, and compared with
  the 200 ms budget. The SQL and parameters each facet gets are taken from a real
  request for ``/<db>/<table>?_search=<term>&_facet_<type>=<name>``, served with
  the full-text settings of the repository's ``metadata.yml`` (``paragraphs`` and
  ``figures_provenance`` search ``paragraphs_fts``), plus ``figures`` made
  searchable by its paragraph's text (``fts_pk: paragraph_id``), as a deployment
  may configure it;
* the search page's ranked results (top 20 with snippets, joined to their articles)
  are timed side by side with the raw FTS5 statement that produces them
  (``search_sql.raw_hits_sql``), in alternation, through the same Datasette
  connection pool.

Prints one table per measurement and a summary line with p95s and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datasette.app import Datasette
from datasette.utils.asgi import Request

from datasette_reportcorpus.facets.classes import ArticleFacet, FigureFacet, RangeFacet
from datasette_reportcorpus.search.view import _CONFIG_KW
from datasette_reportcorpus.search.sql import (
    MARK_CLOSE,
    MARK_OPEN,
    hits_sql,
    raw_hits_sql,
)

TARGETS = (1_000, 5_000, 20_000, 50_000, 100_000)
BUDGET_MS = 200.0
# (table, facet class, facet name)
FACETS = [
    ("paragraphs", ArticleFacet, "outlet"), ("paragraphs", ArticleFacet, "month"),
    ("paragraphs", ArticleFacet, "story"), ("paragraphs", ArticleFacet, "title"),
    ("paragraphs", FigureFacet, "object"), ("paragraphs", FigureFacet, "kind"),
    ("paragraphs", FigureFacet, "event"), ("paragraphs", FigureFacet, "hedge"),
    ("paragraphs", RangeFacet, "word_count"), ("figures", RangeFacet, "value"),
    ("figures_provenance", RangeFacet, "value"),
]


def pick_terms(db: Path, targets: tuple[int, ...]) -> list[tuple[str, int]]:
    """An index term matching about each target number of paragraphs."""
    conn = sqlite3.connect(db)
    conn.execute("create virtual table temp.vocab using fts5vocab(main, paragraphs_fts, row)")
    rows = conn.execute("select term, doc from temp.vocab where term glob '[a-z]*' "
                        "and length(term) > 3").fetchall()
    conn.close()
    chosen: list[tuple[str, int]] = []
    for target in targets:
        term, doc = min(rows, key=lambda r: abs(r[1] - target))
        if (term, doc) not in chosen:  # a small corpus has no term near the larger targets
            chosen.append((term, doc))
    return chosen


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


FTS_TABLES = {
    "paragraphs": {"fts_table": "paragraphs_fts"},
    "figures": {"fts_table": "paragraphs_fts", "fts_pk": "paragraph_id"},
    "figures_provenance": {"fts_table": "paragraphs_fts", "fts_pk": "paragraph_id"},
}


def facet_path(database: str, table: str, cls, name: str, term: str) -> str:
    return f"/{database}/{table}?_search={term}&_facet_{cls.type}={name}&_size=1"


async def page_facet_query(ds: Datasette, database: str, table: str, cls, name: str,
                           term: str) -> tuple[str, dict]:
    """The SQL and parameters a real table page hands the facet ``cls``."""
    seen: list[tuple[str, dict]] = []
    original = cls.facet_results

    async def record(self):
        seen.append((self.sql, dict(self.params)))
        return [], []

    cls.facet_results = record
    try:
        response = await ds.client.get(facet_path(database, table, cls, name, term)
                                       + "&_nocount=1")
    finally:
        cls.facet_results = original
    assert response.status_code == 200 and seen, (table, name, response.status_code)
    return seen[0]


async def time_facet(ds: Datasette, database: str, table: str, cls, name: str,
                     term: str, query: tuple[str, dict]) -> float:
    request = Request.fake(facet_path(database, table, cls, name, term))
    sql, params = query
    facet = cls(ds, request, database, sql=sql, table=table, params=params,
                **{_CONFIG_KW: {}})
    started = time.perf_counter()
    results, timed_out = await facet.facet_results()
    elapsed = (time.perf_counter() - started) * 1000
    assert results and not timed_out, (name, term, timed_out)
    return elapsed


async def time_sql(db, sql: str, params: dict) -> float:
    started = time.perf_counter()
    rows = await db.execute(sql, params)
    elapsed = (time.perf_counter() - started) * 1000
    assert len(rows.rows) > 0
    return elapsed


async def run(path: Path, repeat: int, targets: tuple[int, ...] = TARGETS) -> None:
    metadata = {"databases": {path.stem: {"tables": FTS_TABLES}}}
    ds = Datasette([str(path)], metadata=metadata,
                   settings={"facet_time_limit_ms": 60_000, "sql_time_limit_ms": 60_000,
                             "num_sql_threads": 1})
    await ds.invoke_startup()
    db = ds.get_database(path.stem)
    counts = await db.execute("select (select count(*) from articles), "
                              "(select count(*) from paragraphs), (select count(*) from figures)")
    n_articles, n_paragraphs, n_figures = counts.rows[0]
    print(f"corpus: {n_articles:,} articles, {n_paragraphs:,} paragraphs, "
          f"{n_figures:,} figures ({path.name})")
    terms = pick_terms(path, targets)

    print("\nCustom facets (ms; p95 / median of", repeat, "runs after one warm-up)")
    header = f"{'facet':<34}" + "".join(f"{t} ({n:,})".rjust(20) for t, n in terms)
    print(header)
    all_facet_samples: list[float] = []
    worst = (0.0, "")
    for table, cls, name in FACETS:
        label = f"{cls.type}:{name}" + (f" ({table})" if table != "paragraphs" else "")
        cells = []
        for term, _ in terms:
            query = await page_facet_query(ds, db.name, table, cls, name, term)
            await time_facet(ds, db.name, table, cls, name, term, query)
            samples = [await time_facet(ds, db.name, table, cls, name, term, query)
                       for _ in range(repeat)]
            all_facet_samples += samples
            cells.append(f"{p95(samples):.1f} / {statistics.median(samples):.1f}")
            if p95(samples) > worst[0]:
                worst = (p95(samples), f"{label} on '{term}'")
        print(f"{label:<34}" + "".join(c.rjust(20) for c in cells))
    print(f"all facets p95 {p95(all_facet_samples):.1f} ms; worst {worst[0]:.1f} ms "
          f"({worst[1]}); budget {BUDGET_MS:.0f} ms")

    print("\nRanked search, top 20 with snippets (ms, median / p95 over", repeat, "runs)")
    print(f"{'query':<24}{'matches':>10}{'page':>18}{'raw FTS5':>18}{'ratio':>8}")
    ratios = []
    ours_all: list[float] = []
    raw_all: list[float] = []
    for term, doc in terms:
        params = {"q": term, "limit": 21, "offset": 0, "mark_open": MARK_OPEN,
                  "mark_close": MARK_CLOSE}
        raw_params = {**params, "limit": 20}
        await time_sql(db, hits_sql([]), params)
        await time_sql(db, raw_hits_sql(), raw_params)
        ours, raw = [], []
        for _ in range(repeat):  # alternate, so cache and load affect both alike
            ours.append(await time_sql(db, hits_sql([]), params))
            raw.append(await time_sql(db, raw_hits_sql(), raw_params))
        ours_all += ours
        raw_all += raw
        ratio = statistics.median(ours) / statistics.median(raw)
        ratios.append(ratio)
        print(f"{term:<24}{doc:>10,}"
              f"{statistics.median(ours):>9.1f} /{p95(ours):>7.1f}"
              f"{statistics.median(raw):>9.1f} /{p95(raw):>7.1f}{ratio:>8.2f}")
    print(f"ranked page p95 {p95(ours_all):.1f} ms vs raw FTS5 p95 {p95(raw_all):.1f} ms; "
          f"ratio of medians: worst {max(ratios):.2f}, mean {statistics.mean(ratios):.2f} "
          f"(goal <= 1.5)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path, help="corpus database (generate_corpus.py)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--targets", type=int, nargs="+", default=list(TARGETS),
                        help="match counts to find terms for (default: %(default)s)")
    args = parser.parse_args(argv)
    asyncio.run(run(args.db, args.repeat, tuple(args.targets)))


if __name__ == "__main__":
    main()
