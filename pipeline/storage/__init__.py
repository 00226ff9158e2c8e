"""Storage: the one package that talks to the database (tables, engine, queries).

`store` holds the tables, engine, migrations and the core rows; `users`, `approvals`, `labels`,
`sources`, `retention`, `summaries`, `audit`, `snapshots`, `batches` hold the statements behind
governance, model/labels, ingest and views. No rules here: functions read and write rows, and take
the caller's `conn` when they are part of a larger transaction.
"""
