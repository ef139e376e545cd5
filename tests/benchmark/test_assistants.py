"""The stock assistant is Rasa's own starter project, copied as `rasa init` writes it (bench.assistants)."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from bench.assistants import OURS_SCRIPT, copy_stock_project, find_model, stock_template


def test_stock_copy_has_config_domain_and_data_and_no_model(tmp_path: Path) -> None:
    dest = tmp_path / "stock"
    copy_stock_project(dest)

    for name in (
        "config.yml",
        "domain.yml",
        "credentials.yml",
        "endpoints.yml",
        "data/nlu.yml",
        "data/rules.yml",
        "data/stories.yml",
    ):
        assert (dest / name).is_file(), name
        assert (dest / name).read_bytes() == (stock_template() / name).read_bytes()
    assert find_model(dest / "models") is None
    assert not list(dest.rglob("*.tar.gz"))
    assert not list(dest.rglob("__pycache__"))


def test_stock_copy_serves_rest_without_an_action_server(tmp_path: Path) -> None:
    copy_stock_project(tmp_path / "stock")
    assert "rest" in yaml.safe_load((tmp_path / "stock" / "credentials.yml").read_text())
    endpoints = yaml.safe_load((tmp_path / "stock" / "endpoints.yml").read_text()) or {}
    assert "action_endpoint" not in endpoints


def test_stock_copy_replaces_an_earlier_copy_and_its_model(tmp_path: Path) -> None:
    dest = tmp_path / "stock"
    (dest / "models").mkdir(parents=True)
    (dest / "models" / "old.tar.gz").write_bytes(b"x")
    (dest / "leftover.txt").write_text("x")
    copy_stock_project(dest)
    assert not (dest / "leftover.txt").exists()
    assert find_model(dest / "models") is None


def test_find_model_takes_the_newest(tmp_path: Path) -> None:
    old, new = tmp_path / "a.tar.gz", tmp_path / "b.tar.gz"
    old.write_bytes(b"x")
    new.write_bytes(b"y")
    os.utime(old, (1_000, 1_000))
    assert find_model(tmp_path) == new


def test_our_script_is_norwegian_and_reaches_the_custom_actions() -> None:
    assert OURS_SCRIPT[0] == "hei"
    assert any("livstestament" in m for m in OURS_SCRIPT)  # FAQ answer from the content database
    assert any("Eksempelvik" in m for m in OURS_SCRIPT)  # services lookup for the fictional kommune
