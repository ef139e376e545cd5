"""A small text classifier for the safety checks: logistic regression over word and character n-grams.

The text is folded first (bot/safety/normalize.py), so «dø», «doe» and «DØØØ» are one word to the model, and
character n-grams within words carry typos and dialect spellings. Training is deterministic and quick, so the
models are trained in each process on first use rather than shipped as pickles.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.safety.normalize import normalize


def fold(text: str) -> str:
    """The folded skeleton without its clause dots: the n-grams should not learn punctuation."""
    return normalize(text).replace(" . ", " ").strip(" .")


class NgramModel:
    """Word 1–2-grams and character 2–5-grams within words, one logistic regression over every label."""

    def __init__(self, texts: list[str] | tuple[str, ...], labels: list[str] | tuple[str, ...], c: float = 8.0) -> None:
        folded = [fold(t) for t in texts]
        self._words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)
        self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
        features = hstack([self._words.fit_transform(folded), self._chars.fit_transform(folded)]).tocsr()
        self._model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
        self._model.fit(features, list(labels))
        self.classes: tuple[str, ...] = tuple(str(c) for c in self._model.classes_)

    def _features(self, texts: list[str]) -> csr_matrix:
        folded = [fold(t) for t in texts]
        return hstack([self._words.transform(folded), self._chars.transform(folded)]).tocsr()

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """One row per text, one column per label in `classes` order."""
        return self._model.predict_proba(self._features(texts))
