"""The search page and its exports: the request read into a query, the SQL built from
it, the HTML/JSON view, the CSV export and the highlighting added to searched tables.
"""
