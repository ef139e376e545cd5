"""Content validation: the shipped content is valid, and each kind of mistake is caught with file and line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.content.catalogue import CONTENT_DIR, read_catalogue
from bot.content.phone_numbers import find_phone_numbers, normalise_number
from bot.flows.consistency import dialogue_problems
from tests.conftest import PROJECT_ROOT, SHARED_FACTS

GOOD_ITEM = """---
id: test_item
title: Et testelement
kind: faq
topic: livstestament
audience: [innbygger]
sources:
  - ref: meld_st_24
    section: "6.1.2"
reviewed: 2026-01-10
review_by: 2027-01-10
---
Ring {{number:legevakt}} hvis det haster.
"""


@pytest.fixture()
def content_dir(tmp_path: Path) -> Path:
    """A minimal content folder with the real sources and helplines and one valid item."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR / "sources", root / "sources")
    shutil.copy(CONTENT_DIR / "helplines.yml", root / "helplines.yml")
    (root / "items").mkdir()
    (root / "items" / "test_item.md").write_text(GOOD_ITEM, encoding="utf-8")
    return root


def problems_for(content_dir: Path, item_text: str) -> list[str]:
    (content_dir / "items" / "test_item.md").write_text(item_text, encoding="utf-8")
    _, problems = read_catalogue(content_dir, today=date(2026, 6, 1))
    return [str(p) for p in problems]


def test_shipped_content_is_valid_and_consistent_with_the_dialogue(catalogue) -> None:
    assert len([i for i in catalogue.items.values() if i.kind == "faq"]) >= 20
    assert not dialogue_problems(catalogue)


def test_every_item_names_a_source_section_and_a_future_review(catalogue) -> None:
    for item in catalogue.items.values():
        assert item.sources and all(ref.section for ref in item.sources), item.id
        assert item.review_by >= date.today(), item.id


def test_a_valid_item_passes(content_dir: Path) -> None:
    assert problems_for(content_dir, GOOD_ITEM) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("title: Et testelement\n", ""), "mangler felt: title"),
        (("ref: meld_st_24", "ref: ukjent_kilde"), "ukjent kilde 'ukjent_kilde'"),
        (("review_by: 2027-01-10", "review_by: 2026-05-01"), "gjennomgang er forfalt"),
        (("{{number:legevakt}}", "22 33 44 55"), "22334455 finnes ikke i helplines.yml"),
        (("{{number:legevakt}}", "116 117"), "er skrevet inn; bruk {{number:<id>}}"),
        (("{{number:legevakt}}", "{{number:finnes_ikke}}"), "ukjent hjelpetelefon 'finnes_ikke'"),
        (('section: "6.1.2"', 'section: ""'), "mangler section"),
        (("topic: livstestament", "topic: vær"), "ukjent topic"),
    ],
)
def test_each_mistake_is_reported_with_file_and_line(content_dir: Path, change: tuple[str, str], expected: str) -> None:
    problems = problems_for(content_dir, GOOD_ITEM.replace(*change))
    assert any(expected in p for p in problems), problems
    assert all(p.startswith(str(content_dir / "items" / "test_item.md") + ":") for p in problems), problems


def test_the_wrong_line_is_not_blamed_for_a_typed_number(content_dir: Path) -> None:
    problems = problems_for(content_dir, GOOD_ITEM.replace("{{number:legevakt}}", "22 33 44 55"))
    line = int(problems[0].split(":")[1])
    assert GOOD_ITEM.replace("{{number:legevakt}}", "22 33 44 55").splitlines()[line - 1].startswith("Ring 22")


def test_the_helplines_are_the_verified_list() -> None:
    shared = SHARED_FACTS / "helplines.yml"
    if not shared.exists():
        pytest.skip("../shared/facts is not beside this checkout")
    ours = yaml.safe_load((CONTENT_DIR / "helplines.yml").read_text(encoding="utf-8"))
    assert ours == yaml.safe_load(shared.read_text(encoding="utf-8"))


def _texts_users_can_read() -> list[Path]:
    paths = [
        *(PROJECT_ROOT / "bot" / "domain").glob("*.yml"),
        *(CONTENT_DIR).rglob("*.yml"),
        *(CONTENT_DIR).rglob("*.md"),
    ]
    web = PROJECT_ROOT / "web"
    for pattern in ("src/**/*.ts", "demo/**/*.html"):
        paths += web.glob(pattern)
    # helplines.yml is the verified list itself (it even names a retired number, to warn against it).
    return [p for p in paths if p.name != "helplines.yml"]


def test_no_phone_number_anywhere_outside_the_verified_list() -> None:
    verified = {
        normalise_number(h["number"])
        for h in yaml.safe_load((CONTENT_DIR / "helplines.yml").read_text(encoding="utf-8"))
    }
    unverified = {
        (str(path.relative_to(PROJECT_ROOT)), number)
        for path in _texts_users_can_read()
        for number in find_phone_numbers(path.read_text(encoding="utf-8"))
        if number not in verified
    }
    assert not unverified


def test_the_cli_refuses_bad_content_and_leaves_the_database_alone(content_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    env = {"DATABASE_URL": f"sqlite:///{db}", "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "bot.content", "load", "--content-dir", str(content_dir)]
    (content_dir / "items" / "test_item.md").write_text(GOOD_ITEM.replace("2026-01-10", "2099-01-10", 1))
    result = subprocess.run(run, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "test_item.md:" in result.stderr and "ingenting er endret" in result.stderr
    assert not db.exists() or db.stat().st_size == 0
