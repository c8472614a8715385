"""The differences between Datasette 0.65.x and the 1.0 alphas, in one place."""

from __future__ import annotations

from importlib.metadata import version

from datasette.app import Datasette

DATASETTE_VERSION = version("datasette")
IS_1_0 = not DATASETTE_VERSION.startswith("0.")
"""The 1.0 line: its JSON conventions (``ok``, facet results as a list) and its hooks."""
HAS_TABLE_CONFIG = hasattr(Datasette, "table_config")
"""Table options (fts_table, facets, ...) read from the configuration (1.0a14 on); decided by
the feature, not the version string, since early 1.0 alphas lack it."""


async def table_config(datasette, database: str, table: str) -> dict:
    """A table's options (fts_table, facets, ...): 1.0 alphas read them from the
    configuration, 0.65 from the metadata."""
    if HAS_TABLE_CONFIG:
        return await datasette.table_config(database, table)
    return datasette.table_metadata(database, table)


def serve_config_args(metadata: str, config: str) -> list[str]:
    """Command-line options that apply our metadata (and, on 1.0, configuration)."""
    args = ["-m", metadata]
    if IS_1_0:
        args += ["-c", config]
    return args
