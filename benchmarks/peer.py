"""The peer: what a competent engineer would build from stock parts, run on the same input.

scikit-learn HashingVectorizer (word 1-2-grams, 2^18 features) + TF-IDF + a linear model
(SGD logistic regression, trained once beforehand on CrisisLexT6 on/off-topic labels;
training is not timed) + MiniBatchKMeans (20 themes) + py3langid per text. Like the
product it analyses each distinct text once and maps the result back to the messages.
"""

from __future__ import annotations

import csv
from functools import lru_cache

import numpy as np
import pandas as pd
from sklearn.cluster import MiniBatchKMeans
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import SGDClassifier

from benchmarks.streams import DATA


@lru_cache(maxsize=1)
def _vectorizer() -> HashingVectorizer:
    return HashingVectorizer(n_features=2**18, ngram_range=(1, 2), alternate_sign=False, norm=None)


@lru_cache(maxsize=1)
def trained_model() -> SGDClassifier:
    """Train the linear model once on CrisisLexT6 (20k tweets, on-topic vs off-topic)."""
    texts, labels = [], []
    with (DATA / "crisislex_t6" / "crisislex_t6_all_with_time.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            texts.append(row["text"])
            labels.append(row["label"] == "on-topic")
    rng = np.random.default_rng(1)
    idx = rng.choice(len(texts), size=min(20_000, len(texts)), replace=False)
    x = _vectorizer().transform([texts[i] for i in idx])
    x = TfidfTransformer(sublinear_tf=True).fit_transform(x)
    return SGDClassifier(loss="log_loss", random_state=0).fit(x, np.array(labels)[idx])


def analyse(texts: pd.Series, n_themes: int = 20) -> pd.DataFrame:
    """Return language, relevance and theme per message (distinct texts analysed once)."""
    import py3langid

    codes, uniques = pd.factorize(texts, sort=False)
    distinct = list(uniques)
    langs = [py3langid.classify(t)[0] for t in distinct]
    x = TfidfTransformer(sublinear_tf=True).fit_transform(_vectorizer().transform(distinct))
    relevance = trained_model().predict_proba(x)[:, 1]
    k = min(n_themes, max(1, len(distinct)))
    themes = MiniBatchKMeans(n_clusters=k, batch_size=4096, n_init=1, random_state=0).fit_predict(x)
    return pd.DataFrame(
        {
            "language": np.array(langs, dtype=object)[codes],
            "relevance": relevance[codes],
            "theme": themes[codes],
        }
    )
