"""The loading pipeline, installed as ``datasette_reportcorpus.loaders``.

``load.load()`` turns a folder of reports into a corpus database: files are
discovered and read (``manifest``, ``text.read``), parsed into paragraphs, dropped
blocks and figures (``text``, ``figures``), stored (``store``, the one owner of the
schema), then the corpus-wide passes run (``passes``: repeated boilerplate;
``related``: related reports and stories). ``compare`` is the pure core of the
plugin's compare view. See docs/architecture.md.
"""
