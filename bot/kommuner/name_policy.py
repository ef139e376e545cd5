"""Which kommune names are also ordinary words or surnames, and so need evidence before they count.

The lists were made by checking every name (and its diacritic-free spelling) against Debian's
`wnorwegian` bokmål and nynorsk word lists, then sorting the hits by hand: how likely is the word in a
chat about death and care, and is it a common surname or given name? Keys are lower-case names exactly
as in kommuner.csv; a test checks that each still exists, so a merger cannot leave a stale entry.
"""

from __future__ import annotations

from enum import Enum


class Policy(Enum):
    SAFE = "safe"  # only a place name: counts anywhere, in any case
    CAPITAL = "capital"  # also a rare word: needs a capital letter mid-sentence, or a place cue
    CONTEXT = "context"  # a common word, surname or given name: needs a strong place cue


# Common words, or words likely after "i/på/til" in lower case ("i sola", "til råde", "i stad"),
# and frequent surnames or given names ("sykepleier Lund", "Frøya kom innom").
CONTEXT_NAMES = frozenset(
    {
        "time", "sola", "strand", "stranda", "lund", "vik", "hole", "lier", "gran", "vang", "nes",
        "sande", "heim", "rana", "vega", "frøya", "øyer", "råde", "stad", "kinn", "lyngen", "marker",
    }
)  # fmt: skip

# Ordinary but rare words, or short names: a capitalised word mid-sentence is taken as the place.
CAPITAL_NAMES = frozenset(
    {
        "hå", "bø", "ås", "ål", "os", "hol", "gol", "lom", "flå", "sel", "moss", "fjord",
        "asker", "skien", "tinn", "grue", "røst", "leka", "frosta", "dønna", "osen", "alver", "gulen",
        "storfjord", "øygarden", "høylandet", "loppa", "tana", "sula", "aure", "grane", "haram",
        "senja", "stange", "vinje", "tokke", "nome", "rosse", "steigen", "hvaler",
    }
)  # fmt: skip

# Diacritic-free spellings that are everyday ASCII words: "ha" (Hå), "bo" (Bø), "rost" (Røst),
# "trena" (Træna), "ferder" (Færder), "rane" (Raane, Sami for Rana), "AS" (Ås), "relingen" (Rælingen).
FOLDED_COMMON_WORDS = frozenset(
    {"ha", "bo", "al", "as", "rost", "rade", "fla", "trena", "ferder", "rane", "donna", "vaga", "relingen"}
)

# Words before a name that mark it as a place ("jeg bor på Stord", "flyttet til Moss").
PLACE_PREPOSITIONS = frozenset({"i", "på", "pa", "fra", "frå", "til", "ved", "nær", "naer", "utenfor", "innenfor"})

# "Hole kommune", "i Tromsø kommune", "Bodø kommunes": the strongest cue there is.
KOMMUNE_WORDS = frozenset({"kommune", "kommunen", "kommunes", "kommunens"})

# Compounds users write with a distinctive name: "Osloområdet", "Bergensregionen".
COMPOUND_TAILS = ("området", "regionen", "distriktet", "traktene")


def policy_for(name: str) -> Policy:
    key = name.lower()
    if key in CONTEXT_NAMES:
        return Policy.CONTEXT
    if key in CAPITAL_NAMES:
        return Policy.CAPITAL
    return Policy.SAFE
