"""Compare view latency for two long reports of one story (60 paragraphs each).

Builds the two articles with a seeded generator (shared facts told in different words
and order, differing figures, names only in one), loads them with the usual loader,
then requests the HTML and JSON compare view through Datasette's in-process client
and prints p50/p95/max over many requests.

    python benchmarks/compare_speed.py [--paragraphs 60] [--requests 60]
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
    times: dict[str, list[float]] = {"html": [], "json": []}
    for _ in range(3):  # warm up templates and connections
        await ds.client.get("/corpus/-/compare?left=1&right=2")
    for _ in range(requests):
        for fmt, path in (("html", "/corpus/-/compare?left=1&right=2"),
                          ("json", "/corpus/-/compare.json?left=1&right=2")):
            start = time.perf_counter()
            response = await ds.client.get(path)
            times[fmt].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.text[:500]
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--paragraphs", type=int, default=60)
    ap.add_argument("--requests", type=int, default=60)
    args = ap.parse_args()
    rng = random.Random(5)
    values = {"place": "Tarnholme", "river": "Aske", "org": "Aske Valley Water",
              "person": "Hendry Maddox", "n": 300}
    work = Path(tempfile.mkdtemp(prefix="compare-speed-"))
    (work / "a").mkdir()
    (work / "a" / "001_report.txt").write_text(
        article(rng, args.paragraphs, values, ["Lottie Fairweather", "Peder Lusk"]))
    (work / "a" / "002_report.txt").write_text(
        article(rng, args.paragraphs, values, ["Imogen Sarratt", "Gwen Astley"]))
    db_path = str(work / "corpus.db")
    load(db_path, [str(work / "a")], workers=1)
    times = asyncio.run(measure(db_path, args.requests))
    for fmt, values_ms in times.items():
        values_ms.sort()
        p95 = values_ms[int(0.95 * (len(values_ms) - 1))]
        print(f"{fmt}: p50 {statistics.median(values_ms):.0f} ms, p95 {p95:.0f} ms, "
              f"max {values_ms[-1]:.0f} ms over {len(values_ms)} requests "
              f"({args.paragraphs} x {args.paragraphs} paragraphs)")


if __name__ == "__main__":
    main()
