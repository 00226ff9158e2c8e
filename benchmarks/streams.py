"""Message streams built from the REAL texts in ../shared/data (read in place, never copied).

Every dataset and language is used: CrisisLexT6/T26 (English crisis tweets), CT22 Dutch and
multilingual (ar, bg, en, es, tr), the Dutch political tweets and the UMSAB sentiment sets
(ar, de, en, es, fr, hi, it, pt). About 110k distinct texts.

`build_stream(n, distinct=...)`:
- distinct share 1.0: every message text is different *as the analysis sees it*. The real
  pool is used first; beyond it new texts are spliced from two real texts of the same
  dataset (first part of one, second part of the other, cut between words), so words,
  language and length stay real. No near-copies that only differ in digits (language
  detection and term extraction drop digits, which made the old `--distinct` overstate).
- distinct share 0.5: half the messages copy an earlier message: realistic retweets
  ("RT @x: ..." with the text shown after the handle) and exact copies, the sources drawn
  with a preference for recent and popular messages.
Authors follow a heavy-tailed rank-size law (weight 1/rank^0.8 over n/3 accounts: the top
account writes ~1.5 %, half the accounts write once or never); times spread over a 12-hour incident
with a peak in the first hours (as in Moerdijk 2011: 5,000 in the first hour, 35,000 in four).
"""

from __future__ import annotations

import csv
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import schema as S

DATA = Path(
    os.environ.get("LUISTERPOST_SHARED_DATA", Path(__file__).resolve().parents[1] / ".." / "shared" / "data")
)

# (relative glob, text column or None for one text per line)
SOURCES = [
    ("crisislex_t6/crisislex_t6_all_with_time.tsv", "text"),
    ("crisislex_t26_dev/dev_t26.tsv", "text"),
    ("ct22_dutch_train_half/*.tsv", "text"),
    ("ct22_dutch_dev/*.tsv", "text"),
    ("ct22_multilingual_dev/*/*.tsv", "tweet_text"),
    ("nl_political_tweets/raw_tweets_timestamped_example.tsv", "CONTENT"),
    ("nl_political_tweets/gold-*.tsv", "content"),
    ("nl_political_tweets/test-data-*.tsv", "content"),
    ("sentiment_umsab_trainval/*/*_text.txt", None),
]


@lru_cache(maxsize=2)
def real_texts(data_dir: str | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (distinct real texts, the dataset of each) from every shared dataset."""
    root = Path(data_dir) if data_dir else DATA
    csv.field_size_limit(1 << 24)
    seen: dict[str, str] = {}
    for pattern, column in SOURCES:
        for path in sorted(root.glob(pattern)):
            group = path.parent.name
            with path.open(encoding="utf-8", errors="replace", newline="") as fh:
                if column is None:
                    rows = (line.rstrip("\n") for line in fh)
                else:
                    reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
                    rows = (row.get(column) or "" for row in reader)
                for text in rows:
                    text = " ".join(text.split())
                    if len(text) >= 8 and text not in seen:
                        seen[text] = group
    if not seen:
        raise FileNotFoundError(f"no texts found under {root} (set LUISTERPOST_SHARED_DATA)")
    return tuple(seen), tuple(seen.values())


def _distinct_texts(n: int, rng: np.random.Generator) -> list[str]:
    """Return n texts that differ as the analysis sees them (real first, then splices)."""
    texts, groups = real_texts()
    order = rng.permutation(len(texts))
    out = [texts[i] for i in order[:n]]
    if n <= len(texts):
        return out
    words = [t.split() for t in texts]
    by_group: dict[str, np.ndarray] = {}
    for g in set(groups):
        by_group[g] = np.array([i for i, gg in enumerate(groups) if gg == g and len(words[i]) >= 4])
    group_names = sorted(by_group)
    sizes = np.array([len(by_group[g]) for g in group_names], dtype=float)
    seen = set(out)
    need = n - len(out)
    while need > 0:
        m = int(need * 1.1) + 16
        gi = rng.choice(len(group_names), size=m, p=sizes / sizes.sum())
        for g, u, v in zip(gi.tolist(), rng.random(m).tolist(), rng.random(m).tolist(), strict=True):
            pool = by_group[group_names[g]]
            a, b = words[pool[int(u * len(pool))]], words[pool[int(v * len(pool))]]
            cut_a = max(2, len(a) // 2 + int((u * 1000) % 3) - 1)
            cut_b = max(1, len(b) // 2 + int((v * 1000) % 3) - 1)
            text = " ".join(a[:cut_a] + b[cut_b:])
            if text not in seen:
                seen.add(text)
                out.append(text)
                need -= 1
                if need == 0:
                    break
    return out


def build_stream(
    n: int, distinct: float = 1.0, seed: int = 0, start: str = "2026-07-11 10:00", hours: float = 12.0
) -> pd.DataFrame:
    """Return `n` stored-schema messages (time order) with the given distinct share."""
    rng = np.random.default_rng(seed)
    n_distinct = max(1, int(round(n * distinct)))
    pool = _distinct_texts(n_distinct, rng)
    # Which messages are originals: the first one always; the rest spread at random.
    original = np.zeros(n, dtype=bool)
    original[0] = True
    if n_distinct > 1:
        original[1 + rng.choice(n - 1, size=n_distinct - 1, replace=False)] = True
    texts = np.empty(n, dtype=object)
    texts[original] = pool
    is_repost = np.zeros(n, dtype=bool)
    n_authors = max(n // 3, 10)
    weights = 1.0 / np.arange(1, n_authors + 1) ** 0.8  # rank-size power law over n/3 accounts
    authors = rng.permutation(n_authors)[rng.choice(n_authors, size=n, p=weights / weights.sum())]
    copies = np.flatnonzero(~original)
    if len(copies):
        orig_idx = np.flatnonzero(original)
        # source: an earlier original, biased to recent ones (retweets cluster in time)
        pos = np.searchsorted(orig_idx, copies) - 1
        back = np.minimum(rng.geometric(0.002, size=len(copies)) - 1, pos)
        src = orig_idx[pos - back]
        rt = rng.random(len(copies)) < 0.7  # 70 % retweets, 30 % exact copies (copy-paste)
        texts[copies] = [
            f"RT @u{authors[s] % 997}: {texts[s]}" if r else texts[s]
            for s, r in zip(src.tolist(), rt.tolist(), strict=True)
        ]
        is_repost[copies[rt]] = True
    # Times: exponential decay from the start (a peak in the first hours) over the window.
    span = hours * 3600.0
    seconds = np.sort(np.minimum(rng.exponential(span / 3, size=n), span - 1))
    created = pd.Timestamp(start, tz="UTC") + pd.to_timedelta(seconds, unit="s")
    platforms = np.array(["x", "facebook", "instagram", "mastodon", "bluesky"])
    return pd.DataFrame(
        {
            S.PLATFORM: platforms[rng.choice(5, size=n, p=[0.55, 0.2, 0.1, 0.1, 0.05])],
            S.SOURCE_ID: [f"s{seed}_{i}" for i in range(n)],
            S.CREATED_AT: created,
            S.TEXT: texts,
            S.AUTHOR: [f"p_{a:016x}" for a in authors.tolist()],
            S.IS_OFFICIAL: np.zeros(n, dtype=bool),
            S.OFFICIAL_KIND: "",
            S.URL_DOMAIN: "",
            S.IS_REPLY: rng.random(n) < 0.15,
            S.IS_REPOST: is_repost,
            S.TIME_FLAG: "",
        }
    )


def write_export_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a stream as a CLI-importable export file (id;datum;auteur;bron;bericht), local time."""
    local = frame[S.CREATED_AT].dt.tz_convert("Europe/Amsterdam").dt.strftime("%d-%m-%Y %H:%M:%S")
    out = pd.DataFrame(
        {
            "id": frame[S.SOURCE_ID],
            "datum": local,
            "auteur": frame[S.AUTHOR],
            "bron": frame[S.PLATFORM],
            "bericht": frame[S.TEXT],
        }
    )
    out.to_csv(path, sep=";", index=False, quoting=csv.QUOTE_MINIMAL)
