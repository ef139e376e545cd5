"""Typed records of the local service directory, and the rules its data files follow.

One file per kommune under content/kommuner/tjenester/<nummer>-<navn>.yml. What each kind is called, and which
conversation topics lead to which kinds, is data too: content/kommuner/service_topics.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.content.catalogue import CONTENT_DIR

KOMMUNER_DIR = CONTENT_DIR / "kommuner"
DIRECTORY_DIR = KOMMUNER_DIR / "tjenester"
TOPICS_FILE = KOMMUNER_DIR / "service_topics.yml"

# The service kinds a directory may list, in the order answers show them.
SERVICE_KINDS: tuple[str, ...] = (
    "palliativt_team",
    "kreftkoordinator",
    "hjemmesykepleie",
    "tildelingskontor",
    "sykehjem_lindrende_enhet",
    "legevakt",
    "frivilligsentral",
    "sorggruppe",
    "parorendeskole",
    "prest_livssyn",
    "helsestasjon_barn",
)

# The one number a file may use although it is not in kommuner.csv: the shipped example kommune, marked
# `fictional: true`. Real kommunenummer never reach 9999 (the highest fylke is 56), so it can never collide.
FICTIONAL_NUMBER = "9999"
FICTIONAL_LABEL = "Fiktiv eksempelkommune"

# A directory entry older than this must be checked again before it is shown (the fictional example is exempt).
MAX_VERIFIED_AGE_DAYS = 365

FILE_NAME = re.compile(r"^(?P<number>\d{4})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.yml$")
SERVICE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
KOMMUNE_FIELDS = frozenset({"number", "name", "fictional"})
FILE_FIELDS = frozenset({"kommune", "services"})
# Every service names each field, so a missing one is a visible decision (null = not known / not verified).
SERVICE_FIELDS = (
    "id",
    "kind",
    "name",
    "helps_with",
    "phone",
    "web",
    "address",
    "opening_hours",
    "how_to_contact",
    "covers",
    "source",
    "verified",
)
OPTIONAL_SERVICE_FIELDS = frozenset({"phone", "web", "address", "opening_hours", "how_to_contact"})
# A fictional kommune must not look real: no phone number, street address or opening hours, ever.
NEVER_FICTIONAL = ("phone", "address", "opening_hours")


@dataclass(frozen=True)
class DirectoryKommune:
    number: str
    name: str
    fictional: bool = False

    @property
    def label(self) -> str:
        return f"{self.name} ({FICTIONAL_LABEL})" if self.fictional else self.name


@dataclass(frozen=True)
class Service:
    id: str
    kind: str
    name: str
    helps_with: str
    covers: tuple[str, ...]  # kommunenummer served; more than one for an interkommunal tjeneste
    source: str
    verified: date
    owner: str  # the kommunenummer whose file lists it
    phone: str | None = None
    web: str | None = None
    address: str | None = None
    opening_hours: str | None = None
    how_to_contact: str | None = None


@dataclass
class Directory:
    """Every kommune file that passed validation, with its services."""

    kommuner: dict[str, DirectoryKommune] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # kommunenummer -> file, for messages


@dataclass(frozen=True)
class KindInfo:
    label: str  # e.g. "Palliativt team"
    cues: tuple[str, ...]  # words that ask for this kind directly


@dataclass(frozen=True)
class Topic:
    label: str  # e.g. "å dø hjemme", used in «… som kan hjelpe med å dø hjemme»
    button: str  # button title offering this topic
    cues: tuple[str, ...]
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class ServiceTopics:
    """service_topics.yml: what each kind is called, and which topics lead to which kinds."""

    kinds: dict[str, KindInfo]
    topics: dict[str, Topic]  # keyed by content topic (bot.content.schema.TOPICS)
    general_kinds: tuple[str, ...]  # shown when the question names no topic
