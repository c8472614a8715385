"""Figures: the numbers a report states, with what they count, their kind, unit, hedge
and range. ``extract`` is the entry point; the other modules are its readers
(numbers, counts, ranges, times, number words) and the lexicon they share.
"""
