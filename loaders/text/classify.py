"""Blocks to body, title, byline and boilerplate, each drop with its reason.

Each rule is a small named heuristic. A block is dropped only when a rule is
sure; when in doubt it stays in the body, because losing a real paragraph is
worse for a researcher than keeping a stray line (and every drop is visible
in the ``dropped`` table and the raw compare view).

This module is long because every block rule (titles, bylines, datelines, sign-offs,
boilerplate of each kind) runs in one order that must be read top to bottom.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Block

# Reasons, as stored in dropped.reason.
COMMENT_POLICY = "comment-policy"
READ_MORE = "read-more"
READ_NEXT = "read-next"
SOURCE_TRAILER = "source-trailer"
HEADLINE = "related-headline"
WIRE_SIGNOFF = "wire-signoff"
WHITESPACE = "whitespace"
BYLINE = "byline"
SOCIAL = "social"
REPEATED = "repeated"

_COMMENT_POLICY = re.compile(
    r"^(join the (conversation|discussion|debate)\b|leave a comment\b|have your say\b"
    r"|comments? (are|is) (now )?(closed|moderated)\b|we have no tolerance for comments"
    r"|(read|see) our (comment|community|moderation) (policy|guidelines|rules)"
    r"|(our|the) (comment|community|moderation) (policy|guidelines)\b"
    r"|please (keep|be) (comments|it) (civil|respectful)"
    r"|comments that (break|violate|breach))",
    re.IGNORECASE,
)
# Mentions of comments deep in a short block also mark a policy notice.
# "declined to comment", "unavailable for comment" are reporting, not policy.
_COMMENT_WORDS = re.compile(
    r"(?<!\bfor )(?<!\bto )(?<!\bno )\b(comments?|commenting|commenters?)\b", re.IGNORECASE
)
_POLICY_WORDS = re.compile(
    r"\b(polic(y|ies)|moderat\w+|guidelines|tolerance|reserve the right|abusive|offensive|spam"
    r"|remove[ds]?|delete[ds]?|civil|respectful|house rules|terms of use)\b",
    re.IGNORECASE,
)
_READ_MORE = re.compile(
    r"^(read more|more on this( story)?|related( story| article)?|see also|also read|"
    r"recommended|watch|listen|don't miss|most read)\s*[:>|\-–—]",
    re.IGNORECASE,
)
_READ_NEXT = re.compile(r"^(read next|more stories|related stories|related articles|"
                        r"more from [\w .'-]+|trending|top stories)\s*:?\s*$", re.IGNORECASE)
_LINK_ITEM = re.compile(r"^\s*[-*•–—>]\s+\S")
_SOURCE = re.compile(
    r"^(source\s*:\s*(read )?(the )?full (article|story)|read (the )?full (article|story)"
    r"|click here to read( more)?|continue reading|this article (first|originally) appeared"
    r"|originally published (at|on|by))\b",
    re.IGNORECASE,
)
_SIGNOFF = re.compile(
    r"^(\((additional )?(reporting|writing|editing|compiled|compiling|edited|translated)"
    r" by [^)]*\)\.?"
    r"|(additional )?(reporting|writing|editing) by [\w .,;&'-]{2,80}"
    r"|(compiled|edited|translated) (by|for) [\w .,;&'-]{2,60}"
    r"|(-{2,}|—|–)\s*(?-i:[A-Z])(?:[^\W\d_]|[ .&'-]){1,39}$"
    r"|(copyright|©|\(c\))\s*\d{4}\b.*|all rights reserved\.?"
    r"|\(?end\)?\.?|\(?ends\)?\.?|-30-|#{3}"
    r"|[A-Z]{2,6}/[A-Z]{2,6}(/[A-Z]{2,6})*)$",
    re.IGNORECASE,
)
# Wire agencies of many countries, whose bare name (or a short form of it) closes
# their reports. An agency not named here is still known by the shape of its name
# (see _AGENCY_WORDS) or by the dateline of the same report.
_AGENCIES = frozenset("""
reuter reuters ap afp upi dpa ansa efe xinhua kyodo jiji tass itar-tass ria interfax
yonhap aap cp pa bloomberg anp apa belga ctk pap mti bta agerpres hina tanjug sapa
bernama antara pna pti ians uni app irna mena kuna wam spa petra qna nan kna ina
notimex telam ap-dj djns bna
""".split())
_AGENCY_WORDS = re.compile(
    r"\b(wire|newswire|news|press|agency|service|services|newsroom|desk|bureau|"
    r"association|telegraph|dispatch|syndicate)$", re.IGNORECASE)
# A bare name: one to five capitalised words (or an acronym), no digits, no
# sentence punctuation; a trailing "..." or caret-notation carriage return ("^M",
# written out as text by some systems) is tolerated.
_BARE_NAME = re.compile(
    r"^[(\[]?((?:[A-Z][\w'’&.-]*|&)(?:\s+(?:[A-Z][\w'’&.-]*|&|of|de|la|du)){0,4})"
    r"[)\]]?(?:\.{3}|\.|…)?(?:\^M)?$")
# Who writes an unsigned report, standing alone at its end.
_STAFF = re.compile(r"^(?:(?:-{1,2}|—|–)\s*)?(?:by\s+)?(?:our\s+)?staff(?:\s+(?:writers?|reporters?|"
                    r"correspondents?))?\.?$|^(?:-{1,2}|—|–)?\s*staff (?:writer|reporter)s?$",
                    re.IGNORECASE)
_SOCIAL = re.compile(
    r"^(share (this|on) (article|story|facebook|twitter|x)|"
    r"share (?:this(?: article| story| page)?|it) (?:on|via|with) "
    r"(?:facebook|twitter|x|whatsapp|linkedin|email|your friends)\b|follow us on\b|"
    r"sign up (to|for) (our|the) [\w ]*newsletter|subscribe to (our|the)\b|"
    r"advertisement|sponsored content|click to (share|print|email))",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:by|By|BY)\s+(?:[A-Z][\w'’.-]+\s*){1,4}(?:(?:and|&)\s+(?:[A-Z][\w'’.-]+\s*){1,4})?"
    r"(?:[,|–—-]\s*[\w ,'’&-]{0,60})?$"
)
# A full stop (with any closing quote) then a capital: not after an initial
# or a short abbreviation such as "Mr." or "U.S.".
_SENTENCE_END = re.compile(r"(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\bMrs)([.!?][\"'”’]?)\s+(?=[\"“‘']?[A-Z])")
_TERMINAL = tuple(".!?:;,\"'”’)»…")


class _NonWords(dict):
    """str.translate table mapping everything but letters and digits to a space (cached)."""

    def __missing__(self, code: int) -> str:
        value = chr(code) if chr(code).isalnum() else " "
        self[code] = value
        return value


_NON_WORDS = _NonWords()
_DIGIT = re.compile(r"\d")
REPEAT_MIN_WORDS = 7
_NUMBER_WORD = re.compile(
    r"\b(zero|nil|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|mln|bln|pct|half)\b",
    re.IGNORECASE)
_PROSE_WORD = re.compile(r"\b(the|a|an|our|your|its|their|we|you|this|that|is|are|was|were)\b",
                         re.IGNORECASE)
_ATTRIBUTION = re.compile(r"\b(said|says|told|according to|disclosed|announced|reported)\b",
                          re.IGNORECASE)


def block_hash(text: str) -> str:
    """Fingerprint of a block for corpus-frequency detection.

    Case, punctuation and spacing are ignored, so a trailer that only differs in
    a quote style or a dash still counts as the same block. Numbers are part of
    the text: "Revs 291.8 mln vs 151.1 mln" and "Revs 12.0 mln vs 9.5 mln" share
    a shape, not a text, and must never count as one block.

    >>> block_hash("Net 5.5 mln vs 4.1 mln") == block_hash("Net 6.2 mln vs 3.0 mln")
    False
    >>> block_hash("Join the debate!") == block_hash("join the  debate")
    True
    """
    norm = " ".join(text.lower().translate(_NON_WORDS).split())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16]


def repeatable(text: str) -> bool:
    """Whether a block may count as site furniture by recurring across the corpus.

    Only prose is: seven words or more (a shorter sentence, "Terms were not
    disclosed.", is a formula any report may use), two of them in lower case. A block that
    states a number is reporting, not furniture, however often its text recurs:
    a table's data line ("Qtly div 10 cts vs 10 cts prior"), a score, a kick-off
    time. The same line in two reports of two companies is two facts.

    >>> repeatable("Sign up to our morning newsletter for the day's news")
    True
    >>> [repeatable(t) for t in ("Qtly div 10 cts vs 10 cts prior",
    ...                          "Qtly div three cts vs three cts prior", "Shr 1.20 dlrs")]
    [False, False, False]
    """
    words = text.split()
    if len(words) < REPEAT_MIN_WORDS or _DIGIT.search(text):
        return False
    # Spelled-out figures in the clipped style of a data line ("Qtly div three cts
    # vs three cts prior": no article, no pronoun) are figures too.
    if _NUMBER_WORD.search(text) and not _PROSE_WORD.search(text):
        return False
    # A lead-in to what follows and a sentence that reports what someone said
    # belong to their report ("The following offerings were filed:", "..., the
    # company said.") however often a wire service repeats the formula.
    if text.rstrip().endswith((":", "-", "–", "—")) or _ATTRIBUTION.search(text):
        return False
    return sum(1 for w in words if w[:1].islower()) >= 2


@dataclass
class Classified:
    title: str | None
    title_derived: bool
    byline: str | None
    body: list[Block]
    dropped: list[tuple[Block, str]]


def _rule_reason(block: Block, prev: Block | None, nxt: Block | None) -> str | None:
    text = block.text.strip()
    if not text:
        return WHITESPACE
    words = len(text.split())
    if _READ_MORE.match(text):
        return READ_MORE
    if _SOURCE.match(text) and words <= 25:
        return SOURCE_TRAILER
    if _SOCIAL.match(text) and words <= 25:
        return SOCIAL
    if _SIGNOFF.match(text) and words <= 30:
        return WIRE_SIGNOFF
    if _COMMENT_POLICY.match(text) and words <= 120:
        return COMMENT_POLICY
    if (
        words <= 80
        and _COMMENT_WORDS.search(text)
        and _POLICY_WORDS.search(text)
        and re.search(r"\b(we|our|please|you)\b", text, re.IGNORECASE)
        and not re.search(r"\b(said|says|told)\b", text)
    ):
        return COMMENT_POLICY
    return None


def _is_related_headline(
    block: Block, prev: Block | None, nxt: Block | None, min_words: int = 3
) -> bool:
    """A short title-like line standing alone between two body paragraphs.

    Such lines are teasers for other stories that sites insert mid-article.
    A block followed by one that starts in lower case is the first half of a
    broken sentence, not a teaser. List items, lines introduced by a colon and lines ending in sentence
    punctuation are left alone.
    """
    text = block.text.strip()
    if prev is None or nxt is None:
        return False
    if not nxt.text.strip()[:1].isupper() and not nxt.text.strip()[:1] in "\"“‘'":
        return False  # the next block continues this one
    words = text.split()
    if not min_words <= len(words) <= 18 or len(text) > 140 or text.isupper():
        return False
    if text.endswith(_TERMINAL) and not text.endswith(("?'", "!'", "'", "’")):
        return False
    if text.endswith(("'", "’")) and text.count("'") + text.count("’") < 2:
        return False
    if _LINK_ITEM.match(text) or prev.text.rstrip().endswith(":"):
        return False
    # Both neighbours must read as prose paragraphs, so a run of short lines
    # (a table, a list, a poem) is not mistaken for a teaser.
    return _is_prose(prev.text) and _is_prose(nxt.text) and text[0].isupper()


def _is_prose(text: str) -> bool:
    text = text.strip()
    return len(text.split()) >= 12 and text.endswith(_TERMINAL)


def _looks_like_headline(text: str) -> bool:
    text = text.strip()
    words = text.split()
    if not words or len(words) > 20 or len(text) > 160:
        return False
    if text.endswith(".") and not text.endswith("..."):
        return False
    return not text.endswith((",", ";", ":"))


# "PORT ELLIN, March 14 (Valley Wire) - " opening a wire report; "LONDON (AP) - "
# names no date and needs no comma.
_DL_CITY = r"[A-Z][A-Z .'’-]{1,40}"
_DL_DATE = r"(?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,8})"
_DL_AGENCY = r"\([^()]{2,40}\)"
_DL_HEAD = rf"{_DL_CITY}(?:,(?:\s+{_DL_DATE})?(?:\s*{_DL_AGENCY})?|\s*{_DL_AGENCY})"
_DATELINE = re.compile(rf"^{_DL_HEAD}\s*[-–—]+\s+")
# A dateline on a line of its own, before the report's first paragraph.
_DATELINE_ALONE = re.compile(
    rf"^{_DL_CITY}(?:,\s+{_DL_DATE}(?:\s*{_DL_AGENCY})?|,?\s*{_DL_AGENCY})\s*[-–—:]*$")


def dateline_end(text: str) -> int:
    """Where a wire dateline opening ``text`` ends; 0 if it has none.

    >>> text = "SALTRY, March 2 (Tidewater Wire) - Dockers walked out."
    >>> text[dateline_end(text):], dateline_end("Dockers walked out.")
    ('Dockers walked out.', 0)
    """
    m = _DATELINE.match(text)
    return m.end() if m else 0


def derive_title(text: str, max_chars: int = 120) -> str:
    """A title from the first sentence of the first paragraph, shortened at a word.

    A wire dateline opening the paragraph is not part of the title.

    >>> derive_title("Officials said on Monday. More text.")
    'Officials said on Monday.'
    >>> derive_title("COLDMOUTH, April 6 (Wire) - Dock opens. More.")
    'Dock opens.'
    """
    text = _DATELINE.sub("", text, count=1)
    match = _SENTENCE_END.search(text)
    sentence = text[: match.end(1)] if match else text
    sentence = sentence.strip()
    if len(sentence) <= max_chars:
        return sentence
    cut = sentence[:max_chars].rsplit(" ", 1)[0]
    return cut.rstrip(",;:-–— ") + "…"


def classify(
    blocks: list[Block],
    source: str,
    repeated: Iterable[str] = (),
    has_title: bool | None = None,
    convention: str = "blank-lines",
) -> Classified:
    """Sort an article's blocks into title, byline, body and dropped.

    ``source`` is the normalised text the blocks were split from.
    ``repeated`` holds :func:`block_hash` values seen across the corpus in many
    unrelated articles; blocks with those hashes are dropped as ``repeated``.
    ``has_title`` forces (True) or forbids (False) taking the first block as the
    headline; by default a short first block standing alone is the headline.
    """
    repeated = set(repeated)
    dropped: list[tuple[Block, str]] = []
    rest = list(blocks)
    title = None
    # A headline stands alone: it is its own block, followed by a blank line.
    if rest and has_title is not False:
        first = rest[0]
        if has_title or (len(rest) > 1 and _looks_like_headline(first.text)
                         and not _BYLINE.match(first.text.strip())
                         and _followed_by_blank(source, first, rest[1])
                         and not rest[1].text.lstrip()[:1].islower()):
            title = first.text.strip()
            rest = rest[1:]
    byline = None
    for i, block in enumerate(rest[:3]):
        text = block.text.strip()
        if _BYLINE.match(text) and len(text.split()) <= 14:
            byline = re.sub(r"^by\s+", "", text, flags=re.IGNORECASE).strip()
            dropped.append((block, BYLINE))
            rest = rest[:i] + rest[i + 1:]
            break

    body: list[Block] = []
    in_link_list = False
    kept: list[Block | None] = []
    for i, block in enumerate(rest):
        text = block.text.strip()
        if in_link_list and (_LINK_ITEM.match(text) or _SOURCE.match(text) or not text):
            dropped.append((block, READ_NEXT if _LINK_ITEM.match(text) else
                            (_rule_reason(block, None, None) or READ_NEXT)))
            kept.append(None)
            continue
        in_link_list = False
        if _READ_NEXT.match(text):
            in_link_list = True
            dropped.append((block, READ_NEXT))
            kept.append(None)
            continue
        reason = _rule_reason(block, None, None)
        if reason is None and repeated and repeatable(text) and block_hash(text) in repeated:
            reason = REPEATED
        if reason:
            dropped.append((block, reason))
            kept.append(None)
        else:
            kept.append(block)
    # Teaser headlines need their neighbours, so they are judged once the
    # rule-based boilerplate is out of the way.
    survivors = [b for b in kept if b is not None]
    for block in _wire_furniture(survivors, source):
        dropped.append((block, WIRE_SIGNOFF))
        survivors.remove(block)
    # Text copied from a web page (one paragraph per line) carries teasers of
    # any length; in blank-line files only a full headline-like sentence
    # counts, since short standalone blocks there are crossheads or readers'
    # comment titles, which are content.
    min_words = 3 if convention == "one-per-line" else 6
    # Hard-wrapped wire copy carries no web teasers; its short standalone lines are
    # data lines and table rows.
    teasers = convention != "indented"
    for j, block in enumerate(survivors):
        prev = survivors[j - 1] if j > 0 else None
        nxt = survivors[j + 1] if j + 1 < len(survivors) else None
        if teasers and _is_related_headline(block, prev, nxt, min_words):
            dropped.append((block, HEADLINE))
        else:
            body.append(block)
    dropped.sort(key=lambda pair: pair[0].index)
    title_derived = False
    if title is None and body:
        title = derive_title(body[0].text)
        title_derived = True
    return Classified(title, title_derived, byline, body, dropped)


def _wire_furniture(survivors: list[Block], source: str) -> list[Block]:
    """A wire report's dateline standing alone before its first paragraph, and the
    agency's bare name or a staff signature closing it.

    A sign-off is a bare name (no verb, no sentence punctuation) that names an
    agency: a known one, one whose name says what it is ("Harbour Wire", "Valley
    News Service"), or the one in the report's own dateline ("(Kestrel) -"). A real
    last sentence never has that shape, so it always stays.
    """
    out: list[Block] = []
    if len(survivors) > 1 and _DATELINE_ALONE.match(survivors[0].text.strip()):
        out.append(survivors[0])
    own = {m.lower() for m in re.findall(r"\(([^()]{2,40})\)\s*[-–—]", source[:600])}
    for block in reversed(survivors[len(out) + 1:]):
        if len(out) >= 3:
            break
        text = block.text.strip()
        m = _BARE_NAME.match(text)
        name = m.group(1).rstrip(".…") if m else None
        bare = re.sub(r"(\.{3}|[.…])?(\^M)?$", "", text.strip("()[] ")).lower()
        if _STAFF.match(text) or bare in _AGENCIES or name and (
                name.lower() in own or _AGENCY_WORDS.search(name)):
            out.append(block)
        else:
            break
    return out


def _followed_by_blank(source: str, first: Block, second: Block) -> bool:
    return "\n\n" in re.sub(r"[ \t]+", "", source[first.end:second.start])
