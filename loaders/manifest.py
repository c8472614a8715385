"""Optional manifest: per-file metadata (outlet, title, url, published, byline).

A CSV with a header row, or JSON (a list of objects, or an object keyed by
path). Paths are matched against the article path relative to the folder
loaded, then against the bare file name.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path, PurePosixPath

FIELDS = ("outlet", "title", "url", "published", "byline")


class ManifestError(ValueError):
    pass


class Manifest(dict):
    """``{path: {field: value}}``, and the paths given more than once (the last wins)."""

    repeated: list[str]

    def __init__(self) -> None:
        super().__init__()
        self.repeated = []


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
    for n, row in enumerate(rows, 1):
        key = row.get("path") or row.get("file") or ""
        if not isinstance(key, str):
            raise ManifestError(f"{path}: entry {n} has a 'path' that is not text: {key!r}")
        key = key.strip()
        if not key:
            raise ManifestError(f"{path}: entry {n} has no 'path'")
        key = str(PurePosixPath(key.replace("\\", "/")))
        if key in out:
            out.repeated.append(key)
        out[key] = {
            f: (str(row[f]).strip() or None) if row.get(f) is not None else None for f in FIELDS
        }
    return out


def _json_rows(path, raw: str) -> list[dict]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise ManifestError(f"{path}: invalid JSON ({e.msg}, line {e.lineno})") from None
    if isinstance(data, dict):
        if not all(isinstance(v, dict) or v is None for v in data.values()):
            raise ManifestError(f"{path}: an object keyed by path needs an object of fields"
                                ' for each path ({"a.txt": {"outlet": "..."}})')
        data = [{"path": k, **(v or {})} for k, v in data.items()]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ManifestError(f"{path}: expected a list of objects or an object keyed by path")
    return data


def _csv_rows(path, raw: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(raw))
    if not reader.fieldnames or "path" not in [f.strip() for f in reader.fieldnames]:
        raise ManifestError(f"{path}: CSV manifest needs a header row with a 'path' column")
    return [{(k or "").strip(): v for k, v in row.items()} for row in reader]


def matching_key(manifest: dict[str, dict], rel_path: str) -> str | None:
    """The manifest path that gives ``rel_path`` its metadata, if any."""
    if rel_path in manifest:
        return rel_path
    name = PurePosixPath(rel_path).name
    return name if name in manifest else None


def warnings(manifest: Manifest, used: set[str], source: str) -> list[str]:
    """What a user should hear about a manifest: paths given twice, rows no file used."""
    out = []
    if manifest.repeated:
        out.append(f"{source}: {len(manifest.repeated)} path(s) given more than once, the"
                   f" last row used (e.g. {manifest.repeated[0]})")
    unused = [k for k in manifest if k not in used]
    if unused:
        out.append(f"{source}: {len(unused)} row(s) match no file of this load (e.g."
                   f" {unused[0]}); paths are matched relative to the folder loaded, then"
                   " by file name")
    return out
