"""The dialogue map (content/dialogue.yml): which content item answers which intent or crisis kind."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DIALOGUE_FILE = Path(__file__).resolve().parents[2] / "content" / "dialogue.yml"


@dataclass(frozen=True)
class MenuEntry:
    title: str
    payload: str


@dataclass(frozen=True)
class DialogueMap:
    intent_content: dict[str, str]
    crisis_content: dict[str, str]
    crisis_followups: dict[str, str]
    crisis_aftercare: str
    crisis_check: str
    deleted_content: str
    unavailable_content: str
    reflection: dict[str, str]
    menu_after: frozenset[str]
    menu: tuple[MenuEntry, ...]

    def content_ids(self) -> set[str]:
        """Every content id the map names, so validation can check they exist."""
        ids = {*self.intent_content.values(), *self.crisis_content.values(), *self.crisis_followups.values(),
               self.crisis_aftercare, self.crisis_check, self.deleted_content, self.unavailable_content}
        ids |= {v for k, v in self.reflection.items() if k != "set"} | set(self.menu_after)
        ids |= {m.payload.split('"')[3] for m in self.menu if m.payload.startswith("/show_topic")}
        return ids


def topic_payload(content_id: str) -> str:
    """Button payload that shows one content item."""
    return '/show_topic{"content_id":"' + content_id + '"}'


@lru_cache(maxsize=2)
def load_dialogue_map(path: Path = DIALOGUE_FILE) -> DialogueMap:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    menu = tuple(
        MenuEntry(entry["title"], entry.get("payload") or topic_payload(entry["item"])) for entry in data["menu"]
    )
    return DialogueMap(
        intent_content=dict(data["intent_content"]),
        crisis_content=dict(data["crisis_content"]),
        crisis_followups=dict(data["crisis_followups"]),
        crisis_aftercare=str(data["crisis_aftercare"]),
        crisis_check=str(data["crisis_check"]),
        deleted_content=str(data["deleted_content"]),
        unavailable_content=str(data["unavailable_content"]),
        reflection=dict(data["reflection"]),
        menu_after=frozenset(data["menu_after"]),
        menu=menu,
    )
