"""Settings read from the environment, with defaults that work out of the box.

| variable                     | default                              |
|------------------------------|--------------------------------------|
| `LUISTERPOST_HOME`           | `./var` next to the repository       |
| `LUISTERPOST_DB_URL`         | `sqlite:///$LUISTERPOST_HOME/luisterpost.db` |
| `LUISTERPOST_KEY_FILE`       | `$LUISTERPOST_HOME/pseudonym.key` (outside the database) |
| `LUISTERPOST_OFFICIAL_ACCOUNTS` | `data/official_accounts.csv`      |
| `LUISTERPOST_MIN_AUTHORS`    | `5` (k: distinct authors before a term, theme or example shows) |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"


@dataclass(frozen=True)
class Settings:
    """Resolved runtime settings."""

    home: Path
    db_url: str
    key_file: Path
    official_accounts_file: Path
    min_authors: int


def get_settings() -> Settings:
    """Return the settings from the environment (read on every call)."""
    home = Path(os.environ.get("LUISTERPOST_HOME", REPO_ROOT / "var"))
    db_url = os.environ.get("LUISTERPOST_DB_URL") or f"sqlite:///{home / 'luisterpost.db'}"
    key_file = Path(os.environ.get("LUISTERPOST_KEY_FILE", home / "pseudonym.key"))
    official = Path(
        os.environ.get("LUISTERPOST_OFFICIAL_ACCOUNTS", DATA_DIR / "official_accounts.csv")
    )
    min_authors = int(os.environ.get("LUISTERPOST_MIN_AUTHORS", "5"))
    return Settings(home, db_url, key_file, official, min_authors)


# The CoPI projection and its after-action replay (Nabespreking) are shown to a room: there a
# term, theme, label or count needs at least this many distinct authors, whatever k is.
COPI_MIN_AUTHORS = 10
COPI_VIEWS = frozenset({"copi", "nabespreking"})


def view_min_authors(view: str = "") -> int:
    """Return the k of a view: the configured `LUISTERPOST_MIN_AUTHORS`, max(10, k) on CoPI views.

    This is the ONE definition of "the k of this view": every page, the report and the live
    signal call it, so `LUISTERPOST_MIN_AUTHORS=50` changes every label, cloud, example and bullet.
    """
    k = get_settings().min_authors
    return max(COPI_MIN_AUTHORS, k) if view in COPI_VIEWS else k
