"""Which kommune a turn is about: a button, the user's words, the slot, the page's metadata, in that order."""

from __future__ import annotations

import pytest

from bot.services.recognition import mentions_in_text, resolve_kommune
from bot.services.schema import DirectoryKommune

EKSEMPELVIK = (DirectoryKommune("9999", "Eksempelvik", fictional=True),)


def resolved(message: dict, slot: str | None = None, session: dict | None = None) -> tuple[str | None, str]:
    result = resolve_kommune(message, slot, session, EKSEMPELVIK)
    return (result.kommune.number if result.kommune else None), result.source


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("jeg bor i Bodø", "1804"),
        ("i Kárášjohka", "5610"),
        ("palliativt team i Bodø", "1804"),
        ("Herøy i Nordland", "1818"),
        ("Våler, Østfold", "3114"),
        ("jeg bor i Eksempelvik", "9999"),
        ("tjenester i Eksempelviks kommune", "9999"),
        ("Moss", "3103"),  # a bare answer counts although the name needs a cue in running text
        ("Lund", "1112"),
    ],
)
def test_a_kommune_in_the_users_words(text: str, number: str) -> None:
    assert resolved({"text": text}) == (number, "text")


@pytest.mark.parametrize("text", ["hvem kan hjelpe oss her", "Time hos legen i morgen", "sola skinner", "time"])
def test_no_kommune_where_there_is_none(text: str) -> None:
    assert resolved({"text": text}) == (None, "none")


def test_a_shared_name_is_not_guessed() -> None:
    result = resolve_kommune({"text": "jeg bor i Våler"})
    assert result.needs_choice and result.kommune is None
    assert [k.label for k in result.ambiguous] == ["Våler (Østfold)", "Våler (Innlandet)"]


def test_a_shared_name_again_keeps_the_kommune_already_chosen() -> None:
    assert resolved({"text": "Våler"}, slot="3419") == ("3419", "slot")


def test_a_button_wins_over_everything() -> None:
    message = {
        "text": '/inform_kommune{"kommune":"3114"}',
        "entities": [{"entity": "kommune", "value": "3114"}],
        "metadata": {"kommune": "1804"},
    }
    assert resolved(message, slot="9999") == ("3114", "entity")


def test_candidate_entities_on_one_span_ask_which_one() -> None:
    entities = [{"entity": "kommune", "value": n, "start": 0, "end": 5} for n in ("3114", "3419")]
    result = resolve_kommune({"text": "Våler", "entities": entities})
    assert result.needs_choice


def test_the_users_words_win_over_what_was_known_and_the_page() -> None:
    assert resolved({"text": "mamma bor i Bodø", "metadata": {"kommune": "9999"}}, slot="5610") == ("1804", "text")


def test_what_was_known_wins_over_the_page() -> None:
    assert resolved({"text": "hvem kan hjelpe", "metadata": {"kommune": "9999"}}, slot="5610") == ("5610", "slot")


@pytest.mark.parametrize(
    ("metadata", "number"),
    [
        ({"kommune": "9999"}, "9999"),
        ({"kommune": 1804}, "1804"),
        ({"kommune": "301"}, "0301"),
        ({"kommune": "Bodø"}, "1804"),
    ],
)
def test_the_pages_metadata(metadata: dict, number: str) -> None:
    assert resolved({"text": "hvem kan hjelpe oss her", "metadata": metadata}) == (number, "metadata")
    assert resolved({"text": "hvem kan hjelpe oss her"}, session=metadata) == (number, "metadata")


@pytest.mark.parametrize("metadata", [{"kommune": "Herøy"}, {"kommune": "1234"}, {"kommune": ""}, {"mode": "ansatt"}])
def test_metadata_that_does_not_name_one_kommune_is_ignored(metadata: dict) -> None:
    assert resolved({"text": "hei", "metadata": metadata}) == (None, "none")


def test_labels_say_what_the_user_needs_to_know() -> None:
    [[karasjok]] = mentions_in_text("i Kárášjohka")
    [[example]] = mentions_in_text("Eksempelvik", EKSEMPELVIK)
    assert karasjok.label == "Karasjok – Kárášjohka"
    assert example.label == "Eksempelvik (Fiktiv eksempelkommune)"
    assert [k.label for k in mentions_in_text("Herøy")[0]] == ["Herøy (Møre og Romsdal)", "Herøy (Nordland)"]


def test_spacy_place_entities_feed_the_gazetteer() -> None:
    from bot.services.recognition import place_entities

    assert ("Tromsø", "GPE_LOC") in place_entities("Mamma bor i Tromsø og er alvorlig syk.")
