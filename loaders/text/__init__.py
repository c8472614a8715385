"""One file's text: read and decoded, split into blocks, blocks classified as body or
boilerplate (with a reason), and the parsed article assembled.
"""
