"""A saved page as a tree of elements (standard library only), its metadata, and its
text blocks, each marked as article text or as site boilerplate with a reason.

This module is long (about 450 lines) because a page's tree, its metadata and the
classification of its blocks are one reading of the same elements; split, each part
would reach into the others' internals.

The tree is built with :mod:`html.parser`, closing elements the way browsers do where
pages leave them open (``<p>`` before a block, ``<li>`` before the next item). Blocks
(paragraphs, headings, list items, quotations, text standing in a ``<div>``) are what a
reader sees as separate pieces of text; :func:`blocks` yields each with the reason it is
not article text, or None for article text.

This module is long because it is one reader: the element tree, the metadata found in it and
the reasons a block is left out walk the same tree and are tested together.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "keygen"}
BLOCK = {"address", "article", "aside", "blockquote", "details", "dialog", "dd", "div", "dl",
         "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
         "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre",
         "section", "table", "ul", "tr", "td", "th", "menu", "summary", "body", "html"}
TEXT_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd",
               "dt", "figcaption", "td", "th", "summary", "address"}
MAX_DEPTH = 160
"""Elements nested deeper than this (unclosed ``<font>`` or ``<div>`` tags by the
thousand) open no further level: their text goes to the element above, so reading a
page never runs out of stack."""
INVISIBLE = {"script", "style", "noscript", "template", "svg", "head", "title", "iframe",
             "object", "canvas", "select", "option", "textarea", "math"}


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list = field(default_factory=list)  # Node or str

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def text(self) -> str:
        """The visible text under this element, spaces collapsed (``<br>`` as a space)."""
        out: list[str] = []
        _text_into(self, out)
        return " ".join("".join(out).split())

    def ancestors(self):
        n = self.parent
        while n is not None:
            yield n
            n = n.parent


def _text_into(node: Node, out: list[str]) -> None:
    for c in node.children:
        if isinstance(c, str):
            out.append(c)
        elif c.tag == "br":
            out.append(" ")
        elif c.tag not in INVISIBLE and not hidden(c):
            if c.tag in BLOCK:
                out.append(" ")
            _text_into(c, out)
            if c.tag in BLOCK:
                out.append(" ")


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def _close_until(self, tags: set[str], stop: set[str] = frozenset()) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            t = self.stack[i].tag
            if t in stop:
                return
            if t in tags:
                del self.stack[i:]
                return

    def handle_starttag(self, tag, attrs):
        attrs = {k.lower(): (v or "") for k, v in attrs}
        if tag in BLOCK or tag in ("p", "li", "dt", "dd", "tr", "td", "th", "option"):
            if self.stack[-1].tag == "p" and tag in BLOCK:
                self.stack.pop()
            if tag == "li":
                self._close_until({"li"}, stop={"ul", "ol", "menu"})
            elif tag in ("dt", "dd"):
                self._close_until({"dt", "dd"}, stop={"dl"})
            elif tag in ("td", "th"):
                self._close_until({"td", "th"}, stop={"tr", "table"})
            elif tag == "tr":
                self._close_until({"tr"}, stop={"table"})
            elif tag == "p":
                self._close_until({"p"}, stop=BLOCK - {"p"})
        node = Node(tag, attrs, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        if tag == "p":  # a stray </p> makes an empty paragraph in browsers: nothing to keep
            return

    def handle_data(self, data):
        if data:
            self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    """The page as a tree under a ``#root`` node."""
    b = _Builder()
    b.feed(html)
    b.close()
    return b.root


def hidden(node: Node) -> bool:
    a = node.attrs
    style = a.get("style", "").replace(" ", "").lower()
    return "hidden" in a or a.get("aria-hidden") == "true" or "display:none" in style \
        or "visibility:hidden" in style


# --- metadata ------------------------------------------------------------------------

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting",
                  "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
                  "backgroundnewsarticle", "report", "liveblogposting", "webpage"}


def _ld_objects(data) -> list[dict]:
    out = []
    if isinstance(data, list):
        for d in data:
            out.extend(_ld_objects(d))
    elif isinstance(data, dict):
        out.append(data)
        if "@graph" in data:
            out.extend(_ld_objects(data["@graph"]))
    return out


def _name(value) -> str | None:
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def metadata(root: Node) -> dict[str, str]:
    """Title, outlet, author, date and URL as the page declares them: JSON-LD
    (``NewsArticle`` and kin), Open Graph and ``article:`` properties, ``<meta name>``,
    ``<link rel=canonical>``, ``<time datetime>``, a byline element, ``<title>``. Values
    are as written (the caller normalises dates and outlets)."""
    found: dict[str, list[str]] = {k: [] for k in ("title", "outlet", "author", "date", "url")}

    def put(key, value):
        v = _name(value)
        if v:
            found[key].append(v)

    ld = []
    for n in root.iter():
        if n.tag == "script" and "ld+json" in n.attrs.get("type", "").lower():
            try:
                ld.extend(_ld_objects(json.loads("".join(c for c in n.children if isinstance(c, str)))))
            except (json.JSONDecodeError, RecursionError):
                pass
    ld.sort(key=lambda o: 0 if str(o.get("@type", "")).lower() != "webpage" else 1)
    for o in ld:
        types = o.get("@type", "")
        types = {str(t).lower() for t in (types if isinstance(types, list) else [types])}
        if types & _ARTICLE_TYPES:
            put("title", o.get("headline") or o.get("name"))
            put("date", o.get("datePublished") or o.get("dateCreated"))
            put("author", o.get("author"))
            put("outlet", o.get("publisher"))
            url = o.get("url") or o.get("mainEntityOfPage")
            put("url", url.get("@id") if isinstance(url, dict) else url)
        elif types & {"organization", "newsmediaorganization", "website"}:
            put("outlet", o.get("name"))
    metas = {"og:title": "title", "twitter:title": "title", "og:site_name": "outlet",
             "application-name": "outlet", "publisher": "outlet", "og:url": "url",
             "article:published_time": "date", "datepublished": "date", "pubdate": "date",
             "publishdate": "date", "date": "date", "dc.date": "date", "dc.date.issued": "date",
             "sailthru.date": "date", "parsely-pub-date": "date", "author": "author",
             "article:author": "author", "dc.creator": "author", "byl": "author",
             "sailthru.author": "author", "parsely-author": "author"}
    title_tag, h1 = None, None
    for n in root.iter():
        if n.tag == "meta":
            key = (n.attrs.get("property") or n.attrs.get("name") or n.attrs.get("itemprop")
                   or "").lower()
            if key in metas and n.attrs.get("content", "").strip():
                value = n.attrs["content"]
                if metas[key] == "author" and value.startswith(("http://", "https://")):
                    continue  # a profile page, not a name
                put(metas[key], value)
        elif n.tag == "link" and "canonical" in n.attrs.get("rel", "").lower().split():
            put("url", n.attrs.get("href"))
        elif n.tag == "title" and title_tag is None:
            title_tag = n.text() or "".join(c for c in n.children if isinstance(c, str)).strip()
        elif n.tag == "time" and n.attrs.get("datetime") and not found["date"]:
            if not any(_reason_of(a) for a in n.ancestors()):
                put("date", n.attrs["datetime"])
        elif n.tag == "h1" and h1 is None:
            h1 = n.text()
        elif (n.attrs.get("itemprop") == "author" or n.attrs.get("rel") == "author"
              or "byline" in _tokens(n)) and not found["author"]:
            by = re.sub(r"^(?:by|written by|words by)\s+", "", n.text(), flags=re.IGNORECASE)
            by = re.split(r"\s+[|\u2022\u00b7]\s+|,?\s+(?:updated|published)\b", by)[0]
            if 0 < len(by.split()) <= 8:
                put("author", by)
    out = {k: v[0] for k, v in found.items() if v}
    if "title" not in out:
        t = h1 or title_tag
        if t:
            out["title"] = t
    if out.get("title") and out.get("outlet"):
        out["title"] = strip_site(out["title"], out["outlet"])
    elif out.get("title") and title_tag and h1 and h1 in title_tag and h1 != title_tag:
        out["title"] = h1
    return out


def strip_site(title: str, site: str) -> str:
    """A ``<title>`` without the site's name after a separator.

    >>> strip_site("Dam breach floods valley | The Vale Courier", "The Vale Courier")
    'Dam breach floods valley'
    """
    parts = re.split(r"\s+[|\u2013\u2014\-:\u00b7]\s+", title)
    if len(parts) > 1:
        site_l = site.lower().removeprefix("the ")
        kept = [p for p in parts if site_l not in p.lower()]
        if kept and len(kept) < len(parts):
            return " - ".join(kept)
    return title


# --- blocks --------------------------------------------------------------------------

REASONS: list[tuple[str, tuple[str, ...]]] = [
    ("cookie-banner", ("cookie", "cookies", "consent", "gdpr", "cmp")),
    ("comments", ("comment", "comments", "discussion", "disqus", "replies", "reply",
                  "respond", "talkback")),
    ("share", ("share", "sharing", "social", "follow", "sharebar", "socials")),
    ("related", ("related", "recommended", "recommendations", "trending", "popular",
                 "mostread", "most", "more", "also", "readnext", "next", "rail", "teaser",
                 "teasers", "outbrain", "taboola", "promo", "promos", "further")),
    ("newsletter", ("newsletter", "subscribe", "subscription", "signup", "paywall",
                    "register", "registration", "donate", "membership")),
    ("advert", ("ad", "ads", "advert", "adverts", "advertisement", "sponsor", "sponsored",
                "dfp", "adslot", "banner-ad")),
    ("navigation", ("nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs",
                    "masthead", "skip", "skiplink", "topbar", "toolbar", "pagination")),
    ("byline", ("byline", "author", "authors", "dateline", "timestamp", "meta", "date",
                "published", "contributor")),
    ("caption", ("caption", "figcaption", "credit", "credits", "photo", "gallery")),
    ("tags", ("tags", "tag", "topics", "keywords", "categories")),
    ("site-footer", ("footer", "colophon", "copyright", "legal")),
    ("sidebar", ("sidebar", "aside", "widget", "widgets")),
]
_TOKEN = re.compile(r"[a-z]+")
_TAG_REASONS = {"nav": "navigation", "aside": "sidebar", "footer": "site-footer",
                "form": "form", "button": "control", "figcaption": "caption",
                "header": "site-header", "dialog": "cookie-banner", "menu": "navigation"}
_ROLE_REASONS = {"navigation": "navigation", "complementary": "sidebar", "banner": "site-header",
                 "contentinfo": "site-footer", "dialog": "cookie-banner",
                 "alertdialog": "cookie-banner", "search": "navigation", "menu": "navigation"}


def _tokens(node: Node) -> set[str]:
    words = (node.attrs.get("class", "") + " " + node.attrs.get("id", "")).lower()
    out = set()
    for part in re.split(r"[\s]+", words):
        toks = _TOKEN.findall(part)
        out.update(toks)
        if toks:
            out.add("".join(toks))  # "most-read" -> "mostread", "sign-up" -> "signup"
    return out


_NOT_BODY = {"share", "comment", "comments", "related", "cookie", "newsletter", "promo", "ad",
             "ads", "nav", "footer"}
_BODY_TOKENS = {"body", "content", "story", "text", "articlebody", "entry", "post", "main",
                "prose", "copy"}


def _reason_of(node: Node) -> str | None:
    """Why this element (and all under it) is not article text, or None."""
    if node.attrs.get("itemprop", "").lower() == "articlebody":
        return None
    if hidden(node):
        return "hidden"
    # What the class or id says is the most specific (an <aside class="related">
    # is a related-story rail, not just a sidebar); then the element and its role.
    toks = _tokens(node)
    if toks and not (toks & _BODY_TOKENS and node.tag in ("div", "section", "article", "main")
                     and not toks & _NOT_BODY):
        # ("article-body", "story-content": a container of the text, even when its
        # class also says "story" or "post" in a word other rules read.)
        for reason, words in REASONS:
            if toks & set(words):
                if reason == "byline" and node.tag in ("article", "main", "section", "body"):
                    continue
                return reason
    if node.tag == "header" and any(a.tag in ("article", "main") for a in node.ancestors()):
        return "article-header"
    if node.tag in _TAG_REASONS:
        return _TAG_REASONS[node.tag]
    return _ROLE_REASONS.get(node.attrs.get("role", "").lower())


@dataclass
class Block:
    text: str
    tag: str
    reason: str | None  # None: article text
    link_chars: int = 0
    node: Node | None = None


def _link_chars(node: Node) -> int:
    return sum(len(a.text()) for a in node.iter() if a.tag == "a" and a is not node) + \
        (len(node.text()) if node.tag == "a" else 0)


def blocks(root: Node, container: Node | None = None) -> list[Block]:
    """Every visible text block in document order, with its reason (None: inside the
    ``container`` and not boilerplate; ``outside-article`` for text elsewhere)."""
    out: list[Block] = []

    def walk(node: Node, reason: str | None, inside: bool):
        if node.tag in INVISIBLE:
            return
        r = reason or _reason_of(node)
        inside = inside or node is container
        if node.tag in TEXT_BLOCKS and not any(isinstance(c, Node) and c.tag in TEXT_BLOCKS
                                               for c in node.children):
            for text, links in _split_breaks(node):
                out.append(Block(text, node.tag, r or (None if inside or container is None
                                                        else "outside-article"), links, node))
            return
        loose: list = []  # text standing directly in a div, between blocks

        def flush():
            if loose:
                tmp = Node("div", {}, node, list(loose))
                for text, links in _split_breaks(tmp):
                    out.append(Block(text, "div", r or (None if inside or container is None
                                                         else "outside-article"), links, node))
                loose.clear()

        for c in node.children:
            if isinstance(c, str) or (c.tag not in BLOCK and not any(
                    isinstance(d, Node) and d.tag in BLOCK for d in c.iter())):
                loose.append(c)
            else:
                flush()
                walk(c, r, inside)
        flush()

    walk(root, None, False)
    return out


def _split_breaks(node: Node) -> list[tuple[str, int]]:
    """A block's text, cut where two or more ``<br>`` stand between runs of text, each
    piece with how many of its characters are link text."""
    pieces: list[tuple[str, int]] = []
    cur: list[str] = []
    breaks = links = 0

    def push():
        nonlocal links
        text = " ".join("".join(cur).split())
        if text:
            pieces.append((text, links))
        cur.clear()
        links = 0

    def rec(n: Node, in_link: bool):
        nonlocal breaks, links
        for c in n.children:
            if isinstance(c, str):
                if c.strip():
                    if breaks >= 2:
                        push()
                    breaks = 0
                    if in_link:
                        links += len(" ".join(c.split()))
                cur.append(c)
            elif c.tag == "br":
                breaks += 1
                cur.append(" ")
            elif c.tag in INVISIBLE or hidden(c) or _reason_of(c) in ("share", "advert"):
                continue
            else:
                rec(c, in_link or c.tag == "a")

    rec(node, node.tag == "a")
    push()
    return pieces


def find_container(root: Node) -> Node | None:
    """The element holding the article text: one marked ``itemprop=articleBody``, else
    the ``<article>`` or ``<main>``, or failing those the element, with the most
    paragraph text directly in it (a paragraph's text counting fully for its parent and
    half for its grandparent), boilerplate elements left out."""
    for n in root.iter():
        if n.attrs.get("itemprop", "").lower() == "articlebody":
            return n
    score: dict[int, float] = {}
    nodes: dict[int, Node] = {}
    for n in root.iter():
        if n.tag != "p" or any(_reason_of(a) for a in [n, *n.ancestors()]):
            continue
        length = len(n.text())
        if length < 25:
            continue
        parent = n.parent
        if parent is not None:
            score[id(parent)] = score.get(id(parent), 0) + length
            nodes[id(parent)] = parent
            grand = parent.parent
            if grand is not None:
                score[id(grand)] = score.get(id(grand), 0) + length / 2
                nodes[id(grand)] = grand
    if not score:
        for tag in ("article", "main"):
            for n in root.iter():
                if n.tag == tag:
                    return n
        return None
    best = nodes[max(score, key=score.__getitem__)]
    # Widen to an enclosing <article> or <main> if the best element is inside one, so
    # subheadings and lists beside the paragraphs come along.
    for a in best.ancestors():
        if a.tag in ("article", "main") and not _reason_of(a):
            return a
    return best
