"""Bookkeeping: what storing one parse result means, as a pure function.

:func:`decide` takes what the corpus knows of a file (:class:`Known`), the file's
manifest fields and its parse result, and returns a list of actions (the dataclasses
below). It reads no database and changes nothing: :meth:`loaders.store.Writer.apply`
carries the actions out and keeps :class:`Books` (the load's picture of the corpus)
in step. A :class:`Reparse` action asks the load to parse the file again in full and
decide once more (a copy whose original changed needs its own article).

Each file's *outcome* (loaded, unchanged, updated, reparsed, duplicate) is recorded
once per path, the last decision winning, so a file decided twice in one load (a copy
released when its original changed) is counted once, as what it turned out to be.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ..model import Article

META_FIELDS = ("outlet", "url", "published", "byline", "title")
LEGACY_GIVEN = frozenset({"outlet", "url", "published"})
"""What an article stored before ``manifest_fields`` existed had from a manifest: the
fields no file gives."""


@dataclass(frozen=True)
class Stored:
    """An article the corpus holds: its id, text hash, key and path, and (for one
    stored before this load) its metadata and the fields a manifest gave it."""

    id: int
    hash: str
    key: str
    path: str | None = None
    meta: dict | None = None
    """outlet, url, published, byline, title (None if derived); None when unknown."""
    given: frozenset = frozenset()

    def get(self, f: str):
        return None if self.meta is None else self.meta.get(f)

    def has(self, f: str) -> bool:
        return self.meta is not None and f in self.meta


@dataclass(frozen=True)
class Known:
    """What the corpus knows of one file and of its parse result's text and key."""

    row: Stored | None = None
    """The article stored under this file's path when the load began."""
    copy_of: int | None = None
    """The article this file was recorded as a copy of."""
    copy_meta: dict | None = None
    """Outlet, url and date recorded for it as a copy."""
    revisit: bool = False
    """Recorded as a copy of an article that changed or went in this load."""
    meta_reparse: bool = False
    """Parsed again in this load to get its own title or byline back."""
    text_known: bool = False
    """(``same`` results) the text hash is an article's."""
    owner: int | None = None
    """(article results) the article holding this text."""
    by_key: Stored | None = None
    """(article results) the article holding this key."""
    key_is_copy: bool = False
    """(article results) this key is recorded as a copy."""


# Actions.
@dataclass(frozen=True)
class RecordError:
    message: str


@dataclass(frozen=True)
class ClearErrors:
    pass


@dataclass(frozen=True)
class Reparse:
    meta_reparse: bool = False


@dataclass(frozen=True)
class UpdateCopyMeta:
    fields: dict


@dataclass(frozen=True)
class UpdateArticleMeta:
    article_id: int
    meta: dict
    changed: tuple
    given: frozenset


@dataclass(frozen=True)
class DropArticle:
    """The file now repeats another article's text: its own article goes."""

    article_id: int
    hash: str
    key: str


@dataclass(frozen=True)
class RecordCopy:
    article: Article
    copy_of: int


@dataclass(frozen=True)
class ForgetCopy:
    key: str


@dataclass(frozen=True)
class Replace:
    old: Stored
    article: Article
    hashes: list
    counts: object


@dataclass(frozen=True)
class Insert:
    article: Article
    hashes: list
    counts: object


@dataclass(frozen=True)
class Outcome:
    name: str  # loaded | unchanged | updated | reparsed | duplicate


CHANGES_CORPUS = (UpdateCopyMeta, UpdateArticleMeta, DropArticle, RecordCopy, ForgetCopy,
                  Replace, Insert)
"""Actions after which the corpus-wide passes must run again."""


def decide(known: Known, rel: str, meta: dict, result: tuple) -> list:
    """The actions that store ``result`` (see the module docstring).

    >>> decide(Known(), "a.txt", {}, ("error", "empty file"))
    [RecordError(message='empty file')]
    >>> decide(Known(row=Stored(1, "h", "a", "a.txt", {f: None for f in META_FIELDS})),
    ...        "a.txt", {}, ("same", "h"))
    [ClearErrors(), Outcome(name='unchanged')]
    """
    status, payload = result
    if status == "error":
        return [RecordError(payload)]
    if status == "same":
        return [ClearErrors(), *_same(known, rel, meta, payload)]
    return [ClearErrors(), *_article(known, rel, meta, *payload)]


def _same(known: Known, rel: str, meta: dict, text_hash: str) -> list:
    if known.revisit or (known.copy_of is not None and not known.text_known):
        return [Reparse()]  # a copy of an article whose text changed or went
    copy = known.copy_meta
    if copy and any(f in meta and meta[f] != copy[f] for f in copy):
        # A copy keeps its own outlet, url and date: a manifest change reaches it.
        return [UpdateCopyMeta({f: meta[f] for f in copy if f in meta}), Outcome("updated")]
    row = known.row
    if row and any(f in meta and meta[f] is None and f in row.given
                   for f in ("title", "byline")):
        # A manifest title or byline blanked: the file's own comes back from its text.
        return [Reparse(meta_reparse=True)]
    changed = meta_changes(row, meta) if row else []
    out: list = []
    # Values the manifest now gives, changed or not, are recorded as the manifest's so
    # that they outlive edits.
    if changed or (row and any(meta.get(f) and f not in row.given for f in META_FIELDS)):
        out.append(UpdateArticleMeta(row.id, dict(meta), tuple(changed), row.given))
    out.append(Outcome("updated" if changed else "unchanged"))  # (or a copy seen before)
    return out


def _article(known: Known, rel: str, meta: dict, article: Article, hashes, counts) -> list:
    owner, old = known.owner, known.by_key
    if owner is not None and (old is None or old.id != owner):
        out: list = []
        if old is None and known.copy_meta:  # a copy still, of another text
            article = keep_meta(article, copy_as_stored(known.copy_meta), meta)
        if old is not None:
            article = keep_meta(article, old, meta)  # the copy keeps what a manifest gave
            out.append(DropArticle(old.id, old.hash, article.key))
        return [*out, RecordCopy(article, owner), Outcome("duplicate")]
    out = []
    if known.key_is_copy:
        # A former copy with text of its own now: it keeps the outlet, url and date it
        # had as a copy where its manifest row (if any) does not give them.
        article = keep_meta(article, copy_as_stored(known.copy_meta or {}), meta)
        out.append(ForgetCopy(article.key))
    if old is None:
        return [*out, Insert(article, hashes, counts), Outcome("loaded")]
    article = keep_meta(article, old, meta)
    meta_changed = any(getattr(article, f) != old.get(f)
                       for f in ("outlet", "url", "published") if old.has(f))
    if known.meta_reparse:
        outcome = "updated"  # parsed again for the file's own title or byline
    elif old.hash == article.content_hash and old.path in (None, rel) and not meta_changed:
        outcome = "reparsed"  # same text, parsed by an earlier version's rules
    else:
        outcome = "updated"
    return [*out, Replace(old, article, hashes, counts), Outcome(outcome)]


def copy_as_stored(copy: dict) -> Stored:
    """A copy's recorded outlet, url and date as :func:`keep_meta` reads an article's
    (only a manifest gives those)."""
    return Stored(0, "", "", meta=dict(copy),
                  given=frozenset(f for f in copy if copy[f] is not None))


def given_fields(stored: str | None) -> frozenset:
    """The fields a manifest gave an article, from ``article_sources.manifest_fields``.

    >>> sorted(given_fields("title,url")), sorted(given_fields(None))
    (['title', 'url'], ['outlet', 'published', 'url'])
    """
    if stored is None:
        return LEGACY_GIVEN
    return frozenset(f for f in stored.split(",") if f)


def keep_meta(article: Article, old: Stored, meta: dict) -> Article:
    """``article`` keeping the values a manifest gave its file before that its manifest
    row (if any) does not give now: a load without the manifest must not wipe them, nor
    put the file's own title or byline over the manifest's. Returns a new Article."""
    changes: dict = {}
    given = article.given
    for f in sorted(old.given):
        if f in meta or old.get(f) is None:
            continue
        changes[f] = old.get(f)
        if f == "title":
            changes["title_derived"] = False
        if f not in given:
            given += (f,)
    if not changes:
        return article
    return dataclasses.replace(article, given=given, **changes)


def meta_changes(row: Stored, meta: dict) -> list[str]:
    """The fields a manifest row changes: a value that differs, or a blank where a value
    is stored (a blank title or byline is the file's own, which is stored already)."""
    out = []
    for f in META_FIELDS:
        if f not in meta:
            continue
        if meta[f] is None:
            if f not in ("title", "byline") and row.get(f) is not None:
                out.append(f)
        elif meta[f] != row.get(f):
            out.append(f)
    return out


@dataclass
class Books:
    """The load's picture of the corpus, kept in step by the writer as it applies
    actions: articles by text hash and by key, files recorded as copies, and what
    happened to each file of this load."""

    existing: dict = field(default_factory=dict)
    """Path -> :class:`Stored`, as the corpus was when the load began."""
    by_hash: dict = field(default_factory=dict)
    by_key: dict = field(default_factory=dict)
    copy_of: dict = field(default_factory=dict)
    """Path of each file recorded as a copy -> the article it repeats."""
    copy_keys: set = field(default_factory=set)
    copy_meta: dict = field(default_factory=dict)
    copy_hash: dict = field(default_factory=dict)
    """Path of each file recorded as a copy -> its text hash."""
    current: set = field(default_factory=set)
    """Paths of articles parsed by these rules (see :mod:`loaders.rules`)."""
    revisit: set = field(default_factory=set)
    """Paths of copies whose article changed or went: they must be loaded again."""
    meta_reparse: set = field(default_factory=set)
    handled: set = field(default_factory=set)
    stored: set = field(default_factory=set)
    """Paths stored as articles in this load."""
    outcomes: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    removed: int = 0

    def known(self, rel: str, result: tuple) -> Known:
        status, payload = result
        base = dict(row=self.existing.get(rel), copy_of=self.copy_of.get(rel),
                    copy_meta=self.copy_meta.get(rel), revisit=rel in self.revisit,
                    meta_reparse=rel in self.meta_reparse)
        if status == "same":
            return Known(**base, text_known=payload in self.by_hash)
        if status == "article":
            article = payload[0]
            return Known(**base, owner=self.by_hash.get(article.content_hash),
                         by_key=self.by_key.get(article.key),
                         key_is_copy=article.key in self.copy_keys)
        return Known(**base)

    def count(self, name: str) -> int:
        return sum(1 for o in self.outcomes.values() if o == name)
