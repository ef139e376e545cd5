"""Read-only access to the service directory for the actions."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.content.database import make_engine
from bot.services.models import DirectoryKommuneRow, ServiceCoverageRow, ServiceRow
from bot.services.schema import SERVICE_KINDS, DirectoryKommune, Service

logger = logging.getLogger(__name__)


def _kind_order(service: Service) -> tuple[int, str]:
    return SERVICE_KINDS.index(service.kind) if service.kind in SERVICE_KINDS else len(SERVICE_KINDS), service.name


class ServiceStore:
    """The directory is small and changes only when `python -m bot.services load` runs, so it is read once per
    process; `refresh()` reads it again. A database where it was never loaded is an empty directory: every
    kommune then gets the honest «no overview» answer."""

    def __init__(self, engine: Engine | None = None) -> None:
        self._engine = engine or make_engine()
        self._lock = threading.Lock()
        self._kommuner: dict[str, DirectoryKommune] | None = None
        self._by_kommune: dict[str, list[Service]] = {}

    def refresh(self) -> None:
        kommuner: dict[str, DirectoryKommune] = {}
        by_kommune: dict[str, list[Service]] = {}
        if not inspect(self._engine).has_table(ServiceRow.__tablename__):
            logger.warning("The service directory is not loaded: run `python -m bot.services load`.")
        else:
            with Session(self._engine) as session:
                kommuner = {
                    row.number: DirectoryKommune(row.number, row.name, bool(row.fictional))
                    for row in session.scalars(select(DirectoryKommuneRow))
                }
                covers: dict[str, list[str]] = {}
                for row in session.scalars(select(ServiceCoverageRow)):
                    covers.setdefault(row.service_id, []).append(row.kommune_number)
                for row in session.scalars(select(ServiceRow)):
                    service = Service(
                        id=row.id,
                        kind=row.kind,
                        name=row.name,
                        helps_with=row.helps_with,
                        covers=tuple(sorted(covers.get(row.id, ()))),
                        source=row.source,
                        verified=row.verified,
                        owner=row.owner,
                        phone=row.phone,
                        web=row.web,
                        address=row.address,
                        opening_hours=row.opening_hours,
                        how_to_contact=row.how_to_contact,
                    )
                    for number in service.covers:
                        by_kommune.setdefault(number, []).append(service)
        for services in by_kommune.values():
            services.sort(key=_kind_order)
        self._kommuner, self._by_kommune = kommuner, by_kommune

    def _ensure_loaded(self) -> dict[str, DirectoryKommune]:
        with self._lock:
            if self._kommuner is None:
                self.refresh()
            assert self._kommuner is not None
            return self._kommuner

    def kommune(self, number: str) -> DirectoryKommune | None:
        """The kommune's own directory entry (name, fictional), when it has a file."""
        return self._ensure_loaded().get(number)

    def fictional_kommuner(self) -> tuple[DirectoryKommune, ...]:
        return tuple(k for k in self._ensure_loaded().values() if k.fictional)

    def has_directory(self, number: str) -> bool:
        """True when any service serves the kommune: its own, or an interkommunal one listed by a neighbour."""
        self._ensure_loaded()
        return bool(self._by_kommune.get(number))

    def services_for(self, number: str, kinds: Iterable[str] | None = None) -> list[Service]:
        """Services that serve `number`, of the given kinds (all when None), in SERVICE_KINDS order."""
        self._ensure_loaded()
        wanted = None if kinds is None else set(kinds)
        return [s for s in self._by_kommune.get(number, ()) if wanted is None or s.kind in wanted]
