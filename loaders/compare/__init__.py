"""The compare core: two reports' paragraphs aligned, their words diffed, their figures
paired with a verdict, and the names only one of them gives. Pure functions over text
and figure rows (no database, no Datasette); the plugin's compare view renders what
they return.

Its rooms, each below the one that imports it:

- :mod:`.tokens`: content words and sentence boundaries, as every part reads them;
- :mod:`.names`: names and places in a text, those only one report gives, outlet names;
- :mod:`.spelling`: one name spelled two ways (Bryansk / Bryanka);
- :mod:`.paragraphs`: paragraph similarity and alignment;
- :mod:`.diff`: word differences inside a pair of paragraphs;
- :mod:`.figure_values`, :mod:`.figure_objects`, :mod:`.figure_context`: what a figure's
  value allows, what it counts, what surrounds it;
- :mod:`.figure_verdicts`: figures paired, each pair with a verdict;
- :mod:`.summary`: the one-line summary.

Example::

    >>> rows = align_paragraphs(["The dam broke at dawn.", "Nobody was hurt."],
    ...                         ["Nobody was hurt, police said.", "The dam broke at dawn."])
    >>> [(r.left, r.right) for r in rows]
    [(0, 1), (1, 0)]
"""

from ..text.words import fold, normalise
from .diff import Segment, diff_words
from .figure_context import figure_context
from .figure_values import figure_interval, figure_kind, figures_consistent, rounding_step
from .figure_verdicts import VERDICTS, compare_figures
from .names import extract_names, names_only_in_one, outlet_fragment
from .paragraphs import AlignedRow, align_paragraphs, similarity_matrix
from .spelling import edit_distance, spelled_differently, spelling_variant
from .summary import Summary, summarise
from .tokens import sentence_span

__all__ = [
    "VERDICTS", "AlignedRow", "Segment", "Summary", "align_paragraphs", "compare_figures",
    "diff_words", "edit_distance", "extract_names", "figure_context", "figure_interval",
    "figure_kind", "figures_consistent", "fold", "names_only_in_one", "normalise",
    "outlet_fragment", "rounding_step", "sentence_span", "similarity_matrix",
    "spelled_differently", "spelling_variant", "summarise",
]
