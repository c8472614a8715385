"""One load per database at a time.

The load holds an exclusive ``flock`` on the database file itself for its whole run,
so a second load stops at once with a clear message instead of colliding on ids.

A lock is *stale* when the process that took it is gone but processes it started
still hold it (parse workers of a load killed by an older version, which did not tie
its workers' lives to its own): on Linux the kernel names the process that took the
lock (``/proc/locks``) and every open file that holds it (``/proc/PID/fdinfo``), so
such leftovers are recognised, ended, and the lock taken over, with a warning.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


class LockError(Exception):
    """Another load holds the database."""


class Lock:
    """Held from :func:`acquire` until :meth:`close`; ``fd`` is the locked handle and
    ``warning`` says what was taken over, if anything."""

    def __init__(self, handle, warning: str | None = None):
        self.handle = handle
        self.warning = warning

    @property
    def fd(self) -> int:
        return self.handle.fileno()

    def close(self) -> None:
        self.handle.close()


def acquire(db_path: str) -> Lock:
    handle = open(db_path, "ab")  # noqa: SIM115 - held until the load ends
    try:
        import fcntl
    except ImportError:  # no advisory locks on this platform
        return Lock(handle)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return Lock(handle)
    except OSError:
        pass
    try:
        taker, leftovers = stale_holders(handle.fileno())
        if taker is not None and leftovers:
            _end(leftovers)
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return Lock(handle, (
                f"{db_path}: took over the lock of a load that was killed (process"
                f" {taker}, gone): ended {len(leftovers)} parser process(es) it left"
                f" running ({', '.join(map(str, leftovers))})"))
    except OSError:
        pass
    handle.close()
    raise LockError(f"{db_path}: another load is writing to this database; wait for it"
                    " to finish")


def stale_holders(fd: int) -> tuple[int | None, list[int]]:
    """``(pid, holders)`` when the flock on ``fd``'s file was taken by process ``pid``
    that no longer runs, and is held by the processes ``holders`` (its leftovers);
    ``(None, [])`` when the lock is not stale or this cannot be told (not Linux)."""
    st = os.fstat(fd)
    inode = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    takers = set()
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None, []
    for line in lines:
        parts = line.split()
        # "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"
        if len(parts) >= 6 and parts[1] == "FLOCK" and _same_inode(parts[5], inode):
            takers.add(int(parts[4]))
    if len(takers) != 1:
        return None, []
    taker = takers.pop()
    if _alive(taker):
        return None, []
    holders = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            for info in (entry / "fdinfo").iterdir():
                text = info.read_text()
                if "FLOCK" in text and any(_same_inode(w, inode) for w in text.split()):
                    holders.append(int(entry.name))
                    break
        except OSError:
            continue
    return taker, holders


def _same_inode(field: str, inode: str) -> bool:
    """``maj:min:ino`` fields compared by value (the kernel pads device numbers)."""
    a, b = field.split(":"), inode.split(":")
    try:
        return len(a) == 3 and [int(a[0], 16), int(a[1], 16), int(a[2])] == [
            int(b[0], 16), int(b[1], 16), int(b[2])]
    except ValueError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie has ended: only its exit status is left
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _end(pids: list[int], wait: float = 5.0) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.02)
