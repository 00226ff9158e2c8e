"""Governance: the rules; it runs no SQL (every statement is a `pipeline.storage` function).

Permissions and four eyes (policy), accounts and the CLI's identity (auth), one call per governed
write for pages and CLI (actions: check + write + audit), retention, accountability, release,
publication, web guard. A storage function that belongs to a larger unit of work gets the
caller's connection, so a check, its write and its audit entry commit together.
"""
