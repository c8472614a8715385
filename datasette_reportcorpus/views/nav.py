"""Ways in to the search page from Datasette's own pages: the navigation menu, and the
actions menus of each corpus database and of its paragraph and article tables.

Only for a database that holds a report corpus and an actor who may read what the search
reads (``paragraphs`` and ``articles``).
"""

from __future__ import annotations

from .. import urls
from ..corpus import is_corpus
from ..permissions import can_view_table

SEARCH_READS = ("paragraphs", "articles")
SEARCH_TABLES = ("paragraphs", "articles", "paragraphs_provenance")


async def can_search(datasette, actor, database: str) -> bool:
    """Whether ``database`` is a corpus whose search ``actor`` may read."""
    if not await is_corpus(datasette, database):
        return False
    for table in SEARCH_READS:
        if not await can_view_table(datasette, actor, database, table):
            return False
    return True


def _link(datasette, database: str, label: str, q: str | None = None) -> dict:
    pairs = [("q", q)] if q else []
    return {"href": urls.search(datasette, database, pairs), "label": label,
            "description": "Ranked full-text search of the reports' paragraphs, with facets"
                           " and exports"}


def menu_links(datasette, actor):
    async def inner():
        names = [name for name in datasette.databases if not name.startswith("_")]
        out = []
        for name in names:
            if await can_search(datasette, actor, name):
                label = "Search reports" if len(names) == 1 else f"Search reports: {name}"
                out.append(_link(datasette, name, label))
        return out

    return inner


def database_actions(datasette, actor, database):
    async def inner():
        if not await can_search(datasette, actor, database):
            return []
        return [_link(datasette, database, "Search the reports")]

    return inner


def table_actions(datasette, actor, database, table, request=None):
    async def inner():
        if table not in SEARCH_TABLES or not await can_search(datasette, actor, database):
            return []
        # From a table page searched with ?_search=, the same words, ranked.
        q = request.args.get("_search") if request is not None else None
        return [_link(datasette, database, "Ranked search with facets", q)]

    return inner
