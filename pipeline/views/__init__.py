"""Views: figures for the pages and the report (aggregates, trends, effect, questions, timeline)."""
