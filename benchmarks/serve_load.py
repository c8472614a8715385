"""The server under load: N concurrent clients for S seconds against ``datasette serve -i``
with the plugin, on loopback.

    python benchmarks/serve_load.py /tmp/c100k.db --clients 32 --seconds 30

A bounded load generator (asyncio and httpx, one connection per client): each client
sends its next request as soon as the last one is answered, going round a mix of what
users ask for: search JSON and the search page for a rare word, a common word and two
words (:func:`serving.pick_queries`), a search narrowed by an outlet, an article page, a
table page searched with ``_search``, and ``/-/versions.json``. Prints requests per
second, p50/p95/p99 latency, errors (any status but 200, or no answer within the
timeout) and the server's resident memory before and after.
With ``--against-plain`` it loads the plugin's own mix (:func:`plugin_mix`) and then plain
Datasette (plugin unregistered) with its table ``_search`` JSON (:func:`plain_mix`), the
same clients for the same time, and prints both and their ratio of requests per second.
Without a database it serves the bundled demo corpus, built in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import PACKAGE, machine, percentile, pick_queries, serve  # noqa: E402


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.errors)


def request_mix(db: Path) -> list[str]:
    """Paths the clients go round, each once per round."""
    import sqlite3

    paths = ["/-/versions.json"]
    for query in pick_queries(db):
        q = urllib.parse.quote(query.text)
        paths += [f"/corpus/-/search.json?q={q}", f"/corpus/-/search?q={q}",
                  f"/corpus/paragraphs.json?_search={q}&_size=20"]
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    outlet, article = conn.execute("select outlet, id from articles where outlet is not null "
                                   "order by id limit 1").fetchone()
    conn.close()
    word = urllib.parse.quote(pick_queries(db)[1].text)
    paths += [f"/corpus/-/search.json?q={word}&_article_outlet={urllib.parse.quote(outlet)}",
              f"/corpus/-/article/{article}"]
    return paths


async def run_load(url: str, paths: list[str], clients: int, seconds: float,
                   timeout: float = 60.0) -> Outcome:
    """``clients`` clients (one shared connection pool, a connection each), each sending
    its next request when the last is answered, for ``seconds``; requests still running
    at the end are waited for and counted."""
    outcome = Outcome()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) as http:
        stop = time.monotonic() + seconds

        async def client(n: int) -> None:
            i = n
            while time.monotonic() < stop:
                path = paths[i % len(paths)]
                i += 1
                started = time.perf_counter()
                try:
                    response = await http.get(path)
                except httpx.HTTPError as e:
                    outcome.errors.append(f"{path}: {type(e).__name__}")
                    continue
                if response.status_code != 200:
                    outcome.errors.append(f"{path}: {response.status_code}")
                else:
                    outcome.latencies.append((time.perf_counter() - started) * 1000)

        started = time.monotonic()
        await asyncio.gather(*(client(n) for n in range(clients)))
        outcome.seconds = time.monotonic() - started
    return outcome


async def warm_up(url: str, paths: list[str]) -> list[str]:
    """Each path once, one at a time; the paths that did not answer 200."""
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        return [p for p in paths if (await http.get(p)).status_code != 200]


def demo_db(folder: Path) -> Path:
    from datasette_reportcorpus.loaders.load import load

    db = folder / "corpus.db"
    demo = PACKAGE / "demo"
    load(str(db), [str(demo)], manifest=str(demo / "manifest.csv"), workers=1)
    return db


def plugin_mix(db: Path) -> list[str]:
    """What the plugin serves that users ask for most: the search page and search.json for
    the three queries, a comparison of two reports of one story, and a table page
    searched and faceted by article and figure."""
    import sqlite3

    paths = []
    queries = pick_queries(db)
    for query in queries:
        q = urllib.parse.quote(query.text)
        paths += [f"/corpus/-/search.json?q={q}", f"/corpus/-/search?q={q}"]
    rare = urllib.parse.quote(queries[0].text)
    paths.append(f"/corpus/paragraphs?_search={rare}&_facet_article=outlet"
                 "&_facet_figure=object")
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    pair = conn.execute("select min(id), max(id) from articles where story_id is not null "
                        "group by story_id having count(*) > 1 order by story_id limit 1"
                        ).fetchone()
    conn.close()
    if pair:
        paths.append(f"/corpus/-/compare?left={pair[0]}&right={pair[1]}")
    return paths


def plain_mix(db: Path) -> list[str]:
    """Plain Datasette's own full-text search: the table JSON searched with ``_search`` for
    the same three queries, with its defaults (count, suggested facets, 100 rows)."""
    return [f"/corpus/paragraphs.json?_search={urllib.parse.quote(q.text)}"
            for q in pick_queries(db)]


def measure(db: Path, clients: int, seconds: float, paths: list[str] | None = None,
            plugin: bool = True) -> tuple[Outcome, float, float]:
    """Serve ``db`` (named ``corpus``), load it; ``(outcome, MiB before, MiB after)``.
    ``paths`` default to :func:`request_mix`; without ``plugin``, plain Datasette."""
    paths = paths or request_mix(db)
    with serve(db, plugin=plugin) as server:
        # One round first, so that "before" is a server that has answered each request.
        failed = asyncio.run(warm_up(server.url, paths))
        if failed:
            raise RuntimeError(f"not 200 before any load: {', '.join(failed)}")
        before = server.rss_mb()
        outcome = asyncio.run(run_load(server.url, paths, clients, seconds))
        after = server.rss_mb()
    return outcome, before, after


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path, nargs="?", help="corpus database (default: the demo)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--against-plain", action="store_true",
                        help="the plugin's mix (search page, search.json, compare, faceted "
                             "table) on one server, then plain Datasette's _search JSON on "
                             "another, each with the same clients and seconds")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.db is None:
            db = demo_db(Path(tmp))
        else:
            if not args.db.is_file():
                parser.error(f"{args.db}: no such database")
            db = Path(tmp) / "corpus.db"
            db.symlink_to(args.db.resolve())
        print(f"{args.db or 'demo corpus'}: {args.clients} clients for {args.seconds:.0f} s "
              f"each; {machine()}")
        runs = [("mixed", request_mix(db), True)]
        if args.against_plain:
            runs = [("plugin mix", plugin_mix(db), True),
                    ("plain _search", plain_mix(db), False)]
        rates = []
        for name, paths, plugin in runs:
            outcome, before, after = measure(db, args.clients, args.seconds, paths, plugin)
            rates.append(outcome.requests / outcome.seconds)
            report(name, outcome, before, after)
        if args.against_plain:
            print(f"plugin mix / plain _search requests per second: {rates[0] / rates[1]:.2f}"
                  " (target at least 1)")


def report(name: str, outcome: Outcome, before: float, after: float) -> None:
    lat = outcome.latencies
    print(f"{name}: requests {outcome.requests:,} in {outcome.seconds:.1f} s, "
          f"{outcome.requests / outcome.seconds:.1f} per second; "
          f"latency p50 {percentile(lat, 50):.0f} ms, p95 {percentile(lat, 95):.0f} ms, "
          f"p99 {percentile(lat, 99):.0f} ms; errors {len(outcome.errors)}; "
          f"server memory {before:.0f} MiB before, {after:.0f} MiB after")
    for e in sorted(set(outcome.errors))[:10]:
        print("  error:", e)


if __name__ == "__main__":
    main()
