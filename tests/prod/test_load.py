"""A bounded load on the production stack through nginx: zero errors, and every acknowledged message stored,
redacted, in PostgreSQL.

Size: LOAD_CONVERSATIONS (200) concurrent conversations for LOAD_SECONDS (120); see tests/prod/load_client.py.
The figures are printed (pytest -s, or in the report of a failure) and written to results/prod/load.json.
This file runs before tests/prod/test_stack.py, whose last test kills a Rasa process.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from bot.privacy.redact import redact
from bot.tracker_store import helpline_numbers
from tests.prod.conftest import PROJECT_ROOT, ProdStack
from tests.prod.load_checks import (
    LogWindow,
    actions_run,
    cpu_seconds,
    leaked_identifiers,
    machine_busy,
    masked_markers,
    missing_markers,
    nginx_trouble,
    server_trouble,
    summarise,
    unredacted_canaries,
)
from tests.prod.load_client import LoadSettings, run_load
from tests.prod.load_report import LoadReport
from tests.prod.load_scripts import SCRIPTS, made_up_email, made_up_phone, marker, message_text

RESULTS_FILE = PROJECT_ROOT / "results" / "prod" / "load.json"
CUSTOM_ACTIONS = ("action_answer_faq", "action_local_services")  # content and service directory in PostgreSQL


def test_the_canary_scan_finds_every_written_form_and_nothing_by_chance() -> None:
    phones, emails = {"91234567"}, {"kanari.ab12.7@example.invalid"}  # made up for the test, never shown to users
    for leak in ("ring 912 34 567 (ref", "+47 91234567", "0047 912.34.567", '"91234567"'):
        assert leaked_identifiers(leak, phones, emails) == ["91234567"], leak
    assert leaked_identifiers("til Kanari.ab12.7@example.invalid", phones, emails) == [next(iter(emails))]
    for chance in ('"timestamp": 1791234567.1234', "ring [telefon]", "[e-post] (ref-c7t4)", "9123456"):
        assert leaked_identifiers(chance, phones, emails) == [], chance


def test_markers_survive_redaction_and_the_made_up_identifiers_do_not() -> None:
    # What the database check relies on, without the stack: masking keeps every marker, removes every canary.
    keep = helpline_numbers()
    for conversation in range(1, 7):  # every written form of the phone number
        phone, digits = made_up_phone(37, conversation)
        email = made_up_email("ab12cd34", conversation)
        for script in SCRIPTS:
            for turn, template in enumerate(script.turns, start=1):
                stored = redact(message_text(template, conversation, turn, phone, email), keep_numbers=keep)
                assert marker(conversation, turn) in stored, stored
                assert not leaked_identifiers(stored, {digits}, {email}), stored


MARKERS_CHECKED = 2500  # conversations; a 120 s run on a quiet 2-core machine starts about 1 500


def test_no_marker_is_taken_for_a_person_name() -> None:
    # NER depends on the digits and the words around them, so every number a run can use, in its script.
    sent = [
        (message_text(template, number, turn, made_up_phone(37, number)[0], made_up_email("ab12", number)),
         marker(number, turn))
        for number in range(1, MARKERS_CHECKED + 1)
        for turn, template in enumerate(SCRIPTS[number % len(SCRIPTS)].turns, start=1)
    ]  # fmt: skip
    masked = masked_markers([text for text, _ in sent], [mark for _, mark in sent])
    assert not masked, f"{len(masked)} markers masked, e.g. {masked[:3]}"


def test_websocket_close_noise_is_set_aside_and_real_trouble_is_not() -> None:
    sanic = "/work/.venv/lib/python3.10/site-packages/sanic"
    log = (
        "Exception occurred while handling uri: 'ws://127.0.0.1/socket.io/?EIO=4&transport=websocket'\n"
        "Traceback (most recent call last):\n"
        '  File "handle_request", line 110, in handle_request\n'
        "    try:\n"
        "AttributeError: 'NoneType' object has no attribute 'is_closing'\n"
        "2026-11-23 07:02:49 ERROR    asyncio  - Task was destroyed but it is pending!\n"
        "task: <Task pending name='Task-2613' coro=<WebsocketImplProtocol.async_data_received() running at "
        f"{sanic}/server/websockets/impl.py:780> wait_for=<Future pending cb=[Task.task_wakeup()]>>\n"
        "2026-11-23 07:02:50 INFO     bot.tracker_store  - Deleted a conversation on request.\n"
        "2026-11-23 07:02:51 ERROR    rasa_sdk.endpoint  - No registered action found for name 'x'.\n"
        "2026-11-23 07:02:52 WARNING  rasa.core.actions.action  - Failed to execute custom action 'x'\n"
    )
    trouble, noise = server_trouble(log)
    assert noise == 2
    assert [line.split()[3] for line in trouble] == ["rasa_sdk.endpoint", "rasa.core.actions.action"]


def test_bounded_load_through_nginx_loses_nothing_and_stores_it_redacted(
    prod: ProdStack, pytestconfig: pytest.Config
) -> None:
    settings = LoadSettings.from_env()
    stack_log, nginx_log = LogWindow(prod.log_path), LogWindow(prod.log_path.parent / "run" / "error.log")
    pids = prod.current_pids()  # earlier tests may have restarted processes
    cpu_before, busy_before = cpu_seconds(pids), machine_busy()

    report = asyncio.run(run_load(prod.url, settings))

    cpu = {name: round(s - cpu_before.get(name, 0.0), 1) for name, s in cpu_seconds(pids).items()}
    busy, total = (now - before for now, before in zip(machine_busy(), busy_before, strict=True))
    server, websocket_close_noise = server_trouble(stack_log.new_text())
    nginx = nginx_trouble(nginx_log.new_text())
    _publish(
        pytestconfig,
        report,
        {
            "cpu_seconds": cpu,
            "machine_cpu_busy": round(busy / total, 2) if total else None,
            "server_log_trouble": summarise(server),
            "server_log_websocket_close_noise": websocket_close_noise,
            "nginx_log_trouble": summarise(nginx),
        },
    )

    assert not report.failures, report.failure_summary()
    assert not server, "trouble in the stack's log:\n" + "\n".join(summarise(server))
    assert not nginx, "trouble in nginx's error log:\n" + "\n".join(summarise(nginx))
    # Not vacuous: every concurrent conversation was answered, and there was real work.
    assert len(report.slots_with_a_reply) == settings.conversations, report.summary()
    assert report.messages >= 2 * settings.conversations, report.summary()
    assert report.phones and report.emails, "made-up identifiers were sent"
    # test_no_marker_is_taken_for_a_person_name vouches for the markers of this many conversations only.
    assert report.conversations <= MARKERS_CHECKED, f"raise MARKERS_CHECKED to {report.conversations}"

    missing = missing_markers(prod.tracker_db_url, report.acknowledged)
    assert not missing, f"{sum(map(len, missing.values()))} acknowledged messages not in PostgreSQL: " + "; ".join(
        f"{sender} {sorted(markers)}" for sender, markers in list(missing.items())[:5]
    )
    leaks = unredacted_canaries(prod.tracker_db_url, report.phones, report.emails)
    assert not leaks, f"{len(leaks)} made-up identifiers stored unredacted, e.g. {leaks[:5]}"
    actions = actions_run(prod.tracker_db_url, report.acknowledged)
    for action in CUSTOM_ACTIONS:
        assert actions.get(action, 0) > 0, f"{action} never ran under load: {actions}"


def _publish(pytestconfig: pytest.Config, report: LoadReport, extra: dict[str, Any]) -> None:
    """The summary line for CI logs (also when the test passes under `pytest -q`) and results/prod/load.json."""
    numbers = {
        **report.numbers(),
        **extra,
        "first_errors": [vars(f) for f in sorted(report.failures, key=lambda f: f.at)[:20]],
    }
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(numbers, indent=2, ensure_ascii=False), encoding="utf-8")
    line = f"{report.summary()}; CPU s {extra['cpu_seconds']}, machine busy {extra['machine_cpu_busy']}"
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n{line}", flush=True)
