"""Optional manifest: per-file metadata (outlet, title, url, published, byline).

A CSV with a header row, or JSON (a list of objects, or an object keyed by
path). Paths are matched against the article path relative to the folder
loaded, then against the bare file name; a record of an export (JSON Lines, JSON, CSV)
also by its key (its id, or ``export.jsonl:17``), then by the export's path, and a row's
values win over what a page or record gives itself (see :func:`matching_key`).

Column names are matched in any case, and ``date``, ``author``, ``link`` and ``source``
are read as ``published``, ``byline``, ``url`` and ``outlet``; other columns are named in
a warning. A field a row gives replaces the stored value, a blank one clears it (a blank
``title`` or ``byline`` brings back the file's own); a field the manifest does not give at
all leaves the stored value alone, also when the file changes. Dates are stored as ISO 8601 (``2024-01-16``, or
``2024-01``, ``2024``, or with a time): common spellings ("16 January 2024",
"Jan 16, 2024", "2024/01/16", "16/01/2024") are converted, and a value that is not a date
is left out with a warning naming the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path, PurePosixPath

FIELDS = ("outlet", "title", "url", "published", "byline")
ALIASES = {"date": "published", "author": "byline", "link": "url", "source": "outlet"}
PATH_COLUMNS = ("path", "file")


class ManifestError(ValueError):
    pass


class Manifest(dict):
    """``{path: {field: value}}``, and the paths given more than once (the last wins)."""

    repeated: list[str]
    ignored: list[str]
    clashes: list[str]
    bad_dates: list[tuple[str, str]]

    def __init__(self) -> None:
        super().__init__()
        self.repeated = []
        self.ignored = []  # columns (keys) that are no field
        self.clashes = []  # fields two columns give
        self.bad_dates = []  # (path, value as given)


def read_manifest(path: str | Path) -> Manifest:
    """Read a manifest into ``{path: {field: value}}``; raise ManifestError with a reason."""
    p = Path(path)
    try:
        raw = p.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ManifestError(f"{path}: manifest not found") from None
    except UnicodeDecodeError as e:
        raise ManifestError(f"{path}: manifest is not UTF-8 ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise ManifestError(f"{path}: cannot read manifest ({e.strerror})") from None
    if p.suffix.lower() == ".json" or raw.lstrip().startswith(("[", "{")):
        rows = _json_rows(path, raw)
    else:
        rows = _csv_rows(path, raw)
    out = Manifest()
    ignored: dict[str, None] = {}
    clashes: dict[str, None] = {}
    for n, raw_row in enumerate(rows, 1):
        row: dict = {}
        for name, value in raw_row.items():
            field = _field_name(name)
            if field is None:
                ignored[str(name)] = None
            elif field in row:
                # Two columns give one field ("date" and "published"): the first with a
                # value is used, and the clash is named once.
                clashes.setdefault(field, None)
                if _blank(row[field]):
                    row[field] = value
            else:
                row[field] = value
        key = row.get("path") or row.get("file") or ""
        if not isinstance(key, str):
            raise ManifestError(f"{path}: entry {n} has a 'path' that is not text: {key!r}")
        key = key.strip()
        if not key:
            raise ManifestError(f"{path}: entry {n} has no 'path'")
        key = str(PurePosixPath(key.replace("\\", "/")))
        if key in out:
            out.repeated.append(key)
        fields: dict[str, str | None] = {}
        for f in FIELDS:
            if f not in row:
                continue  # not given: the stored value stays
            value = row[f]
            if not (value is None or isinstance(value, str)
                    or (f == "published" and type(value) is int)):
                raise ManifestError(f"{path}: entry {n} ({key}): '{f}' is not text:"
                                    f" {json.dumps(value)[:60]}")
            text = None if value is None else (str(value).strip() or None)
            if f == "published" and text is not None:
                iso = iso_date(text)
                if iso is None:
                    out.bad_dates.append((key, text))
                    continue
                text = iso
            fields[f] = text
        out[key] = fields
    out.ignored = list(ignored)
    out.clashes = list(clashes)
    return out


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _field_name(column) -> str | None:
    """The field a manifest column gives (``path`` or ``file`` for the path), else None."""
    name = str(column or "").strip().lower()
    name = ALIASES.get(name, name)
    return name if name in FIELDS or name in PATH_COLUMNS else None


_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], 1) for m in names}
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?"
                  r"(Z|[+-]\d{2}:?\d{2})?)?)?)?")
_MONTH_YEAR = re.compile(r"([a-z]+)\.?,?\s+(\d{4})")
_SLASHED = re.compile(r"(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})")
_WORDY = re.compile(r"(?:[a-z]+,?\s+)?(?:(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?|([a-z]+)\.?"
                    r"\s+(\d{1,2})(?:st|nd|rd|th)?,?)\s+(\d{4})")


def iso_date(text: str) -> str | None:
    """``text`` as an ISO 8601 date (keeping a time if it has one), or None if it is
    not a date or is ambiguous.

    >>> [iso_date(t) for t in ("2024-01-16", "2024-01", "2024-01-16T09:30:00Z",
    ...                        "16 January 2024", "Jan 8, 2024", "Tuesday, 16 Jan 2024",
    ...                        "2024/01/16", "16/01/2024", "01/16/2024")]
    ['2024-01-16', '2024-01', '2024-01-16T09:30:00Z', '2024-01-16', '2024-01-08', '2024-01-16', '2024-01-16', '2024-01-16', '2024-01-16']
    >>> [iso_date(t) for t in ("2024-1-5", "Jan 2024", "2024-01-05T10:00+0100")]
    ['2024-01-05', '2024-01', '2024-01-05T10:00+01:00']
    >>> [iso_date(t) for t in ("yesterday", "2024-02-30", "03/04/2024", "2024-13",
    ...                        "2024-01-05T25:99")]
    [None, None, None, None, None]
    """
    t = text.strip()
    m = _ISO.fullmatch(t)
    if m:
        year, month, day, hour, minute, second, fraction, zone = m.groups()
        if not _valid(int(year), int(month or 1), int(day or 1)):
            return None
        out = year + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if day else "")
        if hour is None:
            return out
        if int(hour) > 23 or int(minute) > 59 or (second and int(second) > 59):
            return None
        out += f"T{hour}:{minute}" + (f":{second}{fraction or ''}" if second else "")
        if zone and zone != "Z" and ":" not in zone:
            zone = zone[:3] + ":" + zone[3:]  # +0100 as SQLite reads it: +01:00
        return out + (zone or "")
    m = _MONTH_YEAR.fullmatch(t.lower())
    if m and _MONTHS.get(m.group(1)):
        return f"{int(m.group(2)):04d}-{_MONTHS[m.group(1)]:02d}"
    m = _SLASHED.fullmatch(t)
    if m:
        a, b, c = m.groups()
        if len(a) == 4:
            year, month, day = int(a), int(b), int(c)
        elif len(c) == 4:
            first, second = int(a), int(b)
            if first > 12 >= second:
                day, month = first, second
            elif second > 12 >= first:
                month, day = first, second
            elif first == second:
                day = month = first
            else:
                return None  # 03/04/2024: March or April depends on the country
            year = int(c)
        else:
            return None
        return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None
    m = _WORDY.fullmatch(t.lower())
    if m:
        day = m.group(1) or m.group(4)
        month = _MONTHS.get(m.group(2) or m.group(3))
        year = int(m.group(5))
        if month and _valid(year, month, int(day)):
            return f"{year:04d}-{month:02d}-{int(day):02d}"
    return None


def ambiguous_date(text: str) -> bool:
    """``03/04/2024``: a valid date either way round (March or April).

    >>> ambiguous_date("03/04/2024"), ambiguous_date("13/04/2024")
    (True, False)
    """
    m = _SLASHED.fullmatch(text.strip())
    return bool(m) and len(m.group(3)) == 4 and int(m.group(1)) <= 12 \
        and int(m.group(2)) <= 12 and m.group(1) != m.group(2)


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return 1000 <= year <= 2999


def _json_rows(path, raw: str) -> list[dict]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise ManifestError(f"{path}: invalid JSON ({e.msg}, line {e.lineno})") from None
    except RecursionError:
        raise ManifestError(f"{path}: JSON nested too deeply: a manifest is a list of"
                            " objects, or an object keyed by path") from None
    if isinstance(data, dict):
        if not all(isinstance(v, dict) or v is None for v in data.values()):
            raise ManifestError(f"{path}: an object keyed by path needs an object of fields"
                                ' for each path ({"a.txt": {"outlet": "..."}})')
        data = [{"path": k, **(v or {})} for k, v in data.items()]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ManifestError(f"{path}: expected a list of objects or an object keyed by path")
    return data


def _csv_rows(path, raw: str) -> list[dict]:
    header = raw.split("\n", 1)[0]
    # Spreadsheets in some locales write semicolons (or tabs) between cells.
    delimiter = max(",;\t", key=header.count)
    reader = csv.DictReader(io.StringIO(raw), delimiter=delimiter)
    try:
        fieldnames = reader.fieldnames
    except csv.Error as e:
        raise ManifestError(f"{path}: line 1: {e}") from None
    if not fieldnames or "path" not in [_field_name(f) for f in fieldnames]:
        raise ManifestError(f"{path}: CSV manifest needs a header row with a 'path' column")
    # Cells past the header's columns (DictReader's None key) belong to no field; rows of
    # empty cells (spreadsheets leave them at the end) hold nothing.
    try:
        return [{k: v for k, v in row.items() if k is not None} for row in reader
                if any(not _blank(v) for k, v in row.items() if k is not None)]
    except csv.Error as e:  # a cell past the csv module's limit of 131,072 characters
        # (line_num counts the lines read before the one that failed)
        raise ManifestError(f"{path}: line {reader.line_num + 1}: {e}") from None


def matching_key(manifest: dict[str, dict], rel_path: str, key: str | None = None
                 ) -> str | None:
    """The manifest path that gives ``rel_path`` its metadata, if any.

    A file is matched by its path, then by its bare name. A record of an export (``key``
    given: its id, or ``export.jsonl:17``; its path ``export.jsonl#<id>`` or the same
    ``export.jsonl:17``) by its path, then its key, then the export's path or name, so
    that one row can give an outlet to a whole export and another a title to one record.

    >>> rows = {"a.txt": {}, "r7": {}, "feed.jsonl": {}}
    >>> matching_key(rows, "news/a.txt"), matching_key(rows, "feed.jsonl#r7", "r7")
    ('a.txt', 'r7')
    >>> matching_key(rows, "x/feed.jsonl#r8", "r8"), matching_key(rows, "feed.jsonl:3", "feed.jsonl:3")
    ('feed.jsonl', 'feed.jsonl')
    """
    candidates = [rel_path]
    if key is not None:
        candidates.append(key)
    else:
        candidates.append(PurePosixPath(rel_path).name)
    if key is not None:
        if rel_path.endswith("#" + key):
            export = rel_path[:-len(key) - 1]
        else:
            export = rel_path.rsplit(":", 1)[0]
        candidates += [export, PurePosixPath(export).name]
    for candidate in candidates:
        if candidate in manifest:
            return candidate
    return None


def merge_fields(own: dict, given: dict) -> dict:
    """An item's metadata: what its file gives (a page's or a record's own title, outlet,
    date...), with a manifest row's values over it. A blank in the row brings back the
    file's own value where it has one (as a blank title brings back a text file's).

    >>> merge_fields({"title": "Own", "outlet": "Wire"}, {"outlet": "Courier", "title": None})
    {'title': 'Own', 'outlet': 'Courier'}
    """
    out = dict(own)
    for f, value in given.items():
        if value is not None or not own.get(f):
            out[f] = value
    return out


def warnings(manifest: Manifest, used: set[str], source: str) -> list[str]:
    """What a user should hear about a manifest: paths given twice, rows no file used."""
    out = []
    if manifest.repeated:
        out.append(f"{source}: {len(manifest.repeated)} path(s) given more than once, the"
                   f" last row used (e.g. {manifest.repeated[0]})")
    if manifest.clashes:
        out.append(f"{source}: more than one column gives {', '.join(manifest.clashes)}: the"
                   " first with a value in each row is used")
    if manifest.ignored:
        out.append(f"{source}: column(s) {', '.join(repr(c) for c in manifest.ignored)} not"
                   f" read: the fields are path, {', '.join(FIELDS)} (also date, author,"
                   " link, source)")
    for key, value in manifest.bad_dates[:5]:
        what = ("gives day and month in an order that cannot be told apart"
                if ambiguous_date(value) else "is not a date")
        out.append(f"{source}: {key}: published {value!r} {what} (write YYYY-MM-DD): left out")
    if len(manifest.bad_dates) > 5:
        out.append(f"{source}: {len(manifest.bad_dates) - 5} more published value(s) that are"
                   " not dates left out")
    unused = [k for k in manifest if k not in used]
    if unused:
        out.append(f"{source}: {len(unused)} row(s) match no file of this load (e.g."
                   f" {unused[0]}); paths are matched relative to the folder loaded, then"
                   " by file name (a record of an export: by its key too)")
    return out
