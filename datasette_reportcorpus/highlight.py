"""Highlighting ``_search`` matches on core table pages (which core Datasette does not do),
and a remove link for each of the plugin's selections there.

Done in the browser by ``static/highlight.js``: the 0.65 ``render_cell`` hook gets no
request, so it cannot know the search words on both Datasette lines.
"""

from __future__ import annotations

from . import urls
from .filters import is_selection_arg


def _searching(view_name: str, request) -> bool:
    """A table page searched, or narrowed by the plugin's selections (whose remove
    links the script adds: core only describes them)."""
    if view_name != "table" or request is None:
        return False
    return any(k == "_search" or k.startswith("_search_") or is_selection_arg(k)
               for k in request.args)


def table_search_scripts(datasette, view_name: str, request) -> list[dict]:
    if not _searching(view_name, request):
        return []
    return [{"url": urls.static(datasette, "highlight.js")}]


def table_search_styles(datasette, view_name: str, request) -> list[str]:
    if not _searching(view_name, request):
        return []
    return [urls.static(datasette, "reportcorpus.css")]
