"""The load generator: concurrent scripted conversations over Rasa's REST channel, every round trip recorded.

Each conversation loop sends its script turn by turn (the next message only after the reply, no think time)
and starts again with a new sender id when the script ends, until the level's time is up.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Sequence
from typing import Any

import aiohttp

from bench.stats import Sample

REST_PATH = "/webhooks/rest/webhook"
# Our channels answer a turn that sent nothing (action server down, an action failing) with «prøv igjen» marked
# this way (bot/channels/always_answer.py); for the benchmark that is a failed round trip, not an answer.
UNAVAILABLE_KIND = "unavailable"


def classify_reply(status: int, body: Any) -> str | None:
    """None for a good reply; otherwise the kind of error. An empty reply list counts: a user saw nothing."""
    if status != 200:
        return f"http_{status}"
    if not isinstance(body, list) or not body:
        return "empty_reply"
    if any(isinstance(r, dict) and (r.get("custom") or {}).get("kind") == UNAVAILABLE_KIND for r in body):
        return "unavailable_reply"
    return None


async def send(session: aiohttp.ClientSession, url: str, sender: str, text: str, timeout: float, t0: float) -> Sample:
    """POST one message and time the round trip; never raises for a failed request."""
    started = time.monotonic()
    error: str | None
    try:
        async with session.post(
            url, json={"sender": sender, "message": text}, timeout=aiohttp.ClientTimeout(total=timeout)
        ) as response:
            raw = await response.read()
            try:
                body = json.loads(raw) if response.status == 200 else None
            except ValueError:
                body = None
            error = classify_reply(response.status, body)
    except asyncio.TimeoutError:
        error = "timeout"
    except (aiohttp.ClientError, OSError) as exc:
        error = f"exception_{type(exc).__name__}"
    return Sample(started_s=started - t0, latency_s=time.monotonic() - started, error=error)


async def _conversation(
    session: aiohttp.ClientSession,
    url: str,
    script: Sequence[str],
    sender_prefix: str,
    stop_at: float,
    timeout: float,
    t0: float,
    samples: list[Sample],
) -> None:
    while time.monotonic() < stop_at:
        sender = f"{sender_prefix}-{uuid.uuid4().hex[:12]}"  # a new conversation each time round
        for text in script:
            if time.monotonic() >= stop_at:
                return
            samples.append(await send(session, url, sender, text, timeout, t0))


async def run_level(
    base_url: str, script: Sequence[str], concurrency: int, seconds: float, timeout: float, sender_prefix: str
) -> list[Sample]:
    """``concurrency`` conversation loops for ``seconds``; returns every round trip, in completion order."""
    samples: list[Sample] = []
    url = base_url.rstrip("/") + REST_PATH
    # One keep-alive connection per conversation, like separate browsers; no proxies (trust_env is off).
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        t0 = time.monotonic()
        await asyncio.gather(
            *(
                _conversation(session, url, script, f"{sender_prefix}-{i}", t0 + seconds, timeout, t0, samples)
                for i in range(concurrency)
            )
        )
    return samples


async def first_reply(base_url: str, text: str, timeout: float = 10.0) -> bool:
    """True if one message gets a good REST reply now (used to detect start-up)."""
    sender = f"bench-startup-{uuid.uuid4().hex[:8]}"
    async with aiohttp.ClientSession() as session:
        sample = await send(session, base_url.rstrip("/") + REST_PATH, sender, text, timeout, time.monotonic())
    return sample.error is None


async def transcript(base_url: str, script: Sequence[str], timeout: float) -> list[dict[str, Any]]:
    """One pass of the script in one conversation, with what came back, so a reader can check what was measured."""
    url = base_url.rstrip("/") + REST_PATH
    sender = f"bench-transcript-{uuid.uuid4().hex[:8]}"
    turns = []
    async with aiohttp.ClientSession() as session:
        for text in script:
            started = time.monotonic()
            try:
                async with session.post(
                    url, json={"sender": sender, "message": text}, timeout=aiohttp.ClientTimeout(total=timeout)
                ) as response:
                    body = await response.json(content_type=None) if response.status == 200 else None
                    error = classify_reply(response.status, body)
            except (asyncio.TimeoutError, aiohttp.ClientError, OSError, ValueError) as exc:
                body, error = None, type(exc).__name__
            replies = [
                (reply.get("text") or ("[image]" if reply.get("image") else "[custom]"))[:100]
                for reply in (body if isinstance(body, list) else [])
            ]
            turns.append(
                {
                    "message": text,
                    "latency_ms": round((time.monotonic() - started) * 1000, 1),
                    "error": error,
                    "replies": replies,
                }
            )
    return turns
