"""The search page and its exports: the request read once into a value
(:mod:`.request`), the query typed read as FTS5 (:mod:`.query`), the SQL built from both
(:mod:`.sql`), the view running it (:mod:`.view`), the JSON and page made of its result
(:mod:`.render`), the CSV export (:mod:`.export`) and the highlighting added to searched
tables (:mod:`.highlight`).
"""
