"""Delete conversations older than the retention period from the tracker store.

`python -m bot.privacy.retention` purges once; `--every SECONDS` keeps doing it (bot.serve runs it that way).
A conversation is old when its newest event is older than RETENTION_DAYS (default 21). The database is the one
bot/endpoints.yml names, from the same TRACKER_DB_* variables.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Mapping

from sqlalchemy import column, create_engine, delete, func, inspect, select, table
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

DEFAULT_RETENTION_DAYS = 21
RETRY_SECONDS = 60.0  # after a failed purge in --every mode
EVENTS_TABLE = "events"  # Rasa's SQLTrackerStore table
log = logging.getLogger("bot.privacy.retention")


def retention_days(environ: Mapping[str, str] = os.environ) -> int:
    days = int(environ.get("RETENTION_DAYS", DEFAULT_RETENTION_DAYS))
    if days < 1:
        raise ValueError("RETENTION_DAYS må være minst 1")
    return days


def tracker_db_url(environ: Mapping[str, str] = os.environ) -> str:
    """The same URL Rasa builds from bot/endpoints.yml's tracker_store settings."""
    from rasa.core.tracker_store import SQLTrackerStore

    url = SQLTrackerStore.get_db_url(
        dialect=environ.get("TRACKER_DB_DIALECT") or "sqlite",
        host=environ.get("TRACKER_DB_HOST") or None,
        port=int(environ["TRACKER_DB_PORT"]) if environ.get("TRACKER_DB_PORT") else None,
        db=environ.get("TRACKER_DB") or "var/tracker.db",
        username=environ.get("TRACKER_DB_USER") or None,
        password=environ.get("TRACKER_DB_PASSWORD") or None,
    )
    return str(url) if not isinstance(url, str) else url


def purge_older_than(engine: Engine, days: int, now: float | None = None) -> int:
    """Delete every event of each conversation whose newest event is older than `days`; returns conversations."""
    cutoff = (now if now is not None else time.time()) - days * 86400
    events = table(EVENTS_TABLE, column("sender_id"), column("timestamp"))
    newest = func.max(events.c.timestamp)
    with engine.begin() as connection:
        if not inspect(connection).has_table(EVENTS_TABLE):
            return 0
        old_query = select(events.c.sender_id).group_by(events.c.sender_id).having(newest < cutoff)
        old = [row.sender_id for row in connection.execute(old_query)]
        for start in range(0, len(old), 500):
            connection.execute(delete(events).where(events.c.sender_id.in_(old[start : start + 500])))
    return len(old)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.privacy.retention", description=__doc__)
    parser.add_argument("--days", type=int, default=None, help="default: RETENTION_DAYS or 21")
    parser.add_argument("--every", type=float, default=0, help="repeat every N seconds (0: once)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    days = args.days or retention_days()
    engine = create_engine(tracker_db_url(), future=True, pool_pre_ping=True)
    while True:
        try:
            count = purge_older_than(engine, days)
        except DBAPIError as error:
            if not args.every:
                raise
            # A database restart is no reason to stop purging: try again soon.
            log.warning("Databasen svarte ikke (%s); prøver igjen om %.0f s.", type(error).__name__, RETRY_SECONDS)
            time.sleep(min(args.every, RETRY_SECONDS))
            continue
        log.info("Slettet %d samtaler eldre enn %d dager.", count, days)
        if not args.every:
            return 0
        time.sleep(args.every)


if __name__ == "__main__":
    sys.exit(main())
