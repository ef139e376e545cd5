"""Fixtures for the rehearsal service layer: the shipped staff data, loaded once."""

from __future__ import annotations

import pytest

from bot.rehearsal.persona import Persona, load_personas
from bot.rehearsal.question_sets import QuestionSet, load_question_sets
from bot.rehearsal.vocabulary import Vocabulary, load_vocabulary


@pytest.fixture(scope="session")
def vocab() -> Vocabulary:
    return load_vocabulary()


@pytest.fixture(scope="session")
def personas(vocab: Vocabulary) -> dict[str, Persona]:
    return load_personas(vocab)


@pytest.fixture(scope="session")
def question_sets(vocab: Vocabulary) -> dict[str, QuestionSet]:
    return load_question_sets(vocab)
