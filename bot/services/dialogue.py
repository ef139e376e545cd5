"""The content items the local-services answers use, named in content/dialogue.yml under `local_services`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from bot.content.schema import Problem
from bot.flows.dialogue_map import DIALOGUE_FILE

KEYS = ("no_directory",)


@lru_cache(maxsize=2)
def local_services_content(path: Path = DIALOGUE_FILE) -> dict[str, str]:
    """{"no_directory": <content id>}: who to ask and the national numbers, when there is no overview."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in (data.get("local_services") or {}).items()}


def content_problems(items_dir: Path, path: Path = DIALOGUE_FILE) -> list[Problem]:
    """Every key is set, and names an item in content/items/."""
    where = f"content/{path.name}"
    named = local_services_content(path)
    problems = [Problem(where, 1, f"local_services mangler {key}") for key in KEYS if key not in named]
    problems += [
        Problem(where, 1, f"local_services.{key}: innholdselementet '{item}' finnes ikke i content/items")
        for key, item in named.items()
        if not (items_dir / f"{item}.md").exists()
    ]
    return problems
