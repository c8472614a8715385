"""Smoke tests proving the shared fixtures work on both Datasette lines.

They exercise each fixture once: the in-process Datasette, the corpus databases,
a real ``datasette serve`` and Chromium.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import DATASETTE_VERSION, IS_1_0


def test_version_helpers(datasette_version: tuple, is_1_0: bool) -> None:
    from datasette.version import __version__

    assert datasette_version == DATASETTE_VERSION
    assert is_1_0 == IS_1_0 == (not __version__.startswith("0."))
    assert datasette_version[:2] in {(0, 65), (1, 0)}


@pytest.mark.asyncio
async def test_plugin_is_listed(make_datasette: Callable[..., Any]) -> None:
    ds = make_datasette(None)
    await ds.invoke_startup()
    response = await ds.client.get("/-/plugins.json")
    assert response.status_code == 200
    names = {p["name"] for p in response.json()}
    # Entry-point plugins are listed under their distribution's name; the entry
    # point itself is called reportcorpus. datasette-test's permission shim may
    # be listed as well.
    assert names & {"datasette-reportcorpus", "reportcorpus"}, names
    assert names <= {"datasette-reportcorpus", "reportcorpus", "datasette-test-plugin"}, names


def test_every_hook_is_known_to_this_datasette() -> None:
    """What pluggy's ``check_pending`` checks, for this plugin: hooks only 1.0 has are
    marked optional, so core's own check passes with the plugin loaded on 0.65 too."""
    from datasette.plugins import pm

    plugin = next(p for p in pm.get_plugins()
                  if getattr(p, "__name__", "") == "datasette_reportcorpus")
    unknown = [caller.name for caller in pm.get_hookcallers(plugin)
               if not caller.has_spec()
               and any(i.plugin is plugin and not i.optionalhook for i in caller.get_hookimpls())]
    assert unknown == []


@pytest.mark.asyncio
async def test_repo_metadata_applies(make_datasette: Callable[..., Any], seeds_db: Path) -> None:
    ds = make_datasette(seeds_db)
    await ds.invoke_startup()
    # 1.0 moved table options such as label_column out of metadata into config.
    if IS_1_0:
        table = await ds.table_config("corpus", "articles")
    else:
        table = ds.table_metadata("corpus", "articles")
    assert table.get("label_column") == "title"


async def _search(ds: Any, term: str) -> list[dict]:
    response = await ds.client.get(
        f"/corpus/paragraphs.json?_search={term}&_shape=objects&_size=5"
    )
    assert response.status_code == 200, response.text
    return response.json()["rows"]


@pytest.mark.asyncio
async def test_search_paragraphs_demo(make_datasette: Callable[..., Any], demo_db: Path) -> None:
    rows = await _search(make_datasette(demo_db), "strike")
    assert rows
    assert all("strike" in row["text"].lower() for row in rows)


@pytest.mark.asyncio
async def test_search_paragraphs_seeds(make_datasette: Callable[..., Any], seeds_db: Path) -> None:
    rows = await _search(make_datasette(seeds_db), "soldiers")
    assert rows
    # The index may stem (soldier, soldiers), so check the stem.
    assert all("soldier" in row["text"].lower() for row in rows)


@pytest.mark.asyncio
async def test_permissions_and_plugin_config(make_datasette: Callable[..., Any],
                                             seeds_db: Path) -> None:
    ds = make_datasette(
        seeds_db,
        plugin_config={"datasette-reportcorpus": {"smoke": 1}},
        permissions={"view-table": {"id": "nobody"}},
    )
    assert ds.plugin_config("datasette-reportcorpus") == {"smoke": 1}
    response = await ds.client.get("/corpus/paragraphs.json")
    assert response.status_code == 403


def test_served_demo(served_demo: str) -> None:
    response = httpx.get(f"{served_demo}/corpus/articles.json?_shape=objects", timeout=10)
    assert response.status_code == 200
    assert len(response.json()["rows"]) >= 10


def test_browser_articles_page(browser_page: Any, served_demo: str,
                               screenshot: Callable[[Any, str], Path]) -> None:
    response = browser_page.goto(f"{served_demo}/corpus/articles")
    assert response is not None and response.status == 200
    browser_page.wait_for_selector("table.rows-and-columns")
    assert browser_page.locator("table.rows-and-columns tbody tr").count() >= 10
    path = screenshot(browser_page, "demo-articles")
    assert path.stat().st_size > 10_000
