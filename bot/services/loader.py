"""Write a validated Directory into the database in one transaction."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.services.models import Base, DirectoryKommuneRow, ServiceCoverageRow, ServiceRow
from bot.services.schema import Directory


def load_directory(directory: Directory, engine: Engine) -> dict[str, int]:
    """Replace all directory rows with the directory's; readers never see a half-loaded state."""
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        for table in (ServiceCoverageRow, ServiceRow, DirectoryKommuneRow):
            session.execute(delete(table))
        session.add_all(
            DirectoryKommuneRow(number=k.number, name=k.name, fictional=k.fictional)
            for k in directory.kommuner.values()
        )
        session.flush()  # the kommuner first: services refer to them
        session.add_all(
            ServiceRow(
                id=s.id,
                owner=s.owner,
                kind=s.kind,
                name=s.name,
                helps_with=s.helps_with,
                phone=s.phone,
                web=s.web,
                address=s.address,
                opening_hours=s.opening_hours,
                how_to_contact=s.how_to_contact,
                source=s.source,
                verified=s.verified,
            )
            for s in directory.services.values()
        )
        session.flush()
        session.add_all(
            ServiceCoverageRow(service_id=s.id, kommune_number=number)
            for s in directory.services.values()
            for number in s.covers
        )
    return {
        "kommuner": len(directory.kommuner),
        "tjenester": len(directory.services),
        "dekning": sum(len(s.covers) for s in directory.services.values()),
    }
