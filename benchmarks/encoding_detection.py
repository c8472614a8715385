"""How well legacy encodings are recovered once UTF-8 fails: the loader's hand-written
rule (cp1252, refused when it reads as noise) against charset-normalizer.

Data: ``benchmarks/gold/encodings.json``, fictional news paragraphs we wrote in eight
languages (Polish, Czech, German, French, Spanish, Russian, Greek, Turkish), each stored in
the two legacy encodings its language used (ISO-8859-x and the Windows code page, KOI8-R
for Russian): 32 files, half of them (part ``tuning``) used to choose the combined rule
below, half (``measure``) held out. A file counts as recovered when the decoded text is
exactly the text written; "silently wrong" counts files decoded to other text with no
error (mojibake stored without a warning).

Methods, in the same run:
- ``baseline``: every file read as cp1252 (what a plain reader does);
- ``hand``: the loader's own :func:`datasette_reportcorpus.loaders.text.read.decode`;
- ``charset-normalizer``: its best guess;
- ``combined``: charset-normalizer, except that a guess of a Western code page (cp1252,
  Latin-1, Latin-9) is read as cp1252, the superset the hand rule uses.

Usage: ``python benchmarks/encoding_detection.py`` (charset-normalizer installed; the
script says so and exits 0 when it is not).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from datasette_reportcorpus.loaders.text.read import ReadError, decode

GOLD = Path(__file__).resolve().parent / "gold" / "encodings.json"
WESTERN = {"cp1252", "latin_1", "iso8859_15", "iso8859_1", "ascii"}


def cases() -> list[dict]:
    out = []
    for t in json.loads(GOLD.read_text(encoding="utf-8"))["texts"]:
        for enc in t["encodings"]:
            out.append({"id": f"{t['id']}/{enc}", "part": t["part"], "text": t["text"],
                        "data": t["text"].encode(enc), "encoding": enc})
    return out


def baseline(data: bytes) -> str | None:
    return data.decode("cp1252", errors="strict") if _cp1252_ok(data) else None


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def hand(data: bytes) -> str | None:
    try:
        return decode(data)[0]
    except ReadError:
        return None


def normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else str(best)


def combined(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return hand(data)
    if best.encoding in WESTERN:
        return hand(data)
    return str(best)


METHODS = {"baseline": baseline, "hand": hand, "charset-normalizer": normalizer,
           "combined": combined}


def main() -> int:
    try:
        import charset_normalizer
    except ImportError:
        print("skipped: charset-normalizer is not installed (pip install charset-normalizer)")
        return 0
    print(f"charset-normalizer {charset_normalizer.__version__}")
    all_cases = cases()
    for part in ("tuning", "measure"):
        chosen = [c for c in all_cases if c["part"] == part]
        print(f"\npart {part}: {len(chosen)} files")
        for name, method in METHODS.items():
            right = wrong = refused = 0
            missed = []
            started = time.perf_counter()
            for c in chosen:
                got = method(c["data"])
                if got == c["text"]:
                    right += 1
                elif got is None:
                    refused += 1
                    missed.append(c["id"] + " (refused)")
                else:
                    wrong += 1
                    missed.append(c["id"])
            ms = (time.perf_counter() - started) * 1000 / len(chosen)
            print(f"  {name:20s} recovered {right:2d}/{len(chosen)}  silently wrong {wrong:2d}"
                  f"  refused {refused:2d}  {ms:6.2f} ms/file")
            if missed and name != "baseline":
                print("      missed: " + ", ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
