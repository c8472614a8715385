"""Plain Datasette inside a test: the plugin taken out of Datasette's plugin manager and
put back exactly where it was."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def plugin_removed() -> Iterator[None]:
    """Plain Datasette: the plugin out of Datasette's plugin manager, put back after.

    Hooks run in the reverse order of registration, so the plugin goes back where it was:
    the plugins registered after it are taken out and put back after it, in their order
    (registered last, its hooks would run first and answer before a later plugin's).
    """
    from datasette.plugins import pm

    import datasette_reportcorpus

    name = pm.get_name(datasette_reportcorpus)
    assert name, "the plugin is not registered: these tests would compare nothing"
    order = pm.list_name_plugin()
    later = order[[plugin for _, plugin in order].index(datasette_reportcorpus) + 1:]
    pm.unregister(datasette_reportcorpus)
    try:
        yield
    finally:
        for _, plugin in later:
            pm.unregister(plugin)
        pm.register(datasette_reportcorpus, name=name)
        for later_name, plugin in later:
            pm.register(plugin, name=later_name)
        assert pm.list_name_plugin() == order
