"""FAQ answers and content shown by intent or button come from the content database, with sources."""

from __future__ import annotations

from actions.content import ActionAnswerFaq, ActionShowContent
from actions.fallback import ActionDefaultAskAffirmation
from bot.content.render import fill_placeholders


def test_faq_answer_is_the_chosen_item_with_its_source(tracker, dispatcher, store) -> None:
    ActionAnswerFaq().run(dispatcher, tracker("faq_livstestament"), {})
    [message] = dispatcher.messages
    item = store.item("livstestament_hva")
    assert message["text"].startswith(fill_placeholders(item.body, store.helplines())[:80])
    assert "Kilde: " in message["text"]
    related_titles = {b["title"] for b in message["buttons"]}
    assert related_titles == {store.item(r).title for r in item.related}


def test_faq_without_a_selection_asks_to_rephrase(tracker, dispatcher) -> None:
    ActionAnswerFaq().run(dispatcher, tracker("default", latest_message={"text": "x", "intent": {"name": "faq"}}), {})
    assert dispatcher.messages[0]["response"] == "utter_ask_rephrase"


def test_greeting_says_it_is_automated_and_offers_the_topics(tracker, dispatcher, store) -> None:
    ActionShowContent().run(dispatcher, tracker("default"), {})
    [message] = dispatcher.messages
    assert "automat" in message["text"].lower()
    assert "Kilde:" not in message["text"]  # messages are not FAQ answers
    assert {"/start_reflection"} <= {b["payload"] for b in message["buttons"]}


def test_a_button_shows_the_item_it_names(tracker, dispatcher, store) -> None:
    latest = {
        "text": '/show_topic{"content_id":"sorg_normal"}',
        "intent": {"name": "show_topic", "confidence": 1.0},
        "entities": [{"entity": "content_id", "value": "sorg_normal"}],
    }
    ActionShowContent().run(dispatcher, tracker("default", latest_message=latest), {})
    assert dispatcher.messages[0]["text"].startswith(store.item("sorg_normal").body[:60])


def test_medical_questions_point_to_who_can_answer(tracker, dispatcher, store) -> None:
    latest = {"text": "hvor mye morfin kan hun få", "intent": {"name": "medical_question"}, "entities": []}
    ActionShowContent().run(dispatcher, tracker("default", latest_message=latest), {})
    text = dispatcher.messages[0]["text"]
    assert "fastlege" in text.lower()
    assert store.helplines()["legevakt"].number in text


def test_an_unknown_button_falls_back_to_what_the_assistant_can_do(tracker, dispatcher, store) -> None:
    latest = {
        "text": "/show_topic",
        "intent": {"name": "show_topic"},
        "entities": [{"entity": "content_id", "value": "x"}],
    }
    ActionShowContent().run(dispatcher, tracker("default", latest_message=latest), {})
    assert dispatcher.messages[0]["text"].startswith(store.item("utenfor_tema").body[:40])


def test_did_you_mean_offers_the_closest_topics_as_buttons(tracker, dispatcher) -> None:
    ActionDefaultAskAffirmation().run(dispatcher, tracker("faq_livstestament"), {})
    [message] = dispatcher.messages
    titles = [b["title"] for b in message["buttons"]]
    assert titles[0] == "Hva er et livstestament?"
    assert message["buttons"][0]["payload"] == '/show_topic{"content_id":"livstestament_hva"}'
    assert titles[-1] == "Noe annet"


def test_content_replies_are_marked_as_calm_content_for_the_widget(tracker, dispatcher) -> None:
    ActionShowContent().run(dispatcher, tracker("default"), {})
    assert dispatcher.messages[0]["custom"] == {"kind": "content", "id": "velkommen", "topic": "om_assistenten"}
