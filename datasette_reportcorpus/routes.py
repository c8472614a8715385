"""URL patterns of the plugin's own pages (HTML, and JSON with a .json suffix)."""

from __future__ import annotations

from datasette.utils.asgi import NotFound


def routes() -> list[tuple[str, object]]:
    # Each feature module adds its pattern here; views take (datasette, request).
    from .compare import compare_view
    from .search import search_view

    return [
        (r"^/(?P<database>[^/]+)/-/search(\.(?P<format>json))?$", search_view),
        (r"^/(?P<database>[^/]+)/-/compare(\.(?P<format>json))?$", compare_view),
    ]


def route_database(datasette, request):
    """The Database a plugin route's ``<database>`` part names, or 404."""
    try:
        return datasette.get_database(route=request.url_vars["database"])
    except KeyError:
        raise NotFound("Database not found") from None
