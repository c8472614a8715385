"""Datasette's JSON conventions for the plugin's own JSON: ``_shape`` and, on 1.0, ``_extra``.

Every JSON endpoint of the plugin is one object holding ``ok`` and a list of rows (the
search's paragraphs, the article's paragraphs, the comparison's aligned rows). As on
Datasette's table JSON, ``_shape`` picks how the rows come:

- ``objects`` (the default): the whole object, each row an object;
- ``arrays``: the whole object, each row a list, with ``columns`` naming its items;
- ``array``: the rows alone, a list (with ``_nl=on`` one JSON object a line);
- ``object``: the rows keyed by their ``id`` (refused where rows have none).

Datasette 1.0 answers a table's JSON with ``ok``, ``next``, ``next_url`` and ``rows`` and
adds other keys only when ``_extra`` names them (``_extra=count,facet_results`` or the
argument repeated), refusing a name it does not know; asking for a facet adds
``facet_results``. :func:`requested_extras` and :func:`with_extras` do the same for
``search.json``. 0.65 has no ``_extra``: there the argument is ignored, as core does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from datasette.utils.asgi import BadRequest, Response

from .compat import IS_1_0

SHAPES = ("objects", "arrays", "array", "object")
SEARCH_EXTRAS = ("count", "database", "error", "exports", "facet_results", "q", "query",
                 "selections", "suggested_facets")
"""What ``search.json``'s ``_extra`` can add to :data:`BASE_KEYS` (on 1.0)."""
BASE_KEYS = ("ok", "next", "next_url", "rows")
"""What a 1.0 table JSON holds when ``_extra`` asks for nothing more."""


def shape_arg(request, shapes: Iterable[str] = SHAPES) -> str:
    """The ``_shape`` asked for (``objects`` when absent), or 400 naming the choices."""
    shapes = tuple(shapes)
    shape = (request.args.get("_shape") or "objects").strip()
    if shape not in shapes:
        raise BadRequest(f"_shape must be one of {', '.join(shapes)}, not {shape!r}")
    return shape


def shaped(data: dict, rows_key: str, shape: str, nl: bool = False, status: int = 200,
           columns: Iterable[str] | None = None) -> Response:
    """``data`` as a JSON response in ``shape``, its rows being ``data[rows_key]``.

    An error (``status`` not 200) keeps the whole object, as Datasette's do. ``columns``
    orders the lists of ``arrays`` (default: every key of the rows, in order of first use).

    >>> json.loads(shaped({"ok": True, "rows": [{"id": 3, "a": 1}]}, "rows", "object").body)
    {'3': {'id': 3, 'a': 1}}
    >>> json.loads(shaped({"ok": True, "rows": [{"id": 3, "a": 1}]}, "rows", "arrays").body)
    {'ok': True, 'rows': [[3, 1]], 'columns': ['id', 'a']}
    """
    if shape == "objects" or status != 200:
        return Response.json(data, status=status)
    rows = data.get(rows_key) or []
    if shape == "arrays":
        names = list(columns) if columns is not None else list(
            dict.fromkeys(k for r in rows for k in r))
        return Response.json({**data, rows_key: [[r.get(c) for c in names] for r in rows],
                              "columns": names}, status=status)
    if shape == "object":
        if not all(isinstance(r, dict) and "id" in r for r in rows):
            raise BadRequest(f"_shape=object keys rows by id, and these {rows_key} have none:"
                             " use objects, arrays or array")
        return Response.json({str(r["id"]): r for r in rows}, status=status)
    if nl:
        body = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
        return Response(body, content_type="text/plain; charset=utf-8")
    return Response.json(rows, status=status)


def requested_extras(args: Iterable[tuple[str, str]], known: Iterable[str]) -> set[str] | None:
    """The ``_extra`` names asked for (comma-separated, repeatable), or None when there is
    no ``_extra`` argument or on 0.65 (which has none); 400 for a name not in ``known``.
    Asking for a facet (``_facet_*``) adds ``facet_results``, as on 1.0's table JSON.

    >>> requested_extras([("_size", "5")], ["count"]) is None
    True
    """
    args = list(args)
    if not IS_1_0 or not any(k == "_extra" for k, _ in args):
        return None
    names = {part.strip() for k, v in args if k == "_extra" for part in v.split(",")}
    names.discard("")
    known = set(known)
    unknown = sorted(names - known)
    if unknown:
        raise BadRequest(f"_extra: unknown {', '.join(unknown)}; this endpoint takes"
                         f" {', '.join(sorted(known))}")
    if any(k.startswith("_facet_") and k != "_facet_size" and v for k, v in args):
        names.add("facet_results")
    return names


def with_extras(data: dict, extras: set[str] | None) -> dict:
    """``data`` narrowed to :data:`BASE_KEYS` and ``extras`` (all of it when ``extras`` is
    None); an ``error`` is kept whenever there is one."""
    if extras is None:
        return data
    keep = set(BASE_KEYS) | extras
    if data.get("error") is not None:
        keep |= {"error", "status"}
    return {k: v for k, v in data.items() if k in keep}
