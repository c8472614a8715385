"""URL patterns of the plugin's own pages (HTML, and JSON with a .json suffix).

The route table sits above the views it routes to; only the ``register_routes`` hook
imports it.
"""

from __future__ import annotations

from .compare.view import compare_view
from .search.view import search_view
from .views.article import article_view


def routes() -> list[tuple[str, object]]:
    """Each view takes ``(datasette, request)``."""
    return [
        (r"^/(?P<database>[^/]+)/-/search(\.(?P<format>json|csv))?$", search_view),
        (r"^/(?P<database>[^/]+)/-/compare(\.(?P<format>json))?$", compare_view),
        (r"^/(?P<database>[^/]+)/-/article(?:/(?P<id>[^/]*?))?(?:\.(?P<format>json))?$",
         article_view),
    ]
