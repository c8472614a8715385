"""Article text and metadata from saved web pages, against hand-written gold.

The gold is twelve fictional pages in the style of news sites (benchmarks/gold/html/:
navigation bars, share buttons, related-story rails, comment sections, cookie banners,
newsletter boxes, adverts, paywall prompts) with the paragraphs a reader would call the
article, and its title, outlet, author, date and URL (``expected.json``). The ``tune``
pages (t01-t06) were used to shape the built-in reader's rules; the ``measure`` pages
(m01-m06, four of them from sites no tune page copies) were written before any reader
was run on them and are for measuring only.

Three readers in one run, both parts:

* ``all <p>``: the text of every ``<p>`` element, nothing left out (the plain baseline);
* ``stdlib``: ``html_article(engine="stdlib")``, the built-in reader;
* ``trafilatura``: ``html_article(engine="trafilatura")`` (needs the ``html`` extra;
  skipped with a note when it is missing), and below it trafilatura's paragraphs as it
  gives them, before the page's markup takes out the headline and marked boilerplate;
* below each engine, its text through the text pipeline (paragraphs and boilerplate rules
  as a load applies them to every format), and each part's pages loaded together by
  ``load()`` (what ``reportcorpus load --html-engine ...`` stores, corpus-wide passes
  included), read back from the database (its ms/page is the part's whole load, with
  figures and corpus passes, over its pages: not comparable with the readers' own).

A paragraph counts as found when its text (spaces collapsed) equals a gold paragraph's:
a paragraph cut in two or joined to boilerplate counts as wrong. Prints paragraph
precision, recall and F1 (over all paragraphs of the part), pages whose paragraphs are
exactly right, metadata fields right (``published`` compared on its date, ``outlet`` on
its :func:`outlet_key`; both engines read metadata the same way), and milliseconds per
page after one untimed warm-up page.

    python benchmarks/html_extraction.py [--verbose] [--parts tune,measure]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "benchmarks/gold/html"

from datasette_reportcorpus.loaders.formats.html import have_trafilatura, html_article  # noqa: E402
from datasette_reportcorpus.loaders.formats.meta import outlet_key  # noqa: E402

META = ("title", "outlet", "author", "published", "url")


def norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'")
                    .replace("\u201c", '"').replace("\u201d", '"').split())


class _AllP(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.skip, self.cur, self.out, self.title, self.in_title = 0, 0, [], [], "", False

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "title":
            self.in_title = True
        if tag == "p":
            if self.depth:
                self._flush()
            self.depth = 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        if tag == "title":
            self.in_title = False
        if tag == "p" and self.depth:
            self._flush()
            self.depth = 0

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        elif self.depth and not self.skip:
            self.cur.append(data)

    def _flush(self):
        text = " ".join("".join(self.cur).split())
        if text:
            self.out.append(text)
        self.cur = []


def all_p(data: bytes) -> tuple[list[str], dict]:
    """The plain baseline: every <p>'s text; the <title> as the title."""
    from datasette_reportcorpus.loaders.formats.html import decode_page
    html, _ = decode_page(data)
    p = _AllP()
    p.feed(html)
    p.close()
    return p.out, {"title": " ".join(p.title.split())}


def engine(name):
    def run(data: bytes) -> tuple[list[str], dict]:
        page = html_article(data, engine=name)
        return page.text.split("\n\n"), page.meta
    return run


def then_text_pipeline(reader):
    """A reader's text and metadata through the text pipeline (``parse_text``: its
    paragraphs and boilerplate rules, as a load runs them on every format)."""
    from datasette_reportcorpus.loaders.text.parse import parse_text

    def run(data: bytes) -> tuple[list[str], dict]:
        paragraphs, meta = reader(data)
        article = parse_text("\n\n".join(paragraphs), "page.html", dict(meta))
        return [p.text for p in article.paragraphs], meta
    return run


def through_load(engine_name: str, gold: list[dict]):
    """Each page as ``reportcorpus load`` stores it: the pages of its part (tune or
    measure) loaded together into a temporary corpus (``--html-engine engine_name``),
    so the corpus-wide passes run over them as over any folder of pages; paragraphs and
    metadata are read back from the database."""
    import sqlite3
    import tempfile

    from datasette_reportcorpus.loaders.load import LoadOptions, load

    by_bytes = {(GOLD / g["file"]).read_bytes(): g for g in gold}
    corpora: dict[str, Path] = {}
    work = Path(tempfile.mkdtemp(prefix="html-bench-"))

    def corpus(part: str) -> Path:
        if part not in corpora:
            folder = work / part
            folder.mkdir()
            for g in gold:
                if g["part"] == part:
                    (folder / g["file"]).write_bytes((GOLD / g["file"]).read_bytes())
            db = work / f"{part}.db"
            summary = load(str(db), [str(folder)], options=LoadOptions(html_engine=engine_name))
            if summary.errors:
                print(f"    load: {summary.errors}")
            corpora[part] = db
        return corpora[part]

    def run(data: bytes) -> tuple[list[str], dict]:
        page = by_bytes[data]
        conn = sqlite3.connect(corpus(page["part"]))
        try:
            row = conn.execute("select id, title, outlet, byline, published, url from articles"
                               " where path = ?", [page["file"]]).fetchone()
            if row is None:
                return [], {}
            paragraphs = [t for (t,) in conn.execute(
                "select text from paragraphs where article_id = ? order by position", [row[0]])]
        finally:
            conn.close()
        return paragraphs, dict(zip(("title", "outlet", "author", "published", "url"), row[1:]))
    return run


def trafilatura_as_is(data: bytes) -> tuple[list[str], dict]:
    """trafilatura's paragraphs before the page's markup takes out the headline and
    blocks it marks as boilerplate (metadata as the engine gives it)."""
    from datasette_reportcorpus.loaders.formats.html import _trafilatura, decode_page
    page = html_article(data, engine="trafilatura")
    return _trafilatura(decode_page(data)[0], None), page.meta


def meta_right(field: str, got, want) -> bool:
    if want is None:
        return not got
    if not got:
        return False
    if field == "published":
        return str(got)[:10] == want
    if field == "outlet":
        return outlet_key(got) == outlet_key(want)
    return norm(str(got)) == norm(want)


def score(reader, pages, verbose=False, label=""):
    tp = found = gold_n = exact = 0
    meta_ok = {f: 0 for f in META}
    seconds = 0.0
    for page in pages:
        data = (GOLD / page["file"]).read_bytes()
        t0 = time.perf_counter()
        try:
            paragraphs, meta = reader(data)
        except Exception as e:  # a reader that fails on a page scores nothing on it
            paragraphs, meta = [], {}
            print(f"    {label}: {page['file']}: {type(e).__name__}: {e}")
        seconds += time.perf_counter() - t0
        got = [norm(p) for p in paragraphs if p.strip()]
        want = [norm(p) for p in page["paragraphs"]]
        want_set = set(want)
        hits = sum(1 for p in got if p in want_set)
        tp += hits
        found += len(got)
        gold_n += len(want)
        exact += got == want
        for f in META:
            meta_ok[f] += meta_right(f, meta.get(f), page.get(f))
        if verbose:
            extra = [p[:70] for p in got if p not in want_set]
            missed = [p[:70] for p in want if p not in set(got)]
            wrong_meta = {f: meta.get(f) for f in META if not meta_right(f, meta.get(f), page.get(f))}
            if extra or missed or wrong_meta:
                print(f"    {label} {page['file']}: +{extra} -{missed} meta {wrong_meta}")
    p = tp / found if found else 0.0
    r = tp / gold_n if gold_n else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1, exact, meta_ok, 1000 * seconds / max(1, len(pages))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--verbose", action="store_true", help="name each page's misses")
    ap.add_argument("--parts", default="tune,measure", help="parts to score (tune, measure)")
    args = ap.parse_args(argv)
    gold = json.loads((GOLD / "expected.json").read_text(encoding="utf-8"))["pages"]
    readers = [("all <p>", all_p), ("stdlib", engine("stdlib")),
               ("  then text pipeline", then_text_pipeline(engine("stdlib"))),
               ("  reportcorpus load", through_load("stdlib", gold))]
    if have_trafilatura():
        import trafilatura
        readers.append((f"trafilatura {trafilatura.__version__}", engine("trafilatura")))
        readers.append(("  then text pipeline", then_text_pipeline(engine("trafilatura"))))
        readers.append(("  reportcorpus load", through_load("trafilatura", gold)))
        readers.append(("  its output as is", trafilatura_as_is))
    else:
        print("trafilatura: skipped (not installed: pip install 'datasette-reportcorpus[html]')")
    first = (GOLD / gold[0]["file"]).read_bytes()
    for _, reader in readers:  # imports and first-use set-up are not timed
        reader(first)
    for part in args.parts.split(","):
        pages = [p for p in gold if p["part"] == part]
        n = sum(len(p["paragraphs"]) for p in pages)
        print(f"\n{part}: {len(pages)} pages, {n} gold paragraphs")
        print(f"  {'reader':<20} {'P':>6} {'R':>6} {'F1':>6} {'exact':>6}  "
              + " ".join(f"{f[:7]:>7}" for f in META) + f" {'ms/page':>8}")
        for name, reader in readers:
            p, r, f1, exact, meta_ok, ms = score(reader, pages, args.verbose, name)
            print(f"  {name:<20} {p:6.3f} {r:6.3f} {f1:6.3f} {exact:>3}/{len(pages):<2}  "
                  + " ".join(f"{meta_ok[f]:>4}/{len(pages):<2}" for f in META) + f" {ms:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
