"""Load content/staff/domains.yml: question domains, signal cue lists, question starts and feedback text."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.rehearsal.cues import Cue, compile_cues

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
STAFF_DIR = CONTENT_DIR / "staff"
PHASES = ("before", "during", "after")
SIGNAL_SCOPES = ("all", "questions", "statements")
# Signals the classifier and the feedback rely on; the data must define each of them.
REQUIRED_SIGNALS = (
    "permission",
    "what_matters",
    "summary",
    "follow_up",
    "respect",
    "own_voice",
    "leading",
    "medical_advice",
    "death_talk",
)
REQUIRED_FEEDBACK_TEXT = (
    "heading",
    "covered",
    "covered_none",
    "missed",
    "question_counts",
    "more_closed",
    "leading",
    "medical_advice",
    "permission_yes",
    "permission_no",
    "what_matters_yes",
    "what_matters_no",
    "summary_yes",
    "summary_no",
    "follow_up_yes",
    "follow_up_no",
    "pushed",
    "respected",
    "proxy_yes",
    "proxy_no",
)


class DataError(ValueError):
    """Raised when a staff data file is missing fields or refers to unknown ids."""


@dataclass(frozen=True)
class Domain:
    id: str
    label: str
    phase: str
    suggested: str
    cues: tuple[Cue, ...]
    topic_words: tuple[Cue, ...]
    # True for domains a patient does not answer as a topic (a summary, a follow-up): the persona answers the
    # signal instead.
    answered_by_signal: bool = False


@dataclass(frozen=True)
class Signal:
    id: str
    label: str
    cues: tuple[Cue, ...]
    counts_as: str | None = None
    scope: str = "all"
    statement_cues: tuple[Cue, ...] = ()
    fold_pronouns: bool = False


@dataclass(frozen=True)
class Phase:
    id: str
    label: str
    words: tuple[Cue, ...]


@dataclass(frozen=True)
class Vocabulary:
    domains: dict[str, Domain]
    signals: dict[str, Signal]
    open_starts: tuple[Cue, ...]
    closed_starts: tuple[Cue, ...]
    skip_words: frozenset[str]
    phases: dict[str, Phase]
    rehearsal_core: tuple[str, ...]
    feedback_text: dict[str, str]
    pronoun_folding: dict[str, str] = field(default_factory=dict)
    sources: tuple[dict[str, str], ...] = field(default_factory=tuple)
    reviewed: str = ""
    review_by: str = ""

    def ordered(self, domain_ids: Any) -> tuple[str, ...]:
        """The given domain ids in the order of domains.yml (unknown ids dropped, duplicates removed)."""
        wanted = set(domain_ids)
        return tuple(d for d in self.domains if d in wanted)


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def require(data: dict[str, Any], names: tuple[str, ...], where: str) -> None:
    missing = [n for n in names if data.get(n) in (None, "", [], {})]
    if missing:
        raise DataError(f"{where}: mangler felt {', '.join(missing)}")


def _domain(raw: dict[str, Any]) -> Domain:
    require(raw, ("id", "label", "phase", "suggested"), f"domene {raw.get('id', '?')}")
    if raw["phase"] not in PHASES:
        raise DataError(f"domene {raw['id']}: ukjent fase {raw['phase']!r}")
    return Domain(
        id=str(raw["id"]),
        label=str(raw["label"]),
        phase=str(raw["phase"]),
        suggested=str(raw["suggested"]),
        cues=compile_cues(raw.get("cues")),
        topic_words=compile_cues(raw.get("topic_words")),
        answered_by_signal=raw.get("reply") == "signal",
    )


def _signal(sid: str, raw: dict[str, Any]) -> Signal:
    require(raw, ("label", "cues"), f"signal {sid}")
    scope = raw.get("sentences", "all")
    if scope not in SIGNAL_SCOPES:
        raise DataError(f"signal {sid}: ukjent sentences {scope!r}")
    return Signal(
        id=sid,
        label=str(raw["label"]),
        cues=compile_cues(raw["cues"]),
        counts_as=raw.get("counts_as"),
        scope=scope,
        statement_cues=compile_cues(raw.get("statement_cues")),
        fold_pronouns=bool(raw.get("fold_pronouns", False)),
    )


def parse_vocabulary(data: dict[str, Any]) -> Vocabulary:
    """Build and check a Vocabulary from the parsed YAML of domains.yml."""
    require(data, ("domains", "signals", "questions", "phases", "rehearsal_core", "feedback_text"), "domains.yml")
    domains: dict[str, Domain] = {}
    for raw in data["domains"]:
        domain = _domain(raw)
        if domain.id in domains:
            raise DataError(f"domene-id {domain.id} finnes to ganger")
        domains[domain.id] = domain
    signals = {sid: _signal(sid, raw) for sid, raw in data["signals"].items()}
    for sid in REQUIRED_SIGNALS:
        if sid not in signals:
            raise DataError(f"domains.yml: mangler signal {sid}")
    covered_by_signal = {s.counts_as for s in signals.values() if s.counts_as}
    for signal in signals.values():
        if signal.counts_as and signal.counts_as not in domains:
            raise DataError(f"signal {signal.id}: ukjent domene {signal.counts_as}")
    for domain in domains.values():
        # A domain nobody can recognise would always be reported as missed.
        if not domain.cues and domain.id not in covered_by_signal:
            raise DataError(f"domene {domain.id}: trenger cues eller et signal med counts_as")
    core = tuple(data["rehearsal_core"])
    for did in core:
        if did not in domains:
            raise DataError(f"rehearsal_core: ukjent domene {did}")
    phases = {}
    for pid in PHASES:
        raw = data["phases"].get(pid) or {}
        require(raw, ("label", "words"), f"fase {pid}")
        phases[pid] = Phase(id=pid, label=str(raw["label"]), words=compile_cues(raw["words"]))
    text = {k: str(v) for k, v in data["feedback_text"].items()}
    missing = [k for k in REQUIRED_FEEDBACK_TEXT if not text.get(k)]
    if missing:
        raise DataError(f"feedback_text mangler: {', '.join(missing)}")
    questions = data["questions"]
    require(questions, ("open_starts", "closed_starts"), "questions")
    return Vocabulary(
        domains=domains,
        signals=signals,
        open_starts=compile_cues(questions["open_starts"]),
        closed_starts=compile_cues(questions["closed_starts"]),
        skip_words=frozenset(questions.get("skip_words") or ()),
        phases=phases,
        rehearsal_core=core,
        feedback_text=text,
        pronoun_folding={str(k): str(v) for k, v in (data.get("pronoun_folding") or {}).items()},
        sources=tuple(data.get("sources") or ()),
        reviewed=str(data.get("reviewed", "")),
        review_by=str(data.get("review_by", "")),
    )


@lru_cache(maxsize=4)
def load_vocabulary(path: Path = STAFF_DIR / "domains.yml") -> Vocabulary:
    """Read domains.yml once per process (the data does not change while the bot runs)."""
    return parse_vocabulary(read_yaml(path))
