"""The compare core: two reports' paragraphs aligned, their words diffed, their figures
paired with a verdict, and the names only one of them gives. Pure functions over text
and figure rows; the plugin's compare view renders what they return.
"""
