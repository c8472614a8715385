"""The loading pipeline, installed as ``datasette_reportcorpus.loaders``.

``load.load()`` turns a folder of reports into a corpus database, as the stages of
``stages/``: files are discovered (``stages/discover``) and read by a reader per format
(``stages/readers``: plain text; saved web pages and JSON Lines, JSON and CSV exports
through ``formats/``, which also normalises dates and outlet names), given their
``manifest`` fields, parsed into paragraphs, dropped blocks and figures
(``stages/parse``, ``text``, ``figures``), booked (``stages/bookkeeping``) and stored
(``store``, the one owner of the schema), then the corpus-wide passes run (``passes``:
repeated boilerplate; ``related``: related reports and stories). ``compare`` is the
pure core of the plugin's compare view. See docs/architecture.md.
"""
