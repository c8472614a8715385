"""Saved web pages: the article's text, its metadata, and what was left out and why.

Two engines read a page:

* ``trafilatura`` (the optional extra ``datasette-reportcorpus[html]``): its extraction
  decides which blocks are the article's text; the page's own structure (as
  :mod:`.dom` reads it) gives each block left out its reason.
* ``stdlib``: :mod:`.dom` alone, on the standard library's HTML parser: boilerplate by
  element, role and class (navigation, share buttons, related-story rails, comments,
  cookie banners, newsletters, adverts), the article's text in the element that holds
  the most paragraph text.

``benchmarks/html_extraction.py`` measures both, and plain "all ``<p>`` text", against
gold pages; ``docs/formats.md`` gives the figures.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from xml.etree import ElementTree

from ..text.read import ReadError, decode, normalise
from . import FormatError
from . import dom
from .meta import clean_outlet, domain, iso_date

EXTRA = "datasette-reportcorpus[html]"
ENGINES = ("auto", "trafilatura", "stdlib")


class MissingExtra(FormatError):
    """The engine asked for needs a package that is not installed."""


class Page(NamedTuple):
    """What :func:`html_article` read: ``text`` (paragraphs separated by blank lines),
    ``meta`` (any of ``title``, ``outlet``, ``author``, ``published`` (ISO 8601), ``url``,
    and ``engine``) and ``dropped`` (``(reason, text)`` for each block left out)."""

    text: str
    meta: dict
    dropped: list


def have_trafilatura() -> bool:
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        return False
    return True


def engine_for(given: str = "auto") -> str:
    """The engine :func:`html_article` will use for ``given`` (``auto``: trafilatura when
    installed, else the standard library's); raises :class:`MissingExtra` naming the extra
    when ``trafilatura`` is asked for and is missing."""
    if given not in ENGINES:
        raise FormatError(f"unknown HTML engine {given!r}: choose one of {', '.join(ENGINES)}")
    if given == "stdlib":
        return "stdlib"
    if have_trafilatura():
        return "trafilatura"
    if given == "trafilatura":
        raise MissingExtra(f"reading web pages with trafilatura needs the extra: pip install"
                           f" '{EXTRA}' (or pass --html-engine stdlib for the built-in reader)")
    return "stdlib"


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


def decode_page(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """A page's bytes as normalised text, by ``encoding``, a byte-order mark, the page's
    ``<meta charset>`` (or ``http-equiv`` content type), else UTF-8 or cp1252."""
    if not encoding and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = _CHARSET.search(data[:4096])
        if m:
            name = m.group(1).decode("ascii", "replace").lower()
            try:
                text = data.decode(name)
                return normalise(text), name
            except (LookupError, UnicodeDecodeError):
                pass  # a page that lies about its charset: find it as text files do
    try:
        text, used = decode(data, encoding)
    except ReadError as e:
        raise FormatError(str(e)) from None
    return normalise(text), used


def html_article(data: bytes, url_hint: str | None = None, engine: str = "auto",
                 encoding: str | None = None) -> Page:
    """Read one saved page: its article text, metadata and the blocks left out.

    ``text`` holds one paragraph per block of the page's article (paragraphs, subheadings,
    list items, quotations), blank lines between them and spaces collapsed inside them.
    ``meta`` takes what the page declares (JSON-LD, Open Graph, ``<meta>``, canonical link,
    ``<time>``, byline), with ``published`` as ISO 8601 and ``outlet`` from the site name,
    else the domain of the page's URL (or ``url_hint``). ``dropped`` lists ``(reason,
    text)`` for every visible block left out: ``navigation``, ``share``, ``related``,
    ``comments``, ``cookie-banner``, ``newsletter``, ``advert``, ``byline``, ``caption``,
    ``tags``, ``article-header``, ``site-header``, ``site-footer``, ``sidebar``, ``form``,
    ``control``, ``hidden``, ``title`` (the headline, kept in ``meta``), ``links`` (a short block that
    is mostly links), ``outside-article`` or ``not-main-text`` (what the engine left out
    for no reason the page's markup gives).

    Raises :class:`FormatError` for bytes that are not text or hold no article text, and
    :class:`MissingExtra` for ``engine="trafilatura"`` without the extra.

    >>> page = html_article(b'''<html><head><title>Dam holds | Vale Courier</title>
    ...   <meta property="og:site_name" content="Vale Courier"></head><body>
    ...   <nav><a href="/">Home</a> <a href="/news">News</a></nav>
    ...   <article><h1>Dam holds</h1><p>The dam held overnight, engineers said.</p>
    ...   <p>Water levels fell by morning.</p>
    ...   <div class="share-tools"><a href="#">Share on social media</a></div></article>
    ...   </body></html>''', engine="stdlib")
    >>> print(page.text)
    The dam held overnight, engineers said.
    <BLANKLINE>
    Water levels fell by morning.
    >>> page.meta["title"], page.meta["outlet"], [r for r, _ in page.dropped]
    ('Dam holds', 'Vale Courier', ['navigation', 'title', 'share'])
    """
    which = engine_for(engine)
    html, _ = decode_page(data, encoding)
    root = dom.parse(html)
    container = dom.find_container(root)
    page_blocks = dom.blocks(root, container)
    meta = dom.metadata(root)
    title = meta.get("title")
    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    if which == "trafilatura":
        paragraphs = _trafilatura(html, url_hint)
        kept, dropped = _reconcile(paragraphs, page_blocks, title)
    else:
        for b in page_blocks:
            reason = _reason(b, title)
            if reason:
                dropped.append((reason, b.text))
            else:
                kept.append(b.text)
    meta = _normalise_meta(meta, url_hint)
    meta["engine"] = which
    if not kept:
        raise FormatError("no article text found in the page" + (
            f" ({len(dropped)} blocks, all boilerplate)" if dropped else ""))
    return Page("\n\n".join(kept), meta, dropped)


def _mostly_links(b: dom.Block) -> bool:
    """A short block that is mostly link text ("Read more: ...", a list of stories)."""
    return len(b.text.split()) <= 25 and b.link_chars >= 0.6 * len(b.text)


def _normalise_meta(meta: dict, url_hint: str | None) -> dict:
    out = {}
    if meta.get("title"):
        out["title"] = " ".join(meta["title"].split())
    url = meta.get("url") or url_hint
    if url and domain(url) and url.startswith(("http://", "https://", "//")):
        out["url"] = url
    elif url_hint:
        out["url"] = url_hint
    outlet = clean_outlet(meta.get("outlet"))
    if not outlet and out.get("url"):
        outlet = domain(out["url"])
    if outlet:
        out["outlet"] = outlet
    if meta.get("author"):
        out["author"] = re.sub(r"^(?:by|written by)\s+", "", " ".join(meta["author"].split()),
                               flags=re.IGNORECASE)
    if meta.get("date"):
        published = iso_date(meta["date"])
        if published:
            out["published"] = published
    return out


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def _reconcile(paragraphs: list[str], page_blocks: list[dom.Block],
               title) -> tuple[list[str], list[tuple[str, str]]]:
    """The article's paragraphs: the page's blocks the engine kept, less those the page
    itself marks as not article text (the headline, a block under a share, comment,
    newsletter... element, a short block of links); and the page's blocks left out,
    each with the reason its markup gives (``not-main-text`` when it gives none).

    An engine's paragraph that is a block of the page is that block; one that runs
    several blocks together (trafilatura does so when it falls back on a page's whole
    text) is those blocks, so paragraph boundaries are always the page's."""
    keys = [_key(b.text) for b in page_blocks]
    by_key: dict[str, int] = {}
    for i, k in enumerate(keys):
        by_key.setdefault(k, i)
    chosen: list[int | str] = []  # a block's index, or an engine paragraph matching none
    for p in paragraphs:
        k = _key(p)
        if not k:
            continue
        if k in by_key:
            chosen.append(by_key[k])
            continue
        padded = f" {k} "
        inside = [i for i, bk in enumerate(keys)
                  if bk and (len(bk) >= 20 or len(bk.split()) >= 3) and f" {bk} " in padded]
        chosen.extend(inside or [p])
    kept, dropped, used = [], [], set()
    for c in chosen:
        if isinstance(c, str):
            kept.append(c)
            continue
        if c in used:
            continue
        used.add(c)
        b = page_blocks[c]
        reason = _reason(b, title)
        if reason:
            dropped.append((reason, b.text))
        else:
            kept.append(b.text)
    for i, b in enumerate(page_blocks):
        if i not in used and keys[i]:
            dropped.append((_reason(b, title) or "not-main-text", b.text))
    return kept, dropped


def _reason(b: dom.Block, title) -> str | None:
    if b.reason:
        return b.reason
    if b.tag == "h1" or (title and b.text == title):
        return "title"
    if _mostly_links(b):
        return "links"
    return None


_XML_BLOCKS = {"p", "head", "item", "quote", "code", "cell", "row"}


def _trafilatura(html: str, url: str | None) -> list[str]:
    import trafilatura

    # Metadata comes from the page's own declarations (dom.metadata), the same for both
    # engines: trafilatura's date finder falls back on dateparser, whose first use in a
    # process can take tens of seconds, and on the gold pages it added no field.
    xml = trafilatura.extract(html, url=url, output_format="xml", with_metadata=False,
                              include_comments=False, include_tables=True,
                              include_images=False, include_links=False, deduplicate=False,
                              favor_recall=False)
    if not xml:
        return []
    try:
        doc = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return []
    main = doc.find("main")
    paragraphs: list[str] = []
    for el in (main if main is not None else doc).iter():
        if el.tag in _XML_BLOCKS and not any(c.tag in _XML_BLOCKS for c in el):
            text = " ".join("".join(el.itertext()).split())
            if el.tag == "row":
                continue
            if text:
                paragraphs.append(text)
    return paragraphs


def fragment_text(fragment: str) -> str:
    """An HTML fragment (an export's text field holding markup) as text: one paragraph
    per block, blank lines between them; nothing is left out but invisible elements.

    >>> fragment_text("<p>One <b>bold</b> line.</p><p>Two &amp; three</p>")
    'One bold line.\\n\\nTwo & three'
    """
    root = dom.parse(fragment)
    return "\n\n".join(b.text for b in dom.blocks(root) if b.text)
