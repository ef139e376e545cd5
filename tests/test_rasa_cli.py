"""bot/rasa_cli.py: the seed that makes `make crossval` score the same folds every run."""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import StratifiedKFold

from bot.rasa_cli import SEED_VARIABLE, seed_numpy


def _folds() -> list[list[int]]:
    # As rasa.nlu.test.generate_folds splits: shuffled, no random_state of its own.
    labels = [i % 3 for i in range(30)]
    return [test.tolist() for _, test in StratifiedKFold(n_splits=5, shuffle=True).split(labels, labels)]


def test_the_seed_fixes_rasas_folds() -> None:
    state = np.random.get_state()
    try:
        assert seed_numpy({SEED_VARIABLE: "2026"}) == 2026
        first = _folds()
        seed_numpy({SEED_VARIABLE: " 2026 "})
        assert _folds() == first
        seed_numpy({SEED_VARIABLE: "7"})
        assert _folds() != first
    finally:
        np.random.set_state(state)


def test_no_seed_leaves_the_generator_alone() -> None:
    state = np.random.get_state()
    try:
        np.random.seed(1)
        expected = np.random.rand()
        np.random.seed(1)
        assert seed_numpy({}) is None
        assert np.random.rand() == expected
    finally:
        np.random.set_state(state)
