"""Bytes to normalised text.

Articles arrive as UTF-8 (with or without a byte-order mark), UTF-16 with a
BOM, or a Windows code page (cp1252, of which Latin-1 is nearly a subset).
Whatever arrives, the loader works on one normalised form: LF line ends, NFC,
ordinary spaces for non-breaking ones, no zero-width characters. Every offset
stored in the database points into that form.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata

MAX_BYTES = 5_000_000
"""Default size limit: the longest news report is far below 1 MB, so a larger
file is almost certainly not an article (a dump, an archive, a log)."""


class ReadError(ValueError):
    """The file cannot be read as an article; the message says why."""


_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile("[\u00a0\u202f\u2007]")
# C0 controls other than tab/newline/CR, and all C1 controls: real text has none.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode raw bytes, returning ``(text, encoding_used)``.

    >>> decode("caf\\u00e9".encode("utf-8"))
    ('café', 'utf-8')
    >>> decode(b"\\xa3400")
    ('£400', 'cp1252')
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as e:
            raise ReadError(f"cannot decode as {encoding}: {e}") from None
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "utf-16"
    if b"\x00" in data:
        raise ReadError("binary file (contains NUL bytes)" + _wide_text_hint(data))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    # Not UTF-8. A cp1252 file decodes cleanly and reads as text; random bytes
    # decode to a soup of controls and rare symbols, which we refuse rather
    # than index as words.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_like_text(text):
        return text, "cp1252"
    raise ReadError(
        f"undecodable bytes: not UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset "
        f"{utf8_error.start}) and not plausible cp1252 text; pass --encoding if you know it"
    )


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise ReadError(f"invalid {encoding} after its byte-order mark: {e.reason} at offset {e.start}") from None


def _looks_like_text(text: str) -> bool:
    # Western text in a Windows code page is mostly ASCII with a few accented
    # letters, currency signs and curly quotes; random bytes are mostly not.
    if not text:
        return True
    odd = sum(1 for ch in text if not (ch.isprintable() or ch in "\n\r\t"))
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return odd / len(text) < 0.01 and non_ascii <= max(4, 0.15 * len(text))


def normalise(text: str) -> str:
    """Line ends to LF, NFC, non-breaking spaces to spaces, zero-width removed.

    >>> normalise("a\\r\\nb\\rc\\u00a0d\\u200b")
    'a\\nb\\nc d'
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():  # (ASCII text is already NFC and holds none of these)
        text = _SPACES.sub(" ", _ZERO_WIDTH.sub("", text))
        text = unicodedata.normalize("NFC", text)
    return text


def _wide_text_hint(data: bytes) -> str:
    """A hint when NUL bytes fall where UTF-16 or UTF-32 text without a byte order mark
    puts them (every other byte, or three in four, of plain Latin text).

    >>> _wide_text_hint("Dam breach".encode("utf-16-le"))
    '; it looks like UTF-16 (little-endian) without a byte order mark: convert it to UTF-8, or load it on its own with --encoding utf-16-le'
    """
    sample = data[:4000]
    for width in (4, 2):
        if len(sample) < 2 * width:
            continue
        units = [sample[i:i + width] for i in range(0, len(sample) - width + 1, width)]
        for order, high in (("little", slice(1, None)), ("big", slice(None, -1))):
            # Latin text: every unit's high bytes are zero (after its low byte in
            # little-endian order, before it in big-endian).
            if sum(not any(u[high]) for u in units) >= 0.9 * len(units):
                return (f"; it looks like UTF-{8 * width} ({order}-endian) without a byte"
                        f" order mark: convert it to UTF-8, or load it on its own with"
                        f" --encoding utf-{8 * width}-{order[0]}e")
    return ""


_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


def read_file(path, max_bytes: int = MAX_BYTES) -> bytes:
    """A file's bytes, refused with a ReadError before anything is read when it is not
    a regular file (a FIFO would block for ever, ``/dev/zero`` never ends) or is larger
    than ``max_bytes`` (by its size on disk, so a huge sparse file costs nothing)."""
    try:
        # Non-blocking, so that opening a FIFO returns at once instead of waiting for
        # a writer; the flag does nothing to a regular file.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise ReadError("cannot read: permission denied") from None
    except OSError as e:
        raise ReadError(f"cannot read: {e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = _KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")
            raise ReadError(f"not a regular file: {kind}")
        _check_size(st.st_size, max_bytes)
        chunks, left = [], max_bytes + 1
        while left > 0:  # the file may grow after fstat: never read past the limit
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except OSError as e:
        raise ReadError(f"cannot read: {e.strerror or e}") from None
    finally:
        os.close(fd)
    _check_size(len(data), max_bytes)
    return data


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise ReadError(
            f"file too large: {size / 1e6:.1f} MB (limit {max_bytes / 1e6:.1f} MB; "
            "raise it with --max-mb)"
        )


def read_text(data: bytes, encoding: str | None = None, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """Check, decode and normalise one file's bytes; raise ReadError with a reason."""
    _check_size(len(data), max_bytes)
    if not data.strip():
        raise ReadError("empty file" if not data else "file holds only whitespace")
    text, used = decode(data, encoding)
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 1000):
        raise ReadError(f"binary file ({controls} control characters)")
    text = normalise(_CONTROL.sub("", text) if controls else text)
    if not text.strip():
        raise ReadError("file holds only whitespace")
    return text, used
