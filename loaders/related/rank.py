"""Related reports: for each article, the articles most likely to report the same story.

Two outlets' independent reports of one story share few sentences but many rare
words: the names of the people and places involved, and the figures. So each article
gets a *signature*: its most telling terms by TF-IDF over the corpus (sublinear term
frequency, unit length over the whole text), with two-word names ("Lanley Council") and
figures ("#count:1400") as terms of their own. Two articles are as related as the cosine
of their signatures. Candidates come from an inverted index over the signature terms,
skipping terms common to many signatures, so the work grows with the number of articles
sharing rare terms, never with the square of the corpus.

Each list is then ordered by the score less a share of the candidate's *hubness* (how
close it is to its own best matches, :func:`rerank`): a long piece touching every turn of
a running story is close to all its reports, while another outlet's report of the same
event is close to this report in particular. Near-copies come first.

A related pair is a near-copy (syndication, a lightly rewritten wire report) when most
word 5-grams of the shorter text recur in the other; that check runs only on pairs
whose signatures are already very close.

Pure functions over plain data, plus :func:`refresh_related`, which reads and writes the
corpus database for the link pass after loading. Signatures are kept in the hidden
table ``related_signatures`` (document frequencies in ``related_df``) so that loading
more files recomputes only the new and changed articles and those they affect.

Example::

    >>> docs = {1: term_counts("Dam breach floods Tarnholme", ["The Greyside dam broke."]),
    ...         2: term_counts("Tarnholme flood", ["Greyside reservoir wall broke."]),
    ...         3: term_counts("Budget row", ["The minister refused to budge on rail."])}
    >>> df = document_frequencies(docs.values())
    >>> sigs = {i: signature(c, df, len(docs)) for i, c in docs.items()}
    >>> [other for other, score in rank_related(sigs, [1], build_postings(sigs))[1]]
    [2]

This module is long because the full build and the incremental refresh of related reports
share every step (signatures, postings, ranking, hubness, near-copy checks) and must agree
exactly.
"""

from __future__ import annotations

import functools
import heapq
import json
import math
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter, mul

from ..rules import PARSED_BY
from ..text.words import normalise
from ..store import chunks, marks
from .terms import TermCounts, article_terms, document_frequencies, term_counts  # noqa: F401

SIGNATURE_TERMS = 80
"""Terms kept per article: enough for the names and figures of a story."""
MAX_RELATED = 10
"""Suggestions stored per article."""
MIN_SCORE = 0.04
"""Below this cosine two articles only share vocabulary, not a story."""
STORY_SCORE = 0.18
"""At or above this, a suggestion is labelled ``same-story`` (else ``similar``), in a
corpus of a few thousand articles or more; see :func:`story_threshold`."""
COPY_RANK = 3
"""Only same-story suggestions this high are checked for near-copying (shingle overlap)."""
COPY_SHARE = 0.3
"""Share of the shorter text's 5-grams found in the other that makes a near-copy."""
POSTINGS_CAP_SHARE = 0.01
POSTINGS_CAP_MIN = 60
"""Terms in more signatures than max(cap_min, share * articles) say nothing about a story."""
SHORT_POSTINGS = 40
"""Terms in at most this many signatures propose candidates (see :func:`rank_related`)."""
RESCORE = 4
"""Candidates scored in full per article: this many times the suggestions kept."""
FULL_REBUILD_GROWTH = 1.25
"""Recompute every signature once the corpus has grown by this factor since the last full
build, so document frequencies do not drift far."""
CANDIDATES = 12
"""Suggestions ranked by plain score per article, before :func:`rerank` keeps the
:data:`MAX_RELATED` best."""
HUB_TOP = 3
HUB_WEIGHT = 0.4
"""Share of the other article's :func:`hubness` taken off a pair's score when ranking."""
SAME_OUTLET = 0.5
"""A suggestion from the article's own outlet ranks by this share of its standing (score
less hubness): an outlet seldom writes one event up twice, so its other report on the
subject is mostly an earlier or later turn of it, while the question the lists answer is
how the other outlets told this one. Lists within one outlet keep their order."""
REMOVED_SHARE = 0.05
"""Recompute every signature once articles removed in one load exceed this share of the
corpus: their terms stay counted in the document frequencies otherwise, and with them
gone every idf (and so the order of a list's weaker suggestions) shifts."""
SHINGLE = 5
DATE_WINDOW = 10
DATE_PENALTY = 0.5
"""Reports published more than DATE_WINDOW days apart score this share: a story's
coverage clusters in time, while a place or a company recurs in the news for years."""

def signature(counts: dict[str, float], df: dict[str, int], n_articles: int,
              k: int = SIGNATURE_TERMS) -> dict[str, float]:
    """The article's ``k`` most telling terms with TF-IDF weights (unit length over all terms,
    so cosines between truncated signatures stay comparable)."""
    return dict(_weigh(counts.items(), lambda t: idf(n_articles, df.get(t, 0)),
                       lambda t: df.get(t, 0) > 1, k))


def idf(n_articles: int, df: int) -> float:
    """Inverse document frequency of a term ``df`` of ``n_articles`` use."""
    return math.log((n_articles + 1) / (df or 1))


def _weigh(counts: Iterable[tuple], idf, shared, k: int) -> list[tuple]:
    """TF-IDF weights of (term, count) pairs, unit length over all of them, and the
    ``k``-odd most telling terms (:func:`_top_terms`) with their weights."""
    pairs = list(counts)
    if not pairs:
        return []
    terms, values = zip(*pairs)
    return _weigh_columns(terms, values, idf, shared, k)


def _weigh_columns(terms, values, idf, shared, k: int) -> list[tuple]:
    """:func:`_weigh` of terms and their counts given as two sequences."""
    # map() over built-in callables runs the arithmetic without a Python frame per term.
    weights = list(map(mul, map(_TF.__getitem__, values), map(idf, terms)))
    norm = math.sqrt(sum(map(mul, weights, weights))) or 1.0
    return [(t, round(w / norm, 5))
            for t, w in _top_terms(list(zip(terms, weights)), shared, k) if w > 0]


class _SublinearTF(dict):
    """Sublinear term frequency of a count, ``1 + log(c)`` (a count below 1, a weighted
    fraction, as it is), cached: counts repeat (1, 2, 1.3 ...) across a corpus."""

    def __missing__(self, c: float) -> float:
        value = (1 + math.log(c)) if c >= 1 else c
        if len(self) < 100_000:
            self[c] = value
        return value


_TF = _SublinearTF()


def _top_terms(weighted: list, shared, k: int) -> list:
    """The ``k`` heaviest terms, plus up to ``k/2`` of the heaviest terms another article
    also uses: in a small corpus the words found nowhere else outweigh everything, but
    only shared words can link two reports."""
    ordered = sorted(weighted, key=itemgetter(1), reverse=True)
    extra = [kv for kv in ordered[k:] if shared(kv[0])][:k // 2]
    return ordered[:k] + extra


class Posting:
    """One term's list of (article id, weight) held as two arrays: a list of tuples costs
    some 90 bytes an entry (a tuple, an int and a float object), these 16, and a forked
    ranking process reading them copies no page to count a reference.

    >>> p = Posting()
    >>> p.add(7, 0.25); p.add(9, 0.5)
    >>> len(p), list(p)
    (2, [(7, 0.25), (9, 0.5)])
    """

    __slots__ = ("ids", "weights")

    def __init__(self) -> None:
        self.ids, self.weights = array("q"), array("d")

    def add(self, aid: int, weight: float) -> None:
        self.ids.append(aid)
        self.weights.append(weight)

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[tuple[int, float]]:
        return zip(self.ids, self.weights)


Postings = dict[str, Posting]
"""Term -> its :class:`Posting` (or any sized iterable of (article id, weight))."""


def build_postings(signatures: dict[int, dict[str, float]],
                   every: Postings | None = None) -> Postings:
    """Inverted index over signature terms, without the terms too common to tell stories
    apart (the cap grows with the corpus, so a big story still finds its reports).
    ``every``: the index of every term, when :func:`all_postings` made it already."""
    postings = all_postings(signatures) if every is None else every
    cap = postings_cap(len(signatures))
    return {t: p for t, p in postings.items() if 1 < len(p) <= cap}


def all_postings(signatures: dict[int, dict[str, float]]) -> Postings:
    """Every signature term's list of (article id, weight), in the order of ``signatures``."""
    postings: dict[str, Posting] = {}
    get = postings.get
    for aid, sig in signatures.items():
        for t, w in sig.items():
            p = get(t)
            if p is None:
                p = postings[t] = Posting()
            p.add(aid, w)
    return postings


def postings_cap(n_signatures: int) -> int:
    """Terms in more signatures than this are not indexed (see :data:`POSTINGS_CAP_SHARE`)."""
    return max(POSTINGS_CAP_MIN, int(POSTINGS_CAP_SHARE * n_signatures))


def rank_related(signatures: dict[int, dict[str, float]], ids: Iterable[int],
                 postings: Postings, limit: int = MAX_RELATED,
                 min_score: float = MIN_SCORE,
                 days: dict[int, int] | None = None) -> dict[int, list[tuple[int, float]]]:
    """For each of ``ids``, the most related other articles as (id, score), best first.

    The score of a pair is the sum, over the indexed terms (those in ``postings``) both
    signatures hold, of the product of their weights. Accumulating it over every common
    term's list would cost the sum of the squared list lengths, which grows with the
    square of the corpus. Instead the rare terms (in at most :data:`SHORT_POSTINGS`
    signatures) propose candidates with their share of the score, and the best
    :data:`RESCORE` x ``limit`` candidates then get the rest of it from the common terms
    both hold. An article with fewer candidates than ``limit`` draws more from its
    common terms, shortest lists first. In a small corpus every list is short and the
    ranking is exact.

    ``days`` maps articles to their publication day number (``date.toordinal()``); reports
    published far apart are less likely to be one story, so their score is lowered.
    """
    out: dict[int, list[tuple[int, float]]] = {}
    days = days or {}
    pool = limit * RESCORE
    for aid in ids:
        acc: dict[int, float] = {}
        get = acc.get
        common: dict[str, float] = {}
        for t, w in signatures.get(aid, {}).items():
            listed = postings.get(t)
            if listed is None:
                continue
            if len(listed) > SHORT_POSTINGS:
                common[t] = w
                continue
            for other, w2 in listed:
                acc[other] = get(other, 0.0) + w * w2
        acc.pop(aid, None)
        if len(acc) < limit and common:
            # Too few rare terms: widen with the shortest common lists, then score all.
            for t in sorted(common, key=lambda t: len(postings[t])):
                w = common.pop(t)
                for other, w2 in postings[t]:
                    acc[other] = get(other, 0.0) + w * w2
                acc.pop(aid, None)
                if len(acc) >= pool:
                    break
        if len(acc) > pool:
            acc = dict(sorted(acc.items(), key=itemgetter(1), reverse=True)[:pool])
        if common:
            keys = common.keys()
            for other in acc:
                theirs = signatures[other]
                acc[other] += sum(common[t] * theirs[t] for t in keys & theirs.keys())
        day = days.get(aid)
        if day is not None:
            for other in acc:
                d = days.get(other)
                if d is not None and abs(d - day) > DATE_WINDOW:
                    acc[other] *= DATE_PENALTY
        ranked = heapq.nlargest(limit, ((s, -o) for o, s in acc.items() if s >= min_score))
        out[aid] = [(-neg, round(s, 4)) for s, neg in ranked]
    return out


PARALLEL_MIN = 10_000
"""Work on at least this many articles (or pairs) is split over forked processes."""
CHUNK = 2000
"""Articles (or pairs) handed to a forked process at a time."""
_SHARED: dict = {}


def _forks(n_items: int, workers: int | None, parallel_min: int | None = None) -> int:
    """How many forked processes should share ``n_items`` of work: 0 to do it here (too
    little work, one core, or a platform that cannot fork)."""
    import multiprocessing as mp
    import os

    workers = workers or min(4, os.cpu_count() or 1)
    least = PARALLEL_MIN if parallel_min is None else parallel_min
    if workers < 2 or n_items < least or "fork" not in mp.get_all_start_methods():
        return 0
    return workers


def map_chunks(func, items: Iterable, shared: dict, workers: int | None = None,
               size: int | None = None, parallel_min: int | None = None) -> list:
    """``func(chunk, shared)`` for chunks of ``items``, results in order.

    With ``parallel_min`` (default :data:`PARALLEL_MIN`) items or more, the chunks run in
    forked processes, which see ``shared`` (signatures, postings, counts) copy-on-write
    instead of receiving it pickled (see :func:`_forks`). ``func`` must be a module-level
    function.
    """
    import multiprocessing as mp

    items = list(items)
    parts = list(chunks(items, size or CHUNK))
    forks = _forks(len(items), workers, parallel_min) if len(parts) > 1 else 0
    if not forks:
        return [func(part, shared) for part in parts]
    _SHARED.update(shared)
    try:
        with mp.get_context("fork").Pool(min(forks, len(parts))) as pool:
            return pool.map(functools.partial(_call_shared, func), parts, chunksize=1)
    finally:
        _SHARED.clear()


def _call_shared(func, part: list):
    return func(part, _SHARED)


def _rank_chunk(part: list[int], s: dict) -> dict[int, list[tuple[int, float]]]:
    return rank_related(s["sigs"], part, s["postings"], limit=s["limit"],
                        min_score=s["min_score"], days=s["days"])


def rank_many(signatures: dict[int, dict[str, float]], ids: list[int], postings: Postings,
              min_score: float = MIN_SCORE, days: dict[int, int] | None = None,
              workers: int | None = None, parallel_min: int | None = None,
              limit: int = MAX_RELATED) -> dict[int, list[tuple[int, float]]]:
    """:func:`rank_related` for many articles, split over forked processes (which share
    the signatures and postings copy-on-write) where the platform forks."""
    out: dict[int, list[tuple[int, float]]] = {}
    for part in map_chunks(_rank_chunk, ids, {"sigs": signatures, "postings": postings,
                                              "min_score": min_score, "days": days,
                                              "limit": limit},
                           workers=workers, parallel_min=parallel_min):
        out.update(part)
    return out


def shingles(paragraphs: Iterable[str], size: int = SHINGLE) -> set[tuple[str, ...]]:
    """The word ``size``-grams of a text, quote/dash styles and case folded."""
    words = normalise(" ".join(paragraphs)).lower().split()
    return set(zip(*(words[i:] for i in range(size))))


def copy_share(a: set, b: set) -> float:
    """Share of the smaller text's shingles found in the other (containment)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _size_factor(n_articles: int) -> float:
    return min(1.0, max(0.25, math.log(n_articles + 1) / math.log(3000)))


def min_score(n_articles: int) -> float:
    """The least score worth suggesting, scaled like :func:`story_threshold`."""
    return MIN_SCORE * _size_factor(n_articles)


def story_threshold(n_articles: int) -> float:
    """The score that makes a suggestion ``same-story`` in a corpus of ``n_articles``.

    Cosines run lower in a small corpus, where a story's own words are not yet rare
    (idf grows with the log of the corpus size), so the bar scales the same way.

    >>> round(story_threshold(13), 3), story_threshold(100_000)
    (0.059, 0.18)
    """
    return STORY_SCORE * _size_factor(n_articles)


def kind_of(score: float, share: float | None, threshold: float = STORY_SCORE) -> str:
    """``copy`` (near-copy / syndication), ``same-story`` or ``similar``."""
    if share is not None and share >= COPY_SHARE:
        return "copy"
    return "same-story" if score >= threshold else "similar"


# --- the link pass over a corpus database -------------------------------------------------

@dataclass
class RelatedSummary:
    """What a refresh did: articles whose signature was (re)computed, lists rewritten."""

    signatures: int = 0
    lists: int = 0
    full: bool = False


_SCHEMA = [
    ("create table if not exists related_signatures ("
     " id integer primary key references articles(id), body_key text, terms text)"),
    "create table if not exists related_df (term text primary key, df integer) without rowid",
    ("create table if not exists related_postings (term text, id integer, weight real,"
     " primary key (term, id)) without rowid"),
]
POSTINGS_BUILT = "related_postings"
"""``reportcorpus_meta`` key set once ``related_postings`` holds every signature's terms
(a corpus made before the table existed gets it from its next full build)."""
LAZY_MAX = 2000
"""An incremental pass over at most this many new, changed or removed articles reads
only the signatures and postings its ranking touches (:class:`StoredSignatures`,
:class:`StoredPostings`), so its cost does not grow with the corpus; a larger one reads
every signature once, which is cheaper than that many lookups."""


class StoredSignatures:
    """Signatures by article id, read from ``related_signatures`` on first use (those in
    ``known`` are used as given): the part of a mapping :func:`rank_related` uses."""

    def __init__(self, conn, known: dict[int, dict[str, float]]):
        self.conn, self.cache = conn, dict(known)

    def get(self, aid: int, default=None):
        try:
            sig = self.cache[aid]
        except KeyError:
            row = self.conn.execute("select terms from related_signatures where id = ?",
                                    [aid]).fetchone()
            sig = self.cache[aid] = json.loads(row[0]) if row else None
        return default if sig is None else sig

    def __getitem__(self, aid: int) -> dict[str, float]:
        sig = self.get(aid)
        if sig is None:
            raise KeyError(aid)
        return sig


class StoredPostings:
    """:func:`build_postings` of every stored signature, read from ``related_postings``
    one term at a time: a term in one signature or in more than ``cap`` is absent, as
    there. Lists are in article id order, as a full build makes them."""

    def __init__(self, conn, cap: int):
        self.conn, self.cap, self.cache = conn, cap, {}

    def get(self, term: str, default=None):
        try:
            listed = self.cache[term]
        except KeyError:
            rows = self.conn.execute(
                "select id, weight from related_postings where term = ? order by id limit ?",
                [term, self.cap + 1]).fetchall()
            listed = self.cache[term] = rows if 1 < len(rows) <= self.cap else None
        return default if listed is None else listed

    def __getitem__(self, term: str) -> list[tuple[int, float]]:
        listed = self.get(term)
        if listed is None:
            raise KeyError(term)
        return listed


class StoredColumn:
    """One column of ``articles`` by id, read on first use (``get`` only); ``convert``
    turns a value into what is kept (None: nothing)."""

    def __init__(self, conn, column: str, convert=lambda v: v):
        self.conn, self.convert, self.cache = conn, convert, {}
        self.sql = f"select {column} from articles where id = ?"

    def get(self, aid: int, default=None):
        try:
            value = self.cache[aid]
        except KeyError:
            row = self.conn.execute(self.sql, [aid]).fetchone()
            value = self.cache[aid] = None if row is None or row[0] is None \
                else self.convert(row[0])
        return default if value is None else value


def _day(published) -> int | None:
    """The day number of a publication date, None for a free-form one (which says
    nothing reliable about timing)."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(str(published)[:10]).toordinal()
    except ValueError:
        return None


def _write_postings(conn, sigs: dict[int, dict[str, float]],
                    every: Postings | None = None) -> None:
    """Store the postings of ``sigs`` (all of them: replaces the table's rows)."""
    every = all_postings(sigs) if every is None else every
    conn.execute("delete from related_postings")
    conn.executemany("insert into related_postings (term, id, weight) values (?, ?, ?)",
                     ((t, aid, w) for t in sorted(every) for aid, w in every[t]))
    conn.execute("insert into reportcorpus_meta (key, value) values (?, '1')"
                 " on conflict(key) do update set value = excluded.value", [POSTINGS_BUILT])


def _update_postings(conn, old: dict[int, dict[str, float]],
                     fresh: dict[int, dict[str, float]]) -> None:
    """Replace the postings of the articles in ``old`` (their stored signatures) by
    those of ``fresh`` (new signatures; an article only in ``old`` was removed)."""
    conn.executemany("delete from related_postings where term = ? and id = ?",
                     [(t, aid) for aid, sig in old.items() for t in sig])
    conn.executemany("insert into related_postings (term, id, weight) values (?, ?, ?)"
                     " on conflict(term, id) do update set weight = excluded.weight",
                     [(t, aid, w) for aid, sig in fresh.items() for t, w in sig.items()])


def body_key(content_hash: str | None, paragraph_count: int | None,
             word_count: int | None) -> str:
    """Changes whenever an article's text or its cleaning changes."""
    return f"{content_hash}:{paragraph_count}:{word_count}"


def _read_counts(conn, ids: list[int]) -> Iterable[tuple[int, dict[str, float]]]:
    """Stream (article id, term counts) of the articles ``ids`` from the database."""
    for chunk in chunks(ids):
        titles = {aid: None if derived else title for aid, title, derived in conn.execute(
            f"select id, title, title_derived from articles where id in ({marks(chunk)})",
            chunk)}
        figs: dict[int, list[tuple[str, float]]] = defaultdict(list)
        for aid, kind, value in conn.execute(
                f"select article_id, kind, value from figures"
                f" where article_id in ({marks(chunk)})", chunk):
            figs[aid].append((kind, value))
        for aid, texts in _article_texts(conn, chunk):
            yield aid, term_counts(titles.get(aid), texts, figs.pop(aid, ()))


def _article_texts(conn, ids: list[int]) -> Iterator[tuple[int, list[str]]]:
    """(article id, its paragraph texts in order) for the articles ``ids`` that have any."""
    current, texts = None, []
    for aid, text in conn.execute(
            f"select article_id, text from paragraphs where article_id in ({marks(ids)})"
            " order by article_id, position", ids):
        if aid != current:
            if current is not None:
                yield current, texts
            current, texts = aid, []
        texts.append(text)
    if current is not None:
        yield current, texts


def refresh_related(db, force_full: bool = False,
                    terms: TermCounts | None = None) -> RelatedSummary:
    """Bring ``related`` (and the signatures behind it) up to date with ``articles``.

    ``terms`` holds the term counts the load already computed (keyed by
    :func:`body_key`); articles missing from it, or changed since, are read back.

    ``db`` is a sqlite-utils Database; call inside the load's transaction or not (this
    function commits through the connection's own transaction handling).
    """
    conn = db.conn
    for sql in _SCHEMA:
        conn.execute(sql)
    current = {aid: body_key(h, pc, wc) for aid, h, pc, wc in conn.execute(
        "select id, content_hash, paragraph_count, word_count from articles")}
    stored = dict(conn.execute("select id, body_key from related_signatures"))
    changed = [aid for aid, key in current.items() if stored.get(aid) != key]
    removed = [aid for aid in stored if aid not in current]
    # Signatures and lists an earlier version of these rules made are all rebuilt.
    (built_by,) = conn.execute(
        "select value from reportcorpus_meta where key = 'related_by'").fetchone() or [None]
    outdated = bool(stored) and built_by != PARSED_BY
    if not (changed or removed or outdated or force_full):
        return RelatedSummary()
    n = len(current)
    last_full = int((conn.execute(
        "select value from reportcorpus_meta where key = 'related_full_n'").fetchone()
        or ["0"])[0])
    postings_built = conn.execute("select 1 from reportcorpus_meta where key = ?",
                                  [POSTINGS_BUILT]).fetchone() is not None
    full = (force_full or outdated or not stored or n > FULL_REBUILD_GROWTH * max(last_full, 1)
            or len(changed) > 0.2 * n or len(removed) > REMOVED_SHARE * n
            or not postings_built)
    summary = RelatedSummary(full=full)
    days = _publication_days(conn) if full else {}
    lazy = False
    from .stories import note_signed_again

    note_signed_again(conn, None if full else changed)
    if full:
        sigs = _full_signatures(conn, current, terms or TermCounts())
        summary.signatures = len(sigs)
        ids = list(current)
        conn.execute("delete from related_signatures")
        conn.executemany(
            "insert into related_signatures (id, body_key, terms) values (?, ?, ?)",
            [(aid, current[aid], json.dumps(sig, separators=(",", ":")))
             for aid, sig in sigs.items()])
        conn.executemany(
            "insert into reportcorpus_meta (key, value) values (?, ?)"
            " on conflict(key) do update set value = excluded.value",
            [("related_full_n", str(n)), ("related_by", PARSED_BY)])
        every = all_postings(sigs)
        _write_postings(conn, sigs, every)
        ranked = rank_many(sigs, ids, build_postings(sigs, every), days=days,
                           min_score=min_score(n), limit=CANDIDATES)
        del every
        # Lists of articles removed since the last pass, and rows naming them, go too
        # (their signatures are rebuilt away, so no later pass would find them).
        conn.execute("delete from related where article_id not in (select id from articles)"
                     " or other_id not in (select id from articles)")
    else:
        lazy = len(changed) + len(removed) <= LAZY_MAX
        old = {}
        for chunk in chunks(changed + removed):
            old.update((aid, json.loads(t)) for aid, t in conn.execute(
                f"select id, terms from related_signatures where id in ({marks(chunk)})",
                chunk))
        fresh = _incremental_signatures(conn, changed, removed, current, n, terms)
        _update_postings(conn, old, fresh)
        summary.signatures = len(changed)
        workers = None
        if lazy:
            # Only what the ranking touches is read: the cost follows the new articles
            # and their neighbours, not the corpus.
            (n_sigs,) = conn.execute("select count(*) from related_signatures").fetchone()
            sigs = StoredSignatures(conn, fresh)
            postings = StoredPostings(conn, postings_cap(n_sigs))
            days = StoredColumn(conn, "published", _day)
            outlets = StoredColumn(conn, "outlet")
            workers = 1  # the stored mappings read this process's connection
        else:
            sigs = {aid: json.loads(terms) for aid, terms in conn.execute(
                "select id, terms from related_signatures")}
            sigs.update(fresh)
            postings = build_postings(sigs)
            days = _publication_days(conn)
        ranked = rank_many(sigs, changed, postings, days=days, min_score=min_score(n),
                           limit=CANDIDATES, workers=workers)
        touched = set(changed) | set(removed)
        affected = {o for aid in changed for o, _ in ranked[aid]}
        for chunk in chunks(touched):
            affected |= {r[0] for r in conn.execute(
                f"select article_id from related where other_id in ({marks(chunk)})", chunk)}
        affected -= touched
        affected &= set(current)
        ranked.update(rank_many(sigs, sorted(affected), postings, days=days,
                                min_score=min_score(n), limit=CANDIDATES, workers=workers))
        if removed:
            for chunk in chunks(touched, 250):  # two lists of ids in one statement
                conn.execute(f"delete from related where article_id in ({marks(chunk)})"
                             f" or other_id in ({marks(chunk)})", chunk * 2)
    if not lazy:
        outlets = dict(conn.execute("select id, outlet from articles where outlet is not null"))
    ranked = rerank(ranked, _hubness(conn, ranked), outlets=outlets)
    _write_related(conn, ranked, story_threshold(n))
    summary.lists = len(ranked)
    return summary


def _publication_days(conn) -> dict[int, int]:
    out = {}
    for aid, published in conn.execute(
            "select id, published from articles where published is not null"):
        day = _day(published)
        if day is not None:
            out[aid] = day
    return out


def _full_signatures(conn, current: dict[int, str],
                     store: TermCounts) -> dict[int, dict[str, float]]:
    # Counts are held as term-id arrays so a million-paragraph corpus fits in memory.
    missing = [aid for aid, key in current.items() if not store.has(aid, key)]
    for aid, counts in _read_counts(conn, missing):
        store.add(aid, current[aid], counts)
    names = store.names
    df = array("i", bytes(4 * len(names)))
    rows = [(aid, *store.rows[aid][1:]) for aid in current if aid in store.rows]
    for _, ids, _ in rows:
        for t in ids:
            df[t] += 1
    conn.execute("delete from related_df")
    conn.executemany("insert into related_df (term, df) values (?, ?)",
                     ((t, d) for t, d in zip(names, df) if d))
    n = len(current)
    weights = [idf(n, d) if d else 0.0 for d in df]
    shared = {"rows": rows, "names": names, "idf": weights, "df": df}
    sigs: dict[int, dict[str, float]] = {}
    for part in map_chunks(_signature_chunk, range(len(rows)), shared):
        sigs.update(part)
    return sigs


def _signature_chunk(part: list[int], s: dict) -> list[tuple[int, dict[str, float]]]:
    """Signatures of the articles at positions ``part`` of ``s["rows"]`` (term-id arrays)."""
    names, df, rows = s["names"], s["df"], s["rows"]
    idf = s["idf"].__getitem__

    def shared(t: int) -> bool:
        return df[t] > 1

    out = []
    for i in part:
        aid, ids, vals = rows[i]
        out.append((aid, {names[t]: w for t, w in _weigh_columns(
            ids, vals, idf, shared, SIGNATURE_TERMS)} if ids else {}))
    return out


def _incremental_signatures(conn, changed: list[int], removed: list[int],
                            current: dict[int, str], n: int,
                            store: TermCounts | None) -> dict[int, dict[str, float]]:
    """Signatures for changed articles against stored document frequencies, stored and
    returned (every other article keeps its stored signature)."""
    counts: dict[int, dict[str, float]] = {}
    for aid in changed:
        known = store.get(aid, current[aid]) if store else None
        if known is not None:
            counts[aid] = known
    counts.update(_read_counts(conn, [aid for aid in changed if aid not in counts]))
    # A changed article's old terms stay counted in related_df: the drift is small and
    # the next full build (after the corpus grows by a quarter) resets it.
    new_terms = Counter()
    for c in counts.values():
        new_terms.update(c.keys())
    conn.executemany(
        "insert into related_df (term, df) values (?, ?)"
        " on conflict(term) do update set df = df + excluded.df", new_terms.items())
    df: dict[str, int] = {}
    for chunk in chunks(new_terms):
        df.update(conn.execute(
            f"select term, df from related_df where term in ({marks(chunk)})", chunk))
    fresh = {aid: signature(c, df, n) for aid, c in counts.items()}
    for aid in changed:
        fresh.setdefault(aid, {})
    for chunk in chunks(removed):
        conn.execute(f"delete from related_signatures where id in ({marks(chunk)})", chunk)
    conn.executemany(
        "insert into related_signatures (id, body_key, terms) values (?, ?, ?)"
        " on conflict(id) do update set body_key = excluded.body_key, terms = excluded.terms",
        [(aid, current[aid], json.dumps(sig, separators=(",", ":")))
         for aid, sig in fresh.items()])
    return fresh


def hubness(scores: Iterable[float]) -> float:
    """How close an article is to everything: the mean of its :data:`HUB_TOP` best scores
    (missing ones count 0).

    >>> hubness([0.5, 0.25, 0.15, 0.1])
    0.3
    """
    best = heapq.nlargest(HUB_TOP, scores)
    return round(sum(best) / HUB_TOP, 6)


def _hubness(conn, ranked: dict[int, list[tuple[int, float]]]) -> dict[int, float]:
    """:func:`hubness` of every article suggested in ``ranked``: from its fresh list where
    it was ranked now, else from the scores of its stored list (``related.score`` holds
    the plain score, before :func:`rerank`)."""
    out = {aid: hubness(s for _, s in items) for aid, items in ranked.items()}
    wanted = sorted({o for items in ranked.values() for o, _ in items} - out.keys())
    stored: dict[int, list[float]] = defaultdict(list)
    for chunk in chunks(wanted):
        for aid, score in conn.execute(
                f"select article_id, score from related where article_id in ({marks(chunk)})",
                chunk):
            stored[aid].append(score)
    out.update((aid, hubness(stored.get(aid, ()))) for aid in wanted)
    return out


def rerank(ranked: dict[int, list[tuple[int, float]]], hub: dict[int, float],
           limit: int = MAX_RELATED,
           outlets: dict[int, str] | None = None) -> dict[int, list[tuple[int, float]]]:
    """Each list ordered by its score less :data:`HUB_WEIGHT` times the other article's
    :func:`hubness`, that standing scaled by :data:`SAME_OUTLET` for an article of the
    same outlet (``outlets`` maps article ids to outlets), cut to ``limit``; scores are
    kept as they were.

    A report that is close to every report of a subject (a long piece touching each turn
    of a running story) tops many lists; another outlet's report of the same event is
    close to this one article in particular. Scoring against how close the candidate is
    to its own best matches favours the particular match.

    >>> rerank({1: [(2, 0.30), (3, 0.28)]}, {2: 0.30, 3: 0.20})
    {1: [(3, 0.28), (2, 0.3)]}
    >>> rerank({1: [(2, 0.30), (3, 0.20)]}, {}, outlets={1: "Post", 2: "Post", 3: "Wire"})
    {1: [(3, 0.2), (2, 0.3)]}
    """
    outlets = outlets or {}
    out = {}
    for aid, items in ranked.items():
        mine = outlets.get(aid)

        def key(item: tuple[int, float]) -> tuple[float, int]:
            other, score = item
            standing = score - HUB_WEIGHT * hub.get(other, 0.0)
            if mine is not None and outlets.get(other) == mine:
                standing *= SAME_OUTLET  # a positive factor: one outlet's order stays
            return (-standing, other)

        out[aid] = sorted(items, key=key)[:limit]
    return out


def _write_related(conn, ranked: dict[int, list[tuple[int, float]]],
                   threshold: float) -> None:
    """Replace the related lists of the articles in ``ranked``, deciding each pair's kind."""
    for chunk in chunks(ranked):
        conn.execute(f"delete from related where article_id in ({marks(chunk)})", chunk)
    pairs = sorted({(min(a, o), max(a, o)) for a, items in ranked.items()
                    for rank, (o, score) in enumerate(items, 1)
                    if score >= threshold and rank <= COPY_RANK})
    shares = copy_shares(conn, pairs)
    rows = []
    for aid, items in ranked.items():
        found = []
        for rank, (other, score) in enumerate(items, 1):
            share = shares.get((min(aid, other), max(aid, other))) \
                if score >= threshold and rank <= COPY_RANK else None
            found.append((other, score, kind_of(score, share, threshold), share or 0.0))
        # A near-copy is the most related report there is: copies first, the closest
        # copy first, then the rest in their order.
        copies = sorted((f for f in found if f[2] == "copy"), key=lambda f: -f[3])
        found = copies + [f for f in found if f[2] != "copy"]
        rows.extend((aid, other, score, rank, kind)
                    for rank, (other, score, kind, _) in enumerate(found, 1))
    conn.executemany(
        "insert into related (article_id, other_id, score, rank, kind) values (?, ?, ?, ?, ?)",
        rows)


GROUP_PAIRS = 500
"""Near-copy checks are made this many pairs at a time at most (see :func:`copy_shares`)."""


def copy_shares(conn, pairs: list[tuple[int, int]],
                workers: int | None = None) -> dict[tuple[int, int], float]:
    """:func:`copy_share` of each pair of article ids, from their paragraphs in ``conn``.

    Pairs are grouped by the articles they link (a story's reports), so that each
    article's text is read and shingled once per group, not once per pair. With
    :data:`PARALLEL_MIN` pairs or more, groups are shingled in forked processes while
    this one reads the next groups' text (only this process touches the database).
    """
    from .stories import components

    comp_of = {aid: i for i, comp in enumerate(components(pairs)) for aid in comp}
    grouped: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pair in pairs:
        grouped[comp_of[pair[0]]].append(pair)
    groups = [part for group in grouped.values() for part in chunks(group, GROUP_PAIRS)]

    def jobs() -> Iterator[tuple[list, dict[int, list[str]]]]:
        part: list[list[tuple[int, int]]] = []
        size = 0
        for group in groups:
            part.append(group)
            size += len(group)
            if size >= CHUNK:
                yield _with_texts(conn, part)
                part, size = [], 0
        if part:
            yield _with_texts(conn, part)

    out: dict[tuple[int, int], float] = {}
    for found in map_jobs(_group_shares, jobs(), len(pairs), workers):
        out.update(found)
    return out


def _with_texts(conn, groups: list[list[tuple[int, int]]]) -> tuple[list, dict[int, list[str]]]:
    ids = sorted({aid for group in groups for pair in group for aid in pair})
    return groups, dict(found for chunk in chunks(ids) for found in _article_texts(conn, chunk))


def _group_shares(job: tuple[list, dict[int, list[str]]]) -> list[tuple[tuple[int, int], float]]:
    groups, texts = job
    out = []
    for group in groups:
        sets = {aid: shingles(texts.get(aid, ())) for aid in {a for pair in group for a in pair}}
        out.extend((pair, copy_share(sets[pair[0]], sets[pair[1]])) for pair in group)
    return out


def map_jobs(func, jobs: Iterable, n_items: int, workers: int | None = None) -> Iterator:
    """``func(job)`` for each job, results in order; in forked processes, a few jobs ahead
    of the results taken, when ``n_items`` (the work the jobs hold) is enough (see
    :func:`_forks`). Unlike :func:`map_chunks`, each job travels to its process as an
    argument, so ``jobs`` may be a generator reading the database here."""
    import multiprocessing as mp

    forks = _forks(n_items, workers)
    if not forks:
        yield from map(func, jobs)
        return
    with mp.get_context("fork").Pool(forks) as pool:
        pending: deque = deque()
        for job in jobs:
            pending.append(pool.apply_async(func, (job,)))
            if len(pending) > 2 * forks:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
