"""The one place that checks whether an actor may read a table, on both Datasette lines.

Plugin routes get no permission checks from Datasette: every view calls
:func:`ensure_tables` with every table it reads before running any SQL.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable

from datasette import Forbidden

try:  # Datasette 1.0a20 and later
    from datasette.resources import TableResource
except ImportError:  # 0.65.x
    TableResource = None


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
