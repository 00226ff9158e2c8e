"""Very common words that never name a theme or a question subject on their own.

"goed", "mensen", "people", "zeit" are frequent in every incident and in everyday language alike:
a theme whose most characteristic word is one of them ("goed", "vind", "😂") is not a theme a
communication officer can act on, and a question subject "Vragen over mensen?" says nothing.
They may still sit inside a phrase people wrote ("goed geregeld", "mensen met astma").

The list (`resources/label_generic_words.txt`) is derived once from wordfreq's frequency lists
(every word with a Zipf frequency >= `ZIPF_MIN`, roughly the 300 most used words of a language)
for the languages the pipeline meets, minus the stop words already removed and minus the crisis
keep-list (`normalize_keep.txt`: weg, thuis, water, help stay nameable). wordfreq is not a
dependency: only the list ships. Rebuild (needs `pip install wordfreq`, 57 MB):

    python -m pipeline.analysis.generic_words
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from pipeline.analysis.normalize import RESOURCES, keep_words, read_word_list, stopwords

FILE = "label_generic_words.txt"
ZIPF_MIN = 5.9
LANGUAGES = ("nl", "en", "de", "fr", "pl", "tr", "ar", "es", "it")


@lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    """Return the shipped list of very common words (all languages in one set)."""
    return read_word_list(FILE)


def has_letter(term: str) -> bool:
    """Return True when `term` holds a letter (an emoji, number or sign alone names nothing)."""
    return any(unicodedata.category(c).startswith("L") for c in term)


def build(top: int = 1000) -> str:
    """Return the text of the word list from wordfreq (see the module docstring)."""
    # Imported here: wordfreq is a one-off build tool, not a dependency of the dashboard.
    from importlib.metadata import version  # noqa: PLC0415

    import wordfreq  # noqa: PLC0415

    skip = stopwords() | keep_words()
    lines = [
        "# Very common words that never name a theme or a question subject on their own; they may",
        f"# sit inside a phrase. Every word with a Zipf frequency >= {ZIPF_MIN} in "
        f"{', '.join(LANGUAGES)},",
        "# minus the stop words already removed and minus normalize_keep.txt (crisis words stay).",
        f"# Source: wordfreq {version('wordfreq')} (Robyn Speer, https://github.com/rspeer/wordfreq);",
        "# its word-list data is CC BY-SA 4.0, and so is this derived list.",
        "# Built by `python -m pipeline.analysis.generic_words` (pipeline/analysis/generic_words.py).",
    ]
    for lang in LANGUAGES:
        words = sorted({
            w for w in wordfreq.top_n_list(lang, top)
            if wordfreq.zipf_frequency(w, lang) >= ZIPF_MIN and w not in skip and len(w) >= 2
            and has_letter(w) and not any(c.isdigit() for c in w)
        })
        lines += [f"# {lang} ({len(words)})", *words]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    (RESOURCES / FILE).write_text(build(), encoding="utf-8")
    print(f"wrote {RESOURCES / FILE}")
