"""Highlighting ``_search`` matches on core table pages (which core Datasette does not do).

Done in the browser by ``static/highlight.js``: the 0.65 ``render_cell`` hook gets no
request, so it cannot know the search words on both Datasette lines.
"""

from __future__ import annotations

from . import urls


def _searching(view_name: str, request) -> bool:
    if view_name != "table" or request is None:
        return False
    return any(k == "_search" or k.startswith("_search_") for k in request.args)


def table_search_scripts(datasette, view_name: str, request) -> list[dict]:
    if not _searching(view_name, request):
        return []
    return [{"url": urls.static(datasette, "highlight.js")}]


def table_search_styles(datasette, view_name: str, request) -> list[str]:
    if not _searching(view_name, request):
        return []
    return [urls.static(datasette, "reportcorpus.css")]
