"""Finding question sets for a staff request, and rendering them."""

from __future__ import annotations

from bot.rehearsal.question_sets import QuestionSet, find_questions
from bot.rehearsal.render import render_questions
from bot.rehearsal.vocabulary import Vocabulary


def test_questions_about_treatment_wishes(question_sets: dict[str, QuestionSet], vocab: Vocabulary) -> None:
    selection = find_questions("spørsmål om behandlingsønsker", sets=question_sets, vocab=vocab)
    assert selection.domains == ("behandlingsonsker",)
    assert selection.setting is None and selection.phase is None
    assert selection.questions
    assert {q.domain for q in selection.questions} == {"behandlingsonsker"}
    assert {q.set_id for q in selection.questions} == {"generell"}


def test_how_to_open_the_conversation(question_sets: dict[str, QuestionSet], vocab: Vocabulary) -> None:
    selection = find_questions("hvordan åpner jeg samtalen", sets=question_sets, vocab=vocab)
    assert selection.domains == ("apning",)
    assert selection.questions[0].text.endswith("Er det greit?")


def test_setting_questions_come_first(question_sets: dict[str, QuestionSet], vocab: Vocabulary) -> None:
    selection = find_questions("", setting="sykehjem", sets=question_sets, vocab=vocab)
    assert selection.setting == "sykehjem"
    phases = [q.phase for q in selection.questions]
    assert phases == sorted(phases, key=["before", "during", "after"].index)
    first_during = next(q for q in selection.questions if q.phase == "during")
    assert first_during.set_id == "sykehjem"
    assert {q.set_id for q in selection.questions} == {"sykehjem", "generell"}


def test_setting_named_in_the_request_is_not_read_as_a_topic(
    question_sets: dict[str, QuestionSet], vocab: Vocabulary
) -> None:
    # "sykehjem" is also a cue for place of care; as a setting it must not narrow the topic.
    selection = find_questions("spørsmål om behandlingsønsker på sykehjem", sets=question_sets, vocab=vocab)
    assert selection.setting == "sykehjem"
    assert selection.domains == ("behandlingsonsker",)
    assert selection.questions[0].set_id == "sykehjem"
    relatives = find_questions("spørsmål når pårørende er til stede", sets=question_sets, vocab=vocab)
    assert relatives.setting == "parorende_til_stede"
    assert relatives.domains == ()


def test_phase_from_the_request(question_sets: dict[str, QuestionSet], vocab: Vocabulary) -> None:
    selection = find_questions("hva bør jeg gjøre før samtalen ved demens?", sets=question_sets, vocab=vocab)
    assert (selection.setting, selection.phase) == ("tidlig_demens", "before")
    assert {q.phase for q in selection.questions} == {"before"}
    assert selection.questions[0].set_id == "tidlig_demens"
    after = find_questions("hvordan dokumentere etter samtalen", sets=question_sets, vocab=vocab)
    assert after.phase == "after"
    assert {q.domain for q in after.questions} == {"dokumentasjon"}


def test_explicit_setting_by_label(question_sets: dict[str, QuestionSet], vocab: Vocabulary) -> None:
    assert find_questions("spørsmål", setting="Fastlege", sets=question_sets, vocab=vocab).setting == "fastlege"
    assert find_questions("spørsmål", setting="hjemmesykepleien", sets=question_sets, vocab=vocab).setting == (
        "hjemmetjeneste"
    )


def test_render_questions(question_sets: dict[str, QuestionSet], vocab: Vocabulary) -> None:
    selection = find_questions("spørsmål om behandlingsønsker på sykehjem", sets=question_sets, vocab=vocab)
    text = render_questions(selection, question_sets, vocab, limit=3)
    lines = text.splitlines()
    assert lines[0] == "Sykehjem:"
    assert lines[1] == vocab.phases["during"].label
    assert len([line for line in lines if line.startswith("- «")]) == 3
    assert selection.questions[0].why in text
    # Nothing about children belongs to the phase before the conversation: an empty answer renders as nothing.
    empty = find_questions("spørsmål om barna før samtalen", sets=question_sets, vocab=vocab)
    assert (empty.phase, empty.domains, empty.questions) == ("before", ("barn_parorende",), ())
    assert render_questions(empty, question_sets, vocab) == ""
