"""Metadata as the corpus stores it: published dates in ISO 8601, one name per outlet.

Dates arrive in every shape exports and pages use: ISO 8601 with or without a time zone,
RFC 2822 (``Thu, 03 Dec 2026 10:00:00 +0000``, feeds and mail headers), written dates
("3 December 2026", "Dec. 3, 2026, 10:00 a.m."), slashed dates whose day/month order can
be told, and unix times (seconds or milliseconds, as numbers or digit strings).

Outlet names arrive as "The Harbour Gazette", "harbour gazette", "HARBOUR GAZETTE",
"www.harbourgazette.example" or only as an article's URL. :class:`OutletNames` learns
from the data itself which spellings and domains belong together and picks one name for
each outlet; no list of real outlets is built in.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections import Counter, defaultdict
from urllib.parse import urlsplit

from ..manifest import iso_date as _iso_date

_AMPM = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\.?$")
_TIME_TAIL = re.compile(
    r"^(.*?\d{4})(?:,|\s+at|\s*-)?\s+(\d{1,2}(?:[:.]\d{2})?(?::\d{2})?\s*(?:[ap]\.?m\.?)?)"
    r"(?:\s+(?:[A-Z]{2,4}|UTC|GMT|Z))?$", re.IGNORECASE)
_DIGITS = re.compile(r"^-?\d+(\.\d+)?$")
_ZONE_WORD = re.compile(r"\s+(?:UTC|GMT)$", re.IGNORECASE)
UNIX_MIN, UNIX_MAX = dt.datetime(1990, 1, 1).timestamp(), dt.datetime(2100, 1, 1).timestamp()
"""Unix times outside these years are not taken for dates (a count, an id)."""


def iso_date(value) -> str | None:
    """``value`` (text or a number) as an ISO 8601 date or date-time, or None if it is not
    a date, or a day/month order that could be either.

    A time zone given is kept (``Z`` for UTC); a unix time becomes a UTC time.

    >>> [iso_date(v) for v in ("2026-12-03T10:00:00Z", "Thu, 03 Dec 2026 10:00:00 +0000",
    ...                        "3 December 2026", "December 3, 2026", 1796292000, "1796292000000")]
    ['2026-12-03T10:00:00Z', '2026-12-03T10:00:00+00:00', '2026-12-03', '2026-12-03', '2026-12-03T10:00:00Z', '2026-12-03T10:00:00Z']
    >>> [iso_date(v) for v in ("Dec. 3, 2026, 10:05 a.m.", "3 December 2026 14:30", "2026-12-03 10:00:00",
    ...                        "2026-12-03T10:00:00.123+01:00", "Updated 3 Dec 2026")]
    ['2026-12-03T10:05', '2026-12-03T14:30', '2026-12-03T10:00:00', '2026-12-03T10:00:00.123+01:00', '2026-12-03']
    >>> [iso_date(v) for v in ("yesterday", "03/04/2026", "", None, 42, True, "2026-02-30")]
    [None, None, None, None, None, None, None]
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _unix(float(value))
    text = " ".join(str(value).split())
    if not text:
        return None
    if _DIGITS.match(text):
        return _unix(float(text)) if len(text.split(".")[0].lstrip("-")) >= 9 else _iso_date(text)
    found = _iso_date(text)
    if found:
        return found
    if "," in text[:5] or re.search(r"[+-]\d{4}$|\b(?:GMT|UTC|UT)$", text):
        rfc = _rfc2822(text)
        if rfc:
            return rfc
    text = re.sub(r"^(?:published|updated|posted|first published|last updated)(?: on)?:?\s+",
                  "", text, flags=re.IGNORECASE)
    text = _ZONE_WORD.sub("", text)
    found = _iso_date(text) or _iso_date(text.replace(".", "").replace(" ,", ","))
    if found:
        return found
    m = _TIME_TAIL.match(text)
    if m:
        day = _iso_date(m.group(1)) or _iso_date(m.group(1).replace(".", ""))
        clock = _clock(m.group(2))
        if day and clock and len(day) == 10:
            return f"{day}T{clock}"
    return None


def _unix(seconds: float) -> str | None:
    if abs(seconds) > 1e11:  # milliseconds
        seconds /= 1000
    if not UNIX_MIN <= seconds <= UNIX_MAX:
        return None
    t = dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + "Z"


def _rfc2822(text: str) -> str | None:
    try:
        t = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if t is None or not 1000 <= t.year <= 2999:
        return None
    out = t.strftime("%Y-%m-%dT%H:%M:%S")
    if t.tzinfo is None:
        return out
    offset = t.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return out + f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _clock(text: str) -> str | None:
    t = text.strip().lower().replace(" ", "")
    m = _AMPM.match(t)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        hour = hour % 12 + (12 if m.group(3) == "p" else 0)
        return f"{hour:02d}:{minute:02d}"
    m = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?", t)
    if m and int(m.group(1)) <= 23 and int(m.group(2)) <= 59 and int(m.group(3) or 0) <= 59:
        return f"{int(m.group(1)):02d}:{m.group(2)}" + (f":{m.group(3)}" if m.group(3) else "")
    return None


# --- outlets -------------------------------------------------------------------------

_SUBDOMAINS = {"www", "www1", "www2", "m", "mobile", "amp", "edition", "news", "en"}


def domain(url: str | None) -> str | None:
    """The host of ``url`` (or of a bare host name) without ``www.`` and port, lower case.

    >>> domain("https://www.HarbourGazette.example:443/a/b"), domain("harbourgazette.example"), domain("")
    ('harbourgazette.example', 'harbourgazette.example', None)
    """
    if not url or not isinstance(url, str):
        return None
    u = url.strip()
    if "//" not in u:
        if " " in u or "." not in u:
            return None
        u = "//" + u
    try:
        host = (urlsplit(u).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    labels = host.split(".")
    while len(labels) > 2 and labels[0] in _SUBDOMAINS:
        labels = labels[1:]
    host = ".".join(labels)
    return host if "." in host else None


def clean_outlet(name) -> str | None:
    """An outlet name as given, tidied: spaces collapsed, quotes and trailing dots off.

    >>> clean_outlet("  The   Harbour Gazette. "), clean_outlet(""), clean_outlet(None)
    ('The Harbour Gazette', None, None)
    """
    if name is None:
        return None
    text = " ".join(str(name).split()).strip("\"'\u201c\u201d.,;:|-\u2013\u2014 ")
    return text or None


def outlet_key(name: str | None) -> str | None:
    """What spellings of one outlet share: case, a leading "The", ``www.``, the domain's
    suffix and everything but letters and digits left out.

    >>> [outlet_key(n) for n in ("The Harbour Gazette", "HARBOUR GAZETTE", "harbour-gazette",
    ...                          "www.harbourgazette.example", "harbourgazette.co.uk")]
    ['harbourgazette', 'harbourgazette', 'harbourgazette', 'harbourgazette', 'harbourgazette']
    """
    name = clean_outlet(name)
    if not name:
        return None
    host = domain(name) if " " not in name and "." in name else None
    if host:
        # The registrable label: the longest of the host's labels before its suffix
        # (harbourgazette.co.uk, edition.harbourgazette.example).
        labels = host.split(".")[:-1] or host.split(".")
        name = max(labels, key=len)
    text = name.casefold()
    text = re.sub(r"^the\s+", "", text)
    text = text.replace("&", "and")
    key = re.sub(r"[\W_]+", "", text)
    return key or None


def _spelling_rank(name: str, count: int) -> tuple:
    """How good a display name a spelling is (larger is better): a name rather than a
    domain, then mixed case rather than all capitals or all lower case, then the spelling
    seen most often, then with its "The"."""
    is_host = " " not in name and domain(name) is not None
    mixed = name != name.upper() and name != name.lower()
    return (not is_host, mixed, count, name.lower().startswith("the "), len(name))


class OutletNames:
    """One name per outlet, learnt from the data.

    :meth:`add` every outlet value seen (with the article's URL when known); then
    :meth:`name` gives the name to store for a value (and URL). Spellings that share an
    :func:`outlet_key` are one outlet, and a domain is that of the outlet whose articles
    carry it in their URLs (``harbourgazette.example`` -> "The Harbour Gazette"); an
    article without an outlet takes the outlet of its URL's domain. The name chosen is a
    proper name in mixed case over a domain or all capitals, then the spelling seen most
    often, then one with its "The" (the order in which values arrive does not matter). Memory grows with the
    number of distinct spellings and domains, not of articles.

    >>> names = OutletNames()
    >>> for outlet, url in [("The Harbour Gazette", "https://harbourgazette.example/a"),
    ...                     ("HARBOUR GAZETTE", None), ("harbour gazette", None),
    ...                     ("The Harbour Gazette", None), (None, "https://www.harbourgazette.example/b"),
    ...                     ("Vale Courier", "https://news.valecourier.example/c")]:
    ...     names.add(outlet, url)
    >>> names.name("HARBOUR GAZETTE"), names.name(None, "https://harbourgazette.example/z")
    ('The Harbour Gazette', 'The Harbour Gazette')
    >>> names.name("valecourier.example"), names.name("Unknown Herald"), names.name(None)
    ('Vale Courier', 'Unknown Herald', None)
    """

    def __init__(self) -> None:
        self._spellings: dict[str, Counter] = defaultdict(Counter)
        self._domains: dict[str, Counter] = defaultdict(Counter)

    def add(self, outlet, url: str | None = None) -> None:
        name = clean_outlet(outlet)
        host = domain(url)
        key = outlet_key(name)
        if key:
            self._spellings[key][name] += 1
            if host:
                self._domains[host][key] += 1
        elif host:
            self._domains[host]  # noqa: B018 (seen, with no name yet)

    def _key_for_domain(self, host: str) -> str | None:
        keys = self._domains.get(host)
        if keys:
            return max(sorted(keys), key=keys.__getitem__)
        return None

    def name(self, outlet, url: str | None = None) -> str | None:
        """The name to store for an article with this outlet value and URL."""
        name = clean_outlet(outlet)
        key = outlet_key(name)
        if name and " " not in name and domain(name):
            key = self._key_for_domain(domain(name)) or key
        if key is None:
            host = domain(url)
            key = self._key_for_domain(host) if host else None
            if key is None:
                return None
        spellings = self._spellings.get(key)
        if not spellings:
            return name
        return max(sorted(spellings), key=lambda s: _spelling_rank(s, spellings[s]))

    def mapping(self) -> dict[str, str]:
        """Every spelling seen, and the name it is stored as (for renaming stored rows)."""
        out = {}
        for spellings in self._spellings.values():
            for s in spellings:
                out[s] = self.name(s)
        return out
