"""Errors written for users, in Dutch and in English.

`str()` of such an error is "Nederlands / English" (command line, logs); a page shows the part in
the session's language (`nl` / `en`), so a message that itself holds " / " (a quoted cell, a
column named "datum / tijd") is never cut in the wrong place.
"""

from __future__ import annotations


class BilingualError(ValueError):
    """A ValueError with its Dutch (`nl`) and English (`en`) text kept apart."""

    def __init__(self, nl: str, en: str | None = None) -> None:
        self.nl = str(nl)
        self.en = str(en) if en else self.nl
        super().__init__(f"{self.nl} / {self.en}" if en else self.nl)

    def text(self, lang: str) -> str:
        """Return the message in `lang` ("en"; anything else gives Dutch)."""
        return self.en if lang == "en" else self.nl
