"""Ingest: read export files and live sources, scrub and pseudonymise, load into the store."""
