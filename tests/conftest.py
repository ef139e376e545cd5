"""Shared fixtures: the real content, validated and loaded into a throw-away SQLite database; our Rasa domain."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain

from bot.content.catalogue import read_catalogue
from bot.content.database import make_engine
from bot.content.loader import load_catalogue
from bot.content.schema import Catalogue
from bot.content.store import ContentStore

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_FACTS = PROJECT_ROOT.parent / "shared" / "facts"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    catalogue, problems = read_catalogue(today=date.today())
    assert not problems, "\n".join(map(str, problems))
    return catalogue


@pytest.fixture(scope="session")
def store(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> ContentStore:
    db = tmp_path_factory.mktemp("content") / "content.db"
    engine = make_engine(f"sqlite:///{db}")
    load_catalogue(catalogue, engine)
    return ContentStore(engine)


@pytest.fixture(scope="session")
def domain() -> Domain:
    """Our Rasa domain, bot/domain/, as Rasa loads it."""
    return Domain.load(str(PROJECT_ROOT / "bot" / "domain"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Measured figures (development and held-out) at the end of the run, where `make test` shows them."""
    from tests.figures import summary_lines

    lines = summary_lines()
    if lines:
        terminalreporter.section("measured figures")
        for line in lines:
            terminalreporter.write_line(line)
