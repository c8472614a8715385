"""In real Chromium: search the demo, open a hit, compare it with a related report.

The screenshots land in ``test-artifacts/`` (compare-*.png) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def test_search_open_hit_and_compare(served_demo: str, browser_page: Any,
                                     screenshot: Callable[[Any, str], Any]) -> None:
    page = browser_page
    page.goto(f"{served_demo}/corpus/-/search?q=Skarrow")
    hit = page.locator(".rc-hit").first
    assert "Skarrow" in hit.inner_text()
    # Open the hit's article page, then its "compare with related reports" link.
    hit.locator("a.rc-hit-title").click()
    page.wait_for_url("**/corpus/-/article/*")
    page.locator("a.rc-compare-link").first.click()
    page.wait_for_url("**/-/compare?left=*")
    related = page.locator("ol.rc-related li a")
    assert related.count() >= 1
    related.first.click()
    page.wait_for_url("**/-/compare?left=*&right=*")

    pairs = page.locator(".rc-cmp-cell.rc-cmp-pair")
    assert pairs.count() >= 4  # two cells per aligned pair
    assert page.locator(".rc-gap").count() >= 1
    differ = page.locator("mark.rc-fig-differ")
    assert differ.count() >= 2
    texts = {differ.nth(i).inner_text().strip() for i in range(differ.count())}
    assert {"Three", "Four"} <= texts
    assert page.locator("tr.rc-figrow-differ").count() >= 1
    summary = page.locator(".rc-cmp-summary").inner_text()
    assert "figure differs" in summary or "figures differ" in summary
    # The red highlight is really drawn (styles loaded, not just markup present).
    colour = differ.first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(198, 40, 40)"
    screenshot(page, "compare-skarrow")

    page.locator(".rc-cmp-left a", has_text="source and cleaning").click()
    page.wait_for_url("**mode=raw*")
    assert page.locator(".rc-raw-dropped").count() >= 2
    screenshot(page, "compare-raw")


def test_compare_on_a_phone_keeps_the_reports_side_by_side(served_demo: str, browser_page: Any,
                                                           screenshot: Callable[[Any, str],
                                                                                Any]) -> None:
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{served_demo}/corpus/-/search?q=Skarrow")
    page.locator("a.rc-compare-link").first.click()
    page.wait_for_url("**/-/compare?left=*")
    page.locator("ol.rc-related li a").first.click()
    page.wait_for_url("**/-/compare?left=*&right=*")
    pair = page.locator(".rc-cmp-cell.rc-cmp-pair")
    left, right = pair.nth(0).bounding_box(), pair.nth(1).bounding_box()
    assert abs(left["y"] - right["y"]) < 2 and right["x"] > left["x"] + left["width"] - 1
    # Nothing widens the page past the screen (the figure table scrolls in its box).
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    # A figure link brings its paragraph into view below the sticky column heads.
    page.locator(".rc-cmp-figtable a[href^='#']").first.click()
    target = page.locator(".rc-cmp-cell:target")
    head = page.locator(".rc-cmp-colhead").first.bounding_box()
    assert target.bounding_box()["y"] >= head["y"] + head["height"] - 1
    screenshot(page, "compare-phone")


def test_table_page_keeps_the_search_in_its_box(served_demo: str, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{served_demo}/corpus/paragraphs?_search=strike&_article_outlet=Tidewater+Wire")
    assert page.locator('input#_search').input_value() == "strike"
    assert page.locator("mark.rc-search-match").count() >= 1


def test_table_page_marks_a_searched_number_whole(served_demo: str, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{served_demo}/corpus/paragraphs_provenance?_search=%221%2C400%22")
    marks = page.locator("mark.rc-search-match").all_inner_texts()
    assert marks and set(marks) == {"1,400"}  # not the 1 of dates, ids or offsets
    page.goto(f"{served_demo}/corpus/paragraphs?_search=evacuated")
    marks = page.locator("mark.rc-search-match").all_inner_texts()
    assert marks and all(m.lower().startswith("evacuat") for m in marks)


def test_keyboard_reaches_the_facets_past_the_hits(served_demo: str, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{served_demo}/corpus/-/search?q=the")
    page.locator("#rc-q").focus()
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")  # the first export link, then on until the skip link
    for _ in range(12):
        if page.evaluate("document.activeElement.className") == "rc-skip":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the facets"
    assert page.locator("a.rc-skip").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "rc-facets"


def test_table_page_selections_can_be_removed(served_demo: str, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{served_demo}/corpus/paragraphs?_article_outlet=Tidewater+Wire"
              "&_figure_kind=count")
    bar = page.locator("p.rc-table-selections")
    assert "outlet: Tidewater Wire" in bar.inner_text() and "kind: count" in bar.inner_text()
    bar.get_by_label("Remove: outlet Tidewater Wire").click()
    page.wait_for_url("**/corpus/paragraphs?_figure_kind=count")
    assert "Tidewater" not in page.locator("p.rc-table-selections").inner_text()


def test_table_page_does_not_mark_part_of_a_number(served_demo: str, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{served_demo}/corpus/paragraphs?_search=400")  # the index holds 1,400 as 1 400
    assert page.locator("table.rows-and-columns tbody tr").count() >= 1
    inside = page.evaluate("""() => Array.from(document.querySelectorAll('mark.rc-search-match'))
        .filter(m => /\\d[.,]$/.test((m.previousSibling && m.previousSibling.textContent) || ''))
        .length""")
    assert inside == 0
