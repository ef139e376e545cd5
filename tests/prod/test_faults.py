"""Faults in the production stack as a user meets them: action servers killed, PostgreSQL restarted.

(A Rasa process killed: the last test in test_stack.py.) Each test leaves the stack whole again for the next.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import psycopg2

from bot.content.catalogue import load_helplines
from bot.serve import is_healthy
from tests.prod.conftest import ProdStack
from tests.prod.load_checks import masked_markers
from tests.prod.load_scripts import marker
from tests.prod.test_stack import ask, stored_rows

TRY_AGAIN = "Prøv igjen om litt"  # bot/channels/always_answer.py, content/items/teknisk_feil.md
FAQ = "hva er et livstestament?"
RESTART_TIMEOUT = 180.0  # an action server loads the actions and spaCy; slow on 2 busy cores
SENDERS = 6  # conversations talking while PostgreSQL restarts


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.5)


def kill_action_servers(prod: ProdStack, names: list[str]) -> None:
    pids = prod.current_pids()
    for name in names:
        os.killpg(pids[name], signal.SIGKILL)  # its own process group


def wait_for_action_servers(prod: ProdStack) -> None:
    wait_until(lambda: all(is_healthy(f"{url}/health") for url in prod.actions_urls), RESTART_TIMEOUT,
               "the stack starts the killed action servers again")  # fmt: skip


def numbers_in(text: str) -> set[str]:
    return {h.number for h in load_helplines().values() if h.number in text}


def test_with_one_action_server_killed_the_other_answers(prod: ProdStack) -> None:
    sender = uuid.uuid4().hex
    kill_action_servers(prod, ["actions1"])
    reply = ask(prod.url, FAQ, sender)
    assert TRY_AGAIN not in reply and "livstestament" in reply.lower()
    wait_for_action_servers(prod)


def test_with_every_action_server_killed_the_user_gets_try_again_and_then_the_conversation_goes_on(
    prod: ProdStack,
) -> None:
    sender = uuid.uuid4().hex
    assert ask(prod.url, "hei", sender).strip()

    kill_action_servers(prod, ["actions1", "actions2"])
    # Sent at once: the stack waits 2 s before starting them again, and starting takes longer still.
    reply = ask(prod.url, FAQ, sender)
    assert TRY_AGAIN in reply
    assert {"113", "116 117", "116 123", "22 40 00 40"} <= numbers_in(reply)

    wait_for_action_servers(prod)
    reply = ask(prod.url, FAQ, sender)
    assert TRY_AGAIN not in reply and "livstestament" in reply.lower()
    # The same conversation, kept whole: both questions are in the store, the first one's answer too.
    user_texts = [row for row in stored_rows(prod, sender) if '"event": "user"' in row]
    assert len(user_texts) == 3
    assert prod.process.poll() is None


def test_a_crisis_message_while_every_action_server_is_down_still_gets_the_numbers(prod: ProdStack) -> None:
    sender = uuid.uuid4().hex
    kill_action_servers(prod, ["actions1", "actions2"])
    reply = ask(prod.url, "jeg vil ikke leve lenger", sender)
    assert {"113", "116 123", "22 40 00 40"} <= numbers_in(reply)
    wait_for_action_servers(prod)


# --- PostgreSQL restart ---------------------------------------------------------------------------


def postmaster_pid(prod: ProdStack) -> int | None:
    try:
        return int((prod.var_dir / "pgdata" / "postmaster.pid").read_text().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return None


def postgres_answers(prod: ProdStack) -> bool:
    try:
        psycopg2.connect(prod.tracker_db_url, connect_timeout=2).close()
        return True
    except psycopg2.OperationalError:
        return False


MAX_TURNS = 400  # per sender; far more than the ≈ 15 s of talk sends


def test_the_restart_test_markers_survive_redaction() -> None:
    # The earlier "merke2qfbd1" was taken for a person name and masked. Every marker the test can send, in its text.
    markers = [marker(index, turn) for index in range(1, SENDERS + 1) for turn in range(1, MAX_TURNS + 1)]
    masked = masked_markers([f"{FAQ} {mark}" for mark in markers], markers)
    assert not masked, masked[:5]


def test_a_postgresql_restart_loses_no_acknowledged_message(prod: ProdStack) -> None:
    senders = [uuid.uuid4().hex for _ in range(SENDERS)]
    sent: list[tuple[str, str, float, float, str]] = []  # sender, marker, sent at, answered at, outcome
    stop = threading.Event()

    def talk(sender: str) -> None:
        index, turn = senders.index(sender) + 1, 0
        while not stop.is_set() and turn < MAX_TURNS:
            turn += 1
            sent_marker = marker(index, turn)  # survives redaction (test above)
            sent_at = time.monotonic()
            try:
                reply = ask(prod.url, f"{FAQ} {sent_marker}", sender)
                outcome = "answered" if reply.strip() and TRY_AGAIN not in reply else f"not taken: {reply[:60]!r}"
            except OSError as error:
                outcome = f"not taken: {type(error).__name__}"
            sent.append((sender, sent_marker, sent_at, time.monotonic(), outcome))

    first_pid = postmaster_pid(prod)
    assert first_pid is not None
    with ThreadPoolExecutor(len(senders)) as pool:
        talkers = [pool.submit(talk, sender) for sender in senders]
        time.sleep(5)
        down_at = time.monotonic()
        os.kill(first_pid, signal.SIGINT)  # fast shutdown: every connection is cut; the stack starts it again
        wait_until(lambda: postmaster_pid(prod) not in (None, first_pid) and postgres_answers(prod), 60,
                   "PostgreSQL is started again")  # fmt: skip
        up_at = time.monotonic()
        time.sleep(5)
        stop.set()
        for talker in talkers:
            talker.result()

    # Messages that were on their way while the database was down: they waited, and were answered after.
    across = [m for m in sent if m[2] <= up_at and m[3] >= down_at]
    summary = f"{len(sent)} sent, {len(across)} across the restart ({up_at - down_at:.1f} s)"
    assert across, f"no message was on its way while PostgreSQL restarted; the test proved nothing ({summary})"
    not_taken = [f"{m[1]}: {m[4]}" for m in sent if m[4] != "answered"]
    # Waiting, not failing, is what the store does: a restart of a few seconds turns nothing away.
    assert not not_taken, f"messages not taken during the restart ({summary}): {not_taken[:5]}"
    for sender in senders:
        rows = "\n".join(stored_rows(prod, sender))
        missing = [m[1] for m in sent if m[0] == sender and m[1] not in rows]
        assert not missing, f"answered but not stored: {missing}"
    assert len(sent) >= 20, f"too little traffic to mean anything: {summary}"
    assert prod.process.poll() is None
