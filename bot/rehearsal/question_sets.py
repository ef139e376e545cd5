"""Question sets for care staff (content/staff/question_sets/*.yml) and a finder for requests such as
"spørsmål om behandlingsønsker", "hvordan åpner jeg samtalen" or setting "sykehjem".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.rehearsal.cues import Cue, compile_cues, normalize
from bot.rehearsal.vocabulary import PHASES, STAFF_DIR, DataError, Vocabulary, load_vocabulary, read_yaml, require

QUESTION_SET_DIR = STAFF_DIR / "question_sets"
SET_FIELDS = ("id", "title", "sources", "reviewed", "review_by", "phases")
# The set used when no setting is asked for; setting sets add to it, they do not replace it.
GENERAL_SET = "generell"


@dataclass(frozen=True)
class Question:
    set_id: str
    phase: str
    domain: str
    text: str
    why: str


@dataclass(frozen=True)
class QuestionSet:
    id: str
    title: str
    setting: str | None
    setting_label: str | None
    setting_words: tuple[Cue, ...]
    questions: tuple[Question, ...]
    sources: tuple[dict[str, str], ...]
    reviewed: str
    review_by: str


@dataclass(frozen=True)
class Selection:
    """The answer to a request: what was understood and the matching questions, setting-specific first."""

    setting: str | None
    phase: str | None
    domains: tuple[str, ...]
    questions: tuple[Question, ...]


def parse_question_set(data: dict[str, Any], vocab: Vocabulary) -> QuestionSet:
    require(data, SET_FIELDS, f"spørsmålssett {data.get('id', '?')}")
    sid = str(data["id"])
    setting = data.get("setting")
    if setting is not None:
        require(setting, ("id", "label", "words"), f"spørsmålssett {sid} setting")
    questions = []
    for phase, items in data["phases"].items():
        if phase not in PHASES:
            raise DataError(f"spørsmålssett {sid}: ukjent fase {phase}")
        for raw in items or ():
            require(raw, ("domain", "text", "why"), f"spørsmålssett {sid} {phase}")
            if raw["domain"] not in vocab.domains:
                raise DataError(f"spørsmålssett {sid}: ukjent domene {raw['domain']}")
            questions.append(Question(sid, phase, str(raw["domain"]), str(raw["text"]), str(raw["why"])))
    for phase in PHASES:
        if not any(q.phase == phase for q in questions):
            raise DataError(f"spørsmålssett {sid}: ingen spørsmål i fasen {phase}")
    return QuestionSet(
        id=sid,
        title=str(data["title"]),
        setting=str(setting["id"]) if setting else None,
        setting_label=str(setting["label"]) if setting else None,
        setting_words=compile_cues(setting["words"]) if setting else (),
        questions=tuple(questions),
        sources=tuple(data["sources"]),
        reviewed=str(data["reviewed"]),
        review_by=str(data["review_by"]),
    )


def load_question_sets(vocab: Vocabulary, directory: Path = QUESTION_SET_DIR) -> dict[str, QuestionSet]:
    sets: dict[str, QuestionSet] = {}
    for path in sorted(directory.glob("*.yml")):
        qset = parse_question_set(read_yaml(path), vocab)
        if qset.id != path.stem:
            raise DataError(f"{path.name}: id {qset.id} skal være lik filnavnet")
        sets[qset.id] = qset
    if GENERAL_SET not in sets:
        raise DataError(f"mangler spørsmålssettet {GENERAL_SET}")
    return sets


@lru_cache(maxsize=4)
def default_question_sets(directory: Path = QUESTION_SET_DIR) -> dict[str, QuestionSet]:
    return load_question_sets(load_vocabulary(), directory)


def _blank(text: str, cues: tuple[Cue, ...]) -> tuple[str, bool]:
    """Remove every match of the cues from text (so a setting word is not read as a topic too)."""
    found = False
    for cue in cues:
        while (span := cue.span(text)) is not None:
            found = True
            text = text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]
    return text, found


def _setting_for(name: str, sets: Mapping[str, QuestionSet]) -> str | None:
    norm = normalize(name)
    for qset in sets.values():
        if qset.setting and (norm == qset.setting or any(c.search(norm) is not None for c in qset.setting_words)):
            return qset.setting
    return None


def find_questions(
    request: str,
    setting: str | None = None,
    sets: Mapping[str, QuestionSet] | None = None,
    vocab: Vocabulary | None = None,
) -> Selection:
    """Questions matching a free-text request; an explicit setting wins over one named in the request."""
    vocab = vocab or load_vocabulary()
    sets = sets if sets is not None else default_question_sets()
    text = normalize(request)
    chosen = _setting_for(setting, sets) if setting else None
    for qset in sets.values():
        if qset.setting is None:
            continue
        text, found = _blank(text, qset.setting_words)
        if found and chosen is None:
            chosen = qset.setting
    phase = next((p.id for p in vocab.phases.values() if any(w.search(text) is not None for w in p.words)), None)
    domains = vocab.ordered(
        d.id for d in vocab.domains.values() if any(c.search(text) is not None for c in d.topic_words + d.cues)
    )
    ordered_sets = [s for s in sets.values() if chosen and s.setting == chosen] + [sets[GENERAL_SET]]
    questions: list[Question] = []
    seen: set[str] = set()
    for qset in ordered_sets:
        for question in qset.questions:
            if phase and question.phase != phase:
                continue
            if domains and question.domain not in domains:
                continue
            if question.text not in seen:
                seen.add(question.text)
                questions.append(question)
    # Phase order first (before, during, after); within a phase the setting's own questions come first.
    questions.sort(key=lambda q: PHASES.index(q.phase))
    return Selection(setting=chosen, phase=phase, domains=domains, questions=tuple(questions))
