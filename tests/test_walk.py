"""In real Chromium, the walk a reader takes: search, narrow by a facet, open a hit's
article page, compare it with a related report - for the demo corpus and the seed
reports - and a check that markup in an article never runs on its page.

Screenshots of every step go to the folder named by ``REPORTCORPUS_SCREENSHOTS``
(default: the test's own temporary folder), named ``walk-<corpus>-<step>-datasette-<line>.png``.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_util import datasette_line
from conftest import run_datasette_server
from test_article import HOSTILE_TITLE, HOSTILE_URL, build_hostile_corpus


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    given = os.environ.get("REPORTCORPUS_SCREENSHOTS", "").strip()
    folder = Path(given) if given else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shot(page: Any, folder: Path, corpus: str, step: str) -> Path:
    path = folder / f"walk-{corpus}-{step}-datasette-{datasette_line()}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="module")
def served_seeds(seeds_db: Path) -> Iterator[str]:
    with run_datasette_server([seeds_db]) as url:
        yield url


def _texts(page: Any, css: str) -> list[str]:
    """The inner text of every element ``css`` selects (read in the page: Playwright's
    own list locators trip over a shadow root of Datasette 1.0's pages)."""
    return page.evaluate("css => Array.from(document.querySelectorAll(css),"
                         " e => e.innerText.trim())", css)


def _paragraph_count(db_path: Path, article_id: int) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("select count(*) from paragraphs where article_id = ?",
                            [article_id]).fetchone()[0]


def walk(page: Any, base: str, db_path: Path, query: str, facet: str, corpus: str,
         folder: Path) -> list[Path]:
    """Search ``query``, click the first value of the article facet ``facet``, open the
    first hit's article, then compare it with its first related report."""
    saved = []
    page.goto(f"{base}/corpus/-/search")
    page.locator("#rc-q").fill(query)
    page.locator("form.rc-search-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/corpus/-/search\?q="))
    assert page.locator(".rc-hit").count() >= 1
    saved.append(_shot(page, folder, corpus, "1-search"))

    value = page.locator(f"#facet-article-{facet} a[data-facet-value]").first
    chosen = value.get_attribute("data-facet-value")
    chosen_label = value.inner_text().strip()
    value.click()
    page.wait_for_url(re.compile(rf"_article_{facet}="))
    assert chosen_label in page.locator(".rc-summary").inner_text()
    hits = page.locator(".rc-hit")
    assert hits.count() >= 1
    if facet == "outlet":
        outlets = set(_texts(page, ".rc-hit-outlet"))
        assert outlets == {chosen}
    saved.append(_shot(page, folder, corpus, "2-facet"))

    hit = hits.first
    title = hit.locator("a.rc-hit-title").inner_text().strip()
    hit.locator("a.rc-hit-title").click()
    page.wait_for_url(re.compile(r"/corpus/-/article/\d+#p-\d+$"))
    article_id = int(re.search(r"/-/article/(\d+)", page.url).group(1))
    assert page.locator("h1.rc-art-title").inner_text().strip() == title
    paragraphs = page.locator(".rc-art-para")
    assert paragraphs.count() == _paragraph_count(db_path, article_id) >= 1
    # The hit's paragraph is the one the link lands on, and it holds the words searched.
    target = page.locator(".rc-art-para:target")
    assert target.count() == 1
    assert query.lower().rstrip("s") in target.inner_text().lower()
    mark = page.locator(".rc-art-para mark.rc-art-fig").first
    assert mark.count() == 1 and mark.get_attribute("title")
    # The stylesheet is applied, not only the markup present.
    assert mark.evaluate("el => getComputedStyle(el).borderBottomStyle") == "solid"
    related = page.locator("ol.rc-art-related li")
    assert related.count() >= 1
    other_title = related.first.locator("a.rc-art-related-title").inner_text().strip()
    assert other_title
    dropped = page.locator("details.rc-art-dropped")
    if dropped.count():
        dropped.first.locator("summary").click()
        assert dropped.first.locator(".rc-reason").first.is_visible()
    saved.append(_shot(page, folder, corpus, "3-article"))

    related.first.locator("a.rc-art-compare").click()
    page.wait_for_url(re.compile(rf"/corpus/-/compare\?left={article_id}&right=\d+"))
    assert _texts(page, ".rc-cmp-card h2") == [title, other_title]
    assert page.locator(".rc-cmp-cell.rc-cmp-pair").count() >= 2
    saved.append(_shot(page, folder, corpus, "4-compare"))
    return saved


def test_walk_the_demo(served_demo: str, demo_db: Path, browser_page: Any,
                       shots: Path) -> None:
    saved = walk(browser_page, served_demo, demo_db, "roof", "outlet", "demo", shots)
    assert all(p.stat().st_size > 10_000 for p in saved)


def test_walk_the_seeds(served_seeds: str, seeds_db: Path, browser_page: Any,
                        shots: Path) -> None:
    # The seed reports carry no outlet or date: the story is the facet they share.
    saved = walk(browser_page, served_seeds, seeds_db, "soldiers", "story", "seeds", shots)
    assert all(p.stat().st_size > 10_000 for p in saved)


def test_article_page_on_a_phone(served_demo: str, browser_page: Any, shots: Path) -> None:
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{served_demo}/corpus/-/article/9")
    assert page.locator(".rc-art-para").count() >= 3
    # Nothing widens the page past the screen; the related reports follow the text.
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    body = page.locator(".rc-art-body").bounding_box()
    side = page.locator(".rc-art-side").bounding_box()
    assert side["y"] >= body["y"] + body["height"] - 1
    _shot(page, shots, "demo", "phone")


def test_markup_in_an_article_never_runs(browser_page: Any, tmp_path: Path,
                                         shots: Path) -> None:
    db = build_hostile_corpus(tmp_path / "hostile")
    with sqlite3.connect(db) as conn:
        ids = dict(conn.execute("select path, id from articles"))
    page = browser_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with run_datasette_server([db]) as base:
        for path in (f"/corpus/-/article/{ids['quarry-vote.txt']}",
                     f"/corpus/-/article/{ids['quarry-stays-shut.txt']}",
                     f"/corpus/-/article/{ids['quarry-vote.txt']}.json",
                     "/corpus/-/search?q=leaflet"):
            page.goto(base + path)
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)  # an onerror fires after the image fails to load
        page.goto(f"{base}/corpus/-/article/{ids['quarry-vote.txt']}")
        page.wait_for_timeout(300)
        assert dialogs == []
        art = page.locator("article.rc-art")
        assert art.locator("script, img, svg").count() == 0
        assert page.locator('a[href^="javascript" i]').count() == 0
        assert page.locator("h1.rc-art-title").inner_text() == HOSTILE_TITLE
        text = art.inner_text()
        assert "<script>alert(4)</script>" in text and 'onerror="alert(5)"' in text
        assert HOSTILE_URL in page.locator(".rc-art-url").inner_text()
        _shot(page, shots, "hostile", "article")
        # The listener does catch a dialog that does open (so the check above can fail).
        page.evaluate("() => alert('probe')")
        assert dialogs == ["probe"]
