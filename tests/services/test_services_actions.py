"""action_local_services with tracker fixtures: the kommune from metadata, from text and from a button; a
shared name asks which one; a kommune without a directory gets an honest answer with the national numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.services
from actions.services import ActionLocalServices
from bot.content.database import make_engine
from bot.content.store import ContentStore
from bot.services.loader import load_directory
from bot.services.store import ServiceStore
from bot.services.validation import read_directory
from tests.conftest import PROJECT_ROOT
from tests.services.conftest import BODO

DOMAIN = yaml.safe_load((PROJECT_ROOT / "bot" / "domain" / "services.yml").read_text(encoding="utf-8"))
EXAMPLE = {"kommune": "9999"}


def run(tracker, dispatcher: CollectingDispatcher) -> list[dict]:
    return ActionLocalServices().run(dispatcher, tracker, {})


def responses(dispatcher: CollectingDispatcher) -> list[str | None]:
    return [m.get("response") for m in dispatcher.messages]


def test_every_response_the_action_uses_is_in_the_domain(tracker, dispatcher) -> None:
    for kwargs in ({"metadata": EXAMPLE}, {}, {"text": "jeg bor i Våler"}, {"text": "legevakt i Bodø"}):
        run(tracker(**kwargs), dispatcher)
    used = {r for r in responses(dispatcher) if r}
    assert used and used <= set(DOMAIN["responses"])


def test_kommune_from_the_pages_metadata_lists_the_general_services(tracker, dispatcher, service_store) -> None:
    events = run(tracker("hvem kan hjelpe oss her", metadata=EXAMPLE), dispatcher)
    first = dispatcher.messages[0]
    assert first["response"] == "utter_local_services"
    assert first["kommune"] == "Eksempelvik (Fiktiv eksempelkommune)"
    assert "Tildelingskontoret (servicetorget) i Eksempelvik" in first["services"]
    assert "Palliativt team i Eksempelvik" in first["services"]
    assert "Sorggruppe" not in first["services"]  # a general question gets the general kinds
    assert '/ask_local_services{"service_topic":"sorg"}' in {b["payload"] for b in first["buttons"]}
    assert first["custom"] == {"kind": "local_services", "kommune": "9999", "fictional": True}
    assert responses(dispatcher)[-1] == "utter_local_services_fictional"
    assert SlotSet("kommune_nummer", "9999") in events


def test_kommune_from_the_session_start_metadata(tracker, dispatcher) -> None:
    run(tracker("hvem kan hjelpe oss her", slots={"session_started_metadata": EXAMPLE}), dispatcher)
    assert dispatcher.messages[0]["kommune"].startswith("Eksempelvik")


def test_a_service_named_in_the_question_is_the_one_shown(tracker, dispatcher, store: ContentStore) -> None:
    run(tracker("finnes det sorggrupper i Eksempelvik"), dispatcher)
    services = dispatcher.messages[0]["services"]
    assert services.startswith("Sorggruppe: Sorggruppe for etterlatte i Eksempelvik")
    assert "Nettside: https://www.eksempelvik.example/sorggruppe" in services
    assert "Kilde: Fiktivt eksempel" in services and "Sjekket 23.11.2026." in services
    assert "Legevakt" not in services


def test_placeholders_in_the_directory_become_the_verified_numbers(tracker, dispatcher, store) -> None:
    run(tracker("hvor er legevakten her", metadata=EXAMPLE), dispatcher)
    services = dispatcher.messages[0]["services"]
    assert f"Ring legevakten på {store.helplines()['legevakt'].number}." in services
    assert "{{" not in services


def test_a_topic_button_names_the_topic(tracker, dispatcher) -> None:
    latest = {"entities": [{"entity": "service_topic", "value": "sorg"}], "intent": {"name": "ask_local_services"}}
    run(tracker('/ask_local_services{"service_topic":"sorg"}', slots={"kommune_nummer": "9999"}, **latest), dispatcher)
    first = dispatcher.messages[0]
    assert first["response"] == "utter_local_services_topic" and first["topic"] == "sorg"
    assert [line.split(":")[0] for line in first["services"].split("\n\n")] == [
        "Frivilligsentral",
        "Sorggruppe",
        "Prest og andre tros- og livssynssamfunn",
    ]


def test_a_kommune_without_a_directory_gets_an_honest_answer_and_the_national_numbers(
    tracker, dispatcher, store: ContentStore
) -> None:
    events = run(tracker("palliativt team i Bodø"), dispatcher)
    intro, info = dispatcher.messages
    assert intro["response"] == "utter_local_services_no_directory" and intro["kommune"] == "Bodø"
    helplines = store.helplines()
    for helpline in ("legevakt", "kreftlinjen", "mental_helse", "emergency_medical"):
        assert helplines[helpline].number in info["text"]
    assert "fastlege" in info["text"].lower() and "servicetorget" in info["text"].lower()
    assert info["custom"]["id"] == "lokale_tjenester_generelt"
    assert SlotSet("kommune_nummer", "1804") in events


def test_a_shared_name_asks_which_one_with_buttons(tracker, dispatcher) -> None:
    events = run(tracker("finnes det sorggruppe i Våler"), dispatcher)
    [message] = dispatcher.messages
    assert message["response"] == "utter_ask_which_kommune" and message["name"] == "Våler"
    assert message["buttons"] == [
        {"title": "Våler (Østfold)", "payload": '/inform_kommune{"kommune":"3114"}'},
        {"title": "Våler (Innlandet)", "payload": '/inform_kommune{"kommune":"3419"}'},
    ]
    assert events == [SlotSet("local_services_pending", ["sorggruppe"])]


def test_the_button_answers_the_question_asked_before(tracker, dispatcher) -> None:
    latest = {"entities": [{"entity": "kommune", "value": "3114"}], "intent": {"name": "inform_kommune"}}
    pending = {"local_services_pending": ["sorggruppe"]}
    events = run(tracker('/inform_kommune{"kommune":"3114"}', slots=pending, **latest), dispatcher)
    assert dispatcher.messages[0]["kommune"] == "Våler (Østfold)"
    assert SlotSet("kommune_nummer", "3114") in events and SlotSet("local_services_pending", None) in events


def test_no_kommune_asks_where_and_remembers_what_was_asked(tracker, dispatcher, store: ContentStore) -> None:
    events = run(tracker("finnes det sorggrupper i kommunen"), dispatcher)
    [message] = dispatcher.messages
    assert message["response"] == "utter_ask_kommune"
    assert message["buttons"] == [
        {
            "title": store.item("lokale_tjenester_generelt").title,
            "payload": '/show_topic{"content_id":"lokale_tjenester_generelt"}',
        }
    ]
    assert events == [SlotSet("local_services_pending", ["sorggruppe"])]

    answer = CollectingDispatcher()
    run(tracker("jeg bor i Eksempelvik", slots={"local_services_pending": ["sorggruppe"]}), answer)
    assert answer.messages[0]["services"].startswith("Sorggruppe:")


@pytest.fixture()
def neighbours(directory_dir: Path, tmp_path: Path) -> ServiceStore:
    """Bodø lists an interkommunal legevakt that also covers Beiarn; Beiarn has no file of its own."""
    (directory_dir / "1804-bodo.yml").write_text(BODO, encoding="utf-8")
    directory, problems = read_directory(directory_dir)
    assert not problems
    engine = make_engine(f"sqlite:///{tmp_path / 'neighbours.db'}")
    load_directory(directory, engine)
    store = ServiceStore(engine)
    actions.services.service_store.use(store)
    return store


def test_an_interkommunal_service_is_named_in_the_neighbour_kommune(neighbours, tracker, dispatcher) -> None:
    run(tracker("hvor er legevakta i Beiarn"), dispatcher)
    first = dispatcher.messages[0]
    assert first["kommune"] == "Beiarn" and first["services"].startswith("Legevakt: Testlegevakten")


def test_a_kind_the_directory_lacks_is_said_plainly(neighbours, tracker, dispatcher, store) -> None:
    run(tracker("hvem kan hjelpe i sorgen i Beiarn"), dispatcher)
    intro, info = dispatcher.messages
    assert intro["response"] == "utter_local_services_none_of_kind"
    assert intro["kinds"] == "sorggruppe, prest og andre tros- og livssynssamfunn eller frivilligsentral"
    assert store.helplines()["legevakt"].number in info["text"]


def test_some_kinds_found_and_some_missing(neighbours, tracker, dispatcher) -> None:
    run(tracker("legevakt og hjemmesykepleie i Bodø"), dispatcher)
    assert responses(dispatcher) == ["utter_local_services", "utter_local_services_missing"]
    assert dispatcher.messages[1]["kinds"] == "hjemmesykepleie"


def test_a_question_right_after_an_answer_asks_about_its_topic(tracker, dispatcher) -> None:
    faq_answer = {
        "event": "bot",
        "text": "…",
        "data": {"custom": {"kind": "content", "id": "hjemmedod", "topic": "hjemmedod"}},
    }
    user = {"event": "user", "text": "hvem i kommunen kan hjelpe oss med det"}
    built = tracker("hvem i kommunen kan hjelpe oss med det", slots={"kommune_nummer": "9999"})
    built.events = [faq_answer, user]
    run(built, dispatcher)
    first = dispatcher.messages[0]
    assert first["response"] == "utter_local_services_topic" and first["topic"] == "å være hjemme den siste tiden"
    assert first["services"].startswith("Palliativt team:")

    other = CollectingDispatcher()
    local_answer = {"event": "bot", "text": "…", "data": {"custom": {"kind": "local_services"}}}
    built.events = [faq_answer, user, local_answer, user]
    run(built, other)
    assert other.messages[0]["response"] == "utter_local_services"  # only the answer just before counts
