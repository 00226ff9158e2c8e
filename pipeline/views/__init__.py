"""Views: figures for the pages and the report.

Aggregates, trends, effect, questions, timeline; `live` = the same figures from integer codes
that grow with the analysed frame (issue 15).
"""
