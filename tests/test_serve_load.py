"""The server under load, short form: 32 concurrent clients for 5 seconds against a real
``datasette serve -i`` with the plugin on loopback, serving the demo corpus, and not one
error. The figures (requests per second, latencies) belong to
``benchmarks/serve_load.py``, which this runs with a shorter duration; nothing is timed
here.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from serve_load import measure, request_mix  # noqa: E402


def test_request_mix_covers_the_plugin_routes(demo_db: Path) -> None:
    paths = request_mix(demo_db)
    assert any("/-/search.json?" in p for p in paths) and any("/-/search?" in p for p in paths)
    assert any("/-/article/" in p for p in paths) and any("_article_outlet=" in p for p in paths)


def test_32_clients_for_5_seconds_get_no_errors(demo_db: Path) -> None:
    outcome, before, after = measure(demo_db, clients=32, seconds=5)
    assert outcome.errors == [], sorted(set(outcome.errors))[:10]
    # Every client was answered at least once (a request running at the end is waited for).
    assert len(outcome.latencies) >= 32
    assert before > 0 and after > 0
