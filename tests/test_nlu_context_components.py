"""The NLU components that read what SpacyNLP found or the page's metadata, and the slots Rasa fills from them.

Real spaCy (nb_core_news_sm) and Rasa's own slot extraction against our domain: no action-server call needed.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from spacy.tokens import Span

from bot.components.kommune_entities import CANDIDATE_ROLE, KommuneEntities
from bot.components.person_names import PERSON_NAMES, PersonNames
from bot.components.spacy_entities import SpacyEntities, named_entities, spacy_entities
from bot.components.staff_mode_entity import StaffModeEntity
from bot.nlp import pipeline
from bot.services.schema import DirectoryKommune

EKSEMPELVIK = DirectoryKommune("9999", "Eksempelvik", fictional=True)


def parsed(text: str, metadata: dict[str, Any] | None = None) -> Message:
    """A message as SpacyNLP (`case_sensitive: true`, bot/config.yml) and SpacyEntities leave it."""
    message = Message(data={TEXT: text, METADATA: metadata or {}})
    message.set(SPACY_DOCS[TEXT], pipeline()(text))
    (message,) = SpacyEntities().process([message], SpacyModel(pipeline(), "nb_core_news_sm"))
    return message


def kommune_entities(text: str) -> list[dict[str, Any]]:
    component = KommuneEntities()
    component._fictional = (EKSEMPELVIK,)  # the directory's example kommune, without a database
    (message,) = component.process([parsed(text)])
    return [e for e in message.get(ENTITIES) or [] if e["entity"] == "kommune"]


# --- spaCy's entities of the text as written --------------------------------------------------------------------


def test_entities_come_from_the_text_as_written_not_the_lowercased_parse() -> None:
    text = "Jeg heter Kari Nordmann og mamma bor i Bodø."
    assert ("Kari Nordmann", "PER") in named_entities(pipeline(), text)
    assert ("Bodø", "GPE_LOC") in named_entities(pipeline(), text)
    assert not pipeline()(text.lower()).ents  # why SpacyEntities exists: SpacyNLP's lowercased parse has none


def test_the_parse_of_the_text_as_written_is_used_without_a_second_pass() -> None:
    text = "Jeg heter Kari Nordmann."
    doc = pipeline()(text)
    doc.ents = [Span(doc, 0, 1, label="MARKER")]  # only this doc has it: proof that no second parse ran
    message = Message(data={TEXT: text})
    message.set(SPACY_DOCS[TEXT], doc)
    (message,) = SpacyEntities().process([message], SpacyModel(pipeline(), "nb_core_news_sm"))
    assert spacy_entities(message) == [("Jeg", "MARKER")]


def test_a_lowercased_parse_is_not_trusted_for_entities() -> None:
    text = "Jeg heter Kari Nordmann."
    message = Message(data={TEXT: text})
    message.set(SPACY_DOCS[TEXT], pipeline()(text.lower()))
    (message,) = SpacyEntities().process([message], SpacyModel(pipeline(), "nb_core_news_sm"))
    assert ("Kari Nordmann", "PER") in spacy_entities(message)


def test_a_button_payload_is_not_parsed() -> None:
    assert parsed('/inform_kommune{"kommune":"1804"}').get("spacy_entities") is None


# --- person names ---------------------------------------------------------------------------------------------


def test_person_names_come_from_the_nlu_parse() -> None:
    (message,) = PersonNames().process([parsed("Jeg heter Kari Nordmann og bor hos datteren min.")])
    assert "Kari Nordmann" in message.get(PERSON_NAMES)
    assert PERSON_NAMES in message.as_dict(only_output_properties=True)  # it reaches the tracker's parse data


def test_a_message_without_names_gives_an_empty_list_not_a_second_parse() -> None:
    (message,) = PersonNames().process([parsed("hva er et livstestament?")])
    assert message.get(PERSON_NAMES) == []


# --- kommune ----------------------------------------------------------------------------------------------------


def test_a_named_kommune_becomes_one_entity_without_a_role() -> None:
    (entity,) = kommune_entities("mamma bor i Bodø og vil dø hjemme")
    assert entity["value"] == "1804" and "role" not in entity


def test_a_shared_name_gives_every_candidate_with_the_candidate_role() -> None:
    entities = kommune_entities("jeg bor i Våler")
    assert len(entities) == 2 and {e["role"] for e in entities} == {CANDIDATE_ROLE}
    assert len({e["value"] for e in entities}) == 2


def test_the_fictional_example_kommune_is_found() -> None:
    assert [e["value"] for e in kommune_entities("vi bor i Eksempelvik")] == ["9999"]


@pytest.mark.parametrize("text", ["jeg vil dø hjemme", "", '/inform_kommune{"kommune":"1804"}'])
def test_no_kommune_no_entity(text: str) -> None:
    assert kommune_entities(text) == []


# --- staff mode -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("metadata", "staff"), [({"mode": " Ansatt "}, True), ({"mode": "innbygger"}, False),
                                                 ({"kommune": "9999"}, False), ({}, False)])  # fmt: skip
def test_only_the_pages_mode_ansatt_gives_the_staff_mode_entity(metadata: dict, staff: bool) -> None:
    (message,) = StaffModeEntity().process([parsed("hei", metadata)])
    found = [e["value"] for e in message.get(ENTITIES) or [] if e["entity"] == "staff_mode"]
    assert found == ([True] if staff else [])


# --- the slots Rasa fills from these entities (our domain, Rasa's own slot extraction) ---------------------------


def extracted_slots(domain: Domain, entities: list[dict[str, Any]], slots: dict[str, Any] | None = None) -> dict:
    tracker = DialogueStateTracker.from_events("s", [UserUttered("x", {"name": "greet"}, entities)], domain.slots)
    for name, value in (slots or {}).items():
        tracker.update(SlotSet(name, value))
    events = asyncio.run(
        ActionExtractSlots(None).run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker, domain)
    )
    return {e.key: e.value for e in events if isinstance(e, SlotSet)}


def test_a_named_kommune_fills_the_slot(domain: Domain) -> None:
    assert extracted_slots(domain, [{"entity": "kommune", "value": "1804"}])["kommune_nummer"] == "1804"


def test_a_shared_names_candidates_leave_the_slot_for_the_action_that_asks(domain: Domain) -> None:
    candidates = [{"entity": "kommune", "value": v, "role": CANDIDATE_ROLE} for v in ("3114", "3419")]
    assert "kommune_nummer" not in extracted_slots(domain, candidates, {"kommune_nummer": "1804"})


def test_the_staff_mode_entity_turns_staff_mode_on(domain: Domain) -> None:
    assert extracted_slots(domain, [{"entity": "staff_mode", "value": True}])["staff_mode"] is True


def test_without_the_entity_staff_mode_stays_as_it_was(domain: Domain) -> None:
    assert "staff_mode" not in extracted_slots(domain, [], {"staff_mode": True})
