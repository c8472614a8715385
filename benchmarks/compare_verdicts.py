"""Precision of the compare view's verdicts, against gold we wrote, beside a plain baseline.

Every figure pair the compare view reports carries a verdict - ``differ`` (a
contradiction), ``scope`` (one point counted over a different scope: check), ``agree``,
``compatible`` (hedged, both true) - and every pair of names it finds is "spelled
differently". This script loads two sets of two-outlet report pairs with the usual
loader, runs the comparison on each pair, and scores every verdict it gives:

- **tuning**: ``benchmarks/gold/compare_verdicts.json``, fictional reports of invented
  events in the style of real multi-outlet coverage, with their gold (used to set the
  rules' thresholds);
- **measure-only**: real reports, triplets of one story told by three US outlets from
  BASIL ("In Plain Sight: Media Bias Through the Lens of Factual Reporting", EMNLP 2019;
  github.com/launchnlp/BASIL, commit 4fdbc4f68d5ddae648990063cb6dd11424d96222;
  ``articles/{year}/{triplet}_{1|2|3}.json`` with ``title``, ``source`` and
  ``body-paragraphs``). The repository states no licence, so nothing of it is kept here:
  ``benchmarks/gold/compare_verdicts_basil.json`` names article pairs by triplet id and
  article number and figures by kind, value and hedge, annotated by reading the articles
  before looking at any verdict on them, and never used for tuning. Set
  ``REPORTCORPUS_BASIL`` to a clone of that repository (or its ``articles`` folder):
  ``git clone https://github.com/launchnlp/BASIL && git -C BASIL checkout 4fdbc4f``. The
  part is skipped, with the reason printed, when it is not set.

Precision of a verdict = pairs given that verdict whose two figures the gold lists as one
point with that verdict, over all pairs given that verdict (a pair the gold does not list
is not on one point, so it counts as wrong). Recall is printed beside it.

The baseline pairs figures of equal kind, equal unit and the same object word (both
without one counts as the same), closest values first, one to one, and says ``agree`` for
equal values, ``compatible`` when either is hedged, ``scope`` when the values are more
than five times apart, ``differ`` otherwise; it calls two names only one report has
"spelled differently" when they are at most two edits apart.

    python benchmarks/compare_verdicts.py [--basil DIR]
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import sqlite3
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datasette_reportcorpus.compare import data as compare_data  # noqa: E402
from datasette_reportcorpus.loaders.compare import edit_distance, figure_kind, names_only_in_one  # noqa: E402
from datasette_reportcorpus.loaders.load import load  # noqa: E402

GOLD = ROOT / "benchmarks" / "gold"
FIGURE_VERDICTS = ("differ", "scope", "agree", "compatible")
VERDICTS = (*FIGURE_VERDICTS, "spelled")


# --- loading pairs ------------------------------------------------------------------------

def _write(folder: Path, name: str, title: str, paragraphs: list[str]) -> str:
    path = folder / f"{name}.txt"
    path.write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path.name


def _load(folder: Path) -> sqlite3.Connection:
    db = folder.parent / (folder.name + ".db")
    load(str(db), [str(folder)], workers=1)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return conn


def _article(conn: sqlite3.Connection, path: str) -> tuple[dict, list[dict], list[dict]]:
    cols = ", ".join(f"[{c}]" for c in compare_data.ARTICLE_COLUMNS)
    row = dict(conn.execute(f"select {cols} from articles where path = ?", [path]).fetchone())
    paras = [dict(r) for r in conn.execute(
        "select id, position, text, start, [end] from paragraphs where article_id = ?"
        " order by position", [row["id"]])]
    figs = [dict(r) for r in conn.execute(
        "select f.id, f.surface, f.value, f.value_high, f.unit, f.kind, f.hedge, f.object,"
        " f.event, f.start, f.[end], p.position as paragraph from figures f join paragraphs p"
        " on p.id = f.paragraph_id where f.article_id = ? order by p.position, f.start",
        [row["id"]])]
    return row, paras, figs


# --- the two ways of judging -----------------------------------------------------------------

def method(left, right) -> tuple[list[tuple[dict, dict, str]], list[tuple[str, str]]]:
    out = compare_data.build(left[0], right[0], left[1], right[1], left[2], right[2])
    figures = [(f["left"], f["right"], f["status"]) for f in out["figures"]
               if f["status"] in FIGURE_VERDICTS]
    names = [(v["left"], v["right"]) for v in out["summary"]["names_spelled_differently"]]
    return figures, names


def baseline(left, right) -> tuple[list[tuple[dict, dict, str]], list[tuple[str, str]]]:
    cands = []
    for i, a in enumerate(left[2]):
        for j, b in enumerate(right[2]):
            if a["kind"] != b["kind"] or a["unit"] != b["unit"] or a["object"] != b["object"]:
                continue
            if a["kind"] in ("date", "year", "time", "ordinal"):
                gap = 0.0 if a["value"] == b["value"] else math.inf
            else:
                gap = abs(math.log((abs(a["value"]) + 1) / (abs(b["value"]) + 1)))
            if gap < math.inf:
                cands.append((gap, i, j))
    used_l, used_r, figures = set(), set(), []
    for gap, i, j in sorted(cands):
        if i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        a, b = left[2][i], right[2][j]
        if a["value"] == b["value"]:
            verdict = "agree"
        elif a["hedge"] or b["hedge"]:
            verdict = "compatible"
        elif gap > math.log(5):
            verdict = "scope"
        else:
            verdict = "differ"
        figures.append((a, b, verdict))
    ln, rn = names_only_in_one([p["text"] for p in left[1]], [p["text"] for p in right[1]])
    names, taken = [], set()
    for x in ln:
        for y in rn:
            if y not in taken and x != y and edit_distance(x.casefold(), y.casefold()) <= 2:
                names.append((x, y))
                taken.add(y)
                break
    return figures, names


# --- scoring ---------------------------------------------------------------------------------

def _same_value(x: float, y: float) -> bool:
    return abs(x - y) <= 1e-6 * max(1.0, abs(x), abs(y))


def _gold_verdict(a: dict, b: dict, gold: list[list]) -> str | None:
    """The gold verdict of a figure pair (kind and value on each side; the hedge picks
    among gold pairs of equal values), or None when the gold does not list it."""
    found = [g for g in gold if g[0] == figure_kind(a) and _same_value(g[1], a["value"])
             and g[3] == figure_kind(b) and _same_value(g[4], b["value"])]
    exact = [g for g in found if g[2] == a["hedge"] and g[5] == b["hedge"]]
    pick = exact or found
    verdicts = {g[6] for g in pick}
    return verdicts.pop() if len(verdicts) == 1 else (sorted(verdicts)[0] if verdicts else None)


def _name_match(pred: tuple[str, str], gold: list[list[str]]) -> bool:
    return any(g[0] in pred[0] and g[1] in pred[1] for g in gold)


def score(pairs: list[tuple[tuple, tuple, dict]], judge, show: bool = False
          ) -> dict[str, dict[str, int]]:
    """``{verdict: {"given", "right", "gold", "found"}}`` over all pairs; ``show`` prints
    every verdict that the gold does not confirm, and every gold pair missed."""
    tally = {v: Counter() for v in VERDICTS}
    for left, right, gold in pairs:
        figures, names = judge(left, right)
        found = set()
        for a, b, verdict in figures:
            g = _gold_verdict(a, b, gold["figures"])
            if show and g != verdict:
                print(f"  {gold.get('id') or gold.get('triplet')}: {verdict} {a['surface']!r}"
                      f" / {b['surface']!r}, gold {g}")
            tally[verdict]["given"] += 1
            if g == verdict:
                tally[verdict]["right"] += 1
                key = next(k for k, e in enumerate(gold["figures"])
                           if e[0] == figure_kind(a) and _same_value(e[1], a["value"])
                           and e[3] == figure_kind(b) and _same_value(e[4], b["value"])
                           and e[6] == verdict)
                found.add(key)
        for k, e in enumerate(gold["figures"]):
            if show and k not in found:
                print(f"  {gold.get('id') or gold.get('triplet')}: missed {e}")
            tally[e[6]]["gold"] += 1
            tally[e[6]]["found"] += k in found
        for pred in names:
            tally["spelled"]["given"] += 1
            tally["spelled"]["right"] += _name_match(pred, gold["names"])
        tally["spelled"]["gold"] += len(gold["names"])
        tally["spelled"]["found"] += sum(any(_name_match(p, [g]) for p in names)
                                         for g in gold["names"])
    return tally


def report(title: str, pairs: list, show: bool = False) -> None:
    ours, base = score(pairs, method, show), score(pairs, baseline)
    print(f"\n{title}: {len(pairs)} report pairs, "
          f"{sum(len(p[2]['figures']) for p in pairs)} gold figure pairs, "
          f"{sum(len(p[2]['names']) for p in pairs)} gold name variants")
    print(f"{'verdict':<12} {'precision (right/given)':>26} {'baseline':>22}"
          f" {'recall':>10} {'baseline':>10}")

    def prec(t):
        return f"{t['right'] / t['given']:.2f} ({t['right']}/{t['given']})" if t["given"] \
            else "- (0 given)"

    def rec(t):
        return f"{t['found'] / t['gold']:.2f}" if t["gold"] else "-"

    for v in VERDICTS:
        print(f"{v:<12} {prec(ours[v]):>26} {prec(base[v]):>22} {rec(ours[v]):>10}"
              f" {rec(base[v]):>10}")
    all_ours = sum(ours[v]["right"] for v in FIGURE_VERDICTS), sum(
        ours[v]["given"] for v in FIGURE_VERDICTS)
    all_base = sum(base[v]["right"] for v in FIGURE_VERDICTS), sum(
        base[v]["given"] for v in FIGURE_VERDICTS)
    print(f"{'all figures':<12} {all_ours[0] / max(all_ours[1], 1):>13.2f} "
          f"({all_ours[0]}/{all_ours[1]}){'':>4} {all_base[0] / max(all_base[1], 1):>9.2f} "
          f"({all_base[0]}/{all_base[1]})")


def tuning_pairs(work: Path) -> list:
    gold = json.loads((GOLD / "compare_verdicts.json").read_text(encoding="utf-8"))
    folder = work / "tuning"
    folder.mkdir()
    names = []
    for p in gold["pairs"]:
        names.append((_write(folder, p["id"] + "-a", p["left"]["title"],
                             p["left"]["paragraphs"]),
                      _write(folder, p["id"] + "-b", p["right"]["title"],
                             p["right"]["paragraphs"]), p))
    conn = _load(folder)
    out = []
    for a, b, p in names:
        left, right = _article(conn, a), _article(conn, b)
        left[0]["outlet"], right[0]["outlet"] = p["left"]["outlet"], p["right"]["outlet"]
        out.append((left, right, p))
    return out


def basil_pairs(work: Path, root: str) -> list:
    gold = json.loads((GOLD / "compare_verdicts_basil.json").read_text(encoding="utf-8"))
    articles = Path(root)
    if (articles / "articles").is_dir():
        articles = articles / "articles"
    folder = work / "basil"
    folder.mkdir()
    wanted = []
    for p in gold["pairs"]:
        files = []
        for n in (p["left"], p["right"]):
            found = glob.glob(str(articles / "*" / f"{p['triplet']}_{n}.json"))
            if not found:
                raise SystemExit(f"{articles}: no article {p['triplet']}_{n}.json (is "
                                 "REPORTCORPUS_BASIL the BASIL repository at the commit named?)")
            data = json.loads(Path(found[0]).read_text(encoding="utf-8"))
            paragraphs = [" ".join(s.strip() for s in para) for para in data["body-paragraphs"]]
            files.append((_write(folder, f"{p['triplet']}_{n}", data["title"].strip(),
                                 [t for t in paragraphs if t.strip()]), data["source"]))
        wanted.append((files, p))
    conn = _load(folder)
    out = []
    for files, p in wanted:
        left, right = _article(conn, files[0][0]), _article(conn, files[1][0])
        left[0]["outlet"], right[0]["outlet"] = files[0][1], files[1][1]
        out.append((left, right, p))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--basil", default=os.environ.get("REPORTCORPUS_BASIL"),
                    help="BASIL repository or its articles folder (default $REPORTCORPUS_BASIL)")
    ap.add_argument("--show", action="store_true",
                    help="list the tuning part's verdicts the gold does not confirm")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="compare-verdicts-") as tmp:
        work = Path(tmp)
        report("tuning (fictional pairs, benchmarks/gold/compare_verdicts.json)",
               tuning_pairs(work), args.show)
        if not args.basil:
            print("\nmeasure-only (BASIL): skipped - set REPORTCORPUS_BASIL to a clone of "
                  "launchnlp/BASIL at commit 4fdbc4f (see this script's docstring)")
        elif not Path(args.basil).is_dir():
            print(f"\nmeasure-only (BASIL): skipped - {args.basil} is not a folder")
        else:
            report("measure-only (BASIL triplets, benchmarks/gold/compare_verdicts_basil.json)",
                   basil_pairs(work, args.basil))


if __name__ == "__main__":
    main()
