"""URL patterns of the plugin's own pages (HTML, and JSON with a .json suffix)."""

from __future__ import annotations


def routes() -> list[tuple[str, object]]:
    # Each feature module adds its pattern here; views take (datasette, request).
    from .search import search_view

    return [
        (r"^/(?P<database>[^/]+)/-/search(\.(?P<format>json))?$", search_view),
    ]
