"""The stages of a load, in the order :func:`loaders.load.load` runs them.

* :mod:`.discover` - paths given -> sources (files found, with loop-safe walks) ->
  items (one article each: a key, its bytes or text, its metadata). A reader per kind
  of source turns one source into one item (a ``.txt`` file) or many (an export).
* :mod:`.parse` - items -> parse results, in worker processes that die with the load.
* :mod:`.bookkeeping` - a parse result and what the corpus holds -> the actions that
  store it (a pure function, applied by :class:`loaders.store.Writer`).
* :mod:`.lock` - one load per database at a time; a lock left by a killed load is
  recognised and taken over.

The corpus-wide passes (repeated blocks, related reports) are :mod:`loaders.passes`.
"""
