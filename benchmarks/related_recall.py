"""Related-report recall: do the other reports of a story come first?

Builds a corpus of many fictional multi-outlet stories (a seeded generator: each
outlet writes its own report from varied paragraph templates, in its own order, with
its own extra witnesses and sometimes its own figures), adds the demo corpus stories,
and mixes in the BBC corpus as distractors. Place names repeat across stories, and
stories of one kind (floods, strikes, trials...) share their whole vocabulary, so only
the names and figures of a story tell its reports apart, as in real news.

For a story told by k outlets, each report's top k-1 suggestions should be the
story's other k-1 reports. Printed: recall over all (report, sibling) pairs, the
share of reports whose top k-1 are exactly their siblings, story grouping pairwise
precision/recall, and the time of the plain load against the related/story pass.

    python benchmarks/related_recall.py [--stories 300] [--seed 7] [--no-bbc] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlite_utils

from loaders import related as related_mod
from loaders.load import load
from loaders.stories import refresh_stories

OUTLETS = ["Northgate Courier", "Tidewater Wire", "Valley Echo", "The Morning Ledger",
           "Harbour Times", "Eastfield Post", "The Daily Lantern", "Radio Fenwick News"]
SYL = ["bar", "wick", "hol", "mere", "ton", "ash", "by", "den", "ford", "lan", "gar", "rith",
       "mor", "ley", "stan", "cor", "vel", "tham", "brook", "dal", "en", "kirk", "pen", "wyn"]
FIRST = ["Ada", "Bram", "Carys", "Dev", "Elin", "Farid", "Greta", "Hugo", "Ines", "Jonah",
         "Kira", "Leon", "Mira", "Nils", "Orla", "Pavel", "Quinn", "Rosa", "Sami", "Tove",
         "Umar", "Vera", "Wes", "Yara", "Zeno", "Anika", "Bruno", "Celia", "Dara", "Emil"]
LAST_SYL = ["ash", "brook", "cott", "dell", "ey", "field", "gate", "ham", "ing", "ley", "more",
            "ridge", "son", "ton", "well", "wood", "er", "ow", "ard", "ick"]

# Story kinds: each has figure slots and paragraph templates in several wordings.
# {place} {org} {p1} {p2} {w} (witness, per outlet) and figure slots {n_*}.
KINDS = {
    "flood": {
        "figs": {"n_homes": (80, 900), "n_evac": (200, 3000), "n_cost": (2, 40)},
        "paras": [
            [("Floodwater swept through {place} after the river burst its banks, with "
              "{n_homes} homes under water by nightfall."),
             "More than {n_homes} homes in {place} were flooded when the river rose overnight.",
             "The river broke through defences at {place}, leaving {n_homes} houses flooded."],
            ["About {n_evac} residents were evacuated to a leisure centre run by {org}.",
             "{org} said {n_evac} people had been moved from their homes.",
             "Some {n_evac} residents spent the night in rest centres, {org} said."],
            ["{p1}, who leads the council, said repairs could cost £{n_cost}m.",
             "The bill for repairs could reach £{n_cost}m, according to {p1}.",
             "Council leader {p1} put the cost of the damage at £{n_cost}m."],
            ["\"The water came up through the floor in minutes,\" said {w}, a resident.",
             "{w}, whose shop was ruined, said: \"We had no warning at all.\"",
             "Neighbour {w} said the street had flooded twice in five years."],
            ["Forecasters warned that more rain was expected later in the week.",
             "The Environment Agency kept a severe flood warning in place.",
             "Engineers from {org} were inspecting the flood defences."],
            ["{p2}, the local MP, called for an inquiry into the defences.",
             "Questions were raised about why the defences failed, {p2} said."],
        ],
    },
    "strike": {
        "figs": {"n_workers": (300, 5000), "n_pct": (2, 9), "n_days": (2, 21)},
        "paras": [
            ["Some {n_workers} workers at {org} in {place} walked out over pay.",
             "A strike by {n_workers} staff at {org} began in {place} on Monday.",
             "Picket lines formed outside {org} in {place} as {n_workers} staff struck."],
            ["The union rejected a {n_pct}% pay offer as an insult.",
             "Members voted to reject an offer worth {n_pct}%.",
             "A {n_pct}% rise was turned down by union members."],
            ["The walkout is due to last {n_days} days, {p1} of the union said.",
             "{p1}, the union's regional secretary, said the action would run for {n_days} days.",
             "Union official {p1} said the {n_days}-day strike could be extended."],
            ["{org} chief executive {p2} said the offer was fair and affordable.",
             "{p2}, who runs {org}, urged staff to return to talks.",
             "Management said the offer was the best possible, according to {p2}."],
            ["\"We cannot live on these wages,\" said {w}, who has worked there for years.",
             "Striker {w} said morale had never been lower.",
             "{w}, on the picket line, said: \"We have been pushed to this.\""],
            ["Talks are expected to resume next week.",
             "Conciliation officers have offered to mediate."],
        ],
    },
    "trial": {
        "figs": {"n_years": (2, 14), "n_amount": (50, 900), "n_victims": (3, 40)},
        "paras": [
            ["{p1}, of {place}, was jailed for {n_years} years at Crown Court.",
             "A court sentenced {p1} from {place} to {n_years} years in prison.",
             "{p1} was given a {n_years}-year sentence for fraud."],
            ["The court heard {p1} had taken £{n_amount},000 from {n_victims} victims.",
             "Prosecutors said {n_victims} people lost a total of £{n_amount},000.",
             "{n_victims} victims were defrauded of £{n_amount},000, jurors were told."],
            ["Judge {p2} said the offences showed a cynical abuse of trust.",
             "Passing sentence, Judge {p2} described the scheme as calculated.",
             "{p2}, the judge, said the victims had been deliberately targeted."],
            ["One victim, {w}, said she had lost her life savings.",
             "{w}, who gave evidence, said the money was meant for retirement.",
             "In a statement, {w} said the case had caused years of distress."],
            ["The money was routed through accounts at {org}, the court heard.",
             "Investigators traced payments to {org}."],
            ["Detectives said the case was one of the largest of its kind in the region.",
             "Police welcomed the sentence."],
        ],
    },
    "fire": {
        "figs": {"n_crews": (4, 30), "n_firefighters": (20, 150), "n_injured": (2, 25)},
        "paras": [
            ["A fire tore through the {org} warehouse in {place} overnight.",
             "Flames destroyed the {org} depot in {place} in the early hours.",
             "A huge blaze gutted a warehouse owned by {org} in {place}."],
            ["{n_crews} crews and {n_firefighters} firefighters tackled the blaze.",
             "At its height, {n_firefighters} firefighters from {n_crews} crews fought the fire.",
             "The fire service sent {n_crews} engines and {n_firefighters} firefighters."],
            ["{n_injured} people were treated for smoke inhalation.",
             "Paramedics treated {n_injured} people at the scene.",
             "{n_injured} people were taken to hospital with minor injuries."],
            ["Station manager {p1} said the cause was not yet known.",
             "{p1}, who led the response, said an investigation had begun.",
             "The cause is being investigated, {p1} said."],
            ["\"The whole sky was orange,\" said {w}, who lives nearby.",
             "Nearby resident {w} said windows were shaking.",
             "{w} said she was woken by explosions."],
            ["{p2} of {org} thanked the emergency services.",
             "The company, led by {p2}, said no staff were inside."],
        ],
    },
    "results": {
        "figs": {"n_profit": (12, 800), "n_jobs": (100, 2500), "n_pct": (3, 30)},
        "paras": [
            ["{org}, based in {place}, reported profits of £{n_profit}m for the year.",
             "Annual profit at {org} reached £{n_profit}m, the {place} firm said.",
             "The {place} company {org} made £{n_profit}m in profit."],
            ["Sales rose {n_pct}% on the previous year.",
             "Revenue grew by {n_pct}%, helped by exports.",
             "Turnover was up {n_pct}%."],
            ["The firm plans to cut {n_jobs} jobs as it closes older sites.",
             "Up to {n_jobs} jobs will go in a restructuring.",
             "{n_jobs} roles are at risk under the plans."],
            ["Chief executive {p1} said the group was in good shape.",
             "{p1}, the chief executive, said the results showed resilience.",
             "\"We have had a strong year,\" said {p1}."],
            ["Analyst {w} said investors had expected more.",
             "{w}, an analyst, said the job cuts were a surprise.",
             "Shares moved little, analyst {w} noted."],
            ["Unions said they would fight the cuts, according to {p2}.",
             "{p2} of the union called the cuts unnecessary."],
        ],
    },
}


# Colour sentences any report may carry; with random fillers so no two are identical
# (identical lines across many files are boilerplate to the loader, rightly).
COLOUR = [
    "The {adj} mood in the town was obvious on {day}.",
    "Many people in the area said they had {adj} memories of earlier events.",
    "Local businesses reported a {adj} {day} as the news spread.",
    "By {day} evening the streets were {adj} and quiet.",
    "Officials promised a {adj} review of what happened.",
    "Some residents described the week as {adj}.",
    "The weather on {day} was {adj}, which did not help.",
    "Campaigners said the episode was {adj} and avoidable.",
    "Further updates were expected on {day}, officials said.",
    "Social media was full of {adj} pictures by {day} morning.",
]
ADJ = ["tense", "grim", "sombre", "uneasy", "chaotic", "bleak", "strange", "anxious",
       "subdued", "busy", "sobering", "difficult", "familiar", "painful", "hectic"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _name(rng: random.Random) -> str:
    return rng.choice(FIRST) + " " + (rng.choice(SYL) + rng.choice(LAST_SYL)).capitalize()


def _place(rng: random.Random) -> str:
    return (rng.choice(SYL) + rng.choice(SYL)).capitalize()


def _date(day: int) -> str:
    import datetime as dt

    return (dt.date(2024, 1, 1) + dt.timedelta(days=day)).isoformat()


def _colour(rng: random.Random) -> str:
    return rng.choice(COLOUR).format(adj=rng.choice(ADJ), day=rng.choice(DAYS))


def generate(n_stories: int, seed: int, out: Path,
             dates: bool = True) -> dict[str, list[str]]:
    """Write the fictional story corpus under ``out``; return {story: [relative paths]}.

    Every report opens with a lead naming the place or organisation (as real reports
    do); the other paragraphs are picked, reworded, reordered and padded per outlet.
    """
    rng = random.Random(seed)
    places = sorted({_place(rng) for _ in range(max(20, n_stories // 5))})
    stories: dict[str, list[str]] = {}
    manifest = []
    for s in range(n_stories):
        kind = rng.choice(sorted(KINDS))
        spec = KINDS[kind]
        place = rng.choice(places)  # places repeat across stories on purpose
        org = rng.choice(["", "North ", "Vale ", "Coast "]) + place + " " + rng.choice(
            ["Holdings", "Water", "Logistics", "Council", "Foods", "Rail", "Bank", "Metals"])
        people = {"p1": _name(rng), "p2": _name(rng)}
        figs = {k: rng.randint(lo, hi) for k, (lo, hi) in spec["figs"].items()}
        k = rng.choice([2, 2, 3, 3, 4, 5])
        outlets = rng.sample(OUTLETS, k)
        name = f"story{s:04d}-{kind}"
        day = rng.randint(0, 700)  # stories spread over two years; reports within days
        for o in outlets:
            own = dict(figs)
            if rng.random() < 0.3:  # this outlet reports a different figure
                slot = rng.choice(sorted(own))
                own[slot] = max(1, int(own[slot] * rng.choice([0.7, 0.8, 1.2, 1.5])))
            lead, *rest = spec["paras"]
            paras = [rng.choice(options) for options in rest if rng.random() < 0.8]
            paras += ["{colour}"] * rng.randint(1, 4)
            rng.shuffle(paras)
            paras.insert(0 if rng.random() < 0.8 else 1, rng.choice(lead))
            values = {"place": place, "org": org, **people, "w": _name(rng), **own}
            text = "\n\n".join(
                p.format(**values, colour=_colour(rng)) + (" " + _colour(rng)
                                                           if rng.random() < 0.4 else "")
                for p in paras) + "\n"
            rel = f"{name}/{o.lower().replace(' ', '-')}.txt"
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            stories.setdefault(name, []).append(rel)
            published = _date(day + rng.choice([0, 0, 1, 1, 2, 3])) if dates else ""
            manifest.append({"path": rel, "outlet": o, "title": "", "url": "",
                             "published": published, "byline": ""})
    with (out / "manifest.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(manifest[0]))
        w.writeheader()
        w.writerows(manifest)
    return stories


def evaluate(db_path: str, gold: dict[str, list[str]]) -> dict:
    """Recall of the top k-1 suggestions and pairwise story-grouping quality."""
    db = sqlite_utils.Database(db_path)
    id_of = {p: i for i, p in db.execute("select id, path from articles")}
    story_of = dict(db.execute("select id, story_id from articles"))
    related = defaultdict(list)
    for a, o in db.execute("select article_id, other_id from related order by article_id, rank"):
        related[a].append(o)
    hits = total = exact = reports = 0
    tp = fp = fn = 0
    gold_pairs = set()
    misses = []
    for name, paths in gold.items():
        ids = [id_of[p] for p in paths if p in id_of]
        k = len(ids)
        for a in ids:
            top = set(related[a][:k - 1])
            others = set(ids) - {a}
            got = len(top & others)
            hits += got
            total += len(others)
            reports += 1
            exact += got == len(others)
            if got < len(others) and len(misses) < 5:
                misses.append((name, a, sorted(others - top), related[a][:k - 1]))
        gold_pairs |= {tuple(sorted(p)) for p in combinations(ids, 2)}
    by_story = defaultdict(list)
    for a, s in story_of.items():
        if s is not None:
            by_story[s].append(a)
    found_pairs = {tuple(sorted(p)) for m in by_story.values() for p in combinations(m, 2)}
    gold_ids = {i for paths in gold.values() for p in paths for i in [id_of.get(p)] if i}
    # Only judge grouping among the benchmark's own reports (BBC has its own duplicates).
    found_pairs = {p for p in found_pairs if p[0] in gold_ids or p[1] in gold_ids}
    tp = len(found_pairs & gold_pairs)
    fp = len(found_pairs - gold_pairs)
    fn = len(gold_pairs - found_pairs)
    return {
        "reports": reports, "recall": hits / total if total else 0.0,
        "exact_share": exact / reports if reports else 0.0,
        "story_precision": tp / (tp + fp) if tp + fp else 0.0,
        "story_recall": tp / (tp + fn) if tp + fn else 0.0, "misses": misses,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stories", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-bbc", action="store_true")
    ap.add_argument("--no-dates", action="store_true",
                    help="leave publication dates out, so only text links reports")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", help="build in this folder and keep it")
    args = ap.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="related-recall-"))
    work.mkdir(parents=True, exist_ok=True)
    gen = work / "stories"
    gold = generate(args.stories, args.seed, gen, dates=not args.no_dates)
    demo = ROOT / "datasette_reportcorpus" / "demo"
    demo_gold = json.loads((demo / "gold.json").read_text(encoding="utf-8"))
    for name, story in demo_gold["stories"].items():
        gold[f"demo:{name}"] = story["paths"]
    shared = Path(os.environ.get("REPORTCORPUS_SHARED", ROOT.parent / "shared"))
    bbc = shared / "corpora" / "bbc"
    db_path = str(work / "corpus.db")
    if os.path.exists(db_path):
        os.remove(db_path)
    t0 = time.perf_counter()
    # Load without the related pass, to time the two apart.
    real = related_mod.refresh_related
    related_mod.refresh_related = lambda db, **_: related_mod.RelatedSummary()
    try:
        load(db_path, [str(gen)], manifest=str(gen / "manifest.csv"), workers=args.workers)
        load(db_path, [str(demo)], manifest=str(demo / "manifest.csv"), workers=1)
        if not args.no_bbc and bbc.is_dir():
            load(db_path, [str(bbc)], outlet="BBC", workers=args.workers)
    finally:
        related_mod.refresh_related = real
    t_load = time.perf_counter() - t0
    db = sqlite_utils.Database(db_path)
    n_articles = db.execute("select count(*) from articles").fetchone()[0]
    n_paras = db.execute("select count(*) from paragraphs").fetchone()[0]
    t1 = time.perf_counter()
    with db.conn:
        related_mod.refresh_related(db, force_full=True)
        refresh_stories(db)
    t_related = time.perf_counter() - t1
    db.close()
    # Paths of the generated stories are relative to their own folder; demo paths too.
    result = evaluate(db_path, gold)
    print(f"corpus: {n_articles} articles, {n_paras} paragraphs "
          f"({len(gold)} multi-outlet stories, {result['reports']} story reports; "
          f"{'no ' if args.no_bbc or not bbc.is_dir() else ''}BBC distractors)")
    print(f"load (without related pass): {t_load:.1f} s; related + stories: {t_related:.1f} s "
          f"({t_related / t_load:.2f} of the load)")
    print(f"recall of top k-1: {result['recall']:.4f}; reports with all siblings on top: "
          f"{result['exact_share']:.4f}")
    print(f"story grouping: pairwise precision {result['story_precision']:.4f}, "
          f"recall {result['story_recall']:.4f}")
    for m in result["misses"]:
        print("  miss:", m)


if __name__ == "__main__":
    main()
