"""Personas reply in character and stay consistent; sessions serialise without the conversation's text."""

from __future__ import annotations

import json

import pytest

from bot.rehearsal.classify import classify_turn
from bot.rehearsal.persona import Persona, PersonaState, parse_persona, reply
from bot.rehearsal.session import MAX_TURNS, RehearsalSession, SessionFull
from bot.rehearsal.vocabulary import Vocabulary

QUESTIONS = {
    "apning": "Jeg vil gjerne snakke med deg om tiden framover. Er det greit?",
    "sykdomsforstaelse": "Hva har du forstått om sykdommen din?",
    "viktig_na": "Hva er viktig for deg nå?",
    "bekymringer_hap": "Hva bekymrer deg mest?",
    "styrke_mening": "Hva gir deg styrke?",
    "behandlingsonsker": "Hva tenker du om livsforlengende behandling?",
    "sted_for_omsorg": "Hvor ønsker du å være den siste tiden?",
    "stedfortreder": "Hvis du ikke kan si fra selv, hvem skal vi snakke med?",
    "barn_parorende": "Hva vet barna om sykdommen?",
    "praktiske_forhold": "Er det noe praktisk du vil ha ordnet?",
    "livstestament_fullmakt": "Har du et livstestament eller en fremtidsfullmakt?",
    "sprak_tolk": "Hvilket språk vil du helst snakke? Skal vi bestille tolk?",
}
OWN_VOICE = "Jeg vil gjerne høre fra deg. Hva tenker du selv?"


def _session(persona: Persona) -> RehearsalSession:
    return RehearsalSession.start(persona.id, {persona.id: persona})


def test_anchored_facts_never_change(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    """Asked three times about each domain, a persona states the same anchored fact every time."""
    for persona in personas.values():
        session = _session(persona)
        if persona.proxy:
            session.take_turn(OWN_VOICE, persona, vocab)
        if persona.reluctance:
            # Earn his trust first: a "no", respected, then permission a little later.
            for text in (
                QUESTIONS["sted_for_omsorg"],
                "Det er helt greit.",
                QUESTIONS["viktig_na"],
                QUESTIONS["apning"],
            ):
                session.take_turn(text, persona, vocab)
            assert session.state.opened
        for domain, fact in persona.anchors.items():
            value = persona.facts[fact]
            answers = [session.take_turn(QUESTIONS[domain], persona, vocab) for _ in range(3)]
            for answer in answers:
                assert answer.kind == "answer", (persona.id, domain, answer)
                assert value in answer.text, (persona.id, domain, answer.text)
            assert fact in session.state.facts_said


def test_variants_advance_and_the_last_one_repeats(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    ingrid = personas["ingrid_hjertesvikt"]
    session = _session(ingrid)
    texts = [session.take_turn(QUESTIONS["sykdomsforstaelse"], ingrid, vocab).text for _ in range(3)]
    first, second = (ingrid.fill(v) for v in ingrid.replies["sykdomsforstaelse"])
    assert texts == [first, second, second]


def test_variant_that_refers_back_waits_until_the_fact_was_said(
    vocab: Vocabulary, personas: dict[str, Persona]
) -> None:
    data = {
        "id": "test_person",
        "name": "Test",
        "age": 70,
        "illness": "x",
        "setting": "sykehjem",
        "living": "x",
        "family": "x",
        "what_matters": ["x"],
        "worries": ["x"],
        "wishes": ["x"],
        "openness": "open",
        "speech_style": "x",
        "intro": "x",
        "facts": {"place": "hjemme"},
        "replies": {
            **{d: ["Ja.", "Nei."] for d in vocab.rehearsal_core},
            "viktig_na": ["Familien.", {"text": "Som sagt vil jeg være {place}.", "requires": ["place"]}],
            "sted_for_omsorg": ["Jeg vil være {place}.", "Fortsatt {place}."],
        },
        "lines": {
            k: ["Mm."]
            for k in ("leading", "medical_advice", "confirm", "follow_up", "acknowledged", "fallback", "unknown_domain")
        },
        "sources": [{"ref": "meld_st_24", "section": "6.1.1"}],
        "reviewed": "2026-11-23",
        "review_by": "2027-05-23",
    }
    persona = parse_persona(data, vocab)
    state = PersonaState()

    def ask(text: str) -> str:
        return reply(persona, state, classify_turn(text, vocab), vocab).text

    assert ask(QUESTIONS["viktig_na"]) == "Familien."
    assert ask(QUESTIONS["viktig_na"]) == "Familien."  # the callback is not eligible yet
    assert ask(QUESTIONS["sted_for_omsorg"]) == "Jeg vil være hjemme."
    assert ask(QUESTIONS["viktig_na"]) == "Som sagt vil jeg være hjemme."


def test_reluctant_persona_opens_only_after_respect_and_permission(
    personas: dict[str, Persona], vocab: Vocabulary
) -> None:
    tor = personas["tor_lungekreft"]
    session = _session(tor)
    assert session.take_turn(QUESTIONS["sted_for_omsorg"], tor, vocab).kind == "refusal"
    assert session.take_turn("Det er helt greit. Hva gir deg styrke?", tor, vocab).kind == "answer"
    assert session.state.respected and not session.state.refusal_pending
    assert session.take_turn(QUESTIONS["apning"], tor, vocab).kind == "opens_up"
    answer = session.take_turn(QUESTIONS["sted_for_omsorg"], tor, vocab)
    assert answer.kind == "answer" and tor.facts["place_wish"] in answer.text
    assert (session.state.refusals, session.state.pushes) == (1, 0)


def test_asking_again_too_soon_is_not_yet(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    tor = personas["tor_lungekreft"]
    session = _session(tor)
    session.take_turn(QUESTIONS["stedfortreder"], tor, vocab)
    assert session.take_turn("Det er helt greit. Er det greit om vi tar det senere?", tor, vocab).kind == "not_yet"
    assert not session.state.opened


def test_pushing_after_a_refusal_closes_the_persona(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    tor = personas["tor_lungekreft"]
    session = _session(tor)
    assert session.take_turn("Hvor vil du dø?", tor, vocab).kind == "refusal"
    assert session.take_turn("Men hvor vil du være den siste tiden?", tor, vocab).kind == "pushed"
    # Permission later does not help once he has been pushed: he stays closed for this session.
    session.take_turn("Hva gir deg styrke?", tor, vocab)
    session.take_turn("Hva bekymrer deg?", tor, vocab)
    assert session.take_turn(QUESTIONS["apning"], tor, vocab).kind != "opens_up"
    assert session.take_turn(QUESTIONS["sted_for_omsorg"], tor, vocab).kind == "pushed"
    assert session.state.locked and session.state.pushes == 2
    assert "sted_for_omsorg" not in session.covered_domains


def test_guarded_answer_before_opening_is_consistent_later(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    tor = personas["tor_lungekreft"]
    session = _session(tor)
    guarded = session.take_turn("Hva tenker du om behandlingen framover?", tor, vocab)
    assert guarded.kind == "answer" and tor.facts["treatment_now"] in guarded.text
    assert tor.facts["treatment_wish"] not in guarded.text


def test_daughter_answers_for_him_until_he_is_asked(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    arne = personas["arne_demens"]
    session = _session(arne)
    kari = session.take_turn(QUESTIONS["sted_for_omsorg"], arne, vocab)
    assert (kari.speaker, kari.kind) == ("Kari", "proxy_answer")
    assert arne.facts["kari_belief"] in kari.text
    own = session.take_turn("Arne, hva tenker du selv om hvor du vil være?", arne, vocab)
    assert (own.speaker, own.kind) == ("Arne", "answer")
    assert arne.facts["place_wish"] in own.text
    assert session.state.released


def test_daughter_interprets_fully_once_language_is_raised(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    johan = personas["johan_samisk"]
    session = _session(johan)
    short = session.take_turn(QUESTIONS["sted_for_omsorg"], johan, vocab)
    assert (short.speaker, short.via) == ("Ánne", None)
    assert johan.facts["place_wish"] not in short.text
    session.take_turn(QUESTIONS["sprak_tolk"], johan, vocab)
    full = session.take_turn(QUESTIONS["sted_for_omsorg"], johan, vocab)
    assert (full.speaker, full.via) == ("Johan", "Ánne")
    assert johan.facts["place_wish"] in full.text


def test_session_round_trips_without_text(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    ingrid = personas["ingrid_hjertesvikt"]
    session = _session(ingrid)
    session.take_turn("Jeg heter Solsikke. " + QUESTIONS["apning"], ingrid, vocab)
    session.take_turn(QUESTIONS["sted_for_omsorg"], ingrid, vocab)
    stored = json.dumps(session.to_dict(), ensure_ascii=False)
    assert "Solsikke" not in stored and "huset mitt" not in stored
    restored = RehearsalSession.from_dict(json.loads(stored))
    assert restored.to_dict() == session.to_dict()
    # The restored session goes on exactly as the original would.
    assert restored.take_turn(QUESTIONS["sted_for_omsorg"], ingrid, vocab) == session.take_turn(
        QUESTIONS["sted_for_omsorg"], ingrid, vocab
    )


def test_session_limits(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    ingrid = personas["ingrid_hjertesvikt"]
    with pytest.raises(KeyError):
        RehearsalSession.start("ukjent", personas)
    with pytest.raises(ValueError):
        RehearsalSession.from_dict({"version": 99, "persona_id": ingrid.id})
    with pytest.raises(ValueError):
        _session(personas["tor_lungekreft"]).take_turn("Hei", ingrid, vocab)
    session = _session(ingrid)
    for _ in range(MAX_TURNS):
        session.take_turn("Mm.", ingrid, vocab)
    with pytest.raises(SessionFull):
        session.take_turn("Mm.", ingrid, vocab)
