"""Word tokens and a diacritic-free 'fold' so that "Tromso", "Baerum" and "Karasjohka" find their kommune."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Letters that NFKD does not split into base + accent (Norwegian and Sami).
_LETTER_FOLD = str.maketrans({"æ": "e", "ä": "e", "ø": "o", "ö": "o", "å": "a", "đ": "d", "ŋ": "n", "ŧ": "t"})
# People without a Norwegian keyboard write æ/ø/å as ae/oe/aa (Baerum, Tromsoe, Aalesund).
_DIGRAPHS = ((re.compile("a{2,}"), "a"), (re.compile("ae"), "e"), (re.compile("oe"), "o"))
NORWEGIAN_LETTERS = frozenset("æøåÆØÅ")

# A word, optionally with an apostrophe genitive glued on ("Oslo's", "Tromsø’s").
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’´]s(?![^\W\d_]))?")


@lru_cache(maxsize=16384)  # the same few thousand words come back in every message
def fold(text: str) -> str:
    """Lower-case, ASCII-ish key; both the names and the user's words go through the same fold."""
    text = unicodedata.normalize("NFC", text).lower().translate(_LETTER_FOLD)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    for digraph, single in _DIGRAPHS:
        text = digraph.sub(single, text)  # "aaa" too: Tråante typed as "Traaante"
    return text


def lower(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def is_capitalized(self) -> bool:
        # "OS" or "BØ" in capitals is more likely an acronym or shouting than a place name.
        return self.text[0].isupper() and not (len(self.text) > 1 and self.text.isupper())


def tokenize(text: str) -> list[Token]:
    """Tokens of an NFC-normalised text; offsets refer to that normalised text."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def strip_apostrophe_genitive(word: str) -> str | None:
    for suffix in ("'s", "’s", "´s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return None
