"""Which version of the loader's rules parsed an article.

Everything the loader stores about an article (its paragraphs, what it dropped and why,
its figures, its term counts for related reports) follows from the file's text and the
rules in this package. So each article records the rules that parsed it (the hidden
``article_sources.parsed_by``), and a load re-parses a file whose text has not changed
when its article was parsed by other rules: after an upgrade, reloading a folder brings
every article up to the new rules instead of keeping the old version's output beside
the new one's.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

HERE = Path(__file__).parent
PARSING_MODULES = ("model.py", "passes.py", "stages/parse.py", "text/*.py", "figures/*.py",
                   "related/*.py")
"""The code whose output a corpus stores per article: reading, splitting, classifying,
figures, the repeated-block pass and term statistics. Loading, storing, the manifest
and the compare core decide nothing an article keeps, so editing them re-parses nothing."""


def _code_only(source: str) -> str:
    """The module's syntax tree without docstrings: comments, docstrings and layout
    change nothing a load produces, so they do not change the fingerprint."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, annotate_fields=False)


def fingerprint(folder: Path = HERE, patterns: tuple[str, ...] = PARSING_MODULES) -> str:
    """A short hash of the code of every module that decides what an article stores.

    >>> len(fingerprint()), fingerprint() == fingerprint()
    (12, True)
    """
    digest = hashlib.sha256()
    modules = sorted({m for pattern in patterns for m in folder.glob(pattern)})
    for module in modules:
        digest.update(module.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(_code_only(module.read_text(encoding="utf-8")).encode("utf-8") + b"\0")
    return digest.hexdigest()[:12]


PARSED_BY = fingerprint()
"""This loader's rules: the fingerprint of its source (the same code gives the same
value whether it runs from a source tree or an installed package)."""

PARSED_WITHOUT_FIGURES = PARSED_BY + "+no-figures"
"""``parsed_by`` of an article a ``--no-figures`` load parsed: a later load with figures
parses it again, so that no article silently lacks its figures."""
