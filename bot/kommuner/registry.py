"""The 357 kommuner of 2024, read once from content/kommuner/kommuner.csv (a copy of shared/facts)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

KOMMUNER_CSV = Path(__file__).resolve().parents[2] / "content" / "kommuner" / "kommuner.csv"
_COLUMNS = ("number", "name", "other_names", "fylke_number", "fylke")


@dataclass(frozen=True)
class Kommune:
    number: str  # 4 digits, e.g. "0301"; the only unique key (names repeat: Herøy, Våler)
    name: str  # official Norwegian name
    other_names: tuple[str, ...]  # official Sami and/or Kven names, in SSB's order
    fylke_number: str
    fylke: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.other_names)

    @property
    def display_name(self) -> str:
        """Name with fylke, which is what a user needs to tell Herøy from Herøy."""
        return f"{self.name} ({self.fylke})"


@cache
def load_kommuner(path: Path = KOMMUNER_CSV) -> tuple[Kommune, ...]:
    """Read the CSV once; a malformed file fails loudly instead of recognising nothing."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != _COLUMNS:
            raise ValueError(f"{path}: expected columns {_COLUMNS}, got {reader.fieldnames}")
        kommuner = tuple(
            Kommune(
                number=row["number"],
                name=row["name"],
                other_names=tuple(name for name in row["other_names"].split("|") if name),
                fylke_number=row["fylke_number"],
                fylke=row["fylke"],
            )
            for row in reader
        )
    numbers = [kommune.number for kommune in kommuner]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"{path}: kommunenummer are not unique")
    return kommuner


@cache
def _by_number() -> dict[str, Kommune]:
    return {kommune.number: kommune for kommune in load_kommuner()}


def kommune_by_number(nr: str) -> Kommune | None:
    """Look up a kommune by its 4-digit number; "301" is accepted because spreadsheets drop the zero."""
    nr = str(nr).strip()
    if nr.isdigit() and len(nr) == 3:
        nr = nr.zfill(4)
    return _by_number().get(nr)
