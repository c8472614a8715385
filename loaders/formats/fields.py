"""One export record as an article: which fields give the text and metadata, and the
:class:`Record` (or :class:`RecordError`) made of it.

Fields are found by a :class:`FieldMap`: a name given for a field (``--text-field body``,
a dotted path such as ``source.name`` for nested JSON) is used as it is; a field not
given takes the first of :data:`DEFAULTS` a record has (in any case, ``_`` and ``-``
ignored), which covers the exports of common scrapers and news APIs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields as dc_fields

from ..text.read import normalise
from .meta import clean_outlet, iso_date

DEFAULTS: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "article_text", "articletext", "maintext",
             "main_text", "full_text", "fulltext", "story", "article_body", "articlebody",
             "body_text", "text_content", "raw_text"),
    "title": ("title", "headline", "heading", "head", "name"),
    "outlet": ("outlet", "source", "sitename", "site_name", "site", "publisher", "publication",
               "source_name", "media", "newspaper", "source_domain", "domain", "hostname"),
    "date": ("published", "date", "published_at", "publishedat", "publish_date",
             "date_publish", "datepublished", "date_published", "pubdate", "pub_date",
             "published_date", "publication_date", "published_time", "datetime",
             "timestamp", "created_at", "time"),
    "url": ("url", "link", "canonical_url", "source_url", "article_url", "permalink", "href",
            "uri"),
    "author": ("author", "authors", "byline", "creator", "writer", "by"),
    "id": ("id", "_id", "uuid", "guid", "article_id", "doc_id", "docid", "key"),
}
"""Field names tried, in order, for a field the :class:`FieldMap` does not name."""


@dataclass(frozen=True)
class FieldMap:
    """Which record field gives each article field (None: try :data:`DEFAULTS`).

    Names are matched in any case; a dotted name (``source.name``) reads a nested
    object. ``FieldMap(text="body", date="meta.published")``.
    """

    text: str | None = None
    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None
    author: str | None = None
    id: str | None = None

    def given(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in dc_fields(self) if getattr(self, f.name)}


@dataclass
class Record:
    """One article read from an export.

    ``line`` is the 1-based line the record starts on, ``offset`` its byte offset (None
    for UTF-16 files, which are read as text). ``key`` is the id field's value, or
    ``<file>:<line>``. ``text`` is normalised as text files are (LF, NFC, ordinary
    spaces); paragraphs are whatever the export put between them (blank lines, line
    breaks, or HTML blocks, which are turned into blank-line separated paragraphs).
    ``published`` is ISO 8601. ``sources`` names the record field each value came from;
    ``warnings`` are problems that lost a value but not the record.
    """

    key: str
    line: int
    offset: int | None
    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    author: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class RecordError:
    """A record that could not be read as an article (the stream goes on after it)."""

    line: int
    offset: int | None
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


def all_defaults() -> set[str]:
    return {n for names in DEFAULTS.values() for n in names}


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(name)).lower()


def find(obj: dict, names: tuple[str, ...]) -> tuple[str | None, object]:
    """The first of ``names`` ``obj`` has with a value (in any case, ``_``/``-`` ignored)."""
    by_norm = {}
    for k in obj:
        by_norm.setdefault(_norm(k), k)
    for name in names:
        k = by_norm.get(_norm(name))
        if k is not None and obj[k] not in (None, "", [], {}):
            return k, obj[k]
    return None, None


def _get(obj: dict, dotted: str) -> tuple[str | None, object]:
    """The value at a dotted path (``source.name``), matching each part as :func:`_find`."""
    cur, used = obj, []
    for part in dotted.split("."):
        if not isinstance(cur, dict):
            return None, None
        k, cur = find(cur, (part,))
        if k is None:
            return None, None
        used.append(k)
    return ".".join(used), cur


def _as_text(value, key: str) -> str | None:
    """A field's value as one line of text: names of objects (``{"name": ...}``), lists
    joined with commas."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, dict):
        k, v = find(value, ("name", "title", "display_name", "id"))
        return _as_text(v, key) if k else None
    if isinstance(value, list):
        parts = [_as_text(v, key) for v in value]
        parts = [p for p in parts if p]
        return ", ".join(dict.fromkeys(parts)) or None
    return None


_MARKUP = re.compile(r"<(?:p|br|div|h[1-6]|li|blockquote)\b[^>]*>", re.IGNORECASE)


def _body_text(value) -> tuple[str | None, str | None]:
    """The article text of a record's text field, and a problem if it has none."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n\n".join(v.strip() for v in value if v.strip())  # a list of paragraphs
    if not isinstance(value, str):
        return None, f"the text field holds {type(value).__name__}, not text"
    if len(_MARKUP.findall(value[:20000])) >= 2:
        from .html import fragment_text
        value = fragment_text(value)
    text = normalise(value).strip()
    if not text:
        return None, "empty text"
    return text, None


def record_from(obj, fields: FieldMap, line: int, offset: int | None, prefix: str) -> Record | RecordError:
    if not isinstance(obj, dict):
        return RecordError(line, offset, f"a JSON {type(obj).__name__}, not an object (one"
                           " article per record)")
    values, sources = {}, {}
    for name in ("text", "title", "outlet", "date", "url", "author", "id"):
        given = getattr(fields, name)
        k, v = _get(obj, given) if given else find(obj, DEFAULTS[name])
        if k is not None:
            values[name], sources[name] = v, k
    if "text" not in values:
        present = [k for k in obj if _norm(k) in {_norm(n) for n in (
            (fields.text,) if fields.text else DEFAULTS["text"])}]
        if present:
            return RecordError(line, offset, f"empty text (field '{present[0]}')")
        tried = f"no '{fields.text}'" if fields.text else \
            f"none of {', '.join(DEFAULTS['text'][:5])}, ..."
        keys = ", ".join(list(obj)[:8])
        return RecordError(line, offset, f"no text: the record has {tried} (its fields: {keys};"
                           " name one with --text-field)")
    text, problem = _body_text(values["text"])
    if problem:
        return RecordError(line, offset, f"{problem} (field '{sources['text']}')")
    warnings = []
    rid = _as_text(values.get("id"), "id")
    key = rid if rid else f"{prefix}:{line}"
    published = None
    if "date" in values:
        published = iso_date(values["date"])
        if published is None:
            warnings.append(f"{sources['date']} {str(values['date'])[:40]!r} is not a date"
                            " (write YYYY-MM-DD): left out")
    url = _as_text(values.get("url"), "url")
    if url and (" " in url or "." not in url):
        warnings.append(f"{sources['url']} {url[:40]!r} is not a URL: left out")
        url = None
    return Record(key=key, line=line, offset=offset, text=text,
                  title=_as_text(values.get("title"), "title"),
                  outlet=clean_outlet(_as_text(values.get("outlet"), "outlet")),
                  published=published, url=url,
                  author=_as_text(values.get("author"), "author"),
                  sources=sources, warnings=warnings)
