"""Render: escaping, exports, word clouds — turning figures into text, files and pictures."""
