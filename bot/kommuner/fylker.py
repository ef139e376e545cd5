"""Fylke mentions in a message, used to tell Herøy from Herøy and Våler from Våler."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot.kommuner.registry import load_kommuner
from bot.kommuner.textnorm import Token, fold

# Names beyond the CSV's fylke column, each mapped to the 2024 fylke numbers it covers.
_EXTRA_FYLKE_NAMES: dict[str, tuple[str, ...]] = {
    # Official Sami and Kven names of four fylker (shared/facts/README.md).
    "Nordlánnda": ("18",),
    "Trööndelage": ("50",),
    "Romsa": ("55",),
    "Tromssa": ("55",),
    "Finnmárku": ("56",),
    "Finmarkku": ("56",),
    # Older fylker and regions people still use ("Våler i Hedmark", "Herøy på Sunnmøre").
    "Hedmark": ("34",),
    "Oppland": ("34", "32"),  # Lunner and Jevnaker moved from Oppland to Akershus
    "Viken": ("31", "32", "33"),
    "Møre": ("15",),
    "Sunnmøre": ("15",),
    "Helgeland": ("18",),
    "Solør": ("34",),
}


@dataclass(frozen=True)
class FylkeMention:
    fylke_numbers: frozenset[str]
    first_token: int  # index into the message's tokens
    last_token: int


def _key(name: str) -> tuple[str, ...]:
    # Hyphen and space are the same here: "Møre og Romsdal", "Sør-Trøndelag".
    return tuple(fold(part) for part in name.replace("-", " ").split())


@cache
def fylke_index() -> dict[tuple[str, ...], frozenset[str]]:
    index: dict[tuple[str, ...], set[str]] = {}
    for kommune in load_kommuner():
        index.setdefault(_key(kommune.fylke), set()).add(kommune.fylke_number)
    for name, numbers in _EXTRA_FYLKE_NAMES.items():
        index.setdefault(_key(name), set()).update(numbers)
    return {key: frozenset(numbers) for key, numbers in index.items()}


def find_fylke_mentions(tokens: list[Token], folded: list[str], joinable: list[bool]) -> list[FylkeMention]:
    """Longest fylke names first; `joinable[i]` says token i and i+1 may belong to one name."""
    index = fylke_index()
    longest = max(len(key) for key in index)
    mentions: list[FylkeMention] = []
    i = 0
    while i < len(tokens):
        for length in range(min(longest, len(tokens) - i), 0, -1):
            if length > 1 and not all(joinable[i : i + length - 1]):
                continue
            numbers = index.get(tuple(folded[i : i + length]))
            if numbers:
                mentions.append(FylkeMention(numbers, i, i + length - 1))
                i += length
                break
        else:
            i += 1
    return mentions
