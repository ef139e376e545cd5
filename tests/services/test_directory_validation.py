"""The service directory: the shipped files are valid, each kind of mistake is named with file and line, and a
bad file loads nothing, so the database keeps the directory it had."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.services.schema import SERVICE_KINDS
from bot.services.validation import read_directory, slug
from tests.conftest import PROJECT_ROOT
from tests.services.conftest import BODO

TODAY = date(2026, 11, 23)


def problems_for(folder: Path, content: str, name: str = "1804-bodo.yml") -> list[str]:
    (folder / name).write_text(content, encoding="utf-8")
    _, problems = read_directory(folder, today=TODAY)
    return [str(p) for p in problems]


def line_of(content: str, needle: str) -> int:
    return next(n for n, line in enumerate(content.splitlines(), 1) if needle in line)


def test_the_shipped_directory_is_valid_and_has_every_kind() -> None:
    directory, problems = read_directory()
    assert problems == []
    assert directory.kommuner["9999"].fictional
    assert {s.kind for s in directory.services.values()} == set(SERVICE_KINDS)


def test_the_fictional_kommune_has_no_phone_address_or_opening_hours() -> None:
    directory, _ = read_directory()
    for service in directory.services.values():
        assert (service.phone, service.address, service.opening_hours) == (None, None, None), service.id
        assert service.web is None or ".example/" in service.web  # a reserved domain that cannot exist


def test_a_valid_real_kommune_file_passes(directory_dir: Path) -> None:
    assert problems_for(directory_dir, BODO) == []
    directory, _ = read_directory(directory_dir, today=TODAY)
    assert directory.services["test_legevakt"].covers == ("1804", "1839")


@pytest.mark.parametrize(
    ("change", "blamed", "expected"),
    [
        (('number: "1804"', 'number: "1899"'), 'number: "1899"', "finnes ikke i content/kommuner/kommuner.csv"),
        (('number: "1804"', "number: 1804"), "number: 1804", "fire sifre i anførselstegn"),
        (("name: Bodø", "name: Bodö"), "name: Bodö", "heter Bodø i kommuner.csv"),
        (("kind: legevakt", "kind: legekontor"), "kind: legekontor", "ukjent kind 'legekontor'"),
        (('["1804", "1839"]', '["1804", "1899"]'), "covers:", "1899 finnes ikke"),
        (('["1804", "1839"]', '["1839"]'), "covers:", "covers må ta med kommunen selv"),
        (('["1804", "1839"]', "[1804]"), "covers:", "må stå i anførselstegn"),
        (("verified: 2026-11-01", "verified: 2025-06-01"), "verified:", "sjekk dem på nytt"),
        (("verified: 2026-11-01", "verified: 2027-01-01"), "verified:", "kan ikke være i framtiden"),
        (("verified: 2026-11-01", "verified: snart"), "verified:", "verified må være en dato"),
        (("phone: null", 'phone: "116 117"'), "phone:", "er et nasjonalt nummer"),
        (("phone: null", 'phone: "123 45"'), "phone:", "ikke et norsk nummer med åtte sifre"),
        (("web: null", "web: www.bodo.kommune.no"), "web:", "starter med https://"),
        (
            ("helps_with: Når du trenger lege raskt.", "helps_with: Ring 12 34 56 78."),
            "helps_with:",
            "telefonnummer i helps_with",
        ),
        (
            ("how_to_contact: null", "how_to_contact: Ring {{number:ukjent}}."),
            "how_to_contact:",
            "ukjent hjelpetelefon 'ukjent'",
        ),
        (("    address: null\n", ""), "- id: test_legevakt", "mangler felt: address"),
        (
            ("    source: Testdata\n", "    source: Testdata\n    adresse: Storgata\n"),
            "adresse:",
            "ukjent felt 'adresse'",
        ),
        (("id: test_legevakt", "id: Test-Legevakt"), "id: Test-Legevakt", "snake_case"),
        (("name: Testlegevakten", "name: [en, liste]"), "name: [en, liste]", "name må være en tekst"),
        (("services:", "tjenester:"), "tjenester:", "ukjent felt 'tjenester'"),
        (("kind: legevakt", "kind: legevakt: ja"), "kind: legevakt: ja", "ugyldig YAML"),
    ],
)
def test_each_mistake_is_reported_with_file_and_line(
    directory_dir: Path, change: tuple[str, str], blamed: str, expected: str
) -> None:
    content = BODO.replace(*change)
    assert content != BODO
    problems = problems_for(directory_dir, content)
    mine = [p for p in problems if expected in p]
    assert mine, problems
    path, line, _ = mine[0].split(":", 2)
    assert path == str(directory_dir / "1804-bodo.yml")
    assert int(line) == line_of(content, blamed), (mine[0], blamed)


def test_a_phone_number_of_the_kommune_itself_is_accepted(directory_dir: Path) -> None:
    # 12 34 56 78 is not a subscriber number (numbers starting with 1 are short codes), so it stands in here.
    problems = problems_for(directory_dir, BODO.replace("phone: null", 'phone: "12 34 56 78"'))
    assert problems == []


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bodo.yml", BODO, "filnavnet må være <kommunenummer>-<navn>.yml"),
        ("1804-bodoe.yml", BODO, "filen bør hete 1804-bodo.yml"),
        ("1806-narvik.yml", BODO, "stemmer ikke med filnavnet (1806)"),
    ],
)
def test_the_file_name_must_match_the_kommune(directory_dir: Path, name: str, content: str, expected: str) -> None:
    assert any(expected in p for p in problems_for(directory_dir, content, name))


def test_the_fictional_flag_is_only_for_the_example_number(directory_dir: Path) -> None:
    fake_real = BODO.replace("  name: Bodø\n", "  name: Bodø\n  fictional: true\n")
    assert any("bare eksempelkommunen 9999" in p for p in problems_for(directory_dir, fake_real))
    example = (directory_dir / "9999-eksempelvik.yml").read_text(encoding="utf-8")
    not_flagged = example.replace("  fictional: true\n", "")
    assert any("må ha fictional: true" in p for p in problems_for(directory_dir, not_flagged, "9999-eksempelvik.yml"))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("phone: null", 'phone: "12 34 56 78"'), "phone må være null i en fiktiv kommune"),
        (("address: null", "address: Eksempelveien 1"), "address må være null i en fiktiv kommune"),
        (("opening_hours: null", "opening_hours: 08–15"), "opening_hours må være null i en fiktiv kommune"),
        (('covers: ["9999"]', 'covers: ["9999", "1804"]'), "en fiktiv kommune kan bare dekke seg selv"),
    ],
)
def test_a_fictional_kommune_never_looks_real(directory_dir: Path, change: tuple[str, str], expected: str) -> None:
    example = (directory_dir / "9999-eksempelvik.yml").read_text(encoding="utf-8")
    problems = problems_for(directory_dir, example.replace(*change, 1), "9999-eksempelvik.yml")
    assert any(expected in p for p in problems), problems


def test_a_real_kommune_cannot_cover_the_fictional_one(directory_dir: Path) -> None:
    problems = problems_for(directory_dir, BODO.replace('"1839"]', '"9999"]'))
    assert any("9999 finnes ikke" in p for p in problems), problems


def test_a_service_id_is_unique_across_files(directory_dir: Path) -> None:
    problems = problems_for(directory_dir, BODO.replace("test_legevakt", "eksempelvik_legevakt"))
    assert any("allerede brukt i" in p and "9999-eksempelvik.yml" in p for p in problems), problems


def test_slug_folds_norwegian_letters() -> None:
    assert [slug(n) for n in ("Bodø", "Nord-Aurdal", "Ålesund", "Kárášjohka")] == [
        "bodo",
        "nord-aurdal",
        "alesund",
        "karasjohka",
    ]


def _run(command: str, folder: Path, db: Path) -> subprocess.CompletedProcess[str]:
    env = {"DATABASE_URL": f"sqlite:///{db}", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "bot.services", command, "--dir", str(folder)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def _service_ids(db: Path) -> set[str]:
    with create_engine(f"sqlite:///{db}").connect() as connection:
        return {row[0] for row in connection.execute(text("SELECT id FROM services"))}


def test_the_cli_loads_a_valid_directory_and_keeps_it_when_a_file_turns_bad(
    directory_dir: Path, tmp_path: Path
) -> None:
    db = tmp_path / "services.db"
    (directory_dir / "1804-bodo.yml").write_text(BODO, encoding="utf-8")
    loaded = _run("load", directory_dir, db)
    assert loaded.returncode == 0, loaded.stderr
    before = _service_ids(db)
    assert "test_legevakt" in before and "eksempelvik_sorggruppe" in before

    (directory_dir / "1804-bodo.yml").write_text(BODO.replace("id: test_legevakt", "id: test_legevakt_ny"))
    (directory_dir / "1806-narvik.yml").write_text(BODO.replace('"1804"', '"1806"').replace("Bodø", "Narvk"))
    refused = _run("load", directory_dir, db)
    assert refused.returncode == 1
    assert "1806-narvik.yml:3:" in refused.stderr and "ingenting er endret i databasen" in refused.stderr
    assert _service_ids(db) == before  # the good change in 1804-bodo.yml is not loaded either


def test_the_cli_validate_touches_no_database(directory_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "services.db"
    result = _run("validate", directory_dir, db)
    assert result.returncode == 0, result.stderr
    assert "1 kommuner (1 fiktive), 11 tjenester" in result.stdout
    assert not db.exists()
