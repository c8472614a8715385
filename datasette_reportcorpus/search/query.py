"""What the user typed in the search box, read as an FTS5 query.

Pure functions (no Datasette, no SQL): :func:`parse_query` turns a search box entry
into an :class:`FtsQuery`; :func:`run_as_fts_or_words` runs a query through a caller's
function and falls back to its plain words where SQLite refuses it. This module is
long (about 400 lines) because it is one grammar: the forgiving reading of FTS5 syntax
below, its exclusions and its fallbacks belong together and are tested together.

What a user may type (FTS5 syntax, made forgiving)::

    strike pay              both words (any order)
    "pay offer"             the phrase
    strike OR walkout       either word; also AND, NOT and parentheses
    dock*                   words starting with dock
    three-week, Saltry's    punctuated words are searched as phrases ("three week")
    strike -pay             leave out paragraphs with a word, as web search engines do

A query FTS5 would reject (an unmatched quote or parenthesis, an operator with
nothing on one side) is searched as its plain words instead, with a message saying so.
A query holding no word at all (only operators or punctuation: ``AND``, ``*** (((``,
``"" OR``, ``-``) is not searched: :func:`parse_query` returns an empty ``fts`` and a
message naming what it holds instead of rewriting it into some other search.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

OPERATORS = {"AND", "OR", "NOT"}
_BAREWORD = re.compile(r"^[\w\u0080-\U0010ffff]+\*?$")
_TOKEN = re.compile(r'"(?:[^"]|"")*"?|\(|\)|[^\s()"]+')
# Control characters never occur in a word; NUL would also cut SQLite's reading of the
# query string short.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class FtsQuery:
    """What to hand FTS5 (``fts``), how it was read, and what to tell the user."""

    text: str            # as typed
    fts: str             # the MATCH expression actually run
    mode: str            # "syntax": FTS5 operators honoured; "words": plain words only;
    #                      "none": nothing to search for (``fts`` is empty)
    message: str | None  # why the query was read as plain words, if it was


def parse_query(text: str) -> FtsQuery:
    """Read a search box entry as FTS5 syntax, or as plain words when it is malformed.

    >>> parse_query('dock strike').fts
    'dock strike'
    >>> parse_query('three-week').fts
    '"three-week"'
    >>> q = parse_query('"pay offer')
    >>> q.mode, q.fts
    ('words', '"pay" "offer"')
    >>> parse_query('dock\\x00 strike').fts
    'dock strike'
    >>> parse_query('strike -pay').fts, parse_query('text:strike').fts
    ('strike NOT pay', 'strike')
    >>> parse_query('strike -(pay OR wages)').fts
    'strike NOT ( pay OR wages )'
    >>> parse_query('NEAR(dock strike, 3) -pay').fts, parse_query('“pay offer”').fts
    ('NEAR(dock strike, 3) NOT pay', '"pay offer"')
    """
    typed = _CONTROL.sub(" ", text).strip()
    text = _prepared(typed)
    nothing = no_word_message(text)
    if nothing:
        return FtsQuery(typed, "", "none", nothing)
    if re.search(r"\bNEAR\s*\(", text):
        # NEAR groups have their own grammar; FTS5 judges them (errors fall back). What
        # a leading minus marks outside them is left out as anywhere else.
        kept, left_out = _near_exclusions(text)
        if not kept.strip():
            return FtsQuery(typed, "", "none", _NEEDS_A_WORD)
        fts = kept.strip() + "".join(f" NOT {t}" for t in left_out)
        return FtsQuery(typed, fts, "syntax", None)
    other = _OTHER_COLUMN.search(text)
    note = None
    if other:
        # "title:oil": the index holds paragraph text only; the word is searched alone.
        note = (f"The search covers paragraph text only, so {other.group(2)}: is not a"
                " column here (narrow by outlet, story or title with the facets); the"
                " words after it are searched in the text.")
        text = _OTHER_COLUMN.sub(lambda m: m.group(1), text)
    tokens = _TOKEN.findall(text)
    tokens, left_out = _web_exclusions(tokens)
    if left_out and not any(t not in OPERATORS and t not in ("(", ")") for t in tokens):
        return FtsQuery(typed, "", "none", _NEEDS_A_WORD)
    lower_ops = [t for t in tokens[1:-1] if t in ("or", "and", "not")]
    if lower_ops and not any(t in OPERATORS for t in tokens):
        word = lower_ops[0]
        note = ((note + " ") if note else "") + (
            f'"{word}" was searched for as a word: write {word.upper()} in capitals to'
            " combine words (OR, AND, NOT).")
    tokens = _with_explicit_and(tokens)
    problem = _problem(tokens)
    if problem is None:
        query = FtsQuery(typed, " ".join(_syntax_token(t) for t in tokens), "syntax", None)
    else:
        # The rest as plain words; the words left out stay left out.
        query = words_query(" ".join(tokens), problem)
        query = FtsQuery(typed, query.fts, query.mode, query.message)
    if note:
        query = FtsQuery(typed, query.fts, query.mode,
                         note + (" " + query.message if query.message else ""))
    if not left_out or not query.fts:
        return query
    fts = f"( {query.fts} )" if any(t in ("OR", "(", ")") for t in tokens) else query.fts
    fts += "".join(f" NOT {t if t.startswith('(') else _syntax_token(t)}" for t in left_out)
    return FtsQuery(typed, fts, query.mode, _still_left_out(query.message, left_out))


_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or digit: what the index's tokenizer keeps


def no_word_message(text: str) -> str | None:
    """Why ``text`` holds nothing to search for, naming what it holds instead, or None
    when it has a word (a letter or digit outside an operator).

    >>> no_word_message("strike OR") is None, no_word_message("NEAR") is None
    (True, True)
    >>> print(no_word_message("AND"))
    Nothing was searched: the search holds no word to find. AND is a search operator, which joins words (strike AND walkout). Type a word or a number, or put an operator in quotes ("AND") to find it as a word.
    >>> print(no_word_message("*** ((("))
    Nothing was searched: the search holds no word to find. *** ((( is punctuation, which the index leaves out. Type a word or a number.
    """
    tokens = _TOKEN.findall(text)
    operators: list[str] = []
    other: list[str] = []
    for i, t in enumerate(tokens):
        near = t == "NEAR" and i + 1 < len(tokens) and tokens[i + 1] == "("
        if t in OPERATORS or near:
            if t not in operators:
                operators.append(t)
        elif _WORD_CHAR.search(t):
            return None
        else:
            other.append(t)
    if not tokens:
        return None  # empty: the page shows its help, not a complaint
    parts = []
    if operators:
        names = (operators[0] if len(operators) == 1
                 else ", ".join(operators[:-1]) + " and " + operators[-1])
        example = ("NEAR(strike pay)" if operators[0] == "NEAR"
                   else f"strike {operators[0]} walkout")
        verb = ("is a search operator, which joins" if len(operators) == 1
                else "are search operators, which join")
        parts.append(f"{names} {verb} words ({example})")
    if other:
        shown = text.strip() if not operators else " ".join(other)
        parts.append(f"{shown} is punctuation, which the index leaves out")
    hint = (f', or put an operator in quotes ("{operators[0]}") to find it as a word'
            if operators else "")
    return ("Nothing was searched: the search holds no word to find. "
            + "; ".join(parts) + f". Type a word or a number{hint}.")


_NEEDS_A_WORD = ("A search needs a word to find: a word with a leading minus only leaves"
                 " paragraphs out.")


def _prepared(text: str) -> str:
    """A search as read: control characters gone, curly and angle quotes as \", and the
    index's one column named or not ("text:strike", "-text:pay") the same."""
    text = _QUOTES.sub('"', _CONTROL.sub(" ", text))  # “a phrase” as phones type it
    return _COLUMN.sub(lambda m: m.group(1), text)


def _still_left_out(message: str | None, left_out: list[str]) -> str | None:
    """A message about a search read as plain words, saying its exclusions still hold."""
    if not message:
        return message
    return (message + " Paragraphs with " + ", ".join(t.strip('"') for t in left_out)
            + " are still left out.")


_EXCLUDED = re.compile(r'^-+(?=[^\W_]|")')  # -pay, -950, -"pay offer"
def _near_exclusions(text: str) -> tuple[str, list[str]]:
    """A query holding NEAR groups, without the words, phrases, groups or NEAR groups a
    leading minus marks outside any brackets, and those (each ready to follow NOT).

    >>> _near_exclusions('NEAR(dock strike) -(pay OR wages) -950 -"pay offer" -NEAR(a b)')
    ('NEAR(dock strike)', ['(pay OR wages)', '950', '"pay offer"', 'NEAR(a b)'])
    """
    kept: list[str] = []
    left_out: list[str] = []
    depth = i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "-" and depth == 0 and (i == 0 or text[i - 1].isspace() or text[i - 1] == ")"):
            j = i
            while j < n and text[j] == "-":
                j += 1
            near = re.match(r"NEAR\s*\(", text[j:])
            if j < n and (text[j] == "(" or near):
                opening = j + (near.end() - 1 if near else 0)
                end = _closing(text, opening)
                if end is not None:
                    left_out.append(text[j:end + 1])
                    i = end + 1
                    continue
            elif j < n and text[j] == '"':
                end = text.find('"', j + 1)
                if end > j + 1:
                    left_out.append(text[j:end + 1])
                    i = end + 1
                    continue
            else:
                word = re.match(r"[\w\u0080-\U0010ffff]+(?:['\u2019.,\-][\w\u0080-\U0010ffff]+)*",
                                text[j:])
                if word:
                    left_out.append(_syntax_token(word.group()))
                    i = j + word.end()
                    continue
        if c == '"':  # a phrase is copied whole: brackets inside it are text
            end = text.find('"', i + 1)
            end = n - 1 if end < 0 else end
            kept.append(text[i:end + 1])
            i = end + 1
            continue
        depth += {"(": 1, ")": -1}.get(c, 0)
        kept.append(c)
        i += 1
    return re.sub(r"\s+", " ", "".join(kept)).strip(), left_out


def _closing(text: str, opening: int) -> int | None:
    """The index of the ")" closing the "(" at ``opening`` (phrases skipped), or None."""
    depth = 0
    i = opening
    while i < len(text):
        if text[i] == '"':
            end = text.find('"', i + 1)
            if end < 0:
                return None
            i = end + 1
            continue
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
        i += 1
    return None


_QUOTES = re.compile("[\u201c\u201d\u201e\u201f\u00ab\u00bb\u301d\u301e\uff02]")
_COLUMN = re.compile(r"(?<![^\s(])(-*)text\s*:\s*", re.IGNORECASE)
_OTHER_COLUMN = re.compile(r"(?<![^\s(])(-*)([A-Za-z_]\w*)\s*:(?=\S)(?!//)")


def _web_exclusions(tokens: list[str]) -> tuple[list[str], list[str]]:
    """``strike -pay`` as web search engines read it: the tokens searched for, and the
    words or phrases to leave out (``pay``), which become ``NOT pay``."""
    # A minus before a quoted phrase is a token of its own: -"pay offer"; before a
    # bracketed group, the whole group is left out: -(pay OR wages).
    joined: list[str] = []
    groups: list[list[str]] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if joined and joined[-1] == "-" and t.startswith('"'):
            joined[-1] = "-" + t
        elif joined and joined[-1] == "-" and t == "(":
            end = _group_end(tokens, i)
            if end is None:
                joined.append(t)  # unbalanced: FTS5's reading decides
            else:
                joined.pop()
                groups.append(tokens[i:end + 1])
                i = end
        else:
            joined.append(t)
        i += 1
    tokens = [t for t in joined if t != "-"]  # a lone dash is no word
    kept: list[str] = []
    left_out = []
    for t in tokens:
        if _EXCLUDED.match(t):
            left_out.append(t.lstrip("-"))
            if kept and kept[-1] in OPERATORS:  # "oil AND -price": the AND goes too
                kept.pop()
        else:
            kept.append(t)
    # An unclosed phrase ("-\"pay") is left out as its words.
    left_out = [t if not t.startswith('"') or (t.count('"') % 2 == 0 and len(t) > 1)
                else _quote(t.strip('"')) for t in left_out]
    left_out = [t for t in left_out if t.strip('"')]
    for group in groups:
        group = _with_explicit_and(group)
        if _problem(group) is None:
            left_out.append(" ".join(_syntax_token(t) for t in group))
        else:  # its words, each left out
            left_out += [t for t in group if t not in OPERATORS and t not in ("(", ")")]
    return kept, left_out


def _group_end(tokens: list[str], start: int) -> int | None:
    """The index of the ")" closing the "(" at ``start``, or None."""
    depth = 0
    for j in range(start, len(tokens)):
        depth += {"(": 1, ")": -1}.get(tokens[j], 0)
        if depth == 0:
            return j
    return None


def _with_explicit_and(tokens: list[str]) -> list[str]:
    # FTS5 rejects "strike (pay OR wages)"; everyone means "strike AND (pay OR wages)".
    out: list[str] = []
    for t in tokens:
        after_term = bool(out) and out[-1] not in OPERATORS and out[-1] != "("
        if after_term and (t == "(" or (out[-1] == ")" and t != ")" and t not in OPERATORS)):
            out.append("AND")
        out.append(t)
    return out


async def run_as_fts_or_words(query: FtsQuery, run):
    """``(query, await run(query.fts))``, or, when SQLite refuses the MATCH argument (a
    query that passed our checks, such as a NEAR group FTS5 rejects), the same with the
    query read as plain words; ``(words query, None)`` when no word is left. Only the
    MATCH argument comes from the user, so such an error is about the query."""
    try:
        return query, await run(query.fts)
    except sqlite3.OperationalError:
        words = words_fallback(query.text, "FTS5 could not read this search.")
        if not words.fts:
            return words, None
        try:
            return words, await run(words.fts)
        except sqlite3.OperationalError:  # a group left out was unreadable too
            words = words_query(query.text, "FTS5 could not read this search.")
            return words, (await run(words.fts)) if words.fts else None


def words_fallback(text: str, message: str) -> FtsQuery:
    """``text`` as plain words, the words, phrases and groups a leading minus marks still
    left out.

    >>> words_fallback("NEAR(dock strike, x) -pay", "Unreadable.").fts
    '"dock" "strike" "x" NOT pay'
    """
    kept, left_out = _near_exclusions(_prepared(text))
    words = words_query(kept, message)
    if not words.fts or not left_out:
        return FtsQuery(text, words.fts, words.mode, words.message)
    fts = words.fts + "".join(f" NOT {t}" for t in left_out)
    return FtsQuery(text, fts, words.mode, _still_left_out(words.message, left_out))


def words_query(text: str, message: str) -> FtsQuery:
    """``text`` as plain words, each quoted (operators and punctuation ignored)."""
    found = re.findall(r"[\w\u0080-\U0010ffff]+(?:['’\-.][\w\u0080-\U0010ffff]+)*", text)
    # Operators are no words, unless nothing else is left ("OR" alone: the word "or").
    words = [w for w in found if w not in OPERATORS and w != "NEAR"] or found
    fts = " ".join(_quote(w) for w in words)
    if words:
        message += " Searched for the words " + ", ".join(words) + " instead."
    return FtsQuery(text, fts, "words", message)


def _problem(tokens: list[str]) -> str | None:
    """A helpful sentence describing why FTS5 would reject ``tokens``, or None."""
    depth = 0
    previous = None  # "term", "op", "(" or None at the start
    for t in tokens:
        if t.startswith('"'):
            if t.count('"') % 2:  # '"a""b"' is closed, '"a""' is not
                return 'The search has a double quote (") without its closing partner.'
            previous = "term"
        elif t == "(":
            depth += 1
            previous = "("
        elif t == ")":
            depth -= 1
            if depth < 0:
                return "The search closes a parenthesis it never opened."
            if previous in ("op", "("):
                return "A parenthesis encloses nothing to search for."
            previous = "term"
        elif t in OPERATORS:
            if previous in (None, "op", "("):
                return f"{t} needs a search term before it (e.g. strike {t} walkout)."
            previous = "op"
        else:
            previous = "term"
    if previous == "op":
        return f"{tokens[-1]} needs a search term after it (e.g. strike {tokens[-1]} walkout)."
    if depth > 0:
        return "The search opens a parenthesis it never closes."
    if previous is None:
        return "There is nothing to search for."
    return None


def _syntax_token(token: str) -> str:
    """A token as FTS5 should read it.

    The index holds Porter stems, and FTS5 stems a prefix too, but "negotiat" is no stem
    of anything ("negotiate" and "negotiations" are indexed as "negoti"), so a prefix
    ending in -at also searches its -ate form, which stems as the words do:

    >>> _syntax_token("negotiat*"), _syntax_token("dock*")
    ('( negotiat* OR negotiate* )', 'dock*')
    """
    if token.startswith('"') or token in ("(", ")") or token in OPERATORS:
        return token
    if _BAREWORD.match(token):
        if token.lower().endswith("at*") and len(token) > 5:
            return f"( {token} OR {token[:-1]}e* )"
        return token
    # Punctuated words (three-week, Saltry's, 2,600) are phrases to FTS5's tokenizer.
    return _quote(token)


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


