"""Crisis detection figures on the development cases and on the blind held-out set, side by side.

`python -m bot.safety.evaluate` prints them (make test runs it). The held-out set (tests/data/crisis_holdout.yml)
was written blind and is never used to write patterns or training data: when one of its cases fails, that *kind*
of failure goes into the development corpus with new phrasings. So misses are shown by kind, style and mode only;
`--show-misses` lists the texts for a reviewer.

A case is judged as the dialogue judges it: in a rehearsal only the person's own signal counts (a clinician's
question to the simulated patient is not a crisis); elsewhere any signal does. Two outcomes are counted: the crisis
support at once (a signal), and the weaker one, the ordinary answer with the helplines under it (`check`).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.safety.assessment import CrisisAssessment, assess

TESTS_DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
DEVELOPMENT_FILE = TESTS_DATA / "crisis_cases.yml"
HOLDOUT_FILE = TESTS_DATA / "crisis_holdout.yml"
# Each tuning round adds a fresh blind batch; a batch is measured before the round that may learn from its kinds.
HOLDOUT_BATCHES = (HOLDOUT_FILE, TESTS_DATA / "crisis_holdout_2.yml", TESTS_DATA / "crisis_holdout_3.yml")


@dataclass(frozen=True)
class Case:
    text: str
    crisis: bool  # must trigger
    kind: str | None = None
    mode: str = "citizen"  # citizen, reflection or rehearsal
    label: str = ""  # the held-out set's topic or style, for the breakdown of misses


@dataclass
class DetectionFigures:
    triggers: int = 0
    caught: int = 0
    caught_or_checked: int = 0
    kind_right: int = 0
    others: int = 0
    false_triggers: int = 0
    false_checks: int = 0
    missed: list[Case] = field(default_factory=list)
    falsely_caught: list[Case] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.triggers if self.triggers else 0.0

    @property
    def false_trigger_rate(self) -> float:
        return self.false_triggers / self.others if self.others else 0.0


def development_cases(path: Path = DEVELOPMENT_FILE) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Case(c["text"], True, c["kind"]) for c in data["must_trigger"]] + [
        Case(t, False) for t in data["must_not_trigger"]
    ]


def holdout_cases(path: Path = HOLDOUT_FILE) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Case(c["text"], True, c["kind"], c["mode"], c["style"]) for c in data["must_trigger"]] + [
        Case(c["text"], False, None, c["mode"], c["topic"]) for c in data["must_not_trigger"]
    ]


def fires(assessment: CrisisAssessment, mode: str) -> bool:
    """Whether the dialogue treats the message as a crisis in this mode."""
    return assessment.kind is not None and (assessment.own or mode != "rehearsal")


def checks(assessment: CrisisAssessment, mode: str) -> bool:
    """Whether the dialogue puts the helplines under its ordinary answer (a weak signal) in this mode.

    Not in a rehearsal: there a turn's answer is the patient's, and the line is not added
    (bot/flows/crisis_state.py: ends_turn)."""
    return assessment.check and mode != "rehearsal"


def detection_figures(cases: list[Case], judge: Callable[[str], CrisisAssessment] = assess) -> DetectionFigures:
    figures = DetectionFigures()
    for case in cases:
        assessment = judge(case.text)
        fired = fires(assessment, case.mode)
        checked = checks(assessment, case.mode)
        if case.crisis:
            figures.triggers += 1
            figures.caught += fired
            figures.caught_or_checked += fired or checked
            figures.kind_right += fired and assessment.kind == case.kind
            if not fired:
                figures.missed.append(case)
        else:
            figures.others += 1
            figures.false_triggers += fired
            figures.false_checks += checked
            if fired:
                figures.falsely_caught.append(case)
    return figures


def _ratio(n: int, d: int) -> str:
    return f"{n}/{d} = {n / d:.1%}" if d else "–"


def report(columns: dict[str, DetectionFigures], show_misses: bool = False) -> str:
    """A table with one column per case set (development first), and the held-out misses by kind."""
    rows = [
        ("recall: crisis support at once", lambda f: _ratio(f.caught, f.triggers)),
        ("recall: at once or helplines line", lambda f: _ratio(f.caught_or_checked, f.triggers)),
        ("false triggers: crisis support", lambda f: _ratio(f.false_triggers, f.others)),
        ("ordinary answer + helplines line", lambda f: _ratio(f.false_checks, f.others)),
        ("right kind, of those caught", lambda f: _ratio(f.kind_right, f.caught)),
    ]
    lines = ["Crisis detection (patterns or learned model)",
             f"  {'':<34}" + "".join(f"{name:>24}" for name in columns)]
    lines += [f"  {label:<34}" + "".join(f"{cell(f):>24}" for f in columns.values()) for label, cell in rows]
    lines.append("  (held-out misses and false triggers are shown by kind only: their texts never go into development)")
    for name, figures in list(columns.items())[1:]:
        missed = Counter(f"{c.kind}/{c.mode}/{c.label}" for c in figures.missed)
        false = Counter(f"{c.label}/{c.mode}" for c in figures.falsely_caught)
        lines.append(f"  {name}, not answered at once: " + ", ".join(f"{k} {n}" for k, n in missed.most_common()))
        lines.append(f"  {name}, false crisis answers: " + ", ".join(f"{k} {n}" for k, n in false.most_common()))
        if show_misses:
            lines += [f"    missed: {c.text}" for c in figures.missed]
            lines += [f"    false:  {c.text}" for c in figures.falsely_caught]
    return "\n".join(lines)


def all_figures() -> dict[str, DetectionFigures]:
    columns = {"development": detection_figures(development_cases())}
    for n, path in enumerate(HOLDOUT_BATCHES, start=1):
        columns[f"held-out {n} (blind)"] = detection_figures(holdout_cases(path))
    return columns


def main(argv: list[str]) -> int:
    print(report(all_figures(), show_misses="--show-misses" in argv))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
