"""A multinomial logistic regression over a message's sentence features: the model behind our intent classifier
and FAQ selector (bot/components/intent_classifier.py, bot/components/faq_selector.py).

Why not DIET and ResponseSelector: profiling a turn showed each costing about 10 ms of TensorFlow per message and
holding their graphs in memory; a linear model over the same features answers in well under a millisecond, trains
in seconds, and cross-validated at least as well on our data (README, "NLU quality"). Stored as plain arrays
(numpy .npz, no pickle), so loading a model runs no code from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import scipy.sparse
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message

MODEL_FILE = "linear_model.npz"
# Weak regularisation: best intent and FAQ macro-F1 of C in 3–1000 in 5-fold cross-validation on our data.
DEFAULT_C = 100.0


def sentence_features(
    messages: Sequence[Message], widths: tuple[int, int] | None = None, attribute: str = TEXT
) -> tuple[scipy.sparse.csr_matrix, tuple[int, int]]:
    """One row per message: its sparse sentence features (word and character counts, regexes), then its dense
    ones (spaCy), each block scaled to length 1 so long messages and the many character n-grams do not drown the
    rest; and the two blocks' widths. Pass a trained model's `widths` so that a message without some features (an
    empty one) gets zeros there instead of shifted columns.

    The features are read as Message.get_sparse_features/get_dense_features combine them (in the order the
    featurizers added them), without their copying and stacking: that was 6 ms of a 50 ms turn."""
    blocks = [_sentence_blocks(message, attribute) for message in messages]
    sparse_width, dense_width = widths or (
        max((sparse[0] for sparse, _ in blocks), default=0),
        max((len(dense) for _, dense in blocks), default=0),
    )
    indices: list[np.ndarray] = []
    values: list[np.ndarray] = []
    indptr = [0]
    for (width, columns, counts), dense in blocks:
        row_indices, row_values = [], []
        if width == sparse_width and len(counts):
            row_indices.append(columns)
            row_values.append(_unit(counts))
        if len(dense) == dense_width and dense_width:
            row_indices.append(sparse_width + np.arange(dense_width))
            row_values.append(_unit(dense))
        indices += row_indices
        values += row_values
        indptr.append(indptr[-1] + sum(len(v) for v in row_values))
    matrix = scipy.sparse.csr_matrix(
        (
            np.concatenate(values) if values else np.zeros(0),
            np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
            np.array(indptr),
        ),
        shape=(len(messages), sparse_width + dense_width),
    )
    return matrix, (sparse_width, dense_width)


def _sentence_blocks(message: Message, attribute: str) -> tuple[tuple[int, np.ndarray, np.ndarray], np.ndarray]:
    """((width, columns, values) of the sparse sentence features, the dense ones as one vector) of a message."""
    width, columns, counts, dense = 0, [], [], []
    for features in message.features:
        if features.attribute != attribute or features.type != FEATURE_TYPE_SENTENCE:
            continue
        if features.is_sparse():
            row = features.features.tocoo()
            columns.append(row.col + width)
            counts.append(row.data)
            width += row.shape[1]
        else:
            dense.append(np.asarray(features.features).ravel())
    sparse = (
        width,
        np.concatenate(columns) if columns else np.zeros(0, np.int64),
        np.concatenate(counts) if counts else np.zeros(0),
    )
    return sparse, np.concatenate(dense) if dense else np.zeros(0)


def _unit(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    norm = float(np.sqrt(values @ values))
    return values / norm if norm else values


@dataclass(frozen=True)
class LinearModel:
    """Label names, and one weight row and bias per label."""

    labels: tuple[str, ...]
    weights: np.ndarray  # (labels, features), float32
    bias: np.ndarray  # (labels,)
    widths: tuple[int, int]  # of the sparse and the dense feature blocks it was trained on

    @classmethod
    def fit(cls, messages: Sequence[Message], labels: Sequence[str], c: float = DEFAULT_C) -> LinearModel:
        """Fit on the messages' sentence features, one label per message; classes are weighted by their size."""
        from sklearn.linear_model import LogisticRegression

        features, widths = sentence_features(messages)
        names = sorted(set(labels))
        if len(names) == 1:  # sklearn needs two classes; one label is simply always the answer
            return cls((names[0],), np.zeros((1, features.shape[1]), np.float32), np.zeros(1, np.float32), widths)
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, random_state=42)
        model.fit(features, list(labels))
        weights, bias = model.coef_, model.intercept_
        if len(names) == 2:  # sklearn keeps one row for two classes: the second label's log-odds
            weights, bias = np.vstack([-weights / 2, weights / 2]), np.array([-bias[0] / 2, bias[0] / 2])
        return cls(
            tuple(str(n) for n in model.classes_), weights.astype(np.float32), bias.astype(np.float32), widths
        )

    @cached_property
    def _columns(self) -> np.ndarray:
        # (features, labels), in row order and in the features' float64: else scipy copies the weights on every product.
        return np.ascontiguousarray(self.weights.T, dtype=np.float64)

    def probabilities(self, messages: Sequence[Message]) -> np.ndarray:
        """(messages, labels) probabilities, each row summing to 1."""
        features, _ = sentence_features(messages, self.widths)
        scores = np.asarray(features @ self._columns) + self.bias
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def ranking(self, messages: Sequence[Message]) -> list[list[tuple[str, float]]]:
        """Per message, (label, probability) from most to least likely."""
        result = []
        for row in self.probabilities(messages):
            order = np.argsort(-row, kind="stable")
            result.append([(self.labels[i], float(row[i])) for i in order])
        return result

    def save(self, directory: Path) -> None:
        np.savez_compressed(
            directory / MODEL_FILE,
            labels=np.array(self.labels),
            weights=self.weights,
            bias=self.bias,
            widths=np.array(self.widths),
        )

    @classmethod
    def load(cls, directory: Path) -> LinearModel:
        with np.load(directory / MODEL_FILE, allow_pickle=False) as stored:
            sparse_width, dense_width = (int(w) for w in stored["widths"])
            labels = tuple(str(n) for n in stored["labels"])
            return cls(labels, stored["weights"], stored["bias"], (sparse_width, dense_width))
