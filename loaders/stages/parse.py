"""Parse: items -> parse results, in this process or in worker processes.

A result is one of ``("article", (Article, block hashes, term counts))``,
``("same", text hash)`` (the corpus holds this text, parsed by these rules) or
``("error", message)``. Everything a parse needs is in one frozen :class:`Parser`
handed to each worker with its chunk of items: there is no state kept between calls,
so a parse in the main process (a copy whose original changed) uses exactly the
settings of the load it belongs to.

Workers die with the load: on Linux each asks the kernel for SIGKILL when its parent
goes (``PR_SET_PDEATHSIG``), and each closes its inherited handle on the load's lock,
so a killed load never leaves a worker holding the database.
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice

from ..model import Article
from ..related.rank import article_terms
from ..text.classify import block_hash, repeatable
from ..text.parse import Extractor, parse_article, parse_text, text_hash
from ..text.read import MAX_BYTES, ReadError, normalise, read_file, read_text
from .discover import Item

CHUNK = 16
"""Items handed to a parse worker at a time."""
PARALLEL_MIN = 50
"""Fewer items than this are parsed in this process: starting workers costs more."""


def extractor() -> Extractor:
    from ..figures.extract import extract_figures

    return extract_figures


@dataclass(frozen=True)
class Parser:
    """The settings of one load's parsing: repeated block hashes known when it began,
    figures or not, a forced encoding, the size limit."""

    repeated: frozenset = frozenset()
    figures: bool = True
    encoding: str | None = None
    max_bytes: int = MAX_BYTES

    def parse(self, item: Item, fresh: bool = False):
        """One item's result (see the module docstring). ``fresh`` parses even an item
        whose text the corpus already knows."""
        try:
            if item.text is None:
                data = read_file(item.path, self.max_bytes)
                text = None
            else:
                data, text = None, normalise(item.text)
        except ReadError as e:
            return "error", str(e)
        try:
            if not fresh and item.known_hash is not None:
                if text is None:
                    text, _ = read_text(data, self.encoding, self.max_bytes)
                if text_hash(text) == item.known_hash:
                    return "same", item.known_hash
            extract = extractor() if self.figures else None
            article = self._parse(item, data, text, self.repeated, extract)
            if not article.paragraphs and self.repeated:  # kept whole, as the repeated pass does
                article = self._parse(item, data, text, (), extract)
            if not article.paragraphs:
                return "error", "no body text (every block was classified as boilerplate or title)"
            # Hashes and term counts are computed here, off the writer.
            return "article", (article, block_hashes_of(article), article_terms(article))
        except ReadError as e:
            return "error", str(e)
        except Exception as e:  # noqa: BLE001 - a parser bug must not stop the other files loading
            return "error", f"internal error while parsing: {type(e).__name__}: {e}"

    def _parse(self, item: Item, data, text, repeated, extract) -> Article:
        if text is not None and data is None:
            article = parse_text(text, item.rel, item.meta, repeated, extract, "utf-8")
        else:
            article = parse_article(data, item.rel, item.meta, repeated, extract,
                                    self.encoding, self.max_bytes)
        if item.key is not None:
            article.key, article.seq = item.key, None
        return article

    def parse_chunk(self, items: list[Item]) -> list:
        return [self.parse(item) for item in items]


def block_hashes_of(article: Article) -> list[tuple[str, int]]:
    """Fingerprints of an article's prose blocks, for corpus-wide passes.

    Only prose blocks stating no number are fingerprinted (see
    :func:`~loaders.text.classify.repeatable`): a data line, a score line or a team
    sheet may recur across reports, but it is content, not site furniture.
    """
    blocks = [p.text for p in article.paragraphs] + [d.text for d in article.dropped]
    return [(block_hash(text), len(text.split())) for text in blocks if repeatable(text)]


def run(items: list[Item], parser: Parser, workers: int, window: int = 250,
        lock_fd: int | None = None) -> Iterator[tuple[Item, tuple]]:
    """Parse results in input order, from worker processes when ``workers`` > 1.

    A bounded window of submitted chunks keeps memory flat however many files there
    are; chunks of files keep the cost of handing work across processes low. The
    window holds more than ``window`` files (one batch of the writer), so the workers
    keep parsing while the writer stores a batch. ``lock_fd``: the load's lock, which
    workers close so that only the load itself holds it.
    """
    if workers <= 1 or len(items) < PARALLEL_MIN:
        for item in items:
            yield item, parser.parse(item)
        return
    remaining = iter(items)
    lock = _identity(lock_fd)
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                             initargs=(os.getpid(), lock_fd, lock)) as pool:
        def submit(pending: deque) -> None:
            chunk = list(islice(remaining, CHUNK))
            if chunk:
                pending.append((chunk, pool.submit(parser.parse_chunk, chunk)))

        pending: deque = deque()
        for _ in range(max(4 * workers, 2 * window // CHUNK)):
            submit(pending)
        while pending:
            chunk, future = pending.popleft()
            submit(pending)
            yield from zip(chunk, future.result())


def _identity(fd: int | None) -> tuple[int, int] | None:
    if fd is None:
        return None
    st = os.fstat(fd)
    return st.st_dev, st.st_ino


PR_SET_PDEATHSIG = 1


def _start_worker(parent: int, lock_fd: int | None, lock: tuple[int, int] | None) -> None:
    """Tie a worker's life to its parent's, and let go of the parent's lock."""
    die_with_parent()
    if os.getppid() != parent:  # the parent went before the request was made
        os._exit(1)
    if lock_fd is not None and lock is not None:
        try:
            st = os.fstat(lock_fd)
            if (st.st_dev, st.st_ino) == lock:  # (a forked copy: another start method
                os.close(lock_fd)                # would not have inherited it)
        except OSError:
            pass


def die_with_parent() -> bool:
    """Ask the kernel to SIGKILL this process when its parent ends (Linux only);
    True if it was arranged."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False
