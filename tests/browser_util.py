"""Helpers for browser tests: where Chromium lives, how it is started, where screenshots go.

Browser tests drive Debian's Chromium (package ``chromium``) through Playwright's
sync API. Playwright's own browser download is never used: the machines that run
these tests reach package registries only.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"

CHROMIUM = Path(os.environ.get("REPORTCORPUS_CHROMIUM", "/usr/bin/chromium"))

# Without the background-networking flags Chromium keeps trying to reach its
# update and sync services, which a closed network refuses over and over;
# --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

VIEWPORT = {"width": 1280, "height": 900}


def datasette_line() -> str:
    """``"0.65"`` or ``"1.0"``: keeps the two runs' screenshots apart."""
    from datasette.version import __version__

    return "0.65" if __version__.startswith("0.") else "1.0"


def screenshot_path(name: str) -> Path:
    """Where a screenshot called ``name`` goes: ``test-artifacts/<name>-<line>.png``."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "page"
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR / f"{safe}-datasette-{datasette_line()}.png"


def save_screenshot(page: Any, name: str, full_page: bool = True) -> Path:
    """Save a PNG of ``page`` (a Playwright ``Page``) into ``test-artifacts/``; return its path."""
    path = screenshot_path(name)
    page.screenshot(path=str(path), full_page=full_page)
    return path
