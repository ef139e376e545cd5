"""One look at a message for everything the crisis handling needs: signal, kind, score, whose crisis, follow-up.

Two detectors, either one firing counts: the deterministic patterns (bot/safety/crisis.py) and the learned model
(bot/safety/crisis_model.py) — except that where a pattern matched and one of its exclusions cancelled it, the model
alone only asks (`check`). The kind comes from the patterns when they fire (they are the more precise), except
that the model's self-harm beats a pattern's generic «suicidal» (the patterns have no self-harm kind).

`own` says whether the signal is still there once the sentences addressed to «du» are left out. In a rehearsal a
clinician asks the simulated patient «Har du hatt tanker om å ta livet ditt?»: a good clinical question, not the
clinician's own crisis. Outside a rehearsal a generic «du» («når du ikke orker mer») still counts.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from bot.safety import crisis_model
from bot.safety.crisis import explain_crisis
from bot.safety.crisis_followup import classify_followup, followup_model

SELF_HARM = "self_harm"
# Clauses: a question to «du» is often joined to the person's own words («Jeg vil ta livet mitt, kan du hjelpe meg?»).
_CLAUSE = re.compile(r"[.!?\n,;:]+|\s(?:men|og|så|for|fordi)\s", re.IGNORECASE)
_SECOND_PERSON = re.compile(
    r"\b(?:du|deg|dykk|dere|dokker|døkker|din|ditt|dine|you|your|yourself)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class CrisisAssessment:
    kind: str | None  # the crisis kind, or None when neither detector fired
    by: str | None  # "patterns", "model" or "both"
    score: float  # the learned model's crisis score (0–1)
    check: bool  # no crisis signal, but a score at which the person is asked directly (crisis_model: `check`)
    own: bool  # the signal (or the check) remains without the sentences addressed to «du»
    followup: str  # the message read as a reply after a crisis answer (bot/safety/crisis_followup.py)
    followup_confidence: float

    def as_dict(self) -> dict:
        return asdict(self)


def _signal(text: str) -> tuple[str | None, str | None, float]:
    results = explain_crisis(text)  # in priority order: the first that fired is detect_crisis's answer
    pattern = next((r for r in results if r.fired), None)
    score, model_kind = crisis_model.trained_model().predict(text)
    model_fires = score >= crisis_model.thresholds().crisis
    if pattern is None and not model_fires:
        return None, None, score
    if pattern is None:
        # A pattern that matched and was cancelled by one of its exclusions («jeg vil ikke leve koblet til
        # maskiner») is a deliberate judgement; the model alone does not overrule it, it only asks (`check`).
        if any(result.vetoed_by for result in results):
            return None, None, min(score, crisis_model.thresholds().crisis - 1e-4)
        return model_kind, "model", score
    kind = SELF_HARM if model_kind == SELF_HARM and pattern.kind == "suicidal" else pattern.kind
    return kind, ("both" if model_fires else "patterns"), score


def warm_up() -> None:
    """Train the models and load the patterns now (each process does it once)."""
    crisis_model.trained_model()
    crisis_model.thresholds()
    followup_model()


def without_second_person(text: str) -> str:
    """The message without its clauses that speak to «du» (or «you»)."""
    clauses = [c.strip() for c in _CLAUSE.split(text) if c and c.strip()]
    return ". ".join(c for c in clauses if not _SECOND_PERSON.search(c)).strip()


def assess(text: str) -> CrisisAssessment:
    if not isinstance(text, str) or not text.strip():
        return CrisisAssessment(None, None, 0.0, False, False, "unclear", 0.0)
    check_at = crisis_model.thresholds().check
    kind, by, score = _signal(text)
    check = kind is None and score >= check_at
    own = False
    if kind is not None or check:
        rest = without_second_person(text)
        if not _SECOND_PERSON.search(text):
            own = True
        elif rest:
            rest_kind, _, rest_score = _signal(rest)
            own = rest_kind is not None or (check and rest_score >= check_at)
    followup = classify_followup(text)
    return CrisisAssessment(kind, by, round(score, 4), check, own, followup.category, followup.confidence)
