"""Highlighting ``_search`` matches on core table pages (which core Datasette does not do),
and a remove link for each of the plugin's selections there.

Done in the browser by ``static/highlight.js``: the 0.65 ``render_cell`` hook gets no
request, so it cannot know the search words on both Datasette lines.
"""

from __future__ import annotations

from .. import urls
from ..corpus import is_corpus
from ..facets.filters import is_selection_arg


def _searching(view_name: str, request) -> bool:
    """A table page searched, or narrowed by the plugin's selections (whose remove
    links the script adds: core only describes them)."""
    if view_name != "table" or request is None:
        return False
    return any(k == "_search" or k.startswith("_search_") or is_selection_arg(k)
               for k in request.args)


def table_search_scripts(datasette, view_name: str, request, database: str | None = None):
    """The highlighting script for a searched table page of a corpus (none elsewhere)."""
    return _on_corpus(datasette, view_name, request, database,
                      [{"url": urls.static(datasette, "highlight.js")}])


def table_search_styles(datasette, view_name: str, request, database: str | None = None):
    """The plugin's stylesheet for a searched table page of a corpus (none elsewhere)."""
    return _on_corpus(datasette, view_name, request, database,
                      [urls.static(datasette, "reportcorpus.css")])


def _on_corpus(datasette, view_name: str, request, database: str | None, assets: list):
    """``assets`` for a searched table page of a corpus, as an awaitable Datasette
    resolves; other databases' pages keep core's own look (no restyled ``<mark>``)."""
    if not _searching(view_name, request) or database is None:
        return []

    async def inner() -> list:
        return assets if await is_corpus(datasette, database) else []

    return inner
