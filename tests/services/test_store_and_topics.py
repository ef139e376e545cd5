"""The directory in the database: loading replaces everything, queries follow coverage (interkommunale
tjenester too); and the topic map sends a question to the right kinds of service."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.content.database import make_engine
from bot.services.loader import load_directory
from bot.services.schema import SERVICE_KINDS, TOPICS_FILE
from bot.services.store import ServiceStore
from bot.services.topics import kinds_for_question, load_topics, read_topics
from bot.services.validation import read_directory
from tests.services.conftest import BODO

TODAY = date(2026, 11, 23)
SALTEN_SORG = """\
kommune:
  number: "1839"
  name: Beiarn
services:
  - id: test_sorggruppe
    kind: sorggruppe
    name: Testsorggruppen
    helps_with: En samtalegruppe for etterlatte.
    phone: null
    web: null
    address: null
    opening_hours: null
    how_to_contact: null
    covers: ["1839"]
    source: Testdata
    verified: 2026-11-01
"""


@pytest.fixture()
def loaded(directory_dir: Path, tmp_path: Path) -> ServiceStore:
    (directory_dir / "1804-bodo.yml").write_text(BODO, encoding="utf-8")
    (directory_dir / "1839-beiarn.yml").write_text(SALTEN_SORG, encoding="utf-8")
    directory, problems = read_directory(directory_dir, today=TODAY)
    assert not problems
    engine = make_engine(f"sqlite:///{tmp_path / 'services.db'}")
    load_directory(directory, engine)
    return ServiceStore(engine)


def test_an_interkommunal_service_serves_every_kommune_it_covers(loaded: ServiceStore) -> None:
    assert [s.id for s in loaded.services_for("1804", ["legevakt"])] == ["test_legevakt"]
    # Beiarn's own file lists only a sorggruppe; the legevakt comes from Bodø's file.
    assert [s.id for s in loaded.services_for("1839")] == ["test_legevakt", "test_sorggruppe"]
    assert loaded.services_for("1804", ["sorggruppe"]) == []
    assert loaded.services_for("1839", ["legevakt"])[0].covers == ("1804", "1839")


def test_a_kommune_is_in_the_directory_when_any_service_covers_it(loaded: ServiceStore) -> None:
    assert loaded.has_directory("1804") and loaded.has_directory("1839") and loaded.has_directory("9999")
    assert not loaded.has_directory("1806")
    assert loaded.kommune("1839").name == "Beiarn"
    assert loaded.kommune("1806") is None
    assert [k.number for k in loaded.fictional_kommuner()] == ["9999"]


def test_services_come_in_the_order_of_the_kinds(service_store: ServiceStore) -> None:
    kinds = [s.kind for s in service_store.services_for("9999")]
    assert kinds == [k for k in SERVICE_KINDS if k in kinds] and len(kinds) == len(SERVICE_KINDS)


def test_loading_again_replaces_the_old_rows(loaded: ServiceStore, directory_dir: Path, tmp_path: Path) -> None:
    (directory_dir / "1839-beiarn.yml").unlink()
    directory, _ = read_directory(directory_dir, today=TODAY)
    load_directory(directory, make_engine(f"sqlite:///{tmp_path / 'services.db'}"))
    loaded.refresh()
    assert loaded.kommune("1839") is None
    assert [s.id for s in loaded.services_for("1839")] == ["test_legevakt"]


def test_a_database_without_the_directory_is_an_empty_directory(tmp_path: Path) -> None:
    store = ServiceStore(make_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    assert not store.has_directory("9999")
    assert store.services_for("9999") == [] and store.fictional_kommuner() == ()


def test_the_topic_file_is_valid_and_names_every_kind() -> None:
    topics, problems = read_topics()
    assert problems == [] and topics is not None
    assert set(topics.kinds) == set(SERVICE_KINDS)


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("finnes det sorggrupper i kommunen", ["sorggruppe"]),
        ("palliativt team i Bodø", ["palliativt_team"]),
        ("hvem ringer jeg for hjemmesykepleie", ["hjemmesykepleie"]),
        ("hvor er legevakta", ["legevakt"]),
        (
            "pappa vil dø hjemme, hvem kan hjelpe oss",
            ["palliativt_team", "hjemmesykepleie", "kreftkoordinator", "legevakt", "tildelingskontor"],
        ),
        (
            "jeg er utslitt som pårørende",
            ["parorendeskole", "tildelingskontor", "frivilligsentral", "kreftkoordinator"],
        ),
        ("hjelp i sorgen her", ["sorggruppe", "prest_livssyn", "frivilligsentral"]),
        ("hvem kan hjelpe oss her", []),
    ],
)
def test_a_question_goes_to_the_right_kinds(question: str, kinds: list[str]) -> None:
    assert kinds_for_question(question, load_topics())[0] == kinds


def test_a_broken_topic_file_is_reported_with_its_line(tmp_path: Path) -> None:
    broken = tmp_path / "service_topics.yml"
    text = TOPICS_FILE.read_text(encoding="utf-8").replace(
        "kinds: [sorggruppe, prest_livssyn, frivilligsentral]", "kinds: [sorggruppe, prest]"
    )
    broken.write_text(text, encoding="utf-8")
    topics, problems = read_topics(broken)
    assert topics is None
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "kinds: [sorggruppe, prest]" in row)
    assert [(p.line, "prest" in p.message) for p in problems] == [(line, True)]
