"""Hostile article text in real Chromium: a corpus whose text, titles, outlets, bylines,
urls, file names and load errors carry HTML and script is served by ``datasette serve``,
and every page that shows them (search with highlighted snippets, facets, article pages,
compare and its picker, the raw source view, Datasette's own table, row, facet and SQL
pages) is opened with a dialog listener. Nothing may run: no dialog, no element or
attribute a payload would add, and no link whose address the browser reads as a
``javascript:``, ``data:`` or ``vbscript:`` address. Each page must also show the
payloads as text, so a page that hid them could not pass for a safe one.

The first two tests are the controls: they show the listener and the page check each
catch a real injection, so the rest can fail.
"""

from __future__ import annotations

import csv
import sqlite3
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import run_datasette_server

from datasette_reportcorpus.loaders.load import load

# Each payload calls alert with its own number, so a dialog names its source.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "' onmouseover='alert(4)' x='",
    '" autofocus onfocus="alert(5)" x="',
    "</textarea><img src=x onerror=alert(6)>",
    "</title><script>alert(7)</script>",
    "{{ 7*7 }} {% raw %} ${alert(8)} `;alert(9);//",
    "';alert(10);// \";alert(11);//",
    "</script><script>alert(12)</script>",
    "<iframe srcdoc='<script>parent.alert(13)</script>'></iframe>",
    "<a href=javascript:alert(14)>click</a>",
    "<details open ontoggle=alert(15)>",
    "<style>@import 'javascript:alert(16)'</style><body onload=alert(17)>",
]
# Article urls a browser would run, or that try to break out of an href.
URLS = [
    "javascript:alert(20)",
    "JaVaScRiPt:alert(21)",
    "  javascript:alert(22)  ",
    "&#106;avascript:alert(23)",
    "java\tscript:alert(24)",
    'https://example.org/ok"><img src=x onerror=alert(25)>',
    "data:text/html,<script>alert(26)</script>",
    "vbscript:msgbox(27)",
    "javascript&colon;alert(28)",
    "\x01javascript:alert(29)",
]
# File names (they become articles.path, shown where a report has no title).
NAMES = ['"><svg onload=alert(30)>.txt', "<img src=x onerror=alert(31)>.txt", "plain.txt"]
BAD_NAME = "<body onload=alert(32)>.txt"  # not text: a load_errors row
COPY_NAME = "~copy <img src=y onerror=alert(33)>.txt"  # r3.txt again: a duplicate


# Under every report, as a site puts it: dropped as repeated boilerplate.
# (No digit in it: a block stating a number is never furniture.)
FOOTER = "Read more from the <b onmouseover=alert(document.domain)>Saltry desk</b> every morning"


def story(i: int, payload: str) -> str:
    """One report of a fictional storm in a fictional town, with ``payload`` in its title
    line and its body, and figures that differ from report to report."""
    return (f"Harbour pumps fail in Saltry {payload}\n\n"
            f"Saltry council said on Monday that {1200 + i * 10} homes were flooded after the"
            f" harbour pumps failed {payload} during the storm.\n\n"
            f"The repair will cost {30 + i} million pounds, the council's engineer said"
            f" {payload}, and will take until the spring.\n\n"
            f"Residents {payload} asked why the pumps at the harbour had not been replaced"
            f" after the last storm in 2019.\n\n"
            f"The council said a report on the failure would be published within {i + 2} weeks.\n\n"
            f"{FOOTER}\n")


def build_hostile_corpus(folder: Path, db: Path) -> Path:
    folder.mkdir(parents=True)
    rows = []
    for i, url in enumerate(URLS):
        name = NAMES[i] if i < len(NAMES) else f"r{i}.txt"
        (folder / name).write_text(story(i, PAYLOADS[i % len(PAYLOADS)]), encoding="utf-8")
        rows.append({"path": name, "outlet": PAYLOADS[(i + 1) % len(PAYLOADS)],
                     # every other report keeps the title of its first line
                     "title": PAYLOADS[(i + 2) % len(PAYLOADS)] if i % 2 else "",
                     "url": url, "published": f"2026-03-{i + 1:02d}",
                     "byline": PAYLOADS[(i + 3) % len(PAYLOADS)]})
    (folder / BAD_NAME).write_bytes(b"\x00\x01<script>alert(34)</script>\x00")
    (folder / COPY_NAME).write_text(story(3, PAYLOADS[3]), encoding="utf-8")
    manifest = folder.parent / "manifest.csv"
    with open(manifest, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    summary = load(str(db), [str(folder)], manifest=str(manifest), workers=1)
    assert summary.loaded == len(URLS) and len(summary.errors) == 1, summary.lines()
    return db


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    return build_hostile_corpus(base / "reports", base / "corpus.db")


@pytest.fixture(scope="module")
def served_hostile(hostile_db: Path) -> Iterator[str]:
    with run_datasette_server([hostile_db]) as url:
        yield url


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --- the page check -----------------------------------------------------------------

# Runs in the page: everything a payload would have added or made live.
FINDINGS_JS = r"""async () => {
  // Let every image load or fail first, so an onerror handler has had its chance.
  await Promise.all(Array.from(document.images).map(img => img.complete ? null :
      new Promise(done => { img.addEventListener('load', done);
                            img.addEventListener('error', done); })));
  await new Promise(done => setTimeout(done, 50));
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      // Datasette's own pages have handlers (1.0: onclick=openColumnChooser()); a
      // payload's handler calls one of the dialogs.
      if (/^on/i.test(attr.name) && /alert|msgbox|prompt|confirm/i.test(attr.value)) {
        found.push(`${el.tagName} ${attr.name}=${attr.value}`);
      }
      if (/^(href|src|action|formaction|xlink:href|srcdoc|data)$/i.test(attr.name)) {
        let protocol = '';
        try { protocol = new URL(attr.value, document.baseURI).protocol; } catch (e) {}
        if (['javascript:', 'data:', 'vbscript:'].includes(protocol)) {
          found.push(`${el.tagName} ${attr.name}=${attr.value}`);
        }
        if (attr.name.toLowerCase() === 'srcdoc') found.push(`${el.tagName} srcdoc`);
      }
    }
  }
  for (const el of document.querySelectorAll(
      'iframe, object, embed, base, meta[http-equiv], details[ontoggle], svg[onload],' +
      ' img[onerror], a[href^="javascript" i], a[href*="script:" i]')) {
    found.push(`element ${el.outerHTML.slice(0, 120)}`);
  }
  for (const s of document.querySelectorAll('script')) {
    if (/alert|msgbox/.test(s.textContent) || /alert|msgbox/.test(s.src || '')) {
      found.push(`script ${s.outerHTML.slice(0, 120)}`);
    }
  }
  // A payload's <style> would be an element in the page; the plugin and Datasette
  // have none holding "alert".
  for (const s of document.querySelectorAll('style')) {
    if (/alert/.test(s.textContent)) found.push(`style ${s.textContent.slice(0, 80)}`);
  }
  return found;
}"""


class Watch:
    """A page with a dialog listener: every dialog is recorded and dismissed."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message} on {self.page.url}")
        dialog.dismiss()

    def findings(self) -> list[str]:
        return self.page.evaluate(FINDINGS_JS)

    def visit(self, url: str, shows: tuple[str, ...] = ("alert(",), status: int = 200) -> None:
        """Open ``url``; it must answer ``status``, show one of ``shows`` as text, run
        nothing and hold nothing a payload would add."""
        response = self.page.goto(url)
        assert response is not None and response.status == status, (url, response.status)
        self.page.wait_for_load_state("load")
        problems = self.findings()
        text = self.page.evaluate("document.body ? document.body.innerText : ''")
        assert any(s in text for s in shows), f"{url} shows none of {shows}"
        assert not self.dialogs, self.dialogs
        assert not problems, f"{url}: {problems}"


@pytest.fixture
def watch(browser_page: Any) -> Watch:
    return Watch(browser_page)


# --- controls: the check can fail -----------------------------------------------------

def test_control_the_listener_catches_a_real_dialog(watch: Watch) -> None:
    watch.page.goto("about:blank")
    watch.page.evaluate("alert('control')")
    assert watch.dialogs == ["alert: control on about:blank"]


def test_control_the_page_check_finds_real_injections(watch: Watch) -> None:
    watch.page.set_content(
        "<p>text</p><img src=x onerror=alert(2)>"
        "<a href='  JaVaScRiPt:alert(3)'>a</a><a href='java&#x09;script:alert(4)'>b</a>")
    problems = watch.findings()
    assert any(p.startswith("IMG onerror") for p in problems)
    assert sum(p.startswith("A href=") for p in problems) == 2, problems
    assert any("alert: 2" in d for d in watch.dialogs), watch.dialogs
    # And the payloads of this corpus, put in a page unescaped, would run.
    watch.dialogs.clear()
    watch.page.set_content("<div>" + "".join(PAYLOADS[:3]) + "</div>")
    watch.page.wait_for_timeout(200)
    assert watch.findings()
    assert any("alert: 1" in d for d in watch.dialogs), watch.dialogs


# --- the corpus's pages ------------------------------------------------------------

def test_the_corpus_holds_the_payloads_as_given(hostile_db: Path) -> None:
    """The loader stores hostile text as it came (escaping is the pages' work)."""
    titles = {r[0] for r in query(hostile_db, "select title from articles")}
    assert PAYLOADS[3] in titles and f"Harbour pumps fail in Saltry {PAYLOADS[0]}" in titles
    paths = {r[0] for r in query(hostile_db, "select path from articles")}
    assert set(NAMES) <= paths
    assert query(hostile_db, "select path from load_errors") == [(BAD_NAME,)]
    assert query(hostile_db, "select path from duplicates") == [(COPY_NAME,)]
    urls = {r[0] for r in query(hostile_db, "select url from articles")}
    assert {"JaVaScRiPt:alert(21)", "java\tscript:alert(24)"} <= urls
    texts = query(hostile_db, "select count(*) from paragraphs where text like '%<script>%'")
    assert texts[0][0] >= 1
    assert query(hostile_db, "select count(*) from dropped where text = ?", (FOOTER,))[0][0] >= 5


def test_search_page_hits_snippets_and_facets(served_hostile: str, watch: Watch) -> None:
    db = f"{served_hostile}/corpus"
    watch.visit(f"{db}/-/search?q=pumps+failed")
    assert watch.page.locator(".rc-hit").count() >= 5
    assert watch.page.locator(".rc-hit mark").count() >= 5  # highlighted snippets
    watch.visit(f"{db}/-/search?q=alert+script")
    watch.visit(f"{db}/-/search?q=onerror")
    # Follow the facet links of the search page (outlets and more carry payloads).
    watch.page.goto(f"{db}/-/search?q=pumps")
    hrefs = watch.page.eval_on_selector_all(
        "a[data-facet-value]", "els => els.map(a => a.href)")
    assert len(hrefs) >= 5
    for href in hrefs[:12]:
        watch.visit(href)
    # More facets asked for by name, and a payload as a selection value.
    watch.visit(f"{db}/-/search?q=pumps&_facet_article=byline&_facet_article=title")
    selected = urllib.parse.quote(PAYLOADS[2])
    watch.visit(f"{db}/-/search?q=pumps&_article_outlet={selected}")
    watch.visit(f"{db}/-/search?q=pumps&_article_byline={urllib.parse.quote(PAYLOADS[5])}")


def test_search_page_with_hostile_queries(served_hostile: str, watch: Watch) -> None:
    db = f"{served_hostile}/corpus"
    for q in ("<img src=x onerror=alert(40)>", '"><svg onload=alert(41)>',
              "</textarea><script>alert(42)</script>"):
        response = watch.page.goto(f"{db}/-/search?q={urllib.parse.quote(q)}")
        assert response is not None and response.status in (200, 400)
        assert not watch.findings() and not watch.dialogs
        assert "alert(" in watch.page.evaluate("document.body.innerText")


def test_article_pages(served_hostile: str, hostile_db: Path, watch: Watch) -> None:
    db = f"{served_hostile}/corpus"
    ids = [r[0] for r in query(hostile_db, "select id from articles order by id")]
    assert len(ids) == len(URLS)
    for article_id in ids:
        watch.visit(f"{db}/-/article/{article_id}")
        # The url is shown as text, and only an http(s) address is linked.
        url = query(hostile_db, "select url from articles where id = ?", (article_id,))[0][0]
        linked = watch.page.locator(".rc-art-url a").count()
        assert linked == 0, (article_id, url)
        assert "alert(" in watch.page.locator(".rc-art-url").inner_text() \
            or "msgbox" in watch.page.locator(".rc-art-url").inner_text()
    # The related list is there (and was checked above with the rest of the page).
    watch.page.goto(f"{db}/-/article/{ids[0]}")
    assert watch.page.locator("a.rc-art-related-title").count() >= 1


def test_compare_both_sides_picker_and_raw(served_hostile: str, hostile_db: Path,
                                           watch: Watch) -> None:
    db = f"{served_hostile}/corpus"
    pairs = query(hostile_db, "select article_id, other_id from related where rank = 1"
                              " order by article_id")
    assert len(pairs) >= 3
    for left, right in pairs[:4]:
        watch.visit(f"{db}/-/compare?left={left}&right={right}")
        assert watch.page.locator(".rc-cmp-cell.rc-cmp-pair").count() >= 2
        watch.visit(f"{db}/-/compare?left={right}&right={left}")
    left = pairs[0][0]
    watch.visit(f"{db}/-/compare?left={left}")  # the picker, with the related list
    assert watch.page.locator("ol.rc-related li a").count() >= 1
    watch.visit(f"{db}/-/compare?left={left}&pick=alert")  # the picker's search
    watch.visit(f"{db}/-/compare?left={left}&pick={urllib.parse.quote(PAYLOADS[1])}",
                shows=("alert(", "onerror"), status=200)
    watch.visit(f"{db}/-/compare?left={left}&mode=raw")
    watch.visit(f"{db}/-/compare?left={pairs[0][0]}&right={pairs[0][1]}&mode=raw")


def test_datasette_table_row_facet_and_sql_pages(served_hostile: str, hostile_db: Path,
                                                 watch: Watch) -> None:
    db = f"{served_hostile}/corpus"
    watch.visit(f"{served_hostile}/", shows=("corpus",))
    watch.visit(db, shows=("articles",))
    watch.visit(f"{db}/articles")
    watch.visit(f"{db}/articles?_facet=outlet&_facet=byline&_facet=url&_facet=title")
    watch.visit(f"{db}/articles?_article_outlet={urllib.parse.quote(PAYLOADS[2])}")
    for (article_id,) in query(hostile_db, "select id from articles order by id limit 4"):
        watch.visit(f"{db}/articles/{article_id}")
    watch.visit(f"{db}/paragraphs")
    watch.visit(f"{db}/paragraphs?_search=alert")
    assert watch.page.locator("mark.rc-search-match").count() >= 1  # highlight.js ran
    watch.visit(f"{db}/paragraphs?_search=onerror&_article_outlet="
                f"{urllib.parse.quote(PAYLOADS[1])}")
    assert watch.page.locator("p.rc-table-selections").count() == 1
    for (pid,) in query(hostile_db, "select id from paragraphs order by id limit 3"):
        watch.visit(f"{db}/paragraphs/{pid}")
    watch.visit(f"{db}/paragraphs_provenance?_search=alert")
    watch.visit(f"{db}/figures_provenance")
    watch.visit(f"{db}/load_errors")
    watch.visit(f"{db}/duplicates")
    watch.visit(f"{db}/dropped")
    watch.visit(f"{db}?sql={urllib.parse.quote('select title, outlet, url, byline from articles')}")
