"""The learned crisis detector: a linear model over word and character n-grams of the folded message.

It is the second of the two crisis detectors (the deterministic patterns are the first; either one firing counts).
It learns from the development corpus in data/safety/crisis_corpus*.yml and, as everyday non-crisis traffic, the NLU
training examples in data/nlu (none of which may express a crisis); never from a test set. Two thresholds,
both set on out-of-fold scores of that corpus together with the patterns
(`python -m bot.safety.crisis_model calibrate` writes them to data/safety/crisis_model.yml; a test checks the
stored values are what calibration gives):
- `check`, set for recall: the highest score at which patterns or model still catch RECALL_TARGET of the corpus's
  crisis messages. Between it and `crisis` the person's message is answered, and then they are asked directly
  whether they are thinking of taking their life (as helsenorge advises: ask directly);
- `crisis`, set for false alarms: the lowest score at which the model adds at most FALSE_ALARM_TARGET of the
  corpus's other messages to the patterns' false alarms. From it up, the crisis support answers at once.

Training is fast and deterministic, so each process trains once on first use instead of shipping a pickle.
Nothing here logs or stores message text.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from sklearn.model_selection import StratifiedKFold

from bot.safety.ngram_model import NgramModel

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "safety"
CORPUS_GLOB = "crisis_corpus*.yml"
SETTINGS_FILE = DATA_DIR / "crisis_model.yml"
NOT_CRISIS = "not_crisis"
RECALL_TARGET = 0.98
FALSE_ALARM_TARGET = 0.02
FOLDS = 5


@dataclass(frozen=True)
class Corpus:
    texts: tuple[str, ...]
    labels: tuple[str, ...]  # a crisis kind, or NOT_CRISIS
    everyday: tuple[bool, ...]  # an NLU example: trained on, but not what the thresholds are set on

    @property
    def is_crisis(self) -> np.ndarray:
        return np.array([label != NOT_CRISIS for label in self.labels])


NLU_DIR = DATA_DIR.parent / "nlu"
_ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")


def nlu_examples(folder: Path = NLU_DIR) -> list[str]:
    """Every NLU training example, annotations removed. None may express a crisis (data/nlu/basics.yml says so):
    the everyday traffic the model must learn to leave alone."""
    examples: list[str] = []
    for path in sorted(folder.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text:
                    examples.append(_ANNOTATION.sub(lambda m: m.group(1) or m.group(2) or "", text))
    return examples


def load_corpus(folder: Path = DATA_DIR, nlu_folder: Path = NLU_DIR) -> Corpus:
    """Every corpus file's texts with their labels: a crisis list under its kind, every other list as NOT_CRISIS,
    and the NLU training examples as NOT_CRISIS."""
    texts: list[str] = list(nlu_examples(nlu_folder))
    labels: list[str] = [NOT_CRISIS] * len(texts)
    everyday = len(texts)
    for path in sorted(folder.glob(CORPUS_GLOB)):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for kind, examples in (data.get("crisis") or {}).items():
            texts += examples
            labels += [kind] * len(examples)
        for examples in (data.get("not_crisis") or {}).values():
            texts += examples
            labels += [NOT_CRISIS] * len(examples)
    return Corpus(tuple(texts), tuple(labels), tuple(i < everyday for i in range(len(texts))))


_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")


def parts(text: str) -> list[str]:
    """The message, and its sentences when it has more than one: a signal in one sentence of a long message must
    not drown in the rest, so the message scores as its highest part."""
    sentences = [s.strip() for s in _SENTENCE.findall(text) if len(s.split()) >= 2]
    return [text, *sentences] if len(sentences) > 1 else [text]


class CrisisModel:
    """The n-gram model over the corpus's labels, read as a crisis score and a most likely kind."""

    def __init__(self, texts: list[str] | tuple[str, ...], labels: list[str] | tuple[str, ...]) -> None:
        self._model = NgramModel(texts, labels)
        self._not_crisis = self._model.classes.index(NOT_CRISIS)

    def scores(self, texts: list[str]) -> np.ndarray:
        """The probability that each text is a crisis message (one minus P(not crisis)), by its highest part."""
        return np.array([self.predict(text)[0] for text in texts])

    def predict(self, text: str) -> tuple[float, str]:
        """(crisis score, most likely crisis kind) for one message, from its highest-scoring part."""
        probabilities = self._model.probabilities(parts(text))
        best = int(probabilities[:, self._not_crisis].argmin())
        kinds = [(p, c) for p, c in zip(probabilities[best], self._model.classes, strict=False) if c != NOT_CRISIS]
        return float(1.0 - probabilities[best, self._not_crisis]), max(kinds)[1]


def out_of_fold_scores(corpus: Corpus, folds: int = FOLDS) -> np.ndarray:
    """Each corpus text scored by a model that did not see it (stratified, fixed seed)."""
    scores = np.zeros(len(corpus.texts))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=2026)
    texts, labels = np.array(corpus.texts, dtype=object), np.array(corpus.labels, dtype=object)
    for train, test in splitter.split(texts, labels):
        model = CrisisModel(list(texts[train]), list(labels[train]))
        scores[test] = model.scores(list(texts[test]))
    return scores


def recall_threshold(scores: np.ndarray, is_crisis: np.ndarray, caught: np.ndarray,
                     target: float = RECALL_TARGET) -> float:
    """The highest threshold at which the model, or `caught` (the patterns), still finds `target` of the crises."""
    for candidate in np.unique(scores)[::-1]:
        if ((scores >= candidate) | caught)[is_crisis].mean() >= target:
            return round(float(candidate), 4)
    return 0.0


def false_alarm_threshold(scores: np.ndarray, is_crisis: np.ndarray, caught: np.ndarray,
                          target: float = FALSE_ALARM_TARGET) -> float:
    """The lowest threshold at which the model adds at most `target` false alarms to those of `caught` (patterns)."""
    for candidate in np.unique(scores):
        if ((scores >= candidate) & ~caught)[~is_crisis].mean() <= target:
            return round(float(candidate), 4)
    return 1.0


@dataclass(frozen=True)
class Calibration:
    check: float
    crisis: float
    # Out of fold, patterns or model, on the development corpus:
    recall_crisis: float  # crisis messages answered by the crisis support at once
    recall_check: float  # … answered at once or asked directly
    false_crisis: float  # other messages answered by the crisis support
    false_check: float  # … answered, then asked directly


def calibrate(corpus: Corpus | None = None) -> Calibration:
    from bot.safety.crisis import detect_crisis  # the patterns; imported here to keep the model importable alone

    corpus = corpus or load_corpus()
    scores, is_crisis = out_of_fold_scores(corpus), corpus.is_crisis
    caught = np.array([detect_crisis(t) is not None for t in corpus.texts])
    # Set on the corpus's own heavy talk: the easy NLU examples would make 2 % of false alarms mean more of them.
    hard = ~np.array(corpus.everyday)
    scores, is_crisis, caught = scores[hard], is_crisis[hard], caught[hard]
    check = recall_threshold(scores, is_crisis, caught)
    crisis = max(false_alarm_threshold(scores, is_crisis, caught), check)
    at_check, at_crisis = (scores >= check) | caught, (scores >= crisis) | caught
    return Calibration(
        check=check,
        crisis=crisis,
        recall_crisis=round(float(at_crisis[is_crisis].mean()), 4),
        recall_check=round(float(at_check[is_crisis].mean()), 4),
        false_crisis=round(float(at_crisis[~is_crisis].mean()), 4),
        false_check=round(float(at_check[~is_crisis].mean()), 4),
    )


@dataclass(frozen=True)
class Thresholds:
    check: float
    crisis: float


def load_thresholds(path: Path = SETTINGS_FILE) -> Thresholds:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Thresholds(float(data["check"]), float(data["crisis"]))


@lru_cache(maxsize=1)
def trained_model() -> CrisisModel:
    """The model trained on the whole development corpus, once per process."""
    corpus = load_corpus()
    return CrisisModel(corpus.texts, corpus.labels)


@lru_cache(maxsize=1)
def thresholds() -> Thresholds:
    return load_thresholds()


def write_calibration(result: Calibration, path: Path = SETTINGS_FILE) -> None:
    path.write_text(
        "# Written by `python -m bot.safety.crisis_model calibrate` from out-of-fold scores on the development corpus\n"
        "# (bot/safety/crisis_model.py says how). Do not edit by hand.\n"
        + yaml.safe_dump(result.__dict__, sort_keys=False),
        encoding="utf-8",
    )


def main(argv: list[str]) -> int:
    if argv[:1] != ["calibrate"]:
        print("usage: python -m bot.safety.crisis_model calibrate", file=sys.stderr)
        return 2
    result = calibrate()
    write_calibration(result)
    print(f"thresholds: check {result.check}, crisis {result.crisis} (development corpus, out of fold, with the "
          f"patterns): crisis answer {result.recall_crisis:.1%} of crises, {result.false_crisis:.1%} of the rest; "
          f"answer or direct question {result.recall_check:.1%} of crises, {result.false_check:.1%} of the rest")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
