"""Loading and validation of the care-staff data: domains, question sets, personas and their sources."""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.rehearsal.persona import PERSONA_DIR, Persona, parse_persona
from bot.rehearsal.question_sets import QUESTION_SET_DIR, QuestionSet, parse_question_set
from bot.rehearsal.vocabulary import STAFF_DIR, DataError, Vocabulary, parse_vocabulary

CONTENT_DIR = STAFF_DIR.parent
SETTINGS = {"sykehjem", "hjemmetjeneste", "fastlege", "sykehus", "tidlig_demens", "parorende_til_stede"}
BRIEF_DURING_DOMAINS = {
    "apning",
    "sykdomsforstaelse",
    "viktig_na",
    "bekymringer_hap",
    "styrke_mening",
    "behandlingsonsker",
    "sted_for_omsorg",
    "stedfortreder",
    "barn_parorende",
    "praktiske_forhold",
}
# A sentence that ends and a next one that starts in lower case (an ellipsis "..." is allowed to go on).
LOWER_AFTER_STOP = re.compile(r"(?<!\.)[.!?] [a-zæøå]")


def _source_ids() -> set[str]:
    ids: set[str] = set()
    for path in sorted((CONTENT_DIR / "sources").glob("*.yml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(entries, list), path
        for entry in entries:
            assert entry["id"] not in ids, f"kilde-id {entry['id']} finnes to ganger ({path.name})"
            assert entry.get("title") and entry.get("publisher"), entry["id"]
            ids.add(entry["id"])
    return ids


def _raw(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _check_meta(where: str, sources: Any, reviewed: Any, review_by: Any, known: set[str]) -> None:
    assert sources, f"{where}: ingen kilder"
    for source in sources:
        assert source.get("ref") in known, f"{where}: ukjent kilde {source.get('ref')}"
        assert str(source.get("section", "")).strip(), f"{where}: kilde {source['ref']} mangler section"
    assert date.fromisoformat(str(reviewed)) <= date.today(), f"{where}: reviewed i framtiden"
    assert date.fromisoformat(str(review_by)) > date.today(), f"{where}: review_by har passert"


def test_source_ids_are_unique_and_include_meld_st_24() -> None:
    # _source_ids asserts uniqueness across core.yml and staff.yml; meld_st_24 must be defined exactly once.
    ids = _source_ids()
    assert "meld_st_24" in ids


def test_domains_file_cites_existing_sources_and_is_not_due(vocab: Vocabulary) -> None:
    _check_meta("domains.yml", vocab.sources, vocab.reviewed, vocab.review_by, _source_ids())


def test_domains_cover_the_brief(vocab: Vocabulary) -> None:
    during = {d.id for d in vocab.domains.values() if d.phase == "during"}
    assert BRIEF_DURING_DOMAINS <= during
    assert {"oppsummering", "dokumentasjon", "livstestament_fullmakt", "oppfolging"} <= set(vocab.domains)
    assert set(vocab.rehearsal_core) <= during
    for domain in vocab.domains.values():
        assert domain.label and domain.suggested.endswith("?"), domain.id


def test_question_sets_are_valid_and_cover_every_setting(question_sets: dict[str, QuestionSet]) -> None:
    known = _source_ids()
    assert {s.setting for s in question_sets.values() if s.setting} == SETTINGS
    for qset in question_sets.values():
        _check_meta(qset.id, qset.sources, qset.reviewed, qset.review_by, known)
        assert {q.phase for q in qset.questions} == {"before", "during", "after"}, qset.id
        for question in qset.questions:
            assert question.text.strip() and question.why.strip(), (qset.id, question)
            assert "\n" not in question.why, "why er én linje"


def test_general_set_has_a_question_for_every_domain(question_sets: dict[str, QuestionSet], vocab: Vocabulary) -> None:
    assert {q.domain for q in question_sets["generell"].questions} == set(vocab.domains)


def test_personas_match_the_brief(personas: dict[str, Persona]) -> None:
    assert len(personas) >= 5
    assert {"ingrid_hjertesvikt", "tor_lungekreft", "arne_demens", "sara_als", "johan_samisk"} <= set(personas)
    assert any(p.openness == "reluctant" for p in personas.values())
    assert personas["arne_demens"].proxy and personas["arne_demens"].proxy.role == "speaks_for"
    assert personas["johan_samisk"].proxy and personas["johan_samisk"].proxy.role == "interprets"
    assert "barn_parorende" in personas["tor_lungekreft"].extra_domains


def test_personas_are_valid(personas: dict[str, Persona], vocab: Vocabulary) -> None:
    known = _source_ids()
    for persona in personas.values():
        _check_meta(persona.id, persona.sources, persona.reviewed, persona.review_by, known)
        expected = set(vocab.rehearsal_core) | set(persona.extra_domains)
        for domain in expected:
            assert len(persona.replies[domain]) >= 2, f"{persona.id}: {domain} trenger flere varianter"


def test_every_persona_line_reads_as_a_sentence(personas: dict[str, Persona]) -> None:
    for persona in personas.values():
        groups = [
            *persona.replies.values(),
            *persona.proxy_replies.values(),
            *persona.guarded.values(),
            *persona.lines.values(),
            *persona.proxy_lines.values(),
            *[(v,) for v in persona.short.values()],
        ]
        for variants in groups:
            for variant in variants:
                text = persona.fill(variant)
                assert text[0].isupper() or text[0] in '«"', f"{persona.id}: {text}"
                assert not LOWER_AFTER_STOP.search(text), f"{persona.id}: {text}"
                assert "{" not in text and "}" not in text, f"{persona.id}: {text}"


def test_no_phone_numbers_in_staff_content() -> None:
    # Phone numbers live only in helplines.yml; staff data must not type any.
    for path in sorted(STAFF_DIR.rglob("*.yml")):
        assert not re.search(r"\d{2}[ .]?\d{2}[ .]?\d{2}[ .]?\d{2}|\b\d{3} ?\d{3}\b", path.read_text("utf-8")), path


# --- The loaders reject broken data ---------------------------------------------------------------------------


def test_persona_with_unknown_fact_is_rejected(vocab: Vocabulary) -> None:
    data = _raw(PERSONA_DIR / "ingrid_hjertesvikt.yml")
    data["replies"]["apning"] = ["Jeg heter {nickname}.", "Ja."]
    with pytest.raises(DataError, match="nickname"):
        parse_persona(data, vocab)


def test_anchored_domain_must_state_its_fact(vocab: Vocabulary) -> None:
    # A reply about place of care that does not state her wish could contradict it; the loader refuses it.
    data = _raw(PERSONA_DIR / "ingrid_hjertesvikt.yml")
    data["replies"]["sted_for_omsorg"] = ["Kanskje på sykehjem.", "Jeg vil være {place_wish}."]
    with pytest.raises(DataError, match="place_wish"):
        parse_persona(data, vocab)


def test_persona_missing_an_expected_domain_is_rejected(vocab: Vocabulary) -> None:
    data = _raw(PERSONA_DIR / "tor_lungekreft.yml")
    del data["replies"]["barn_parorende"]
    with pytest.raises(DataError, match="barn_parorende"):
        parse_persona(data, vocab)


def test_reluctant_persona_needs_its_lines(vocab: Vocabulary) -> None:
    data = _raw(PERSONA_DIR / "tor_lungekreft.yml")
    del data["lines"]["pushed"]
    with pytest.raises(DataError, match="pushed"):
        parse_persona(data, vocab)


def test_question_with_unknown_domain_is_rejected(vocab: Vocabulary) -> None:
    data = _raw(QUESTION_SET_DIR / "sykehjem.yml")
    data["phases"]["during"][0]["domain"] = "ukjent_tema"
    with pytest.raises(DataError, match="ukjent_tema"):
        parse_question_set(data, vocab)


def test_question_set_without_an_after_phase_is_rejected(vocab: Vocabulary) -> None:
    data = _raw(QUESTION_SET_DIR / "sykehus.yml")
    del data["phases"]["after"]
    with pytest.raises(DataError, match="after"):
        parse_question_set(data, vocab)


def test_domain_nobody_can_recognise_is_rejected() -> None:
    data = _raw(STAFF_DIR / "domains.yml")
    broken = copy.deepcopy(data)
    next(d for d in broken["domains"] if d["id"] == "praktiske_forhold")["cues"] = []
    with pytest.raises(DataError, match="praktiske_forhold"):
        parse_vocabulary(broken)
    assert parse_vocabulary(data).domains["praktiske_forhold"].cues
