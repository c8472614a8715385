"""Datasette plugin for news report corpora: hook implementations only."""
