"""Datasette plugin for news report corpora: hook implementations only.

Each hook is a few lines that call into the module doing the work.
"""

from datasette import hookimpl


@hookimpl
def register_routes(datasette):
    from .routes import routes

    return routes()
