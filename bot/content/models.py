"""SQLAlchemy tables for curated content: items, sources, helplines and reflection questions."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, Integer, String, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class SourceRow(Base):
    __tablename__ = "content_sources"

    id = Column(String(80), primary_key=True)
    title = Column(Text, nullable=False)
    publisher = Column(Text, nullable=False)
    published = Column(String(40))
    location = Column(Text)
    seed = Column(String(80))


class ContentItemRow(Base):
    __tablename__ = "content_items"

    id = Column(String(80), primary_key=True)
    title = Column(Text, nullable=False)
    kind = Column(String(20), nullable=False)
    topic = Column(String(40), nullable=False)
    audience = Column(JSON, nullable=False)
    body = Column(Text, nullable=False)
    sources = Column(JSON, nullable=False)  # [{"ref": ..., "section": ...}]
    related = Column(JSON, nullable=False)
    reviewed = Column(Date, nullable=False)
    review_by = Column(Date, nullable=False)


class HelplineRow(Base):
    __tablename__ = "helplines"

    id = Column(String(40), primary_key=True)
    name = Column(Text, nullable=False)
    number = Column(String(20), nullable=False)
    when = Column(Text, nullable=False)
    purpose = Column(Text, nullable=False)
    source = Column(Text, nullable=False)
    cost = Column(Text, nullable=False, default="")
    anonymous = Column(Text, nullable=False, default="")


class ReflectionQuestionRow(Base):
    __tablename__ = "reflection_questions"

    set_id = Column(String(80), primary_key=True)
    position = Column(Integer, primary_key=True)
    question_id = Column(String(80), nullable=False)
    text = Column(Text, nullable=False)
    summary_label = Column(Text, nullable=False)
