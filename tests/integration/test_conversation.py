"""The running assistant, over REST, as a citizen meets it: crisis first, bad input, deletion, no text in logs."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
import yaml

from bot.content.catalogue import CONTENT_DIR
from tests.integration.conftest import Stack
from tests.integration.test_channels import _post_rest

HELPLINES = {h["id"]: h["number"] for h in yaml.safe_load((CONTENT_DIR / "helplines.yml").read_text("utf-8"))}


def ask(stack: Stack, text: str, sender: str | None = None) -> tuple[str, list[dict]]:
    replies = _post_rest(stack, sender or uuid.uuid4().hex, text)
    return "\n".join(r.get("text") or "" for r in replies), replies


def stored_events(stack: Stack, sender: str) -> int:
    with sqlite3.connect(stack.tracker_db) as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


@pytest.mark.parametrize(
    ("message", "numbers"),
    [
        ("jeg orker ikke mer", ["mental_helse", "kirkens_sos", "emergency_medical"]),
        ("eg vil ikkje leve lenger", ["mental_helse", "kirkens_sos", "emergency_medical"]),
        ("pappa puster ikke", ["emergency_medical"]),
    ],
)
def test_crisis_is_answered_first_with_the_verified_numbers(stack: Stack, message: str, numbers: list[str]) -> None:
    text, replies = ask(stack, message)
    for helpline in numbers:
        assert HELPLINES[helpline] in text
    assert any((r.get("custom") or {}).get("kind") == "crisis" for r in replies)


def test_crisis_in_the_middle_of_the_reflection_ends_it(stack: Stack) -> None:
    sender = uuid.uuid4().hex
    ask(stack, "jeg vil tenke gjennom hva som er viktig for meg", sender)
    ask(stack, "ja", sender)
    text, _ = ask(stack, "egentlig vil jeg bare forsvinne", sender)
    assert HELPLINES["mental_helse"] in text and "Spørsmål 2" not in text
    text, _ = ask(stack, "hei", sender)
    assert "Spørsmål" not in text  # the reflection did not resume


def test_ordinary_death_talk_is_not_a_crisis(stack: Stack) -> None:
    text, replies = ask(stack, "jeg vil dø hjemme")
    assert HELPLINES["mental_helse"] not in text
    assert not any((r.get("custom") or {}).get("kind") == "crisis" for r in replies)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("", "Jeg fikk ikke med meg noen ord"),
        ("\x01\x02\x03", "Jeg fikk ikke med meg noen ord"),
        ("jeg lurer på noe " * 200, "lang melding"),
        ("What is a living will?", "I can only answer in Norwegian"),
        ("<script>alert('x')</script>", ""),
    ],
)
def test_bad_input_gets_a_clear_kind_answer(stack: Stack, message: str, expected: str) -> None:
    text, replies = ask(stack, message)
    assert replies and text.strip(), "every message gets an answer"
    assert expected in text


def test_slett_samtalen_removes_every_stored_event(stack: Stack) -> None:
    sender = uuid.uuid4().hex
    ask(stack, "hei", sender)
    ask(stack, "hva er et livstestament", sender)
    assert stored_events(stack, sender) > 0
    text, _ = ask(stack, "slett samtalen", sender)
    assert "slettet" in text
    assert stored_events(stack, sender) == 0
    ask(stack, "hei", sender)  # the next message starts a fresh conversation
    assert 0 < stored_events(stack, sender) < 15


def test_no_message_text_in_the_logs(stack: Stack) -> None:
    canary = f"kanarifugl{uuid.uuid4().hex[:12]}"
    ask(stack, f"mitt hemmelige ord er {canary}")
    assert canary not in stack.log_path.read_text(encoding="utf-8", errors="replace")


def test_identifiers_are_redacted_in_every_stored_row(stack: Stack) -> None:
    sender, marker = uuid.uuid4().hex, uuid.uuid4().hex[:8]
    email = f"kanari.{marker}@example.no"  # made-up identifiers below: test data, never shown to users
    ask(stack, f"Jeg heter Kari Nordmann, fødselsnummer 01019012345, skriv til {email} eller ring 41 23 45 67", sender)
    with sqlite3.connect(stack.tracker_db) as db:
        stored = "\n".join(row[0] for row in db.execute("SELECT data FROM events WHERE sender_id = ?", (sender,)))
    assert stored, "the conversation was stored"
    for secret in (email, marker, "01019012345", "41 23 45 67", "Nordmann"):
        assert secret not in stored, secret
    assert email not in stack.log_path.read_text(encoding="utf-8", errors="replace")


def _kinds(replies: list[dict]) -> set[str]:
    return {(r.get("custom") or {}).get("kind") for r in replies} - {None}


def test_the_reflection_runs_to_its_summary(stack: Stack) -> None:
    # The forms' validators are the actions that read the domain; the rest get none (enable_selective_domain).
    sender = uuid.uuid4().hex
    ask(stack, "kan du stille meg noen spørsmål om hva som er viktig for meg", sender)
    text, _ = ask(stack, "ja takk", sender)
    assert "Spørsmål 1 av 8" in text
    for answer in ("barnebarna og hytta", "hopp over", "å få være hjemme med hunden", *["hopp over"] * 4):
        ask(stack, answer, sender)
    _, replies = ask(stack, "at noen holder meg i hånden", sender)
    summary = next(r["custom"] for r in replies if (r.get("custom") or {}).get("kind") == "summary")
    answers = [entry["answer"] for entry in summary["entries"]]
    assert answers == ["barnebarna og hytta", "å få være hjemme med hunden", "at noen holder meg i hånden"]


def test_a_rehearsal_runs_to_its_feedback(stack: Stack) -> None:
    sender = uuid.uuid4().hex
    ask(stack, "jeg vil øve på forhåndssamtale", sender)
    _, replies = ask(stack, "ja", sender)
    tor = next(b["payload"] for r in replies for b in r.get("buttons", []) if "tor_lungekreft" in b["payload"])
    text, _ = ask(stack, tor, sender)  # the persona's button, as clicked
    assert text.startswith("Tor er 54 år")
    _, replies = ask(stack, "Hva er viktig for deg nå?", sender)
    assert _kinds(replies) == {"rehearsal"}  # the patient answers
    _, replies = ask(stack, "gi meg tilbakemelding", sender)
    assert _kinds(replies) == {"staff"}  # the feedback, with its buttons
