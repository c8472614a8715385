"""Related reports and stories: per-article term statistics, the ranking of each
article's related reports, and the stories (groups of reports of one event) built
from it.
"""
