"""Storage: the one package that talks to the database (tables, engine, queries)."""
