"""What the load test's simulated citizens write: bokmål scripts, a marker per message, made-up canary identifiers.

Every message ends with a marker `(ref <conversation>.<turn>)`, which the DB check finds each acknowledged message
by. It must survive the tracker store's redaction: too few digits for any number pass of bot/privacy/redact.py, and
a form spaCy's NER does not take for a person name (the earlier `(ref-c12t3)` was, in about 1 of 600 messages, and
the message then looked lost). tests/prod/test_load.py checks both over the numbers a run uses.

Some scripts carry a canary: a phone number or an e-mail address made up for this test (never a real person's),
unique per conversation, which the tracker store must mask before anything reaches PostgreSQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PHONE = "{phone}"
EMAIL = "{email}"
MARKER_RE = re.compile(r"\(ref (\d+)\.(\d+)\)")
EMAIL_DOMAIN = "example.invalid"  # reserved (RFC 2606): no one's mailbox


@dataclass(frozen=True)
class Script:
    name: str
    turns: tuple[str, ...]


# Each script exercises custom actions: FAQ answers come from the content database (action_answer_faq), local
# services from the service directory (action_local_services; Eksempelvik is the shipped fictional kommune, Bodø
# has no directory). No message may trigger the crisis check or «slett samtalen» (it would delete the markers).
SCRIPTS: tuple[Script, ...] = (
    Script(
        "livstestament",
        (
            "hei",
            "hva er et livstestament",
            "er et livstestament bindende for legene",
            "hva er forskjellen på testament og fremtidsfullmakt",
            "takk for hjelpen",
        ),
    ),
    Script(
        "lokale tjenester",
        (
            "hei",
            "hvem kan hjelpe oss her i kommunen",
            "jeg bor i Eksempelvik",
            "finnes det sorggrupper her",
            "takk",
        ),
    ),
    Script(
        "hjemmedød",
        (
            "pappa vil dø hjemme",
            "hvem kan komme hjem til oss i Bodø",
            "jeg er utslitt som pårørende",
            f"du kan ringe meg på {PHONE} hvis noen kan hjelpe",
            "takk",
        ),
    ),
    Script(
        "forhåndssamtale",
        (
            "hva er en forhåndssamtale",
            "hvordan forbereder jeg meg til en forhåndssamtale",
            "kan jeg ombestemme meg etterpå",
            f"send gjerne mer informasjon til {EMAIL}",
            "ha det",
        ),
    ),
    Script(
        "barn og sorg",
        (
            "hvordan snakker jeg med barna om døden",
            "hva er ventesorg",
            "finnes det sorggrupper i Eksempelvik",
            "takk",
        ),
    ),
)


def marker(conversation: int, turn: int) -> str:
    return f"(ref {conversation}.{turn})"


def made_up_phone(run_salt: int, conversation: int) -> tuple[str, str]:
    """A made-up Norwegian mobile number unique to this conversation: (as written, its 8 digits).

    The written forms vary the way people write numbers; every one of them must be masked.
    """
    digits = f"9{run_salt % 100:02d}{conversation % 100_000:05d}"
    forms = (f"{digits[:3]} {digits[3:5]} {digits[5:]}", f"+47 {digits}", digits)
    return forms[conversation % len(forms)], digits


def made_up_email(run_id: str, conversation: int) -> str:
    return f"kanari.{run_id}.{conversation}@{EMAIL_DOMAIN}"


def message_text(template: str, conversation: int, turn: int, phone: str, email: str) -> str:
    """One user message: the script line with its canary filled in, then the marker."""
    return f"{template.replace(PHONE, phone).replace(EMAIL, email)} {marker(conversation, turn)}"
