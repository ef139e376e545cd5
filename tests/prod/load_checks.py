"""What the load test looks at afterwards: the rows in PostgreSQL, the stack's logs, and where the CPU went."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import psycopg2

from tests.prod.load_scripts import MARKER_RE

DIGIT_RUN = re.compile(r"(?<!\d)\d(?:[ .\-\u00a0]?\d)*(?!\d)")
# Lines in the stack's log (Rasa, action server, PostgreSQL, Redis) and in nginx's error log that mean trouble.
# A custom action that fails is only a WARNING in Rasa, and the user still gets an answer: trouble all the same.
SERVER_TROUBLE = re.compile(
    r"\b(ERROR|FATAL|CRITICAL|PANIC)\b|Traceback \(most recent call last\)|Failed to execute custom action"
)
NGINX_TROUBLE = re.compile(r"\[(error|crit|alert|emerg)\]|temporarily disabled")
# Sanic 21.12 under python-engineio, when a busy Rasa process sees a websocket close: Sanic still tries to send
# an HTTP response on the gone transport, and may drop the closed socket's reader tasks. The client already has
# every answer; nothing is lost. Counted apart, not as trouble.
WEBSOCKET_CLOSE_NOISE = re.compile(
    r"Exception occurred while handling uri: 'ws://[^'\n]*/socket\.io/[^'\n]*'\n"
    r"Traceback \(most recent call last\):\n(?:[ \t].*\n)*"
    r"AttributeError: 'NoneType' object has no attribute 'is_closing'\n"
    r"|^.* ERROR +asyncio +- Task was destroyed but it is pending!\n"
    r"task: <Task pending name='[^'\n]*' coro=<[\w.]+\(\) running at [^\n]*/sanic/server/websockets/[^\n]*\n",
    re.MULTILINE,
)


_VARYING = re.compile(r"^\d{4}[-/]\d\d[-/]\d\d \d\d:\d\d:\d\d(?:[.,]\d+)?(?: UTC)?|\d+#\d+: \*\d+ ")


# --- markers ------------------------------------------------------------------------------------


def masked_markers(texts: Sequence[str], markers: Sequence[str]) -> list[str]:
    """The texts whose marker the tracker store would mask: it masks what spaCy's NER (bot.nlp, as the NLU) calls a
    person, then bot/privacy/redact.py's patterns. A masked marker makes a stored message look lost."""
    from bot.nlp import pipeline
    from bot.privacy.redact import redact
    from bot.tracker_store import helpline_numbers

    keep = helpline_numbers()
    docs = pipeline().pipe(texts, batch_size=256)
    return [
        doc.text
        for mark, doc in zip(markers, docs, strict=True)
        if mark not in redact(doc.text, [e.text for e in doc.ents if e.label_ == "PER"], keep_numbers=keep)
    ]


# --- PostgreSQL -----------------------------------------------------------------------------------


def missing_markers(db_url: str, acknowledged: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """Per sender, the acknowledged markers that no `user` event of that sender holds."""
    stored: dict[str, set[str]] = {}
    with psycopg2.connect(db_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT sender_id, data FROM events WHERE type_name = 'user' AND sender_id = ANY(%s)", (list(acknowledged),)
        )
        for sender, data in cursor:
            text = json.loads(data).get("text") or ""
            stored.setdefault(sender, set()).update(m.group(0) for m in MARKER_RE.finditer(text))
    wanted = {sender: set(markers) for sender, markers in acknowledged.items()}
    return {s: m - stored.get(s, set()) for s, m in wanted.items() if m - stored.get(s, set())}


def unredacted_canaries(db_url: str, phones: set[str], emails: set[str]) -> list[tuple[str, str]]:
    """(sender, identifier) for every row of the whole events table that holds a made-up identifier."""
    leaks = []
    with psycopg2.connect(db_url) as connection, connection.cursor(name="canary_scan") as cursor:
        cursor.itersize = 2000
        cursor.execute("SELECT sender_id, data FROM events")
        for sender, data in cursor:
            leaks += [(sender, found) for found in leaked_identifiers(data, phones, emails)]
    return leaks


def leaked_identifiers(text: str, phones: set[str], emails: set[str]) -> list[str]:
    """The made-up identifiers in `text`: e-mail addresses, and phone numbers (8 digits) in any spacing, with or
    without +47 or 0047, but only as a whole digit run: timestamps are digit runs too, and a canary's 8 digits
    inside one of them would be chance, not a leak."""
    lowered = text.lower()
    found = [email for email in emails if email in lowered]
    for run in DIGIT_RUN.findall(text):
        digits = re.sub(r"\D", "", run)
        for prefix in ("", "47", "0047"):
            if digits.startswith(prefix) and digits[len(prefix) :] in phones:
                found.append(digits[len(prefix) :])
    return found


def actions_run(db_url: str, senders: Iterable[str]) -> dict[str, int]:
    """How often each action ran in these conversations."""
    with psycopg2.connect(db_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT action_name, COUNT(*) FROM events WHERE type_name = 'action' AND sender_id = ANY(%s) "
            "GROUP BY action_name",
            (list(senders),),
        )
        return dict(cursor.fetchall())


# --- logs -----------------------------------------------------------------------------------------


class LogWindow:
    """What a log file gained since this object was made."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = path.stat().st_size if path.is_file() else 0

    def new_text(self) -> str:
        if not self.path.is_file():
            return ""
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            return handle.read().decode("utf-8", errors="replace")


def server_trouble(text: str) -> tuple[list[str], int]:
    """Trouble lines in the stack's log, and how many known websocket-close tracebacks were set aside."""
    cleaned, noise = WEBSOCKET_CLOSE_NOISE.subn("", text)
    return [line for line in cleaned.splitlines() if SERVER_TROUBLE.search(line)], noise


def nginx_trouble(text: str) -> list[str]:
    return [line for line in text.splitlines() if NGINX_TROUBLE.search(line)]


def summarise(lines: Iterable[str], kinds: int = 8) -> list[str]:
    """The most frequent kinds of line, "count × line", with times, pids and connection numbers left out."""
    counts = Counter(_VARYING.sub("", line).strip() for line in lines)
    return [f"{count} × {line}" for line, count in counts.most_common(kinds)]


# --- CPU ------------------------------------------------------------------------------------------


def cpu_seconds(pids: Mapping[str, int]) -> dict[str, float]:
    """User + system CPU seconds of the Rasa processes, the action servers and this process (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    wanted = {name: pid for name, pid in pids.items() if name.startswith(("rasa", "actions"))}
    seconds = {}
    for name, pid in {**wanted, "load client": os.getpid()}.items():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # not Linux, or the process is gone
        seconds[name] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return seconds


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU jiffies of the whole machine so far, from /proc/stat; (0, 0) where there is none."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0.0, 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return float(sum(values) - idle), float(sum(values))
