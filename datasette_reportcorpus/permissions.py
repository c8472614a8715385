"""The one place that checks whether an actor may read a table, on both Datasette lines.

Plugin routes get no permission checks from Datasette: every view calls
:func:`ensure_tables` with every table it reads before running any SQL.

The tables of a corpus that are made from others follow them (:data:`FOLLOWS`): an
actor who may not read ``paragraphs`` may not read ``article_sources`` (the whole text),
``dropped``, the full-text index or the provenance views either, and one who may not
read ``articles`` may not read what describes them (``related``, ``stories``,
``figures``, ``duplicates``, ...). Datasette's own table, JSON, CSV and listing pages
then hide them too. Arbitrary SQL reads every table whatever its permission, so an
actor who may not read every table and view of a corpus may not run it
(``execute-sql``, which also guards ``_where``). Both rules live in the permission
hooks below: ``permission_allowed`` on 0.65, ``permission_resources_sql`` on 1.0.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
from collections.abc import Iterable

from datasette import Forbidden

from .corpus import is_corpus

try:  # Datasette 1.0a20 and later
    from datasette.resources import TableResource
except ImportError:  # 0.65.x
    TableResource = None

_FTS = ("paragraphs_fts", "paragraphs_fts_data", "paragraphs_fts_idx",
        "paragraphs_fts_docsize", "paragraphs_fts_config")
_TEXT = ("articles", "paragraphs")
FOLLOWS: dict[str, tuple[str, ...]] = {
    # Text of the reports, or words taken from it.
    "article_sources": (*_TEXT, "dropped"),  # the whole source, dropped blocks too
    "dropped": _TEXT,
    "block_hashes": _TEXT,
    "stories": _TEXT,  # labels made of the reports' words
    "related_signatures": _TEXT,
    "related_df": _TEXT,
    "paragraphs_provenance": _TEXT,
    "figures_provenance": (*_TEXT, "figures"),
    **{t: ("paragraphs",) for t in _FTS},
    # What describes the reports.
    "figures": ("articles",),
    "related": ("articles",),
    "duplicates": ("articles",),
}
"""Table of a corpus -> the tables it follows (every one, transitively: an actor sees it
only when it may see each of them, and the table itself). ``articles`` and
``paragraphs`` follow nothing: their own permissions decide."""

# Answers of one request (one actor), kept while :func:`one_request` runs: a search asks
# about the same few tables a dozen times, and each check may run SQL.
_ANSWERS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("answers", default=None)


@contextlib.contextmanager
def one_request():
    """Remember :func:`can_view_table`'s answers inside this block (one request's work)."""
    token = _ANSWERS.set({})
    try:
        yield
    finally:
        _ANSWERS.reset(token)


async def can_view_table(datasette, actor, database: str, table: str) -> bool:
    """True if ``actor`` may see ``database.table`` (instance and database checks included)."""
    answers = _ANSWERS.get()
    key = (repr(actor), database, table)
    if answers is not None and key in answers:
        return answers[key]
    visible = await _can_view_table(datasette, actor, database, table)
    if answers is not None:
        answers[key] = visible
    return visible


async def _can_view_table(datasette, actor, database: str, table: str) -> bool:
    if TableResource is not None:
        visible, _ = await datasette.check_visibility(
            actor, action="view-table", resource=TableResource(database=database, table=table)
        )
    else:
        visible, _ = await datasette.check_visibility(
            actor,
            permissions=[("view-table", (database, table)), ("view-database", database),
                         "view-instance"],
        )
    return visible


async def ensure_tables(datasette, actor, database: str, tables: Iterable[str]) -> None:
    """Raise Forbidden unless ``actor`` may read every one of ``tables``."""
    for table in tables:
        if not await can_view_table(datasette, actor, database, table):
            raise Forbidden(f"You do not have permission to view {database}.{table}")


async def visible_tables(datasette, actor, database: str, tables: Iterable[str]) -> set[str]:
    """The subset of ``tables`` that ``actor`` may read."""
    return {t for t in tables if await can_view_table(datasette, actor, database, t)}


# --- the permission hooks ------------------------------------------------------------

# Set while the hooks below ask Datasette about a parent table, so that they answer
# nothing then (the parents follow nothing, FOLLOWS is transitive).
_asking = contextvars.ContextVar("reportcorpus_asking_parents", default=False)
# Answers of Datasette's own rules, kept for one request (see :func:`request_scope`).
_answers: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "reportcorpus_permission_answers", default=None)


def request_scope(app):
    """ASGI middleware (the ``asgi_wrapper`` hook): a fresh store of permission answers
    for each request, so a page asking about many tables asks Datasette once each."""
    async def scoped(scope, receive, send):
        token = _answers.set({})
        try:
            await app(scope, receive, send)
        finally:
            _answers.reset(token)

    return scoped


def _silence_core_cache():
    """Set Datasette 1.0's per-request cache aside (it must not keep answers given while
    these hooks are silent); returns what :func:`_restore_core_cache` takes.

    Datasette offers no public way to ask "what do the other rules say" nor to bypass
    its cache of permission answers, so this reaches for the private context variable
    that holds it (1.0a20 and later). Found by feature, not by version: where it is
    missing or is no context variable (0.65, a later release), there is nothing to set
    aside and the answers are only kept in this module's own per-request store."""
    try:
        from datasette import permissions as core
    except ImportError:
        return None
    cache = getattr(core, "_permission_check_cache", None)
    if not isinstance(cache, contextvars.ContextVar):
        return None
    return cache, cache.set(None)


def _restore_core_cache(saved) -> None:
    if saved is not None:
        var, token = saved
        var.reset(token)


async def _ask(datasette, key: tuple, question):
    """``await question()`` with these hooks silent, its answer kept for the request."""
    store = _answers.get()
    if store is not None and key in store:
        return store[key]
    token = _asking.set(True)
    saved = _silence_core_cache()
    try:
        answer = await question()
    finally:
        _restore_core_cache(saved)
        _asking.reset(token)
    if store is not None:
        store[key] = answer
    return answer


def _actor_key(actor) -> str:
    return json.dumps(actor, sort_keys=True, default=repr)


async def _own_verdict(datasette, actor, database: str, table: str) -> bool:
    """Whether ``actor`` may see ``table`` by Datasette's rules alone, these hooks aside."""
    if TableResource is not None:
        async def visible_names():
            found = await datasette.allowed_resources("view-table", actor, parent=database,
                                                      limit=1000)
            names = {r.child for r in found.resources}
            while found.next:
                found = await datasette.allowed_resources(
                    "view-table", actor, parent=database, limit=1000, next=found.next)
                names |= {r.child for r in found.resources}
            return names

        names = await _ask(datasette, ("names", _actor_key(actor), database), visible_names)
        return table in names

    async def database_verdict():
        for permission in (("view-database", database), ("view-instance", None)):
            answer = await datasette.permission_allowed(actor, permission[0], permission[1],
                                                        default=None)
            if answer is not None:
                return bool(answer)
        return True

    async def table_verdict():
        answer = await datasette.permission_allowed(actor, "view-table", (database, table),
                                                    default=None)
        if answer is not None:
            return bool(answer)
        return await _ask(datasette, ("database", _actor_key(actor), database),
                          database_verdict)

    return await _ask(datasette, ("table", _actor_key(actor), database, table), table_verdict)


async def follows_hidden(datasette, actor, database: str, table: str) -> bool:
    """True when ``table`` of corpus ``database`` follows a table ``actor`` may not see."""
    for parent in FOLLOWS.get(table, ()):
        if not await _own_verdict(datasette, actor, database, parent):
            return True
    return False


_SHADOW_SUFFIXES = ("_data", "_idx", "_docsize", "_config", "_content")


async def _names(datasette, database: str) -> list[str]:
    """The tables and views of ``database``, without full-text shadow tables (their
    virtual table shows what they hold; 1.0 lets nobody read them)."""
    db = datasette.get_database(database)
    names = [*await db.table_names(), *await db.view_names()]
    virtual = [r[0] for r in await db.execute(
        "select name from sqlite_master where type = 'table'"
        " and sql like 'create virtual table%'")]
    shadows = {v + s for v in virtual for s in _SHADOW_SUFFIXES}
    return [n for n in names if n not in shadows]


async def hidden_tables(datasette, actor, database: str) -> list[str]:
    """The tables of ``database`` (a corpus) these hooks hide from ``actor``."""
    names = await _names(datasette, database)
    return [t for t in names if t in FOLLOWS and await follows_hidden(datasette, actor,
                                                                     database, t)]


async def sql_denied(datasette, actor, database: str) -> bool:
    """True when ``actor`` may not see some table or view of corpus ``database``, so that
    arbitrary SQL (which reads them all) must be refused."""
    for table in await _names(datasette, database):
        if not await _own_verdict(datasette, actor, database, table):
            return True
    return False


def permission_allowed(datasette, actor, action, resource):
    """0.65's hook: False for a table of a corpus that follows one the actor may not
    see, and for SQL on a corpus holding a table it may not see; None otherwise."""
    store = _answers.get()
    if store is not None and action in ("view-instance", "view-database", "view-table"):
        store["actor"] = (actor,)  # the request's actor, for :func:`guard_labels`
    if _asking.get():
        return None
    if action == "view-table" and isinstance(resource, (tuple, list)) \
            and len(resource) == 2 and resource[1] in FOLLOWS:
        database, table = resource

        async def table_verdict():
            if await is_corpus(datasette, database) \
                    and await follows_hidden(datasette, actor, database, table):
                return False
            return None

        return table_verdict
    if action == "execute-sql" and isinstance(resource, str):
        async def sql_verdict():
            if await is_corpus(datasette, resource) \
                    and await sql_denied(datasette, actor, resource):
                return False
            return None

        return sql_verdict
    return None


def permission_resources_sql(datasette, actor, action):
    """1.0's hook: the same two rules as :func:`permission_allowed`, as deny rules on the
    tables (and databases, for ``execute-sql``) concerned."""
    if _asking.get() or action not in ("view-table", "execute-sql"):
        return None

    async def rules():
        from datasette.permissions import PermissionSQL

        denied: list[tuple[str, str | None]] = []
        for database in list(datasette.databases):
            if not await is_corpus(datasette, database):
                continue
            if action == "view-table":
                denied += [(database, t) for t in await hidden_tables(datasette, actor,
                                                                      database)]
            elif await sql_denied(datasette, actor, database):
                denied.append((database, None))
        if not denied:
            return None
        params: dict[str, object] = {
            "reportcorpus_reason": "datasette-reportcorpus: follows a table the actor may"
                                   " not view" if action == "view-table" else
                                   "datasette-reportcorpus: the corpus holds a table the"
                                   " actor may not view"}
        selects = []
        for i, (parent, child) in enumerate(denied):
            params[f"reportcorpus_p{i}"] = parent
            params[f"reportcorpus_c{i}"] = child
            selects.append(f"select :reportcorpus_p{i} as parent, :reportcorpus_c{i} as child,"
                           " 0 as allow, :reportcorpus_reason as reason")
        return PermissionSQL(sql=" union all ".join(selects), params=params)

    return rules


def guard_labels(datasette) -> None:
    """Keep the labels of rows an actor may not see out of a corpus's table pages.

    Datasette 1.0 checks ``view-table`` on the table a foreign key points to before it
    shows that table's labels (``?_labels=on``, the HTML page, column facets). 0.65 does
    not: ``paragraphs`` would show each article's title to an actor who may not see
    ``articles``. On 0.65 (told apart by ``expand_foreign_keys`` taking no actor) the
    instance's ``expand_foreign_keys`` is wrapped: for a corpus it gives no labels from a
    table the request's actor (noted by :func:`permission_allowed`, which Datasette asks
    before it reads any table) may not see. Other databases are left as they are.
    """
    import inspect

    original = datasette.expand_foreign_keys
    if "actor" in inspect.signature(original).parameters \
            or getattr(original, "_reportcorpus_guarded", False):
        return

    async def expand_foreign_keys(database, table, column, values):
        labels = await original(database, table, column, values)
        if not labels or not await is_corpus(datasette, database):
            return labels
        store = _answers.get() or {}
        actor = store.get("actor", (None,))[0]
        keys = await datasette.get_database(database).foreign_keys_for_table(table)
        target = next((k["other_table"] for k in keys if k["column"] == column), None)
        if target is not None and not await can_view_table(datasette, actor, database, target):
            return {}
        return labels

    expand_foreign_keys._reportcorpus_guarded = True
    datasette.expand_foreign_keys = expand_foreign_keys
