"""Pages that are neither search nor compare: the article page, the search boxes on
``/`` and ``/<db>``, and the navigation links the plugin adds.
"""
