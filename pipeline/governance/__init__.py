"""Governance: permissions, accounts, retention, accountability, incidents, publication, web guard."""
