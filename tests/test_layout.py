"""The package's shape: no import cycles between its modules.

Read from the source (every ``import`` and ``from ... import``, at module level or
inside a function, since a deferred import that closes a loop is still a loop).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"datasette_reportcorpus": ROOT / "datasette_reportcorpus",
            "datasette_reportcorpus.loaders": ROOT / "loaders"}


def modules() -> dict[str, Path]:
    found = {}
    for name, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([name, *parts])] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules ``name`` imports (a ``from package import module`` counts as
    importing that module)."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            # "from package import module" imports the module; any other name comes
            # from the module named after "from".
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod
                       for a in node.names]
        else:
            continue
        out.update(t for t in targets if t in known and t != name)
    return out


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), plus self-loops."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_is_read():
    edges = graph()
    assert "datasette_reportcorpus.loaders.load" in edges
    # Relative imports resolve: the compare view reads through the compare core.
    assert "datasette_reportcorpus.compare.data" in edges["datasette_reportcorpus.compare.view"]
    assert any(m.startswith("datasette_reportcorpus.loaders.compare")
               for m in edges["datasette_reportcorpus.compare.data"])


def test_no_import_cycles():
    found = cycles(graph())
    assert not found, "import cycles: " + "; ".join(" -> ".join(c) for c in found)


@pytest.mark.parametrize("view", ["search.view", "compare.view", "views.article"])
def test_route_table_sits_above_the_views(view):
    edges = graph()
    assert "datasette_reportcorpus.routes" not in edges[f"datasette_reportcorpus.{view}"]


LONG = 400


def test_long_modules_say_why():
    """A module over about 400 lines says at the top why it is long (or is split)."""
    unexplained = []
    for name, path in modules().items():
        source = path.read_text(encoding="utf-8")
        doc = " ".join((ast.get_docstring(ast.parse(source)) or "").split()).lower()
        if source.count("\n") > LONG and not re.search(r"\blong\b[^.]{0,40}\bbecause\b", doc):
            unexplained.append(f"{name} ({source.count(chr(10))} lines)")
    assert not unexplained, "long modules without a reason: " + ", ".join(unexplained)


def test_architecture_page_matches_the_tree():
    """docs/architecture.md names every module of the tree, and only modules that exist."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:loaders|datasette_reportcorpus)/[\w/]+\.py)`", page))
    tree = {str(path.relative_to(ROOT)) for path in modules().values()}
    assert named, "the page names no module"
    assert tree - named == set(), f"modules missing from docs/architecture.md: {sorted(tree - named)}"
    assert named - tree == set(), f"docs/architecture.md names modules that do not exist: {sorted(named - tree)}"
