"""Custom facets (article dimensions, figure kinds and units, value ranges) and the
selection arguments that filter by them.
"""
