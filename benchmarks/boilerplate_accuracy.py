"""Boilerplate and paragraph accuracy against hand-checked gold.

Loads three corpora through the real loader (so the corpus-wide repeated-block
pass takes part) and compares every block with the gold:

* seeds  - the two sample reports (gold in benchmarks/gold/boilerplate.json)
* demo   - the bundled fictional corpus (gold in datasette_reportcorpus/demo/gold.json)
* bbc    - 2,225 BBC reports (gold rule and exceptions in boilerplate.json)
* newswire-tune / newswire-measure - fictional earnings and wire reports we wrote
  (benchmarks/gold/newswire/, gold in benchmarks/gold/newswire.json); the rules
  were tuned on the first part only, the second was written before the rules
  were run on it and is for measuring only
* reuters-tune / reuters-measure - Reuters-21578 (see below); tuned on
  reut2-000..009, measured on reut2-010..021

Positive class = boilerplate. Prints precision, recall and F1 of dropping,
how many body paragraphs were wrongly dropped, reason accuracy, and the share
of files whose body paragraph count is exactly right.

Reuters-21578 (Distribution 1.0, D. Lewis; free for research use) is not part of
this repository. Point ``REPORTCORPUS_REUTERS`` at a folder holding its
``reut2-0NN.sgm`` files (for instance from the GitHub repository
loki86/ksr_zadanie1V2 at commit d16457fd9d6d2b623fffc163746092b89a6e2fef); the
set is skipped with a note when the variable is not set. Each ``<BODY>`` becomes
one .txt file in a temporary folder and is loaded with the real loader. Its gold
is structural: a last line holding only the agency's name ("Reuter") is a
sign-off, every other line is body, and a paragraph starts at the first line and
at every indented line. Beside the loader, two plain baselines are scored on the
same texts: ``no removal`` (nothing dropped, a paragraph at every indented line)
and ``exact repeats`` (also drop every line whose exact text recurs in three or
more articles of the part).

    python benchmarks/boilerplate_accuracy.py [--verbose] [--sets seeds,demo,bbc,newswire,reuters]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datasette_reportcorpus.loaders.load import load

GOLD = json.loads((ROOT / "benchmarks/gold/boilerplate.json").read_text())
DEMO = ROOT / "datasette_reportcorpus/demo"
NEWSWIRE = ROOT / "benchmarks/gold/newswire"


def shared_dir() -> Path:
    p = Path(os.environ.get("REPORTCORPUS_SHARED", ROOT.parent / "shared")).resolve()
    if not (p / "seeds").is_dir():
        sys.exit(f"shared data not found at {p}: set REPORTCORPUS_SHARED")
    return p


def loaded(db_path: str) -> dict[str, dict]:
    """path -> {"dropped": {line: reason}, "body": n, "body_lines": [line...], "title_derived"}"""
    conn = sqlite3.connect(db_path)
    out = {}
    for aid, path, derived, text in conn.execute(
        "select a.id, a.path, a.title_derived, s.text from articles a"
        " join article_sources s on s.id = a.id"
    ):
        def line(offset: int, text: str = text) -> int:
            return text.count("\n", 0, offset) + 1

        dropped = {
            line(start): reason
            for start, reason in conn.execute(
                "select start, reason from dropped where article_id = ? and reason != 'byline'"
                " or article_id = ? and reason = 'byline'", [aid, aid])
        }
        body = [line(r[0]) for r in conn.execute(
            "select start from paragraphs where article_id = ? order by position", [aid])]
        out[path] = {"dropped": dropped, "body_lines": body, "title_derived": bool(derived),
                     "text": text}
    return out


def score(name: str, got: dict, want: dict, verbose: bool) -> dict:
    """want: path -> {"dropped": {line: reason} , "body": n}"""
    tp = fp = fn = reason_ok = exact = signoffs_left = 0
    body_lost = []
    for path, w in want.items():
        g = got.get(path)
        if g is None:
            print(f"  {name}: {path} did not load")
            continue
        w_drop = {int(k): v for k, v in w["dropped"].items()}
        for ln, reason in g["dropped"].items():
            if ln in w_drop:
                tp += 1
                reason_ok += reason == w_drop[ln]
                if verbose and reason != w_drop[ln]:
                    print(f"  reason {path}:{ln} got {reason} want {w_drop[ln]}")
            else:
                fp += 1
                body_lost.append(f"{path}:{ln} ({reason})")
        for ln, reason in w_drop.items():
            if ln not in g["dropped"]:
                fn += 1
                signoffs_left += reason == "wire-signoff"
                if verbose:
                    print(f"  missed {path}:{ln} ({reason})")
        exact += len(g["body_lines"]) == w["body"] and (
            "starts" not in w or sorted(g["body_lines"]) == w["starts"])
        if verbose and len(g["body_lines"]) != w["body"]:
            print(f"  count {path}: {len(g['body_lines'])} body paragraphs, want {w['body']}")
        elif verbose and "starts" in w and sorted(g["body_lines"]) != w["starts"]:
            print(f"  starts {path}: {sorted(g['body_lines'])}, want {w['starts']}")
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    if verbose:
        for b in body_lost:
            print(f"  dropped body text {b}")
    return {"set": name, "files": len(want), "boilerplate": tp + fn, "signoffs_left": signoffs_left, "precision": p, "recall": r,
            "f1": f1, "body_dropped": fp, "reason_acc": reason_ok / tp if tp else 1.0,
            "count_exact": exact / len(want)}


def baselines(got: dict) -> tuple[dict, dict]:
    """Two plain baselines on the texts the loader read, in the shape of :func:`loaded`.

    ``no removal``: nothing dropped; a paragraph starts at the first line, at every
    indented line and after every blank line (at every line in a file with neither).
    ``exact repeats``: the same, but every line whose exact text recurs in three or
    more files of the set is dropped as repeated.
    """
    lines_of = {path: g["text"].split("\n") for path, g in got.items()}
    seen: dict[str, int] = {}
    for lines in lines_of.values():
        for t in {ln.strip() for ln in lines if ln.strip()}:
            seen[t] = seen.get(t, 0) + 1
    frequent = {t for t, n in seen.items() if n >= 3}
    plain, repeats = {}, {}
    for path, lines in lines_of.items():
        nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
        marked = any(ln[:1].isspace() for ln in lines if ln.strip()) or any(
            not lines[i - 1].strip() for i in nonblank if i)
        starts = [i for i in nonblank if not marked or i == nonblank[0]
                  or lines[i][:1].isspace() or not lines[i - 1].strip()]
        plain[path] = {"dropped": {}, "body_lines": [i + 1 for i in starts]}
        drop = {i for i in nonblank if lines[i].strip() in frequent}
        repeats[path] = {"dropped": {i + 1: "repeated" for i in sorted(drop)},
                         "body_lines": [i + 1 for i in starts if i not in drop]}
    return plain, repeats


def with_baselines(name: str, got: dict, want: dict, verbose: bool) -> list[dict]:
    plain, repeats = baselines(got)
    return [score(name, got, want, verbose),
            score("  no removal", plain, want, False),
            score("  exact repeats", repeats, want, False)]


def newswire_results(tmp: str, verbose: bool) -> list[dict]:
    gold = json.loads((ROOT / "benchmarks/gold/newswire.json").read_text())["files"]
    out = []
    for part in ("tune", "measure"):
        db = f"{tmp}/newswire-{part}.db"
        load(db, [str(NEWSWIRE / part)], figures=False)
        got = {f"{part}/{k}": v for k, v in loaded(db).items()}
        want = {k: {"dropped": v["dropped"], "body": v["body_paragraphs"],
                    "starts": v["body_starts"]} for k, v in gold.items() if k.startswith(part)}
        out.extend(with_baselines(f"newswire-{part}", got, want, verbose))
    return out


def demo_want() -> dict:
    gold = json.loads((DEMO / "gold.json").read_text())["articles"]
    want = {}
    for path, g in gold.items():
        raw = (DEMO / path).read_bytes()
        from datasette_reportcorpus.loaders.text.read import read_text

        text, _ = read_text(raw)
        lines = text.split("\n")
        dropped = {}
        for b in g["boilerplate"]:
            if b.get("prefix_of_body_paragraph"):
                continue  # a dateline stays with its paragraph
            start = b["starts_with"].replace("\u00a0", " ").strip()
            if start:
                hits = [i + 1 for i, ln in enumerate(lines) if ln.strip().startswith(start)]
            else:  # a spacer line of (non-breaking) spaces
                hits = [i + 1 for i, ln in enumerate(lines) if ln and not ln.strip()]
            for h in hits:
                if h not in dropped:
                    dropped[h] = b["reason"]
                    break
        want[path] = {"dropped": dropped, "body": g["body_paragraphs"]}
    return want


def bbc_want(bbc: Path) -> dict:
    exceptions = GOLD["bbc"]["dropped"]
    want = {}
    for f in sorted(bbc.glob("*/*.txt")):
        rel = f.relative_to(bbc).as_posix()
        raw = f.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        lines = text.replace("\r\n", "\n").split("\n")
        extra = exceptions.get(rel, {})
        body = sum(1 for i, ln in enumerate(lines[1:], 2) if ln.strip() and str(i) not in extra)
        want[rel] = {"dropped": extra, "body": body}
    return want


# --- Reuters-21578 -------------------------------------------------------------------

REUTERS_TUNE = [f"reut2-{i:03d}.sgm" for i in range(0, 10)]
REUTERS_MEASURE = [f"reut2-{i:03d}.sgm" for i in range(10, 22)]
_REUTERS_DOC = re.compile(r"<REUTERS[^>]*\bNEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)
_REUTERS_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)
# The agency's name alone on the last line, as the collection writes it (with a stray
# "..." or a carriage return shown as "^M" in some files).
_REUTERS_SIGNOFF = re.compile(r"^reuters?(\.\.\.)?(\^m)?$", re.IGNORECASE)


def reuters_texts(folder: Path, names: list[str], out: Path) -> int:
    """Write each <BODY> of the named .sgm files to out/<file>/<NEWID>.txt; returns how many."""
    n = 0
    for name in names:
        src = folder / name
        if not src.is_file():
            continue
        raw = src.read_bytes().decode("latin-1")
        target = out / src.stem
        target.mkdir(parents=True, exist_ok=True)
        for m in _REUTERS_DOC.finditer(raw):
            body = _REUTERS_BODY.search(m.group(2))
            if not body:
                continue
            text = html.unescape(body.group(1).replace("&#3;", ""))
            (target / f"{m.group(1)}.txt").write_text(text, encoding="utf-8")
            n += 1
    return n


def reuters_gold(text: str) -> dict:
    """Structural gold of one Reuters body (as the loader normalised it)."""
    lines = text.split("\n")
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    signoff = None
    if nonblank and _REUTERS_SIGNOFF.match(lines[nonblank[-1]].strip()):
        signoff = nonblank[-1]
    body = [i for i in nonblank if i != signoff]
    starts = [i for i in body if i == body[0] or lines[i][:1].isspace()]
    return {"lines": lines, "signoff": signoff, "body": body, "starts": starts}


def _line_starts(text: str) -> list[int]:
    out, pos = [], 0
    for ln in text.split("\n"):
        out.append(pos)
        pos += len(ln) + 1
    return out


def _covered(spans: list[tuple[int, int]], offsets: list[int], lines: list[str]) -> set[int]:
    """Indexes of non-blank lines any of ``spans`` overlaps."""
    out = set()
    for i, (off, ln) in enumerate(zip(offsets, lines)):
        if not ln.strip():
            continue
        a, b = off + len(ln) - len(ln.lstrip()), off + len(ln.rstrip())
        if any(s < b and a < e for s, e in spans):
            out.add(i)
    return out


def reuters_score(name: str, db_path: str, verbose: bool) -> list[dict]:
    """The loader's result and two plain baselines on one part, scored on the same texts."""
    conn = sqlite3.connect(db_path)
    arts = conn.execute("select a.id, a.path, s.text from articles a"
                        " join article_sources s on s.id = a.id order by a.path").fetchall()
    golds = {aid: reuters_gold(text) for aid, _, text in arts}
    # Baseline "exact repeats": lines whose exact text recurs in >= 3 articles.
    seen: dict[str, int] = {}
    for g in golds.values():
        for t in {g["lines"][i].strip() for i in g["body"] + [g["signoff"]] if i is not None}:
            seen[t] = seen.get(t, 0) + 1
    frequent = {t for t, n in seen.items() if n >= 3}
    rows = {k: {"set": f"{name} {k}", "articles": len(arts), "signoffs": 0, "left": 0,
                "lost": 0, "data_lost": 0, "exact": 0}
            for k in ("loader", "no removal", "exact repeats")}
    for aid, path, text in arts:
        g = golds[aid]
        lines, offsets = g["lines"], _line_starts(text)
        paras = conn.execute('select start, "end" from paragraphs where article_id = ?'
                             " order by position", [aid]).fetchall()
        body_lines = _covered(paras, offsets, lines)
        para_starts = {text.count("\n", 0, s) for s, _ in paras}
        signoffs = [g["signoff"]] if g["signoff"] is not None else []
        want_starts = set(g["starts"])
        results = {"loader": (body_lines, para_starts)}
        every = set(g["body"]) | set(signoffs)
        indented = {i for i in every if i == min(every) or lines[i][:1].isspace()}
        results["no removal"] = (every, indented)
        kept = {i for i in every if lines[i].strip() not in frequent}
        results["exact repeats"] = (kept, {i for i in indented if i in kept})
        for k, (kept_lines, starts) in results.items():
            r = rows[k]
            left = sum(1 for i in signoffs if i in kept_lines)
            lost = [i for i in g["body"] if i not in kept_lines]
            r["signoffs"] += len(signoffs)
            r["left"] += left
            r["lost"] += len(lost)
            r["data_lost"] += sum(1 for i in lost if re.search(r"\d", lines[i]))
            ok = not left and not lost and starts == want_starts
            r["exact"] += ok
            if verbose and k == "loader" and not ok:
                print(f"  {name} {path}: sign-off left {left}, lost {[lines[i].strip() for i in lost]},"
                      f" starts got {sorted(starts - want_starts)} missing {sorted(want_starts - starts)}")
    return list(rows.values())


def reuters_results(tmp: str, verbose: bool) -> list[dict] | None:
    folder = os.environ.get("REPORTCORPUS_REUTERS")
    if not folder:
        print("reuters: skipped (set REPORTCORPUS_REUTERS to a folder of reut2-0NN.sgm files)")
        return None
    folder_path = Path(folder)
    out = []
    for part, names in (("tune", REUTERS_TUNE), ("measure", REUTERS_MEASURE)):
        texts = Path(tmp) / f"reuters-{part}"
        if not reuters_texts(folder_path, names, texts):
            print(f"reuters: skipped {part} part (no {names[0]}..{names[-1]} in {folder_path})")
            continue
        db = f"{tmp}/reuters-{part}.db"
        load(db, [str(texts)], figures=False, workers=2)
        out.extend(reuters_score(f"reuters-{part}", db, verbose))
    return out


def print_reuters(rows: list[dict]) -> None:
    print(f"\n{'Reuters-21578':30} {'articles':>8} {'sign-offs':>9} {'left in body':>12} "
          f"{'body lines lost':>15} {'of them data':>12} {'articles exact':>14}")
    for r in rows:
        print(f"{r['set']:30} {r['articles']:8d} {r['signoffs']:9d} {r['left']:12d} "
              f"{r['lost']:15d} {r['data_lost']:12d} {r['exact'] / max(r['articles'], 1):14.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--sets", default="seeds,demo,bbc,newswire,reuters",
                    help="comma-separated sets to run (default: all)")
    args = ap.parse_args()
    sets = set(args.sets.split(","))
    results, reuters = [], None
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        if "seeds" in sets:
            shared = shared_dir()
            seeds_db = f"{tmp}/seeds.db"
            load(seeds_db, [str(shared / "seeds")], figures=False)
            got = {f"seeds/{k}": v for k, v in loaded(seeds_db).items()}
            want = {k: {"dropped": v["dropped"], "body": v["body_paragraphs"]}
                    for k, v in GOLD["seeds"].items()}
            results.extend(with_baselines("seeds", got, want, args.verbose))

        if "demo" in sets:
            demo_db = f"{tmp}/demo.db"
            load(demo_db, [str(DEMO)], manifest=str(DEMO / "manifest.csv"), figures=False)
            results.extend(with_baselines("demo", loaded(demo_db), demo_want(), args.verbose))

        if "bbc" in sets:
            bbc = shared_dir() / "corpora/bbc"
            bbc_db = f"{tmp}/bbc.db"
            load(bbc_db, [str(bbc)], figures=False, workers=2)
            got = loaded(bbc_db)
            want = {k: v for k, v in bbc_want(bbc).items() if k in got}  # duplicates are not loaded
            results.extend(with_baselines("bbc", got, want, args.verbose))

        if "newswire" in sets:
            results.extend(newswire_results(tmp, args.verbose))

        if "reuters" in sets:
            reuters = reuters_results(tmp, args.verbose)
        elapsed = time.perf_counter() - t0

    if results:
        print(f"{'set':16} {'files':>5} {'boiler':>6} {'P':>6} {'R':>6} {'F1':>6} "
              f"{'body lost':>9} {'reason':>6} {'count exact':>11} {'sign-offs left':>14}")
    for r in results:
        print(f"{r['set']:16} {r['files']:5d} {r['boilerplate']:6d} {r['precision']:6.3f} "
              f"{r['recall']:6.3f} {r['f1']:6.3f} {r['body_dropped']:9d} {r['reason_acc']:6.3f} "
              f"{r['count_exact']:11.3f} {r.get('signoffs_left', '-'):>14}")
    if reuters:
        print_reuters(reuters)
    print(f"({elapsed:.1f} s for all loads)")


if __name__ == "__main__":
    main()
