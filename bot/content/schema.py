"""Typed content records and the rules a content file must follow."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

KINDS = frozenset({"faq", "message"})
TOPICS = frozenset(
    {
        "apenhet",
        "refleksjon",
        "forhandssamtale",
        "livstestament",
        "hjemmedod",
        "parorende",
        "barn_og_unge",
        "sorg",
        "etter_dodsfall",
        "lindrende",
        "medisinsk",
        "om_assistenten",
        "krise",
    }
)
AUDIENCES = frozenset({"innbygger", "pårørende", "ansatt", "barn og unge"})
ITEM_FIELDS = ("id", "title", "kind", "topic", "audience", "sources", "reviewed", "review_by")
SOURCE_FIELDS = ("id", "title", "publisher")
HELPLINE_FIELDS = ("id", "name", "number", "when", "for", "source")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
PLACEHOLDER = re.compile(r"\{\{\s*(helpline|number)\s*:\s*([a-z0-9_]+)\s*\}\}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, with the line to look at."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class SourceRef:
    ref: str
    section: str


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    published: str | None = None
    location: str | None = None
    seed: str | None = None


@dataclass(frozen=True)
class Helpline:
    id: str
    name: str
    number: str
    when: str
    purpose: str
    source: str
    cost: str = ""  # what it costs to call, where the facts file says so (nothing is said where it does not)
    anonymous: str = ""  # whether callers may be anonymous, likewise


@dataclass(frozen=True)
class ContentItem:
    id: str
    title: str
    kind: str
    topic: str
    audience: tuple[str, ...]
    body: str
    sources: tuple[SourceRef, ...]
    reviewed: date
    review_by: date
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReflectionQuestion:
    id: str
    text: str
    summary_label: str


@dataclass(frozen=True)
class ReflectionSet:
    id: str
    title: str
    sources: tuple[SourceRef, ...]
    reviewed: date
    review_by: date
    questions: tuple[ReflectionQuestion, ...]


@dataclass
class Catalogue:
    """Everything under content/ that the assistant reads, after validation."""

    sources: dict[str, Source] = field(default_factory=dict)
    helplines: dict[str, Helpline] = field(default_factory=dict)
    items: dict[str, ContentItem] = field(default_factory=dict)
    reflection_sets: dict[str, ReflectionSet] = field(default_factory=dict)
