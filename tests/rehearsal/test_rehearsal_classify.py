"""The staff-turn classifier: domains, question style and signals, driven by content/staff/domains.yml."""

from __future__ import annotations

import pytest

from bot.rehearsal.classify import ClassifiedTurn, classify_turn
from bot.rehearsal.cues import compile_cue, compile_cues, normalize
from bot.rehearsal.vocabulary import Vocabulary


def test_normalize_folds_case_punctuation_and_hyphens() -> None:
    assert normalize("  Hjerte-lunge-redning, HLR?! ") == "hjerte lunge redning hlr"


def test_cue_matches_whole_words_and_wildcard_endings() -> None:
    cue = compile_cue("bekymr*")
    assert cue.search("hva bekymrer deg") == 4
    assert cue.search("ubekymret") is None
    assert compile_cue("testament").search("har du et livstestament") is None
    assert compile_cue("hjerte-lunge-redning").search("om hjerte lunge redning") == 3


@pytest.mark.parametrize(
    ("text", "domains"),
    [
        ("Hva har du forstått om sykdommen din?", ("sykdomsforstaelse",)),
        ("Hva er viktig for deg nå?", ("viktig_na",)),
        ("Hva bekymrer deg mest?", ("bekymringer_hap",)),
        ("Hva gir deg styrke og mening?", ("styrke_mening",)),
        ("Har du tanker om hjerte-lunge-redning?", ("behandlingsonsker",)),
        ("Hvor ønsker du å være den siste tiden?", ("sted_for_omsorg",)),
        ("Hvis du ikke kan si fra selv, hvem skal vi snakke med?", ("stedfortreder",)),
        ("Hva vet barna om sykdommen?", ("barn_parorende", "sykdomsforstaelse")),
        ("Er det noe praktisk du vil ha ordnet?", ("praktiske_forhold",)),
        ("Har du et livstestament eller en fremtidsfullmakt?", ("livstestament_fullmakt",)),
        ("Hvilket språk vil du helst snakke? Skal vi bestille tolk?", ("sprak_tolk",)),
        ("Jeg skriver dette i journalen og i den palliative planen.", ("dokumentasjon",)),
        ("Hvordan har du det i dag?", ()),
    ],
)
def test_domains(vocab: Vocabulary, text: str, domains: tuple[str, ...]) -> None:
    assert classify_turn(text, vocab).domains == domains


def test_permission_counts_as_the_opening(vocab: Vocabulary) -> None:
    turn = classify_turn("Jeg vil gjerne snakke med deg om tiden framover. Er det greit for deg?", vocab)
    assert turn.has("permission")
    assert turn.domains == ("apning",)
    assert (turn.open_questions, turn.closed_questions) == (0, 1)


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("Hva er viktig for deg?", (1, 0, 0)),
        ("Hvordan har du det", (1, 0, 0)),  # no question mark, but the turn ends with a question word
        ("Fortell meg om familien din.", (1, 0, 0)),
        ("Kan du fortelle litt om hverdagen din?", (1, 0, 0)),
        ("Er du redd?", (0, 1, 0)),
        ("Du bor alene?", (0, 1, 0)),
        ("Ok, hva tenker du om det?", (1, 0, 0)),
        ("Du vil vel ikke ha gjenoppliving?", (0, 0, 1)),
        ("Du vil sikkert være hjemme, ikke sant?", (0, 0, 1)),
        ("Er du redd? Hva er du mest redd for?", (1, 1, 0)),
        ("Det er sikkert vanskelig å snakke om.", (0, 0, 0)),  # "sikkert" outside a question is empathy
        ("Jeg skal skrive det ned.", (0, 0, 0)),
    ],
)
def test_question_style(vocab: Vocabulary, text: str, counts: tuple[int, int, int]) -> None:
    turn = classify_turn(text, vocab)
    assert (turn.open_questions, turn.closed_questions, turn.leading_questions) == counts


def test_leading_question_raises_a_domain_without_covering_it(vocab: Vocabulary) -> None:
    turn = classify_turn("Du vil vel ikke ha hjerte-lunge-redning?", vocab)
    assert turn.domains == ()
    assert turn.leading_domains == ("behandlingsonsker",)
    assert turn.has("leading")


def test_leading_question_to_a_relative(vocab: Vocabulary) -> None:
    turn = classify_turn("Han vil vel helst på sykehuset i byen?", vocab)
    assert turn.leading_questions == 1
    assert turn.leading_domains == ("sted_for_omsorg",)


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("Du bør slutte med de vanndrivende tablettene.", True),
        ("Ta en ekstra tablett når du blir tungpustet.", True),
        ("Jeg synes du skal ta 10 mg morfin.", True),
        ("Hvordan virker morfinen for deg?", False),  # asking about medicines is not advising
        ("Du må ta kontakt hvis noe endrer seg.", False),
    ],
)
def test_medical_advice(vocab: Vocabulary, text: str, advice: bool) -> None:
    assert classify_turn(text, vocab).has("medical_advice") is advice


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("Hva er viktig for deg nå?", "what_matters"),
        ("Hvis jeg forstår deg riktig, vil du helst være hjemme.", "summary"),
        ("Du sier at du er redd for å falle.", "summary"),
        ("Skal vi snakke igjen om noen uker?", "follow_up"),
        ("Vi avtaler en ny samtale hvis noe endrer seg.", "follow_up"),
        ("Det er helt greit. Vi trenger ikke snakke om det nå.", "respect"),
        ("Arne, hva tenker du selv?", "own_voice"),
        ("Hvor vil du dø?", "death_talk"),
        ("Er det greit om vi snakker om hjerte-lunge-redning?", "death_talk"),
    ],
)
def test_signals(vocab: Vocabulary, text: str, signal: str) -> None:
    assert classify_turn(text, vocab).has(signal)


def test_asking_a_relative_about_the_patient(vocab: Vocabulary) -> None:
    # The domain is found ("Hvor vil han være?"), but asking the daughter is not asking him directly.
    turn = classify_turn("Kari, hvor vil han være? Hva tenker han selv? Hva er viktig for ham?", vocab)
    assert turn.domains == ("sted_for_omsorg", "viktig_na")
    assert not turn.has("own_voice")
    assert not turn.has("what_matters")


def test_summary_sentence_covers_what_it_mentions(vocab: Vocabulary) -> None:
    turn = classify_turn("Hvis jeg forstår deg riktig, vil du være hjemme. Stemmer det?", vocab)
    assert turn.domains == ("oppsummering", "sted_for_omsorg")
    assert turn.question_domains == ()


def test_closed_and_open_domains_are_told_apart(vocab: Vocabulary) -> None:
    turn = classify_turn("Er du redd? Hvor vil du være?", vocab)
    assert turn.closed_domains == ("bekymringer_hap",)
    assert turn.question_domains == ("bekymringer_hap", "sted_for_omsorg")


def test_persona_cues_extend_a_domain(vocab: Vocabulary) -> None:
    text = "Hvordan har Emma og Jonas det?"
    assert classify_turn(text, vocab).domains == ()
    extra = {"barn_parorende": compile_cues(["emma", "jonas"])}
    assert classify_turn(text, vocab, extra).domains == ("barn_parorende",)


def test_classified_turn_round_trips(vocab: Vocabulary) -> None:
    turn = classify_turn("Det er helt greit. Er du redd? Du vil vel ikke på sykehjem?", vocab)
    assert ClassifiedTurn.from_dict(turn.to_dict()) == turn
