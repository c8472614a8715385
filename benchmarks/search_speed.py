"""Time the search JSON and page against their limit and against plain Datasette.

    python benchmarks/generate_paragraphs.py /tmp/c100k --paragraphs 100000
    reportcorpus load /tmp/c100k.db /tmp/c100k --manifest /tmp/c100k/manifest.csv -q
    python benchmarks/search_speed.py /tmp/c100k.db --repeat 20

For a rare word, a common word and two words together (real index terms picked by how
many paragraphs they match, :func:`serving.pick_queries`), in one run, requests taking
turns so that the machine's load falls on all alike:

* the *limit*: the raw FTS5 statement giving the same top 20 with snippets
  (``sql.raw_hits_sql``, run here with sqlite3), plus Datasette's cheapest JSON request
  ``/-/versions.json`` on the same server;
* ``/corpus/-/search.json?q=...`` and the HTML page, served by ``datasette serve -i`` with
  the plugin on loopback;
* the same JSON with ``_nofacet=1&_nocount=1`` ("rows only": the ranked rows a client
  paging through results needs, without facets, suggestions or count);
* plain Datasette's ``/corpus/paragraphs.json?_search=...`` with its defaults (the
  plugin unregistered, no metadata), on a second server.

Then, in this process, where a search.json's time goes: reading the request, the ranked
page, the count, each facet class, the facet suggestions, the export links and the JSON.
Prints p50 and p95 of every figure and the ratios to the targets (search.json p50 at
most 1.5 times the limit and at most half of plain Datasette's).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import PACKAGE, machine, percentile, pick_queries, serve  # noqa: E402

from datasette_reportcorpus.search.sql import MARK_CLOSE, MARK_OPEN, raw_hits_sql  # noqa: E402


def p50(s):
    return percentile(s, 50)


def p95(s):
    return percentile(s, 95)


def raw_fts(conn: sqlite3.Connection, text: str) -> float:
    started = time.perf_counter()
    rows = conn.execute(raw_hits_sql(), {"q": text, "limit": 20, "offset": 0,
                                         "mark_open": MARK_OPEN, "mark_close": MARK_CLOSE}
                        ).fetchall()
    assert rows
    return (time.perf_counter() - started) * 1000


CUT: dict[str, int] = {}  # search.json requests cut short by a time limit, by URL


async def timed_get(client: httpx.AsyncClient, url: str) -> float:
    started = time.perf_counter()
    response = await client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200 and "took too long" in response.text:
        # Past the server's sql_time_limit_ms: the time is what it cost to be refused.
        CUT[url] = CUT.get(url, 0) + 1
        return elapsed
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    if "/-/search.json" in url:
        data = response.json()
        facets = data.get("facet_results") or {}
        timed_out = data.get("facets_timed_out") or facets.get("timed_out") or []
        if not data["ok"] or timed_out:
            CUT[url] = CUT.get(url, 0) + 1
    return elapsed


async def over_http(db: Path, queries, repeat: int) -> list[dict]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out = []
    with serve(db) as ours, serve(db, plugin=False) as plain:
        async with httpx.AsyncClient(timeout=120) as client:
            for query in queries:
                q = urllib.parse.quote(query.text)
                urls = {
                    "versions": ours.url + "/-/versions.json",
                    "search.json": ours.url + f"/corpus/-/search.json?q={q}",
                    "rows only": ours.url + f"/corpus/-/search.json?q={q}&_nofacet=1&_nocount=1",
                    "page": ours.url + f"/corpus/-/search?q={q}",
                    "plain": plain.url + f"/corpus/paragraphs.json?_search={q}",
                }
                samples: dict[str, list[float]] = {k: [] for k in ["raw", *urls]}
                for i in range(repeat + 1):  # the first round warms up
                    times = {"raw": raw_fts(conn, query.text)}
                    for name, url in urls.items():
                        times[name] = await timed_get(client, url)
                    if i:
                        for name, t in times.items():
                            samples[name].append(t)
                out.append({"query": query, **samples})
    conn.close()
    return out


async def breakdown(db: Path, queries, repeat: int) -> list[dict]:
    """Each step of a search.json, timed in this process (no HTTP)."""
    import yaml
    from datasette.app import Datasette
    from datasette.utils.asgi import Request

    from datasette_reportcorpus.compat import IS_1_0
    from datasette_reportcorpus.search import render
    from datasette_reportcorpus.search.request import read_search
    from datasette_reportcorpus.search.view import (
        _CONFIG_KW, DEFAULT_FACETS, SearchResult, _ranked_page, count_matches)
    from datasette_reportcorpus.facets.classes import FACET_CLASSES

    metadata = yaml.safe_load((PACKAGE / "metadata.yml").read_text())
    kwargs = {"metadata": metadata}
    if IS_1_0:
        kwargs["config"] = yaml.safe_load((PACKAGE / "datasette.yaml").read_text())
    # Time limits lifted, to see what each step costs in full.
    ds = Datasette(immutables=[str(db)], settings={"sql_time_limit_ms": 600_000,
                                                   "facet_time_limit_ms": 600_000}, **kwargs)
    await ds.invoke_startup()
    database = ds.get_database("corpus")
    out = []
    for query in queries:
        path = f"/corpus/-/search.json?q={urllib.parse.quote(query.text)}"
        steps: dict[str, list[float]] = {}

        def note(name, started):
            steps.setdefault(name, []).append((time.perf_counter() - started) * 1000)

        for i in range(repeat + 1):
            request = Request.fake(path, url_vars={"database": "corpus", "format": "json"})
            t = time.perf_counter()
            search = await read_search(ds, request, database)
            note("read request", t)
            result = SearchResult(query=search.query, offset=0, size=search.size)
            t = time.perf_counter()
            await _ranked_page(database, search, result, search.query.fts)
            note("ranked page", t)
            params = search.sql.params(search.query.fts)
            t = time.perf_counter()
            result.count, result.count_truncated = await count_matches(database, search, params)
            note("count", t)
            facets = [{k: v} for f in DEFAULT_FACETS for k, v in f.items()]
            for cls in FACET_CLASSES:
                facet = cls(ds, request, "corpus", sql=search.sql.rows(), table="paragraphs",
                            params=params, row_count=result.count, **{_CONFIG_KW: {"facets": facets}})
                t = time.perf_counter()
                found, _ = await facet.facet_results()
                note(f"facets: {cls.type}", t)
                result.facets += found
                t = time.perf_counter()
                result.suggested_facets += await facet.suggest()
                note(f"suggest: {cls.type}", t)
            t = time.perf_counter()
            exports = await render.exports(ds, search, result.query)
            note("export links", t)
            t = time.perf_counter()
            json.dumps(render.json_data(ds, request, search, result, exports), default=str)
            note("JSON", t)
            t = time.perf_counter()
            response = await ds.client.get(path)
            assert response.status_code == 200
            note("whole search.json (in process)", t)
            if not i:
                steps = {}
        out.append({"query": query, "steps": steps, "count": result.count})
    return out


def report(db: Path, http: list[dict], steps: list[dict], repeat: int) -> None:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    n = conn.execute("select count(*) from paragraphs").fetchone()[0]
    conn.close()
    print(f"corpus: {n:,} paragraphs ({db.name}); {repeat} rounds; {machine()}")
    print("\nms, p50 / p95" + " " * 14 + "raw FTS5   versions.json     limit  "
          "search.json  x limit  search page   plain _search  x plain"
          "   rows only  x limit")
    ratios_limit, ratios_plain = [], []
    for r in http:
        q = r["query"]
        limit = p50(r["raw"]) + p50(r["versions"])
        rl = p50(r["search.json"]) / limit
        rp = p50(r["search.json"]) / p50(r["plain"])
        ratios_limit.append(rl)
        ratios_plain.append(rp)
        cell = lambda s: f"{p50(s):6.1f} /{p95(s):6.1f}"  # noqa: E731
        print(f"{q.kind:<10} {q.text[:16]:<16} ({q.matches:>7,})  {cell(r['raw'])} "
              f"{cell(r['versions'])} {limit:7.1f} {cell(r['search.json'])} {rl:6.2f} "
              f"{cell(r['page'])} {cell(r['plain'])} {rp:6.2f} "
              f"{cell(r['rows only'])} {p50(r['rows only']) / limit:6.2f}")
    for url, n in CUT.items():
        print(f"  {n} of {repeat + 1} answers of {url.split('/corpus', 1)[1]} were cut short"
              " by the server's time limits (refused past sql_time_limit_ms, or facets"
              " timed out)")
    print(f"search.json p50 / limit: worst {max(ratios_limit):.2f} (target 1.5); "
          f"/ plain Datasette: worst {max(ratios_plain):.2f} (target 0.5)")
    print("\nwhere a search.json's time goes (in process, ms p50 / p95)")
    names = list(steps[0]["steps"])
    print(f"{'step':<32}" + "".join(f"{s['query'].kind + ' (' + format(s['count'], ',') + ')':>24}"
                                    for s in steps))
    for name in names:
        print(f"{name:<32}" + "".join(
            f"{p50(s['steps'][name]):>15.1f} /{p95(s['steps'][name]):>7.1f}" for s in steps))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path, help="a corpus database (reportcorpus load)")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    if not args.db.is_file():
        parser.error(f"{args.db}: no such database")
    with tempfile.TemporaryDirectory() as tmp:
        # The package's metadata keys its settings by the database name "corpus".
        db = Path(tmp) / "corpus.db"
        db.symlink_to(args.db.resolve())
        queries = pick_queries(db)
        http = asyncio.run(over_http(db, queries, args.repeat))
        steps = asyncio.run(breakdown(db, queries, args.repeat))
        report(args.db, http, steps, args.repeat)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
