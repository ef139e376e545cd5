"""Scripted rehearsals: one good and one poor conversation per persona, with the exact feedback expected.

The good conversations follow the guides (permission, open questions, «Hva er viktig for deg?», every domain,
summary, follow-up; respecting a "no"; asking the patient directly; raising language and interpreting). The
poor ones do what the guides warn against (no permission, leading and closed questions, medical advice,
pushing after a refusal, talking to the relative about the patient).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.rehearsal.feedback import Feedback, build_feedback
from bot.rehearsal.persona import Persona
from bot.rehearsal.render import render_feedback, render_reply
from bot.rehearsal.session import RehearsalSession
from bot.rehearsal.vocabulary import Vocabulary

CORE = (
    "apning",
    "sykdomsforstaelse",
    "viktig_na",
    "bekymringer_hap",
    "styrke_mening",
    "behandlingsonsker",
    "sted_for_omsorg",
    "stedfortreder",
)


@dataclass(frozen=True)
class Expected:
    covered: tuple[str, ...]
    missed: tuple[str, ...]
    counts: tuple[int, int, int]  # open, closed, leading
    medical_advice: int = 0
    permission: bool = False
    what_matters: bool = False
    summary: bool = False
    follow_up: bool = False
    refusals: int = 0
    pushed: int = 0
    respected: bool = False
    own_voice: bool | None = None
    replies: tuple[str, ...] = ()  # reply kinds, turn by turn


GOOD = dict(permission=True, what_matters=True, summary=True, follow_up=True)

SCRIPTS: dict[str, tuple[list[str], Expected]] = {
    "ingrid_good": (
        [
            "Hei, Ingrid. Jeg vil gjerne snakke med deg om hvordan du har det og om tiden framover. "
            "Er det greit for deg?",
            "Hva har du forstått om sykdommen din?",
            "Hva er viktig for deg nå?",
            "Hva bekymrer deg mest når du tenker på tiden framover?",
            "Hva gir deg styrke i hverdagen?",
            "Hvor ønsker du å være når du blir sykere, og den aller siste tiden?",
            "Hva tenker du om livsforlengende behandling og hjerte-lunge-redning?",
            "Hvis du en dag ikke kan si fra selv, hvem ønsker du at vi snakker med?",
            "Er det noe praktisk du vil ha ordnet?",
            "Hvis jeg forstår deg riktig, vil du være hjemme, og Per skal snakke for deg. Stemmer det?",
            "Jeg skriver dette i journalen din. Skal vi snakke igjen om en måned, eller hvis noe endrer seg?",
        ],
        Expected(
            covered=(*CORE, "praktiske_forhold", "oppsummering", "dokumentasjon", "oppfolging"),
            missed=(),
            counts=(7, 4, 0),
            **GOOD,
            replies=("answer",) * 9 + ("confirm", "follow_up"),
        ),
    ),
    "ingrid_poor": (
        [
            "Hei. Du bor alene?",
            "Du vil sikkert helst på sykehjem når det blir verre?",
            "Er du redd?",
            "Du bør ta en ekstra vanndrivende tablett når du blir tungpustet.",
            "Vil du ha hjerte-lunge-redning?",
        ],
        Expected(
            covered=("bekymringer_hap", "behandlingsonsker"),
            missed=(
                "apning",
                "sykdomsforstaelse",
                "viktig_na",
                "styrke_mening",
                "sted_for_omsorg",
                "stedfortreder",
                "praktiske_forhold",
            ),
            counts=(0, 3, 1),
            medical_advice=1,
            replies=("fallback", "leading", "short_answer", "medical_advice", "short_answer"),
        ),
    ),
    "tor_good": (
        [
            "Hei Tor. Jeg vil gjerne snakke litt med deg om hvordan du har det, og om tiden framover. Er det greit?",
            "Hva har legene sagt om sykdommen din?",
            "Hva er viktig for deg nå?",
            "Hvor ønsker du å være når du blir sykere?",
            "Det er helt greit. Vi trenger ikke snakke om det nå. Hva gir deg styrke i hverdagen?",
            "Hva bekymrer deg mest?",
            "Du sa at du var bekymret for ungene. Hvordan har Emma og Jonas det?",
            "Hva tenker du om behandlingen framover?",
            "Er det greit om vi snakker litt om tiden framover, hvis du blir sykere?",
            "Hvor ønsker du å være den siste tiden?",
            "Hvis du ikke kan si fra selv, hvem skal vi snakke med?",
            "Hva tenker du om livsforlengende behandling og hjerte-lunge-redning?",
            "Hvis jeg forstår deg riktig, vil du være hjemme så lenge det går, og Hilde skal snakke for deg. "
            "Stemmer det?",
            "Skal vi avtale en ny samtale etter neste kontroll?",
        ],
        Expected(
            covered=(*CORE, "barn_parorende", "oppsummering", "oppfolging"),
            missed=(),
            counts=(10, 4, 0),
            **GOOD,
            refusals=1,
            respected=True,
            replies=("answer",) * 3
            + ("refusal",)
            + ("answer",) * 4
            + ("opens_up",)
            + ("answer",) * 3
            + ("confirm", "follow_up"),
        ),
    ),
    "tor_poor": (
        [
            "Hei. Vi må snakke om hva som skal skje når du dør.",
            "Du vil vel ikke ha gjenoppliving når det er så langt kommet?",
            "Er du redd?",
            "Du bør slutte å røyke og ta morfin mot smertene.",
            "Hvor vil du dø?",
        ],
        Expected(
            covered=("bekymringer_hap",),
            missed=(
                "apning",
                "sykdomsforstaelse",
                "viktig_na",
                "styrke_mening",
                "behandlingsonsker",
                "sted_for_omsorg",
                "stedfortreder",
                "barn_parorende",
            ),
            counts=(1, 1, 1),
            medical_advice=1,
            refusals=1,
            pushed=2,
            replies=("refusal", "pushed", "short_answer", "medical_advice", "pushed"),
        ),
    ),
    "arne_good": (
        [
            "Hei, Arne og Kari. "
            "Jeg vil gjerne snakke med dere om tiden framover, så vi vet hva som er viktig for deg, Arne. "
            "Er det greit?",
            "Arne, jeg vil gjerne høre fra deg. Hva tenker du selv om sykdommen din?",
            "Hva er viktig for deg nå?",
            "Hva bekymrer deg mest?",
            "Hva gir deg glede og styrke?",
            "Hvor ønsker du å være når du trenger mer hjelp?",
            "Hva tenker du om livsforlengende behandling hvis du blir alvorlig syk?",
            "Hvem skal vi snakke med hvis du ikke kan si fra selv?",
            "Har du tenkt på en fremtidsfullmakt?",
            "Hvis jeg forstår deg riktig, vil du bo hjemme så lenge det går, men Kari skal ikke slite seg ut. "
            "Stemmer det?",
            "Vi avtaler en ny samtale om noen måneder. Jeg skriver det du har sagt i journalen.",
        ],
        Expected(
            covered=(*CORE, "oppsummering", "dokumentasjon", "livstestament_fullmakt", "oppfolging"),
            missed=(),
            counts=(7, 3, 0),
            **GOOD,
            own_voice=True,
            replies=("proxy_answer",) + ("answer",) * 8 + ("confirm", "follow_up"),
        ),
    ),
    "arne_poor": (
        [
            "Kari, hvordan går det med faren din?",
            "Hva er viktig for ham nå?",
            "Han vil vel ikke på sykehjem?",
            "Hva tenker dere om livsforlengende behandling?",
            "Hvem skal bestemme for ham når han ikke klarer det selv?",
        ],
        Expected(
            covered=("viktig_na", "behandlingsonsker", "stedfortreder"),
            missed=(
                "apning",
                "sykdomsforstaelse",
                "bekymringer_hap",
                "styrke_mening",
                "sted_for_omsorg",
                "livstestament_fullmakt",
            ),
            counts=(4, 0, 1),
            own_voice=False,
            replies=("fallback", "proxy_answer", "leading", "proxy_answer", "proxy_answer"),
        ),
    ),
    "sara_good": (
        [
            "Hei Sara. Jeg vil gjerne snakke med deg om tiden framover, så vi vet hva som er viktig for deg. "
            "Er det greit?",
            "Hva har du forstått om hvordan sykdommen kan utvikle seg?",
            "Hva er viktig for deg nå?",
            "Hva bekymrer deg mest?",
            "Hva gir deg styrke og mening?",
            "Hva tenker du om pustehjelp og respirator hvis pusten blir dårligere?",
            "Hvor ønsker du å være den siste tiden?",
            "Hvem skal vi snakke med hvis du ikke kan si fra selv?",
            "Hva vet Oskar om sykdommen din?",
            "Har du skrevet et livstestament?",
            "Hvis jeg forstår deg riktig, vil du være hjemme, og du vil ha maske om natten, men ikke respirator. "
            "Stemmer det?",
            "Vi tar en ny samtale før pusten blir verre. Er det greit?",
        ],
        Expected(
            covered=(*CORE, "barn_parorende", "oppsummering", "livstestament_fullmakt", "oppfolging"),
            missed=(),
            counts=(8, 4, 0),
            **GOOD,
            replies=("answer",) * 10 + ("confirm", "follow_up"),
        ),
    ),
    "sara_poor": (
        [
            "Hvordan går det?",
            "Du vil vel ikke ha respirator?",
            "Har du barn?",
            "Du bør begynne med morfin mot pustebesværet.",
            "Er du redd?",
        ],
        Expected(
            covered=("bekymringer_hap", "barn_parorende"),
            missed=(
                "apning",
                "sykdomsforstaelse",
                "viktig_na",
                "styrke_mening",
                "behandlingsonsker",
                "sted_for_omsorg",
                "stedfortreder",
                "livstestament_fullmakt",
            ),
            counts=(1, 2, 1),
            medical_advice=1,
            replies=("fallback", "leading", "short_answer", "medical_advice", "answer"),
        ),
    ),
    "johan_good": (
        [
            "Hei, Johan. Hvilket språk vil du helst snakke om dette på? Skal vi bestille tolk?",
            "Jeg vil gjerne snakke med deg om hvordan du har det og om tiden framover. Er det greit?",
            "Hva har du forstått om sykdommen din?",
            "Hva er viktig for deg nå?",
            "Hva bekymrer deg mest?",
            "Hva gir deg styrke?",
            "Hva tenker du om livsforlengende behandling når sykdommen blir verre?",
            "Hvor ønsker du å være den siste tiden?",
            "Hvis du ikke kan si fra selv, hvem skal vi snakke med?",
            "Hvis jeg forstår deg riktig, vil du være hjemme med familien, og du vil ikke ha maskiner. Stemmer det?",
            "Skal vi snakke igjen når du har fått tenkt litt?",
        ],
        Expected(
            covered=("sprak_tolk", *CORE, "oppsummering", "oppfolging"),
            missed=(),
            counts=(8, 4, 0),
            **GOOD,
            own_voice=True,
            replies=("answer",) * 9 + ("confirm", "follow_up"),
        ),
    ),
    "johan_poor": (
        [
            "Ánne, hvordan har faren din det?",
            "Er han redd?",
            "Hvor vil han være den siste tiden?",
            "Han vil vel helst på sykehuset i byen, der de har alt utstyret?",
            "Dere må ringe legevakten hvis pusten blir verre.",
        ],
        Expected(
            covered=("bekymringer_hap", "sted_for_omsorg"),
            missed=(
                "sprak_tolk",
                "apning",
                "sykdomsforstaelse",
                "viktig_na",
                "styrke_mening",
                "behandlingsonsker",
                "stedfortreder",
            ),
            counts=(2, 1, 1),
            own_voice=False,
            replies=("fallback", "proxy_answer", "proxy_answer", "leading", "fallback"),
        ),
    ),
}
PERSONA_OF = {
    "ingrid": "ingrid_hjertesvikt",
    "tor": "tor_lungekreft",
    "arne": "arne_demens",
    "sara": "sara_als",
    "johan": "johan_samisk",
}


def _run(name: str, personas: dict[str, Persona], vocab: Vocabulary) -> tuple[RehearsalSession, list[str], Feedback]:
    persona = personas[PERSONA_OF[name.split("_")[0]]]
    session = RehearsalSession.start(persona.id, personas)
    kinds = [session.take_turn(text, persona, vocab).kind for text in SCRIPTS[name][0]]
    # Feedback is built from the stored session, as an action would after reading it back from a slot.
    stored = RehearsalSession.from_dict(session.to_dict())
    return stored, kinds, build_feedback(stored, persona, vocab)


def test_every_persona_has_a_good_and_a_poor_script(personas: dict[str, Persona]) -> None:
    scripted = {PERSONA_OF[name.split("_")[0]] for name in SCRIPTS}
    assert scripted == set(personas)
    assert {name.split("_")[1] for name in SCRIPTS} == {"good", "poor"}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_scripted_rehearsal(name: str, personas: dict[str, Persona], vocab: Vocabulary) -> None:
    expected = SCRIPTS[name][1]
    _, kinds, feedback = _run(name, personas, vocab)
    assert tuple(kinds) == expected.replies
    assert feedback.covered == expected.covered
    assert feedback.missed_ids == expected.missed
    assert (feedback.open_questions, feedback.closed_questions, feedback.leading_questions) == expected.counts
    assert feedback.medical_advice == expected.medical_advice
    assert feedback.permission_asked is expected.permission
    assert feedback.what_matters_asked is expected.what_matters
    assert feedback.summarised is expected.summary
    assert feedback.follow_up_agreed is expected.follow_up
    assert feedback.refusals == expected.refusals
    assert feedback.pushed_after_refusal == expected.pushed
    assert feedback.respected_refusal is expected.respected
    assert feedback.own_voice_invited is expected.own_voice


def test_missed_domains_come_with_a_suggested_question(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    _, _, feedback = _run("tor_poor", personas, vocab)
    for missed in feedback.missed:
        assert missed.suggested == vocab.domains[missed.id].suggested
        assert missed.label == vocab.domains[missed.id].label


def test_feedback_is_deterministic(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    assert _run("sara_poor", personas, vocab)[2] == _run("sara_poor", personas, vocab)[2]


def test_rendered_feedback_for_pushing(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    text = vocab.feedback_text
    _, _, feedback = _run("tor_poor", personas, vocab)
    rendered = render_feedback(feedback, personas["tor_lungekreft"], vocab)
    assert rendered.splitlines()[0] == text["heading"].format(name="Tor")
    for key in ("pushed", "leading", "medical_advice", "permission_no", "summary_no", "follow_up_no"):
        assert text[key] in rendered
    assert text["respected"] not in rendered
    assert f"«{vocab.domains['stedfortreder'].suggested}»" in rendered


def test_rendered_feedback_for_a_good_rehearsal(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    text = vocab.feedback_text
    _, _, feedback = _run("arne_good", personas, vocab)
    rendered = render_feedback(feedback, personas["arne_demens"], vocab)
    for key in ("permission_yes", "what_matters_yes", "summary_yes", "follow_up_yes"):
        assert text[key] in rendered
    assert text["proxy_yes"].format(name="Arne") in rendered
    assert text["missed"] not in rendered


def test_rendered_feedback_when_the_daughter_answered(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    _, _, feedback = _run("arne_poor", personas, vocab)
    rendered = render_feedback(feedback, personas["arne_demens"], vocab)
    assert vocab.feedback_text["proxy_no"].format(name="Arne", proxy="Kari") in rendered


def test_rendered_replies(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    johan = personas["johan_samisk"]
    session = RehearsalSession.start(johan.id, personas)
    first = session.take_turn("Hvor vil du være den siste tiden?", johan, vocab)
    assert render_reply(first) == "Ánne: Han vil nok være hjemme."
    session.take_turn("Hvilket språk vil du helst snakke?", johan, vocab)
    full = session.take_turn("Hvor vil du være den siste tiden?", johan, vocab)
    assert render_reply(full) == f"Ánne (tolker for Johan): «Jeg vil være {johan.facts['place_wish']}.»"
