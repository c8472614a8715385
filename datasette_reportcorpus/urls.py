"""The one place that builds the plugin's links, so every one of them honours ``base_url``.

Datasette's own facet links are prefixed twice when Datasette serves a ``base_url``
itself (``request.path`` already carries the prefix and ``urls.path()`` adds it
again). Links here start from ``request.scope["route_path"]``, the path without the
prefix, and go through ``datasette.urls.path()`` exactly once.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Mapping

Pairs = Iterable[tuple[str, str]]


def route_path(request) -> str:
    """The request's path without ``base_url`` (Datasette sets ``route_path`` on both lines)."""
    return request.scope.get("route_path") or request.path


def with_args(datasette, request, add: Pairs | Mapping[str, object] = (),
              remove: Mapping[str, object] | Iterable[str] = ()) -> str:
    """The current page with query arguments removed, then added; prefixed exactly once.

    ``remove`` is a mapping (drop only that key=value pair) or an iterable of keys
    (drop every value of those keys). ``_next`` is always dropped: a changed
    selection starts again at the first page.
    """
    pairs = urllib.parse.parse_qsl(request.query_string, keep_blank_values=True)
    if isinstance(remove, Mapping):
        drop_pairs = {(k, str(v)) for k, v in remove.items()}
        pairs = [(k, v) for k, v in pairs if (k, v) not in drop_pairs]
    else:
        drop_keys = set(remove)
        pairs = [(k, v) for k, v in pairs if k not in drop_keys]
    pairs = [(k, v) for k, v in pairs if k != "_next"]
    added = add.items() if isinstance(add, Mapping) else add
    pairs += [(k, str(v)) for k, v in added]
    return datasette.urls.path(_join(route_path(request), pairs))


def absolute(datasette, request, url: str) -> str:
    """``url`` (already prefixed) as an absolute URL, as core facets return toggle URLs."""
    return datasette.absolute_url(request, url)


def table(datasette, database: str, table_name: str, pairs: Pairs = (),
          format: str | None = None) -> str:
    """Link to a table (or view) page or export with the given query pairs."""
    base = datasette.urls.table(database, table_name, format=format)
    return _join(base, pairs)


def search(datasette, database: str, pairs: Pairs = (), format: str | None = None) -> str:
    """Link to the search page of ``database`` (``/<db>/-/search``, or ``.json``)."""
    base = datasette.urls.database(database) + "/-/search" + (f".{format}" if format else "")
    return _join(base, pairs)


def article(datasette, database: str, article_id: object, format: str | None = None) -> str:
    """Link to the readable page of one article (``/<db>/-/article/<id>``, or ``.json``)."""
    suffix = f".{format}" if format else ""
    return datasette.urls.database(database) + f"/-/article/{int(article_id)}{suffix}"


def database(datasette, database_name: str) -> str:
    return datasette.urls.database(database_name)


def row(datasette, database: str, table_name: str, pk: object) -> str:
    return datasette.urls.row(database, table_name, str(pk))


def static(datasette, filename: str) -> str:
    return datasette.urls.static_plugins("datasette-reportcorpus", filename)


def _join(base: str, pairs: Pairs) -> str:
    pairs = [(k, str(v)) for k, v in pairs]
    if not pairs:
        return base
    return base + ("&" if "?" in base else "?") + urllib.parse.urlencode(pairs)


def compare_url(datasette, database: str, left: int, right: int | None = None,
                mode: str | None = None, format: str | None = None,
                side: str | None = None) -> str:
    """Link to the compare view: ``compare_url(ds, "corpus", 3)`` is the picker for
    article 3 ("compare with related reports"); with ``right`` the comparison itself."""
    base = datasette.urls.database(database) + "/-/compare" + (f".{format}" if format else "")
    pairs = [("left", str(left))]
    if right is not None:
        pairs.append(("right", str(right)))
    if mode:
        pairs.append(("mode", mode))
    if side:
        pairs.append(("side", side))
    return base + "?" + urllib.parse.urlencode(pairs)
