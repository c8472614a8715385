"""The one-line summary above the side-by-side view: the share of content in common,
paragraphs only one report has, figure verdicts counted, and names.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .paragraphs import AlignedRow

__all__ = ["Summary", "summarise"]


@dataclass
class Summary:
    """The one-line verdict above the side-by-side view: ``figures_<verdict>`` counts the
    figure rows of each of :data:`.figure_verdicts.VERDICTS`."""

    shared_share: float
    left_only: int
    right_only: int
    pairs: int
    figures_differ: int
    figures_agree: int
    figures_compatible: int = 0
    figures_scope: int = 0
    figures_left: int = 0
    figures_right: int = 0
    names_left_only: list[str] = field(default_factory=list)
    names_right_only: list[str] = field(default_factory=list)
    names_spelled_differently: list[dict] = field(default_factory=list)


def summarise(rows: list[AlignedRow], ratios: dict[tuple[int, int], float],
              left_words: list[int], right_words: list[int], figures: list[dict],
              names: tuple[list[str], list[str]], variants: list[dict] = ()) -> Summary:
    """Share of content in common: words in paired paragraphs weighted by how alike
    the pair is, over all words of both reports."""
    total = sum(left_words) + sum(right_words)
    shared = 0.0
    for r in rows:
        if r.left is not None and r.right is not None:
            shared += ratios.get((r.left, r.right), r.score) * (
                left_words[r.left] + right_words[r.right])
    count = Counter(f["status"] for f in figures)
    return Summary(
        shared_share=round(shared / total, 3) if total else 0.0,
        left_only=sum(1 for r in rows if r.right is None),
        right_only=sum(1 for r in rows if r.left is None),
        pairs=sum(1 for r in rows if r.left is not None and r.right is not None),
        figures_differ=count["differ"],
        figures_agree=count["agree"],
        figures_compatible=count["compatible"],
        figures_scope=count["scope"],
        figures_left=count["left"],
        figures_right=count["right"],
        names_left_only=names[0],
        names_right_only=names[1],
        names_spelled_differently=list(variants),
    )
