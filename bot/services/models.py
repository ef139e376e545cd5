"""SQLAlchemy tables of the local service directory.

Its own declarative base: the directory shares only the engine (bot.content.database, DATABASE_URL) with the
content tables, so either can be reloaded without touching the other.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, ForeignKey, String, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class DirectoryKommuneRow(Base):
    """A kommune that has a directory file."""

    __tablename__ = "service_kommuner"

    number = Column(String(4), primary_key=True)
    name = Column(Text, nullable=False)
    fictional = Column(Boolean, nullable=False, default=False)


class ServiceRow(Base):
    __tablename__ = "services"

    id = Column(String(80), primary_key=True)
    owner = Column(String(4), ForeignKey("service_kommuner.number"), nullable=False)
    kind = Column(String(40), nullable=False, index=True)
    name = Column(Text, nullable=False)
    helps_with = Column(Text, nullable=False)
    phone = Column(String(40))
    web = Column(Text)
    address = Column(Text)
    opening_hours = Column(Text)
    how_to_contact = Column(Text)
    source = Column(Text, nullable=False)
    verified = Column(Date, nullable=False)


class ServiceCoverageRow(Base):
    """Which kommuner a service serves: one row per kommune, several for an interkommunal tjeneste."""

    __tablename__ = "service_coverage"

    service_id = Column(String(80), ForeignKey("services.id"), primary_key=True)
    kommune_number = Column(String(4), primary_key=True, index=True)
