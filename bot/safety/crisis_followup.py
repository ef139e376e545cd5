"""What a person's next message says after a crisis reply: nobody nearby, not wanting to call, what to say, …

An n-gram model over the development phrasings in data/safety/crisis_followups*.yml. The crisis support reads the
category to answer what the person actually said; a message the model is unsure of is `unclear`, which the crisis
support answers by staying with the person, never with «Mente du …?».
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.safety.ngram_model import NgramModel

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "safety"
FOLLOWUPS_GLOB = "crisis_followups*.yml"
UNCLEAR = "unclear"
# Below this probability the category is not trusted; staying and asking gently is the safe answer.
MIN_CONFIDENCE = 0.35


@dataclass(frozen=True)
class Followup:
    category: str
    confidence: float


def load_followups(folder: Path = DATA_DIR) -> dict[str, list[str]]:
    """Every follow-up file's phrasings, by category."""
    followups: dict[str, list[str]] = {}
    for path in sorted(folder.glob(FOLLOWUPS_GLOB)):
        for category, examples in yaml.safe_load(path.read_text(encoding="utf-8"))["followups"].items():
            followups.setdefault(str(category), []).extend(examples)
    return followups


class FollowupModel:
    def __init__(self, followups: dict[str, list[str]]) -> None:
        texts = [t for examples in followups.values() for t in examples]
        labels = [c for c, examples in followups.items() for _ in examples]
        self._model = NgramModel(texts, labels, c=4.0)

    def classify(self, text: str) -> Followup:
        probabilities = self._model.probabilities([text])[0]
        best = int(probabilities.argmax())
        confidence = float(probabilities[best])
        category = self._model.classes[best] if confidence >= MIN_CONFIDENCE else UNCLEAR
        return Followup(category, round(confidence, 3))


@lru_cache(maxsize=1)
def followup_model() -> FollowupModel:
    return FollowupModel(load_followups())


def classify_followup(text: str) -> Followup:
    if not isinstance(text, str) or not text.strip():
        return Followup(UNCLEAR, 0.0)
    return followup_model().classify(text)
