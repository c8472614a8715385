"""The ``/-/compare`` view (two reports side by side, or one beside its source) and the
queries that gather what it shows.
"""
