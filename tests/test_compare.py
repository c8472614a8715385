"""The compare view through Datasette: aligned pairs, figures, names, raw mode, ways in,
escaping, permissions and base_url, on both Datasette lines."""

from __future__ import annotations

import re
import sqlite3
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import assert_links_under_base


def _ids(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(db_path) as conn:
        return dict(conn.execute("select path, id from articles"))


def _deny(table: str) -> dict:
    return {"databases": {"corpus": {"tables": {table: {"allow": {"id": "root"}}}}}}


async def _json(ds, left: int, right: int | None = None, **args: str) -> dict:
    params = {"left": left, **({"right": right} if right is not None else {}), **args}
    response = await ds.client.get("/corpus/-/compare.json?" + urllib.parse.urlencode(params))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.asyncio
async def test_demo_story_pair_aligned_with_conflicting_figure(
        make_datasette: Callable[..., Any], demo_db: Path) -> None:
    ids = _ids(demo_db)
    ds = make_datasette(demo_db)
    data = await _json(ds, ids["027_61d0b8e4f2a97c35.txt"], ids["028_0e9a4c7d3b1f5826.txt"])
    assert set(data) >= {"left", "right", "summary", "rows", "figures", "related"}
    pairs = [r for r in data["rows"] if r["left"] is not None and r["right"] is not None]
    assert len(pairs) >= 3
    for row in data["rows"]:
        for side in ("left", "right"):
            if row[side] is not None:
                text = data[side]["paragraphs"][row[side]]["text"]
                assert "".join(p["text"] for p in row[f"{side}_pieces"]) == text
    differ = [f for f in data["figures"] if f["status"] == "differ"]
    assert any(f["left"]["value"] == 3 and f["right"]["value"] == 4 for f in differ)
    assert data["summary"]["figures_differ"] >= 1
    assert "Danny Corless" in data["summary"]["names_right_only"]
    assert 0 < data["summary"]["shared_share"] < 1
    # The differing figure is highlighted inline on both sides.
    html = (await ds.client.get("/corpus/-/compare?left={}&right={}".format(
        ids["027_61d0b8e4f2a97c35.txt"], ids["028_0e9a4c7d3b1f5826.txt"]))).text
    marked = [re.sub(r"<[^>]+>", "", m) for m in
              re.findall(r'<mark class="rc-fig rc-fig-differ"[^>]*>(.*?)</mark>', html)]
    assert "Three" in marked and "Four" in marked
    assert "rc-cmp-pair" in html and "no matching paragraph" in html


@pytest.mark.asyncio
async def test_near_copy_pairs_match_gold(make_datasette: Callable[..., Any],
                                          demo_db: Path) -> None:
    ids = _ids(demo_db)
    data = await _json(make_datasette(demo_db), ids["014_b06e3d9a5c2f1748.txt"],
                       ids["015_7a2c9e41d0f3b685.txt"])
    pairs = {(r["left"], r["right"]) for r in data["rows"]}
    # Gold: body paragraphs 0->0, 1->2, 2->3, 4->4, 5->5 are near word-for-word.
    assert {(0, 0), (1, 2), (2, 3), (4, 4), (5, 5)} <= pairs
    near = next(r for r in data["rows"] if (r["left"], r["right"]) == (5, 5))
    # Curly against straight quotes: not a difference.
    assert near["same_share"] == 1.0


@pytest.mark.asyncio
@pytest.mark.parametrize(("left", "right", "value_left", "value_right"), [
    ("014_b06e3d9a5c2f1748.txt", "kestrel-gazette/greyside-dam-warning.txt", 1400, 950),
    ("003_9c41e07b2d5fa816.txt", "011_4f8d2a60c1be7935.txt", 31, 40),
    ("019_d5e8f1037b4a26c9.txt", "021_28ab6f0e9d7c1453.txt", 180e6, 210e6),
])
async def test_gold_conflicts_are_flagged(make_datasette: Callable[..., Any], demo_db: Path,
                                          left: str, right: str, value_left: float,
                                          value_right: float) -> None:
    ids = _ids(demo_db)
    data = await _json(make_datasette(demo_db), ids[left], ids[right])
    differ = {(f["left"]["value"], f["right"]["value"])
              for f in data["figures"] if f["status"] == "differ"}
    assert (value_left, value_right) in differ
    # Hedged figures that can both be true are not conflicts.
    assert not any(f["left"]["hedge"] == "more than" and f["right"]["value"] > f["left"]["value"]
                   for f in data["figures"] if f["status"] == "differ")


@pytest.mark.asyncio
async def test_seed_reports_show_luhansk_side_by_side(make_datasette: Callable[..., Any],
                                                      seeds_db: Path) -> None:
    ids = _ids(seeds_db)
    a = next(i for p, i in ids.items() if p.startswith("000_"))
    b = next(i for p, i in ids.items() if p.startswith("004_"))
    ds = make_datasette(seeds_db)
    data = await _json(ds, a, b)
    assert data["ok"] is True
    assert data["related"][0]["id"] == b
    left, right = data["left"]["paragraphs"], data["right"]["paragraphs"]
    luhansk = [r for r in data["rows"] if r["left"] is not None and r["right"] is not None
               and "Luhansk" in left[r["left"]]["text"] and "Luhansk" in right[r["right"]]["text"]]
    assert luhansk
    # The soldiers held at one base and the personnel who refused across the army: one
    # point over different scopes, both sentences given.
    scope = [f for f in data["figures"] if f["status"] == "scope"]
    assert {f["left"]["value"] for f in scope if f["right"]["value"] == 1793} & {80, 140}
    assert all(f["left_sentence"] in left[f["left"]["paragraph"]]["text"]
               and f["right_sentence"] in right[f["right"]["paragraph"]]["text"]
               and f["scope"] for f in scope)
    assert data["summary"]["figures_scope"] == len(scope) >= 1
    assert data["summary"]["figures_agree"] == 0
    # Bryansk and Bryanka: one place spelled two ways, not two names only one report has.
    variants = data["summary"]["names_spelled_differently"]
    assert [(v["left"], v["right"]) for v in variants] == [("Bryansk", "Bryanka")]
    assert "Bryansk" not in data["summary"]["names_left_only"]
    assert "Bryanka" not in data["summary"]["names_right_only"]
    # ... and the paragraphs telling that fact stand side by side.
    v = variants[0]
    assert any((r["left"], r["right"]) == (v["left_paragraph"], v["right_paragraph"])
               for r in data["rows"])
    assert "Bryansk" in left[v["left_paragraph"]]["text"]
    assert "Bryanka" in right[v["right_paragraph"]]["text"]
    html = (await ds.client.get(f"/corpus/-/compare?left={a}&right={b}")).text
    assert "differs in scope, check" in html and "rc-verdict-scope" in html
    assert "Bryansk</span> / <span class=\"rc-name rc-name-right\">Bryanka" in html
    assert "1,793 Russian military personnel have refused" in html


@pytest.mark.asyncio
async def test_demo_duration_never_agrees_with_a_time_of_day(
        make_datasette: Callable[..., Any], demo_db: Path) -> None:
    ids = _ids(demo_db)
    data = await _json(make_datasette(demo_db), ids["003_9c41e07b2d5fa816.txt"],
                       ids["011_4f8d2a60c1be7935.txt"])
    for f in data["figures"]:
        if f["left"] and f["right"]:
            kinds = {f["left"]["kind"], f["right"]["kind"]}
            assert kinds != {"duration", "time"}, f
    six = next(f for f in data["figures"] if (f["left"] or {}).get("surface") == "six-week")
    assert six["status"] == "left"
    # Every verdict is counted in the summary.
    s = data["summary"]
    for status in ("differ", "scope", "compatible", "agree", "left", "right"):
        assert s[f"figures_{status}"] == sum(f["status"] == status for f in data["figures"])


@pytest.mark.asyncio
async def test_demo_spelling_variant_outlets_and_whole_names(
        make_datasette: Callable[..., Any], demo_db: Path) -> None:
    ids = _ids(demo_db)
    ds = make_datasette(demo_db)
    data = await _json(ds, ids["014_b06e3d9a5c2f1748.txt"],
                       ids["kestrel-gazette/greyside-dam-warning.txt"])
    s = data["summary"]
    assert ("Tarnholme", "Tarnholm") in {(v["left"], v["right"])
                                         for v in s["names_spelled_differently"]}
    assert "Aske and Lunedale Fire and Rescue Service" in s["names_left_only"]
    assert not {"Gazette", "Lunedale Fire", "Rescue Service"} & set(
        s["names_left_only"] + s["names_right_only"])
    data = await _json(ds, ids["014_b06e3d9a5c2f1748.txt"], ids["015_7a2c9e41d0f3b685.txt"])
    assert "Tanner's Row" in data["summary"]["names_right_only"]
    assert "Row" not in data["summary"]["names_right_only"]


@pytest.mark.asyncio
async def test_titles_link_to_the_article_page(make_datasette: Callable[..., Any],
                                               demo_db: Path) -> None:
    ds = make_datasette(demo_db, settings={"base_url": "/news/"})
    data = (await ds.client.get("/corpus/-/compare.json?left=8&right=9")).json()
    assert data["ok"] is True
    assert data["left"]["article_url"] == "/news/corpus/-/article/8"
    assert data["right"]["article_url"] == "/news/corpus/-/article/9"
    assert data["left"]["row_url"] == "/news/corpus/articles/8"
    html = (await ds.client.get("/corpus/-/compare?left=8&right=9")).text
    assert re.search(r'<h2><a href="/news/corpus/-/article/8">', html)
    assert re.search(r'<h2><a href="/news/corpus/-/article/9">', html)
    for url in ("/corpus/-/compare.json?left=8", "/corpus/-/compare.json?left=8&mode=raw"):
        assert (await ds.client.get(url)).json()["ok"] is True, url


@pytest.mark.asyncio
async def test_figure_sentences_are_escaped(make_datasette: Callable[..., Any],
                                            tmp_path: Path) -> None:
    """The sentences given with each pair reach the page escaped."""
    from conftest import build_corpus

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Dock strike enters third day\n\nPort officials said <b>31 ships</b> were waiting"
        " at anchor off Saltry on Tuesday.\n\nThe strike began on Sunday.\n", encoding="utf-8")
    (folder / "b.txt").write_text(
        "Saltry port at a standstill\n\nPort officials said 40 ships were waiting at anchor"
        " off Saltry <script>alert(1)</script> on Tuesday.\n\nThe strike began on Sunday.\n",
        encoding="utf-8")
    db = build_corpus(tmp_path / "corpus.db", [folder])
    ds = make_datasette(db)
    data = (await ds.client.get("/corpus/-/compare.json?left=1&right=2")).json()
    differ = [f for f in data["figures"] if f["status"] == "differ"]
    assert differ and "<b>31 ships</b>" in differ[0]["left_sentence"]
    html = (await ds.client.get("/corpus/-/compare?left=1&right=2")).text
    assert "<script>alert" not in html and "<b>31" not in html
    assert "&lt;b&gt;31 ships&lt;/b&gt; were waiting" in html


@pytest.mark.asyncio
async def test_picker_lists_related_and_finds_by_title_or_outlet(
        make_datasette: Callable[..., Any], demo_db: Path) -> None:
    ids = _ids(demo_db)
    ds = make_datasette(demo_db)
    left = ids["003_9c41e07b2d5fa816.txt"]
    data = await _json(ds, left)
    related = [r["id"] for r in data["related"]]
    assert set(related[:2]) == {ids["011_4f8d2a60c1be7935.txt"],
                                ids["kestrel-gazette/saltry-docks-day-three.txt"]}
    assert data["related"][0]["compare_url"].startswith(f"/corpus/-/compare?left={left}&right=")
    found = await _json(ds, left, pick="Kestrel")
    assert {m["id"] for m in found["matches"]} >= {ids["kestrel-gazette/greyside-dam-warning.txt"]}
    found = await _json(ds, left, pick="dam wall")
    assert [m["id"] for m in found["matches"]] == [ids["014_b06e3d9a5c2f1748.txt"]]
    # Words in any order, each starting a word of the title or outlet.
    found = await _json(ds, left, pick="wall dam")
    assert [m["id"] for m in found["matches"]] == [ids["014_b06e3d9a5c2f1748.txt"]]
    found = await _json(ds, left, pick="gazette greyside")
    assert [m["id"] for m in found["matches"]] == [ids["kestrel-gazette/greyside-dam-warning.txt"]]
    assert (await _json(ds, left, pick="all"))["matches"] == []  # not inside "wall"
    # A word may follow punctuation: quotes, a currency sign, a hyphen.
    for pick, title in (("they", "They were like brothers"), ("wreck", "'wreck'"),
                        ("96m", "£96m"), ("we lost", "We lost"), ("£96m", "£96m"),
                        ("Wendlebury & Coldharbour", "Wendlebury & Coldharbour")):
        found = await _json(ds, left, pick=pick)
        assert any(title in (m["title"] or "") for m in found["matches"]), pick
    html = (await ds.client.get(f"/corpus/-/compare?left={left}&pick=%25_%25")).text
    assert "No other article has a title or outlet holding" in html  # % is no wildcard



@pytest.mark.asyncio
async def test_picker_says_when_it_shows_only_some_matches(
        make_datasette: Callable[..., Any], demo_db: Path, monkeypatch: Any) -> None:
    from datasette_reportcorpus.compare import view as compare

    monkeypatch.setattr(compare, "PICK_LIMIT", 2)
    ds = make_datasette(demo_db)
    left = _ids(demo_db)["003_9c41e07b2d5fa816.txt"]
    found = await _json(ds, left, pick="the")
    assert len(found["matches"]) == 2 and found["match_count"] > 2
    html = (await ds.client.get(f"/corpus/-/compare?left={left}&pick=the")).text
    assert f"The 2 most recent of {found['match_count']} articles" in html


@pytest.mark.asyncio
async def test_raw_mode_shows_dropped_blocks_and_reasons(make_datasette: Callable[..., Any],
                                                         demo_db: Path) -> None:
    ids = _ids(demo_db)
    ds = make_datasette(demo_db)
    aid = ids["011_4f8d2a60c1be7935.txt"]
    data = await _json(ds, aid, mode="raw")
    kinds = [b["kind"] for b in data["blocks"]]
    assert kinds.count("paragraph") == data["paragraph_count"] == 10
    reasons = {b["reason"] for b in data["blocks"] if b["kind"] == "dropped"}
    assert {"read-more", "read-next", "source-trailer"} <= reasons
    html = (await ds.client.get(f"/corpus/-/compare?left={aid}&mode=raw")).text
    assert "Source: Read Full Article" in html and "source-trailer" in html


@pytest.mark.asyncio
async def test_raw_view_from_a_comparison_leads_to_the_other_source(
        make_datasette: Callable[..., Any], demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    data = (await ds.client.get("/corpus/-/compare.json?left=8&right=9")).json()
    assert data["left"]["raw_url"] == "/corpus/-/compare?left=8&right=9&mode=raw"
    html = (await ds.client.get(data["left"]["raw_url"])).text
    assert 'href="/corpus/-/compare?left=9&amp;right=8&amp;mode=raw&amp;side=right"' in html
    assert 'href="/corpus/-/compare?left=8&amp;right=9"' in html
    # From the right report's source, back leads to the comparison as it was.
    right = data["right"]["raw_url"]
    assert right == "/corpus/-/compare?left=9&right=8&mode=raw&side=right"
    html = (await ds.client.get(right)).text
    assert 'href="/corpus/-/compare?left=8&amp;right=9"' in html
    assert 'href="/corpus/-/compare?left=8&amp;right=9&amp;mode=raw"' in html
    alone = (await ds.client.get("/corpus/-/compare?left=8&mode=raw")).text
    assert "the other report" not in alone
    missing = await ds.client.get("/corpus/-/compare?left=8&right=99999&mode=raw")
    assert missing.status_code == 404


@pytest.mark.asyncio
async def test_article_titles_link_to_the_compare_view(make_datasette: Callable[..., Any],
                                                      demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    for path, article in (("/corpus/articles/8", 8),
                          ("/corpus/paragraphs_provenance?article_id=8", 8),
                          ("/corpus/figures_provenance?article_id=8", 8)):
        html = (await ds.client.get(path)).text
        assert f'class="rc-compare-link" href="/corpus/-/compare?left={article}"' in html, path
    html = (await ds.client.get("/corpus/paragraphs?article_id=8")).text
    assert "rc-compare-link" not in html  # a plain table of paragraphs has no title cell


@pytest.mark.asyncio
async def test_article_text_is_escaped(make_datasette: Callable[..., Any], demo_db: Path) -> None:
    ids = _ids(demo_db)
    ds = make_datasette(demo_db)
    hacked = ids["kestrel-gazette/council-website-defaced.txt"]
    other = ids["014_b06e3d9a5c2f1748.txt"]
    for url in (f"/corpus/-/compare?left={hacked}&right={other}",
                f"/corpus/-/compare?left={other}&right={hacked}",
                f"/corpus/-/compare?left={hacked}&mode=raw",
                f"/corpus/-/compare?left={hacked}&pick=%3Cscript%3E"):
        html = (await ds.client.get(url)).text
        assert "<script>alert" not in html, url
        assert "<b>" not in html.split("<body", 1)[1] or "&lt;b&gt;" in html
    html = (await ds.client.get(f"/corpus/-/compare?left={hacked}&mode=raw")).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.asyncio
@pytest.mark.parametrize("table", ["articles", "paragraphs"])
async def test_every_table_read_is_checked(make_datasette: Callable[..., Any], demo_db: Path,
                                           table: str) -> None:
    from datasette_test import actor_cookie

    ds = make_datasette(demo_db, metadata=_deny(table))
    urls = ["/corpus/-/compare.json?left=8&right=9"]
    if table == "articles":  # the picker reads only articles
        urls.append("/corpus/-/compare.json?left=8")
    for url in urls:
        assert (await ds.client.get(url)).status_code == 403, url
        cookies = {"ds_actor": actor_cookie(ds, {"id": "root"})}
        assert (await ds.client.get(url, cookies=cookies)).status_code == 200, url


@pytest.mark.asyncio
async def test_hidden_figures_and_related_are_left_out(make_datasette: Callable[..., Any],
                                                       demo_db: Path) -> None:
    """An actor who may not read figures or related still compares the text: the hidden
    table's rows are left out (and said to be), never shown, and no link leads to a 403."""
    from datasette_test import actor_cookie

    ds = make_datasette(demo_db, metadata=_deny("figures"))
    data = (await ds.client.get("/corpus/-/compare.json?left=8&right=9")).json()
    assert data["figures"] == [] and data["figures_visible"] is False
    assert data["rows"] and data["related"]
    assert all(p["figure"] is None for r in data["rows"]
               for p in (r["left_pieces"] or []) + (r["right_pieces"] or []))
    cookies = {"ds_actor": actor_cookie(ds, {"id": "root"})}
    full = (await ds.client.get("/corpus/-/compare.json?left=8&right=9",
                                cookies=cookies)).json()
    assert full["figures"] and full["figures_visible"] is True

    ds = make_datasette(demo_db, metadata=_deny("related"))
    for url in ("/corpus/-/compare.json?left=8&right=9", "/corpus/-/compare.json?left=8"):
        data = (await ds.client.get(url)).json()
        assert data["related"] == [] and data["related_visible"] is False, url
    html = (await ds.client.get("/corpus/-/compare?left=8")).text
    assert "permission to view the related table" in html
    hits = (await ds.client.get("/corpus/-/search.json?q=roof")).json()["rows"]
    assert (await ds.client.get(hits[0]["compare_url"])).status_code == 200


@pytest.mark.asyncio
@pytest.mark.parametrize("table", ["dropped", "article_sources"])
async def test_raw_mode_checks_its_tables(make_datasette: Callable[..., Any], demo_db: Path,
                                          table: str) -> None:
    ds = make_datasette(demo_db, metadata=_deny(table))
    assert (await ds.client.get("/corpus/-/compare?left=8&mode=raw")).status_code == 403
    assert (await ds.client.get("/corpus/-/compare?left=8&right=9")).status_code == 200
    # No link, in HTML or JSON, to a raw view this actor cannot open.
    html = (await ds.client.get("/corpus/-/compare?left=8&right=9")).text
    assert "mode=raw" not in html
    for url in ("/corpus/-/compare.json?left=8&right=9", "/corpus/-/compare.json?left=8"):
        data = (await ds.client.get(url)).json()
        assert "raw_url" not in data["left"] and "raw_url" not in (data.get("right") or {})


@pytest.mark.asyncio
async def test_compare_honours_base_url(make_datasette: Callable[..., Any],
                                        demo_db: Path) -> None:
    ds = make_datasette(demo_db, settings={"base_url": "/news/"})
    for url in ("/corpus/-/compare?left=8&right=9", "/corpus/-/compare?left=8",
                "/corpus/-/compare?left=8&mode=raw"):
        response = await ds.client.get(url)
        assert response.status_code == 200, url
        assert_links_under_base(response.text)
    data = (await ds.client.get("/corpus/-/compare.json?left=8&right=9")).json()
    assert data["left"]["row_url"] == "/news/corpus/articles/8"
    assert data["related"][0]["compare_url"].startswith("/news/corpus/-/compare?")


@pytest.mark.asyncio
@pytest.mark.parametrize(("query", "status"), [
    ("", 400), ("left=abc&right=2", 400), ("left=1&right=x", 400), ("left=1&mode=zip", 400),
    ("left=9999&right=1", 404), ("left=1&right=9999", 404), ("left=9999", 404),
])
async def test_bad_requests(make_datasette: Callable[..., Any], demo_db: Path, query: str,
                            status: int) -> None:
    ds = make_datasette(demo_db)
    assert (await ds.client.get(f"/corpus/-/compare?{query}")).status_code == status
    assert (await ds.client.get("/nosuchdb/-/compare?left=1&right=2")).status_code == 404


@pytest.mark.asyncio
async def test_article_pages_link_to_compare(make_datasette: Callable[..., Any],
                                             demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    for url in ("/corpus/articles/8", "/corpus/articles"):
        html = (await ds.client.get(url)).text
        assert 'href="/corpus/-/compare?left=8"' in html, url
    # The link is HTML only: CSV and JSON keep the plain title.
    csv_text = (await ds.client.get("/corpus/articles.csv?id=8")).text
    assert "compare" not in csv_text
    # Titles stay escaped inside the cell.
    html = (await ds.client.get("/corpus/articles/11")).text
    assert "Wendlebury &amp; Coldharbour" in html


@pytest.mark.asyncio
async def test_every_search_hit_links_to_compare(make_datasette: Callable[..., Any],
                                                 demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    data = (await ds.client.get("/corpus/-/search.json?q=strike")).json()
    assert data["rows"]
    for row in data["rows"]:
        assert row["compare_url"] == f"/corpus/-/compare?left={row['article_id']}"
    html = (await ds.client.get("/corpus/-/search?q=strike")).text
    assert html.count("compare with related reports") == len(data["rows"])


@pytest.mark.asyncio
async def test_word_differences_are_marked_up_not_only_coloured(
        make_datasette: Callable[..., Any], demo_db: Path) -> None:
    ds = make_datasette(demo_db)
    html = (await ds.client.get("/corpus/-/compare?left=8&right=9")).text
    assert '<ins class="rc-d-ins">' in html and '<del class="rc-d-del">' in html


# --- bounded work: long reports, the event loop, hostile picker entries ----------------------

def _long_report(n: int, place: str, shift: int) -> str:
    """A fictional report of ``n`` paragraphs, each telling one numbered fact."""
    paras = [f"Crews in {place} reported that {300 + (i * 37 + shift) % 500} homes on street"
             f" {i} were flooded after the Aske burst its banks on day {1 + i % 9}."
             for i in range(n)]
    return "Flooding in the Aske valley\n\n" + "\n\n".join(paras) + "\n"


@pytest.fixture(scope="module")
def long_pair_db(tmp_path_factory: Any) -> Path:
    """Two 2,000-paragraph reports of one story (ids 1 and 2)."""
    from conftest import build_corpus

    root = tmp_path_factory.mktemp("long-pair")
    folder = root / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(_long_report(2000, "Tarnholme", 0), encoding="utf-8")
    (folder / "b.txt").write_text(_long_report(2000, "Tarnholme <i>town</i>", 5),
                                  encoding="utf-8")
    return build_corpus(root / "corpus.db", [folder])


@pytest.mark.asyncio
async def test_long_reports_are_compared_in_part_and_say_so(
        make_datasette: Callable[..., Any], long_pair_db: Path) -> None:
    from datasette_reportcorpus.compare import data as compare_data

    ds = make_datasette(long_pair_db)
    data = await _json(ds, 1, 2)
    cap = compare_data.MAX_PARAGRAPHS
    for side in ("left", "right"):
        limited = data["limited"][side]
        assert limited["paragraphs"] == 2000 and limited["paragraphs_compared"] == cap
        assert len(data[side]["paragraphs"]) == cap
        # Figures of the paragraphs left out are not compared.
        assert all(f[side]["paragraph"] < cap for f in data["figures"] if f[side])
    assert f"only the first {cap} of 2000 paragraphs" in data["limits_message"]
    assert data["summary"]["pairs"] > 0
    html = (await ds.client.get("/corpus/-/compare?left=1&right=2"))
    assert html.status_code == 200
    assert f"only the first {cap} of 2000 paragraphs" in html.text
    assert "<i>town" not in html.text and "&lt;i&gt;town" in html.text
    # A pair within the limits says nothing of them.
    small = await _json(ds, 1, 1)
    assert small["limited"]["left"]["paragraphs"] == 2000


@pytest.mark.asyncio
async def test_a_comparison_leaves_the_event_loop_free(
        make_datasette: Callable[..., Any], long_pair_db: Path, monkeypatch: Any) -> None:
    """While a comparison is being worked out, other requests are answered: once the work
    has started, it is held until /-/versions.json has answered, which it could never do
    if the work ran on the event loop."""
    import asyncio
    import threading

    from datasette_reportcorpus.compare import data as compare_data

    started, answered = threading.Event(), threading.Event()
    seen: dict[str, bool] = {}
    build = compare_data.build

    def held_build(*args: Any) -> dict:
        started.set()
        seen["versions answered first"] = answered.wait(timeout=10)
        return build(*args)

    monkeypatch.setattr(compare_data, "build", held_build)
    ds = make_datasette(long_pair_db)
    await ds.client.get("/-/versions.json")  # started, so that both requests run at once

    async def versions() -> int:
        while not started.is_set():  # asked only once the comparison is being worked out
            await asyncio.sleep(0.005)
        response = await ds.client.get("/-/versions.json")
        answered.set()
        return response.status_code

    compare, status = await asyncio.gather(
        ds.client.get("/corpus/-/compare.json?left=1&right=2"), versions())
    assert status == 200 and compare.status_code == 200, compare.text[:300]
    assert seen == {"versions answered first": True}


HOSTILE_PICKS = [
    " ".join(f"w{i}" for i in range(1000)),  # 1,000 words: "Expression tree is too large"
    "x" * 50_000,                             # a 50 KB word
    "a b c d e f g h i",                      # more words than a picker takes
    "%" * 300,
]


@pytest.mark.asyncio
@pytest.mark.parametrize("pick", HOSTILE_PICKS, ids=["1000-words", "50kb-word", "9-words",
                                                     "300-percent"])
async def test_hostile_picker_entries_are_bad_requests(make_datasette: Callable[..., Any],
                                                       demo_db: Path, pick: str) -> None:
    ds = make_datasette(demo_db)
    for path in ("/corpus/-/compare.json", "/corpus/-/compare"):
        response = await ds.client.get(path + "?" + urllib.parse.urlencode(
            {"left": 1, "pick": pick}))
        assert response.status_code == 400, (path, response.text[:300])
        assert "pick" in response.text
        assert "from articles" not in response.text.lower()  # no SQL echoed


@pytest.mark.asyncio
async def test_repeated_picker_words_search_once(make_datasette: Callable[..., Any],
                                                 demo_db: Path) -> None:
    ds = make_datasette(demo_db, settings={"sql_time_limit_ms": 50})
    left = _ids(demo_db)["003_9c41e07b2d5fa816.txt"]
    repeated = await _json(ds, left, pick="t t t t t t t t t t")
    once = await _json(ds, left, pick="t")
    assert repeated["match_count"] == once["match_count"] > 0
    assert [m["id"] for m in repeated["matches"]] == [m["id"] for m in once["matches"]]
    html = await ds.client.get(f"/corpus/-/compare?left={left}&pick=t+t+t+t+t+t+t+t+t+t")
    assert html.status_code == 200
