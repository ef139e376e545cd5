"""Checks that the dialogue's data files agree with the content: every id they name exists."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.content.schema import Catalogue, Problem
from bot.flows.dialogue_map import DIALOGUE_FILE, load_dialogue_map

DESCRIPTIONS_FILE = Path(__file__).resolve().parents[2] / "content" / "intent_descriptions.yml"


def dialogue_problems(catalogue: Catalogue) -> list[Problem]:
    problems: list[Problem] = []
    dialogue = load_dialogue_map()
    where = str(DIALOGUE_FILE.relative_to(DIALOGUE_FILE.parents[1]))
    for content_id in sorted(dialogue.content_ids()):
        if content_id not in catalogue.items:
            problems.append(Problem(where, 1, f"innholdselementet '{content_id}' finnes ikke i content/items"))
    if dialogue.reflection["set"] not in catalogue.reflection_sets:
        problems.append(Problem(where, 1, f"refleksjonssettet '{dialogue.reflection['set']}' finnes ikke"))
    if DESCRIPTIONS_FILE.exists():
        descriptions = yaml.safe_load(DESCRIPTIONS_FILE.read_text(encoding="utf-8")) or {}
        for item in catalogue.items.values():
            if item.kind == "faq" and f"faq/{item.id}" not in descriptions:
                problems.append(Problem("content/intent_descriptions.yml", 1, f"mangler beskrivelse av faq/{item.id}"))
    return problems
