"""Build the messages the assistant sends from content items: text, source line, follow-up buttons, crisis links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.content.render import render_item
from bot.content.schema import PLACEHOLDER, Helpline
from bot.content.store import ContentStore
from bot.flows.dialogue_map import DialogueMap, topic_payload


@dataclass
class Reply:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    custom: dict[str, Any] | None = None

    def as_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"text": self.text}
        if self.buttons:
            kwargs["buttons"] = self.buttons
        if self.custom:
            kwargs["json_message"] = self.custom
        return kwargs


def tel_link(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return f"tel:{digits}" if len(digits) <= 6 else f"tel:+47{digits}"


def helplines_in(body: str, helplines: dict[str, Helpline]) -> list[Helpline]:
    """The helplines a text refers to by placeholder, in order, each once."""
    seen: list[str] = []
    for match in PLACEHOLDER.finditer(body):
        if match.group(2) not in seen:
            seen.append(match.group(2))
    return [helplines[h] for h in seen if h in helplines]


def listed_numbers(body: str, helplines: dict[str, Helpline]) -> list[dict[str, str]]:
    """The helplines a text refers to, as the widget lists them: name, number and a tel: link."""
    return [{"name": h.name, "number": h.number, "tel": tel_link(h.number)} for h in helplines_in(body, helplines)]


def content_reply(store: ContentStore, dialogue: DialogueMap, item_id: str) -> Reply:
    """A content item as a reply: faq items name their sources; related items and the menu become buttons."""
    item = store.item(item_id)
    text = render_item(item, store.helplines(), store.source, with_sources=item.kind == "faq")
    buttons = [
        {"title": store.item(other).title, "payload": topic_payload(other)}
        for other in item.related
        if store.has_item(other)
    ]
    if item_id in dialogue.menu_after:
        buttons += [{"title": m.title, "payload": m.payload} for m in dialogue.menu]
    # The kind tells the widget this is calm content, never an alert, even when it names 113.
    return Reply(text=text, buttons=buttons, custom={"kind": "content", "id": item.id, "topic": item.topic})


def crisis_item_reply(store: ContentStore, item_id: str, kind: str) -> Reply:
    """A crisis-state answer: the item's text, and its numbers as links for the widget's alert."""
    item = store.item(item_id)
    helplines = store.helplines()
    text = render_item(item, helplines, store.source, with_sources=False)
    numbers = listed_numbers(item.body, helplines)
    if item_id == COST_AND_ANONYMITY_ITEM:
        text = "\n".join([text, *helpline_terms(helplines)])
        numbers = [n for h in CRISIS_LINES for n in listed_numbers(f"{{{{helpline:{h}}}}}", helplines)]
    return Reply(text=text, custom={"kind": "crisis", "crisis_kind": kind, "id": item_id, "numbers": numbers})


# The lines a crisis answer offers first; what they cost and whether one may be anonymous is said only as the
# facts file says it (a line whose file says nothing about cost gets no claim about cost).
CRISIS_LINES = ("mental_helse", "kirkens_sos")
COST_AND_ANONYMITY_ITEM = "krise_gratis_anonymt"


def helpline_terms(helplines: dict[str, Helpline]) -> list[str]:
    """One line per crisis line: name and number, then its cost and anonymity as the facts file gives them."""
    lines = []
    for helpline_id in CRISIS_LINES:
        h = helplines[helpline_id]
        terms = "; ".join(t for t in (h.cost, h.anonymous) if t)
        lines.append(f"- {h.name} ({h.number}): {terms}." if terms else f"- {h.name} ({h.number}).")
    return lines


def aftercare_reply(store: ContentStore, item_id: str) -> Reply:
    """A line under an ordinary answer (after a crisis, or at a weak signal): the numbers, one tap away."""
    item = store.item(item_id)
    helplines = store.helplines()
    text = render_item(item, helplines, store.source, with_sources=False)
    return Reply(text=text, custom={"kind": "crisis_numbers", "numbers": listed_numbers(item.body, helplines)})
