"""The examples in the package's docstrings run, plugin and pipeline alike.

Collected from the installed package by its import names, so each module is
imported once, as users import it.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import datasette_reportcorpus
import datasette_reportcorpus.loaders


def _modules(package) -> set[str]:
    return {package.__name__} | {m.name for m in pkgutil.walk_packages(package.__path__,
                                                                      package.__name__ + ".")}


# The pipeline is walked on its own: an editable install maps it into the namespace
# from its own folder, where a walk of the plugin's folder does not see it.
MODULES = sorted(_modules(datasette_reportcorpus) | _modules(datasette_reportcorpus.loaders))


def test_every_room_is_collected():
    parts = [name.split(".")[1:] for name in MODULES if name.count(".") >= 1]
    rooms = {".".join(p[:2]) if p[0] == "loaders" and len(p) > 1 else p[0] for p in parts}
    assert {"search", "facets", "compare", "views", "loaders.figures", "loaders.text",
            "loaders.related", "loaders.compare", "loaders.load"} <= rooms


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_examples_exist():
    attempted = sum(doctest.testmod(importlib.import_module(n)).attempted for n in MODULES)
    assert attempted >= 20
