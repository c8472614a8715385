"""Related-report recall: do the other reports of a story come first?

Every data set is measured twice in the same run: the product's ranking (the
``related`` table the loader writes) and a plain baseline, TF-IDF cosine over each
article's whole file text (scikit-learn's TfidfVectorizer: sublinear tf, smoothed idf,
l2-normalised, lower-case word tokens; with and without English stop words), over the
same mixture of articles. For a story told by k outlets, each report's top k-1
suggestions should be the story's other k-1 reports. Printed per set and part: recall
over all (report, sibling) pairs ("recall@k-1"), the share of reports with all their
siblings on top, story grouping pairwise precision/recall, and the time of the related
pass (with ``--before DIR``, a checkout of an earlier version of the project, that
version's pass is run and timed on a copy of the same database, side by side).

Sets:

- demo: the bundled demo corpus alone (ours, fictional; tuning).
- fictional: seeded fictional multi-outlet stories (each outlet writes its own report
  from varied paragraph templates, in its own order, with its own witnesses and
  sometimes its own figures; places repeat across stories and stories of one kind share
  their vocabulary) plus the demo stories, mixed into the BBC corpus as distractors
  (tuning: we wrote the generator while developing the ranking).
- copies: near-copies within the BBC corpus, found independently of the product (word
  8-gram containment >= 0.5 on the raw files); split into tuning / measure-only halves by
  a CRC32 of the group's name.
- basil: BASIL (Fan et al., "In Plain Sight: Media Bias Through the Lens of Factual
  Reporting", EMNLP 2019): 100 stories each reported by Fox News, the New York Times and
  HuffPost, 2010-2019; GitHub launchnlp/BASIL, commit
  4fdbc4f68d5ddae648990063cb6dd11424d96222; the repository carries no licence file, so it
  is read from where you keep it and nothing of it enters this repository. Get it with
  ``git clone https://github.com/launchnlp/BASIL`` and set ``REPORTCORPUS_BASIL`` to the
  clone's ``articles`` folder (``articles/{year}/{triplet}_{1|2|3}.json``). Each article is
  written as a .txt (title line, blank line, paragraphs) with a manifest naming its outlet,
  measured once with publication dates and once without (most collections lack them),
  mixed into the BBC corpus. Triplets of 2010-2013 are the tuning part, 2014-2019 are
  measure-only.

The BBC corpus is found under ``$REPORTCORPUS_SHARED/corpora/bbc``; the baseline needs
scikit-learn (``pip install scikit-learn`` in the environment running the benchmark; the
product does not use it).

    python benchmarks/related_recall.py [--stories 300] [--seed 7] [--only demo,basil]
                                        [--before DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlite_utils

from datasette_reportcorpus.loaders.related import rank as related_mod
from datasette_reportcorpus.loaders.load import load
from datasette_reportcorpus.loaders.related.stories import refresh_stories

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


# --- data sets ------------------------------------------------------------------------------

OUTLET_NAMES = {"fox": "Fox News", "nyt": "New York Times", "hpo": "HuffPost"}
BASIL_TUNING_YEARS = range(2010, 2014)
"""BASIL triplets of these years may be looked at and tuned on; 2014-2019 are measure-only."""


def write_basil(src: Path, out: Path, dates: bool) -> dict[str, dict[str, list[str]]]:
    """Write BASIL's articles as .txt files (title line, blank line, paragraphs) under
    ``out`` with a manifest (outlet, and the date when ``dates``); return
    {"tuning"|"measure": {triplet: [relative paths]}}."""
    parts: dict[str, dict[str, list[str]]] = {"tuning": {}, "measure": {}}
    manifest = []
    for path in sorted(src.rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        year = int(path.parent.name)
        paras = [" ".join(s.strip() for s in para if s.strip())
                 for para in doc.get("body-paragraphs") or []]
        paras = [p for p in paras if p]
        if not paras:
            continue
        rel = f"{year}/{path.stem}.txt"
        dest = out / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text((doc.get("title") or "").strip() + "\n\n" + "\n\n".join(paras) + "\n",
                        encoding="utf-8")
        part = "tuning" if year in BASIL_TUNING_YEARS else "measure"
        parts[part].setdefault(doc["triplet-uuid"], []).append(rel)
        manifest.append({"path": rel,
                         "outlet": OUTLET_NAMES.get(doc["source"].lower(), doc["source"]),
                         "title": "", "url": "",
                         "published": (doc.get("date") or "")[:10] if dates else "",
                         "byline": ""})
    with (out / "manifest.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(manifest[0]))
        w.writeheader()
        w.writerows(manifest)
    return parts


def near_copy_gold(root: Path, size: int = 8, share: float = 0.5) -> dict[str, list[str]]:
    """Groups of files under ``root`` whose texts are near-copies, found independently of
    the product: word 8-grams of the raw text, a pair joined when half the smaller text's
    8-grams recur in the other (8-grams in more than 20 files are ignored)."""
    grams: dict[str, set[int]] = {}
    for path in sorted(root.rglob("*.txt")):
        if path.name.upper() == "README.TXT":
            continue
        words = re.findall(r"\w+", path.read_text(encoding="utf-8", errors="replace").lower())
        grams[path.relative_to(root).as_posix()] = {
            hash(g) for g in zip(*(words[i:] for i in range(size)))}
    index: dict[int, list[str]] = defaultdict(list)
    for rel, gs in grams.items():
        for g in gs:
            index[g].append(rel)
    shared: Counter = Counter()
    for rels in index.values():
        if 1 < len(rels) <= 20:
            shared.update(combinations(rels, 2))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for (a, b), n in shared.items():
        if n >= share * min(len(grams[a]), len(grams[b])):
            parent[find(a)] = find(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        groups[find(x)].append(x)
    return {f"copy:{min(v)}": sorted(v) for v in groups.values() if len(v) > 1}


def split_by_hash(gold: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """Tuning / measure-only halves by a hash of the group's name (stable across runs)."""
    parts: dict[str, dict[str, list[str]]] = {"tuning": {}, "measure": {}}
    for name, paths in gold.items():
        half = "tuning" if zlib.crc32(name.encode()) % 2 == 0 else "measure"
        parts[half][name] = paths
    return parts


# --- measuring ------------------------------------------------------------------------------

def read_lists(db_path: str) -> tuple[dict[str, int], dict[int, list[int]], dict[int, int]]:
    db = sqlite_utils.Database(db_path)
    id_of = {p: i for i, p in db.execute("select id, path from articles")}
    related = defaultdict(list)
    for a, o in db.execute("select article_id, other_id from related order by article_id, rank"):
        related[a].append(o)
    story_of = dict(db.execute("select id, story_id from articles"))
    db.close()
    return id_of, related, story_of


def recall(gold: dict[str, list[str]], id_of: dict[str, int],
           related: dict[int, list[int]]) -> tuple[float, float, int]:
    """Recall of the top k-1 over (report, sibling) pairs; share of reports with all their
    siblings on top; reports measured."""
    hits = total = exact = reports = 0
    for paths in gold.values():
        ids = [id_of[p] for p in paths if p in id_of]
        if len(ids) < 2:
            continue
        k = len(ids)
        for a in ids:
            top = set(related.get(a, [])[:k - 1])
            got = len(top & (set(ids) - {a}))
            hits += got
            total += k - 1
            reports += 1
            exact += got == k - 1
    return (hits / total if total else 0.0, exact / reports if reports else 0.0, reports)


def grouping(gold: dict[str, list[str]], id_of: dict[str, int],
             story_of: dict[int, int | None]) -> tuple[float, float]:
    """Pairwise story-grouping precision and recall among the gold's reports."""
    gold_pairs = set()
    for paths in gold.values():
        ids = [id_of[p] for p in paths if p in id_of]
        gold_pairs |= {tuple(sorted(p)) for p in combinations(ids, 2)}
    gold_ids = {i for pair in gold_pairs for i in pair}
    by_story = defaultdict(list)
    for a, s in story_of.items():
        if s is not None:
            by_story[s].append(a)
    found = {tuple(sorted(p)) for m in by_story.values() for p in combinations(m, 2)}
    found = {p for p in found if p[0] in gold_ids or p[1] in gold_ids}
    tp = len(found & gold_pairs)
    return (tp / len(found) if found else 0.0, tp / len(gold_pairs) if gold_pairs else 0.0)


def baseline_lists(db_path: str, roots: list[Path], stop_words: str | None,
                   want: set[int], limit: int = 10) -> dict[int, list[int]]:
    """Plain TF-IDF cosine over each article's whole file text (title included): sublinear
    tf, smoothed idf, l2-normalised, lower-case word tokens; the ``limit`` nearest other
    articles of each article in ``want``, over every article in the database."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    db = sqlite_utils.Database(db_path)
    rows = list(db.execute("select id, path from articles order by id"))
    db.close()
    ids, texts = [], []
    for aid, rel in rows:
        for root in roots:
            path = root / rel
            if path.is_file():
                ids.append(aid)
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
                break
    x = TfidfVectorizer(sublinear_tf=True, stop_words=stop_words).fit_transform(texts)
    row_of = {aid: i for i, aid in enumerate(ids)}
    asked = [a for a in sorted(want) if a in row_of]
    sims = (x[[row_of[a] for a in asked]] @ x.T).toarray()
    out = {}
    for r, a in enumerate(asked):
        sims[r, row_of[a]] = -1.0
        best = np.argsort(-sims[r], kind="stable")[:limit]
        out[a] = [ids[j] for j in best]
    return out


OLD_PASS = """
import sys, time
sys.path.insert(0, sys.argv[1])
import sqlite_utils
from datasette_reportcorpus.loaders.related import rank as related
from datasette_reportcorpus.loaders.related import stories
db = sqlite_utils.Database(sys.argv[2])
t = time.perf_counter()
with db.conn:
    related.refresh_related(db, force_full=True)
    stories.refresh_stories(db)
print(time.perf_counter() - t)
"""


def related_pass(db_path: str) -> float:
    db = sqlite_utils.Database(db_path)
    t = time.perf_counter()
    with db.conn:
        related_mod.refresh_related(db, force_full=True)
        refresh_stories(db)
    took = time.perf_counter() - t
    db.close()
    return took


def load_quietly(db_path: str, sources: list[tuple[Path, Path | None, str | None]],
                 workers: int) -> None:
    """Load ``sources`` (folder, manifest, outlet) without the related pass."""
    real = related_mod.refresh_related
    related_mod.refresh_related = lambda db, **_: related_mod.RelatedSummary()
    try:
        for folder, manifest, outlet in sources:
            summary = load(db_path, [str(folder)], manifest=str(manifest) if manifest else None,
                           outlet=outlet, workers=workers)
            if summary.errors:
                print(f"  {len(summary.errors)} load errors in {folder.name}", file=sys.stderr)
    finally:
        related_mod.refresh_related = real


def measure_set(name: str, db_path: str, roots: list[Path],
                parts: dict[str, dict[str, list[str]]], before: Path | None) -> None:
    """Run the related pass (and an earlier version's, when ``before`` is given) on the
    same database and print product, earlier version and baselines per part."""
    pre = db_path + ".pre"
    shutil.copy(db_path, pre)
    took = related_pass(db_path)
    id_of, related, story_of = read_lists(db_path)
    n = len(id_of)
    rows = {"product": (related, story_of)}
    took_before = None
    if before is not None:
        out = subprocess.run([sys.executable, "-c", OLD_PASS, str(before), pre],
                             capture_output=True, text=True)
        if out.returncode:
            print(f"  earlier version failed: {out.stderr.strip()[-300:]}")
        else:
            took_before = float(out.stdout.split()[-1])
            _, rel_b, story_b = read_lists(pre)
            rows["before"] = (rel_b, story_b)
    os.remove(pre)
    want = {id_of[p] for part in parts.values() for paths in part.values()
            for p in paths if p in id_of}
    for stop in ("english", None):
        rows[f"tf-idf{' +stop' if stop else ''}"] = (
            baseline_lists(db_path, roots, stop, want), None)
    timing = f"related + stories pass {took:.2f} s"
    if took_before is not None:
        timing += f" (earlier version {took_before:.2f} s)"
    print(f"\n== {name}: {n} articles; {timing}")
    print(f"  {'part':8} {'ranking':14} {'reports':>7} {'recall@k-1':>10} {'all on top':>10}"
          f" {'grouping P / R':>16}")
    for part, gold in parts.items():
        if not gold:
            continue
        for label, (lists, stories) in rows.items():
            r, exact, reports = recall(gold, id_of, lists)
            grp = ""
            if stories is not None:
                p, rc = grouping(gold, id_of, stories)
                grp = f"{p:.3f} / {rc:.3f}"
            print(f"  {part:8} {label:14} {reports:7d} {r:10.3f} {exact:10.3f} {grp:>16}")
    RESULTS[name] = {part: {label: recall(gold, id_of, lists)[0]
                            for label, (lists, _) in rows.items()}
                     for part, gold in parts.items() if gold}


RESULTS: dict[str, dict[str, dict[str, float]]] = {}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stories", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", help="comma-separated sets: demo,fictional,copies,basil")
    ap.add_argument("--before", type=Path,
                    help="a checkout of an earlier version: its related pass is run and "
                         "timed on the same databases")
    ap.add_argument("--keep", help="build in this folder and keep it")
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else {"demo", "fictional", "copies", "basil"}
    work = Path(args.keep or tempfile.mkdtemp(prefix="related-recall-"))
    work.mkdir(parents=True, exist_ok=True)
    demo = ROOT / "datasette_reportcorpus" / "demo"
    demo_gold = {f"demo:{k}": v["paths"] for k, v in json.loads(
        (demo / "gold.json").read_text(encoding="utf-8"))["stories"].items()}
    shared = Path(os.environ.get("REPORTCORPUS_SHARED", ROOT.parent / "shared"))
    bbc = shared / "corpora" / "bbc"
    have_bbc = bbc.is_dir()
    if not have_bbc:
        print(f"BBC corpus not found under {shared}/corpora/bbc (set REPORTCORPUS_SHARED):"
              " sets are measured without distractors and the near-copy set is skipped")
    base = str(work / "bbc.db")
    if have_bbc and only - {"demo"}:
        for leftover in Path(work).glob("*.db*"):
            leftover.unlink()
        load_quietly(base, [(bbc, None, "BBC")], args.workers)

    def with_bbc(name: str) -> str:
        path = str(work / f"{name}.db")
        if os.path.exists(path):
            os.remove(path)
        if have_bbc:
            shutil.copy(base, path)
        return path

    bbc_roots = [bbc] if have_bbc else []
    if "demo" in only:
        path = str(work / "demo.db")
        if os.path.exists(path):
            os.remove(path)
        load_quietly(path, [(demo, demo / "manifest.csv", None)], 1)
        measure_set("demo corpus alone", path, [demo], {"tuning": demo_gold}, args.before)
    if "fictional" in only:
        gen = work / "stories"
        if gen.exists():
            shutil.rmtree(gen)
        gold = generate(args.stories, args.seed, gen)
        gold.update(demo_gold)
        path = with_bbc("fictional")
        load_quietly(path, [(gen, gen / "manifest.csv", None), (demo, demo / "manifest.csv", None)],
                     args.workers)
        measure_set(f"{args.stories} fictional multi-outlet stories + demo + BBC", path,
                    [gen, demo, *bbc_roots], {"tuning": gold}, args.before)
    if "copies" in only and have_bbc:
        measure_set("BBC near-copies (8-gram containment >= 0.5)", base, bbc_roots,
                    split_by_hash(near_copy_gold(bbc)), args.before)
    if "basil" in only:
        src = os.environ.get("REPORTCORPUS_BASIL")
        if not src or not Path(src).is_dir():
            print("\nBASIL skipped: set REPORTCORPUS_BASIL to a folder holding BASIL's"
                  " articles/{year}/*.json (see the module docstring)")
        else:
            for dates in (True, False):
                out = work / f"basil-{'dates' if dates else 'nodates'}"
                if out.exists():
                    shutil.rmtree(out)
                parts = write_basil(Path(src), out, dates)
                path = with_bbc(out.name)
                load_quietly(path, [(out, out / "manifest.csv", None)], args.workers)
                measure_set(f"BASIL + BBC, {'with' if dates else 'without'} dates (tuning:"
                            f" 2010-2013, measure-only: 2014-2019)", path, [out, *bbc_roots],
                            parts, args.before)
    print("\nproduct minus the better baseline, recall of top k-1:")
    for name, parts in RESULTS.items():
        for part, scores in parts.items():
            best = max(v for k, v in scores.items() if k.startswith("tf-idf"))
            print(f"  {part:8} {scores['product'] - best:+.3f}  {name}")


if __name__ == "__main__":
    main()
