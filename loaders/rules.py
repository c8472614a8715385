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

import hashlib
from pathlib import Path


def fingerprint(folder: Path = Path(__file__).parent) -> str:
    """A short hash of the source of every module in ``folder``.

    >>> len(fingerprint()), fingerprint() == fingerprint()
    (12, True)
    """
    digest = hashlib.sha256()
    for module in sorted(folder.glob("*.py")):
        digest.update(module.name.encode("utf-8") + b"\0")
        digest.update(module.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()[:12]


PARSED_BY = fingerprint()
"""This loader's rules: the fingerprint of its source (the same code gives the same
value whether it runs from a source tree or an installed package)."""

PARSED_WITHOUT_FIGURES = PARSED_BY + "+no-figures"
"""``parsed_by`` of an article a ``--no-figures`` load parsed: a later load with figures
parses it again, so that no article silently lacks its figures."""
