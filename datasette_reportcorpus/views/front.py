"""The search box on Datasette's own front pages: the index page and the page of each
corpus database, so that search is the first thing a reader meets.

On 1.0 alphas through the ``top_homepage`` and ``top_database`` hooks; on 0.65, which
has neither, through ``templates/index.html`` and ``templates/database.html``, which
extend core's and add the same HTML (given by ``extra_template_vars``) at the same place.
Only for corpus databases whose search the actor may read (:func:`nav.can_search`);
every other page renders exactly as core renders it.
"""

from __future__ import annotations

from datasette.database import QueryInterrupted
from markupsafe import Markup

from .. import urls
from ..compat import IS_1_0
from .nav import can_search

TEMPLATE_VAR = "reportcorpus_top"


async def database_box(datasette, request, database: str) -> Markup:
    """The search form at the top of a corpus database's page ("" elsewhere)."""
    actor = request.actor if request is not None else None
    if not await can_search(datasette, actor, database):
        return Markup("")
    return await _render(datasette, request, [database], "database")


async def homepage_box(datasette, request) -> Markup:
    """A search form for each corpus database on the index page ("" without one)."""
    actor = request.actor if request is not None else None
    names = [name for name in datasette.databases if not name.startswith("_")
             and await can_search(datasette, actor, name)]
    if not names:
        return Markup("")
    return await _render(datasette, request, names, "index")


async def _render(datasette, request, names: list[str], page: str) -> Markup:
    boxes = [{"database": name, "action": urls.search(datasette, name),
              "count": await _article_count(datasette, name)} for name in names]
    html = await datasette.render_template(
        "reportcorpus/_front_search.html", {"boxes": boxes, "page": page}, request=request)
    return Markup(html)


async def _article_count(datasette, database: str) -> int | None:
    """How many articles the corpus holds: the count Datasette keeps of an immutable
    database, else one quick count (None if it takes over 50 ms)."""
    db = datasette.get_database(database)
    cached = None if db.is_mutable else getattr(db, "cached_table_counts", None)
    if cached and "articles" in cached:
        return cached["articles"]
    try:
        rows = await db.execute("select count(*) from articles", custom_time_limit=50)
    except QueryInterrupted:
        return None
    return rows.rows[0][0]


def template_vars(datasette, template: str, database: str | None, request):
    """On 0.65 only, the box for ``templates/index.html`` / ``database.html``."""
    if IS_1_0 or template not in ("index.html", "database.html"):
        return {}

    async def inner():
        if template == "index.html":
            return {TEMPLATE_VAR: await homepage_box(datasette, request)}
        if database:
            return {TEMPLATE_VAR: await database_box(datasette, request, database)}
        return {}

    return inner
