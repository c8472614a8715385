"""Compare view latency: two reports of one story, and two very long ones.

Builds the two articles with a seeded generator (shared facts told in different words
and order, differing figures, names only in one), loads them with the usual loader,
then requests the HTML and JSON compare view through Datasette's in-process client
and prints p50/p95/max over many requests (goal: p95 under 300 ms at 60 paragraphs), in
wall time and in the process's CPU time (the two differ on a busy machine).

With ``--long N`` (default 5000; 0 skips it) it also builds a pair of N-paragraph
reports and times one HTML and one JSON comparison of them, while a second client asks
for ``/-/versions.json`` every 20 ms: the comparison is left partial past the compare
view's limits, and runs off the event loop, so the other requests are answered
meanwhile (their p50/max latency is printed beside the comparison's time).

    python benchmarks/compare_speed.py [--paragraphs 60] [--requests 60] [--long 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datasette_reportcorpus.loaders.load import load

FACTS = [
    "{n} homes in {place} were flooded after the {river} burst its banks",
    "{org} said {n} residents had been moved to rest centres",
    "repairs to the flood wall could cost \u00a3{n}m, according to {person}",
    "the {river} rose {n} centimetres in {h} hours overnight",
    "{n} firefighters and {h} boats were sent to {place}",
    "schools in {place} will stay closed for {h} days",
    "{person} said {n} businesses on the high street were damaged",
    "the council opened {h} emergency shelters for {n} people",
]
OPENERS = ["Officials said", "It emerged that", "According to local reports,", "Police said",
           "Residents were told that", "The council confirmed that", "It was reported that"]
FILLER = ["Volunteers handed out blankets and hot drinks through the night.",
          "Insurance assessors were expected in the town later in the week.",
          "Some families said it was the worst flooding they could remember.",
          "Roads into the town centre remained closed to traffic.",
          "Engineers were checking bridges along the river for damage.",
          "Forecasters warned that further heavy rain was likely."]


def article(rng: random.Random, n_paragraphs: int, values: dict, extra_names: list[str]) -> str:
    paras = []
    for i in range(n_paragraphs):
        n = values["n"] + (i * 37) % 500 + (rng.choice([0, 0, 0, 5]) if i % 7 else 0)
        fact = FACTS[i % len(FACTS)].format(**{**values, "n": n, "h": 2 + i % 9})
        sentence = f"{rng.choice(OPENERS)} {fact}."
        if rng.random() < 0.6:
            sentence += " " + rng.choice(FILLER)
        if rng.random() < 0.2:
            sentence += f" {rng.choice(extra_names)} described the scene as frightening."
        paras.append(sentence)
    rng.shuffle(paras)
    return "\n\n".join(paras) + "\n"


async def measure(db_path: str, requests: int) -> dict[str, list[float]]:
    from datasette.app import Datasette

    ds = Datasette([db_path])
    times: dict[str, list[float]] = {"html": [], "json": [], "html cpu": [], "json cpu": []}
    for _ in range(3):  # warm up templates and connections
        await ds.client.get("/corpus/-/compare?left=1&right=2")
    for _ in range(requests):
        for fmt, path in (("html", "/corpus/-/compare?left=1&right=2"),
                          ("json", "/corpus/-/compare.json?left=1&right=2")):
            start, cpu = time.perf_counter(), time.process_time()
            response = await ds.client.get(path)
            times[fmt].append((time.perf_counter() - start) * 1000)
            # The process's own CPU time: what the request costs on a machine shared with
            # other work, where wall time also counts the waiting.
            times[f"{fmt} cpu"].append((time.process_time() - cpu) * 1000)
            assert response.status_code == 200, response.text[:500]
    return times


async def measure_long(db_path: str) -> list[tuple[str, float, list[float], str]]:
    """One comparison of each format, with /-/versions.json asked for meanwhile:
    ``(format, comparison ms, versions latencies ms, the page's note on limits)``."""
    from datasette.app import Datasette

    ds = Datasette([db_path])
    await ds.client.get("/-/versions.json")
    out = []
    for fmt, path in (("html", "/corpus/-/compare?left=1&right=2"),
                      ("json", "/corpus/-/compare.json?left=1&right=2")):
        start = time.perf_counter()
        task = asyncio.ensure_future(ds.client.get(path))
        waits: list[float] = []
        while not task.done():
            t0 = time.perf_counter()
            response = await ds.client.get("/-/versions.json")
            assert response.status_code == 200
            waits.append((time.perf_counter() - t0) * 1000)
            await asyncio.sleep(0.02)
        response = await task
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.text[:500]
        note = (response.json().get("limits_message") if fmt == "json" else
                "note shown" if "Too long to compare whole" in response.text else "no note")
        out.append((fmt, elapsed, waits, note or "no note"))
    return out


def write_pair(work: Path, n: int, seed: int = 5) -> str:
    rng = random.Random(seed)
    values = {"place": "Tarnholme", "river": "Aske", "org": "Aske Valley Water",
              "person": "Hendry Maddox", "n": 300}
    folder = work / f"p{n}"
    folder.mkdir()
    (folder / "001_report.txt").write_text(
        article(rng, n, values, ["Lottie Fairweather", "Peder Lusk"]))
    (folder / "002_report.txt").write_text(
        article(rng, n, values, ["Imogen Sarratt", "Gwen Astley"]))
    (work / f"db{n}").mkdir()
    db_path = str(work / f"db{n}" / "corpus.db")  # served as /corpus
    load(db_path, [str(folder)], workers=1)
    return db_path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--paragraphs", type=int, default=60)
    ap.add_argument("--requests", type=int, default=60)
    ap.add_argument("--long", type=int, default=5000,
                    help="paragraphs of each report of the long pair (0: skip it)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="compare-speed-"))
    if args.requests:
        times = asyncio.run(measure(write_pair(work, args.paragraphs), args.requests))
        for fmt, values_ms in times.items():
            values_ms.sort()
            p95 = values_ms[int(0.95 * (len(values_ms) - 1))]
            print(f"{fmt}: p50 {statistics.median(values_ms):.0f} ms, p95 {p95:.0f} ms, "
                  f"max {values_ms[-1]:.0f} ms over {len(values_ms)} requests "
                  f"({args.paragraphs} x {args.paragraphs} paragraphs)")
    if args.long:
        for fmt, elapsed, waits, note in asyncio.run(measure_long(write_pair(work, args.long))):
            waits.sort()
            print(f"{fmt}, {args.long} x {args.long} paragraphs: {elapsed:.0f} ms; meanwhile"
                  f" {len(waits)} /-/versions.json answered, p50"
                  f" {statistics.median(waits) if waits else 0:.0f} ms, max"
                  f" {waits[-1] if waits else 0:.0f} ms; {note}")


if __name__ == "__main__":
    main()
