"""What every plugin route shares: the database it names, method and CORS handling.

Below the views: the views import this module, and nothing here imports a view.
"""

from __future__ import annotations

from datasette.utils import add_cors_headers
from datasette.utils.asgi import NotFound, Response

from .corpus import is_corpus
from .permissions import ensure_tables

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
SQLITE_MAX_INT = 2**63 - 1
"""The largest integer SQLite stores: ids and offsets beyond it are bad requests."""


def route_database(datasette, request):
    """The Database a plugin route's ``<database>`` part names, or 404."""
    try:
        return datasette.get_database(route=request.url_vars["database"])
    except KeyError:
        raise NotFound("Database not found") from None


async def ensure_corpus(datasette, db) -> None:
    """404 unless the Database ``db`` holds a report corpus."""
    if not await is_corpus(datasette, db.name):
        raise NotFound(f"{db.name} is not a report corpus (it has no reportcorpus_meta and "
                       "paragraphs_fts tables; build one with reportcorpus load)")


async def corpus_database(datasette, request, tables):
    """The corpus a plugin route's ``<database>`` names, once the actor may read ``tables``.

    Plugin routes get no permission checks from Datasette, so each view names the
    tables it reads: 404 for an unknown database, 403 for a table the actor may not
    read (checked first, so that such an actor learns nothing more, not even whether
    the database is a corpus), then 404 for a database that is not a corpus.
    """
    db = route_database(datasette, request)
    await ensure_tables(datasette, request.actor, db.name, tables)
    await ensure_corpus(datasette, db)
    return db


def refuse_method(datasette, request) -> Response | None:
    """The response to a request the read-only pages do not take, or None for GET/HEAD.

    OPTIONS answers as Datasette's own views do (a CORS preflight, with ``--cors``);
    anything else is 405.
    """
    if request.method in ("GET", "HEAD"):
        return None
    if request.method == "OPTIONS":
        response = Response.text("ok", headers={"Allow": ALLOWED_METHODS})
    else:
        response = Response.text(f"{request.method} is not allowed: these pages are read-only"
                                 " (GET)", status=405, headers={"Allow": ALLOWED_METHODS})
    return with_cors(datasette, response)


def with_cors(datasette, response: Response) -> Response:
    """``response`` with Datasette's CORS headers when it runs with ``--cors``."""
    if datasette.cors:
        add_cors_headers(response.headers)
    return response
