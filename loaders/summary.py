"""What a load did: its counts, per-file errors, warnings and the time of each stage."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LoadSummary:
    loaded: int = 0
    unchanged: int = 0
    updated: int = 0
    duplicates: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    reclassified: int = 0
    reparsed: int = 0
    """Unchanged files parsed again because an earlier version's rules parsed them."""
    stale: int = 0
    """Articles left as an earlier version's rules parsed them (their files were not in
    this load)."""
    removed: int = 0
    """Articles removed: their files now repeat another article (see ``duplicates``),
    or, with ``prune``, are not in the load."""
    released: int = 0
    """Files recorded as duplicates of an article whose text changed or went, and not
    in this load: the next load that includes them loads them."""
    warnings: list[str] = field(default_factory=list)
    """Problems of the load as a whole that lost nothing (printed after the counts)."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent: ``files`` (read, parse, store), ``boilerplate`` (corpus-wide
    repeated blocks), ``related`` (related reports and stories), ``indexes`` (building
    the indexes a large load set aside, and closing the bulk load)."""

    def lines(self) -> list[str]:
        out = [
            (f"loaded {self.loaded}, unchanged {self.unchanged}, updated {self.updated}, "
             + (f"parsed again {self.reparsed}, " if self.reparsed else "")
             + f"duplicates {self.duplicates}, errors {len(self.errors)}")
        ]
        notes = [
            (self.duplicates, ("{} file(s) repeat the text of an article already in the corpus:"
                               " recorded in the duplicates table, not indexed a second time")),
            (self.reparsed, ("{} unchanged file(s) parsed again: an earlier version of the"
                             " loader, or a load without figures (--no-figures), had parsed"
                             " them")),
            (self.stale, ("{} article(s) keep the paragraphs and figures an earlier version of"
                          " the loader gave them, as their files were not in this load: load"
                          " those files again to parse them with this version")),
            (self.reclassified, ("{} article(s) re-cleaned after corpus-wide boilerplate"
                                 " detection")),
            (self.removed, ("{} article(s) removed: their files are gone from the load or"
                            " no longer give an article (--prune), or now repeat another"
                            " article's text")),
            (self.released, ("{} file(s) recorded as copies of an article that changed or went"
                             " were not in this load: load them again to index their text")),
        ]
        out.extend(text.format(n) for n, text in notes if n)
        out.extend(f"warning: {w}" for w in self.warnings)
        return out
