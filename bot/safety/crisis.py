"""Deterministic crisis check that every user message passes before NLU decides anything.

The patterns are data (content/safety/crisis_patterns.yml); this module only folds the text, expands macros,
compiles once and matches. It never logs or stores message text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.safety.normalize import fold_letters, normalize

PATTERNS_FILE = Path(__file__).resolve().parents[2] / "content" / "safety" / "crisis_patterns.yml"

# Priority when several kinds match: an emergency needs 113 before anything else.
KINDS: tuple[str, ...] = ("medical_emergency", "dying_alone", "suicidal")

_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_MAX_MACRO_DEPTH = 6


class CrisisPatternError(ValueError):
    """The pattern file is malformed; raised at load time so a bad edit can never silently disable the check."""


@dataclass(frozen=True)
class CrisisSignal:
    kind: str  # "medical_emergency" | "dying_alone" | "suicidal"
    pattern_id: str  # which pattern matched (for tests/debugging; never log message text)


@dataclass(frozen=True)
class PatternResult:
    """What one pattern did with one message (for tests and debugging)."""

    pattern_id: str
    kind: str
    fired: bool
    vetoed_by: tuple[int, ...]  # indexes into the pattern's `unless` list that cancelled a match


@dataclass(frozen=True)
class CrisisPattern:
    id: str
    kind: str
    regex: re.Pattern[str]
    unless: tuple[re.Pattern[str], ...]

    def evaluate(self, folded: str) -> PatternResult:
        """Fire when some match of `regex` is not overlapped by any match of an `unless` expression."""
        matches = [m.span() for m in self.regex.finditer(folded)]
        if not matches:
            return PatternResult(self.id, self.kind, False, ())
        exclusions = [(i, m.span()) for i, rx in enumerate(self.unless) for m in rx.finditer(folded)]
        vetoed_by: set[int] = set()
        fired = False
        for start, end in matches:
            overlapping = {i for i, (ex_start, ex_end) in exclusions if ex_start < end and start < ex_end}
            vetoed_by |= overlapping
            fired = fired or not overlapping
        return PatternResult(self.id, self.kind, fired, tuple(sorted(vetoed_by)))


@dataclass(frozen=True)
class CrisisPatterns:
    patterns: tuple[CrisisPattern, ...]  # sorted by kind priority, then file order

    def by_id(self) -> dict[str, CrisisPattern]:
        return {p.id: p for p in self.patterns}


def _expand(source: str, macros: dict[str, str], where: str) -> str:
    for _ in range(_MAX_MACRO_DEPTH):
        if not _MACRO.search(source):
            return source

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in macros:
                raise CrisisPatternError(f"{where}: unknown macro {{{name}}}")
            return macros[name]

        source = _MACRO.sub(replace, source)
    raise CrisisPatternError(f"{where}: macros nested deeper than {_MAX_MACRO_DEPTH} (a cycle?)")


def _compile(source: Any, macros: dict[str, str], where: str) -> re.Pattern[str]:
    if isinstance(source, list):
        if not source or not all(isinstance(s, str) and s for s in source):
            raise CrisisPatternError(f"{where}: a list of alternatives must hold non-empty strings")
        source = "|".join(f"(?:{s})" for s in source)
    if not isinstance(source, str) or not source:
        raise CrisisPatternError(f"{where}: expected a regular expression")
    # Fold patterns like messages, so "dø" in the file matches "dø", "doe" and "do" in a message.
    expanded = fold_letters(_expand(source, macros, where))
    try:
        return re.compile(expanded)
    except re.error as exc:
        raise CrisisPatternError(f"{where}: {exc}") from exc


def _parse(data: Any) -> CrisisPatterns:
    if not isinstance(data, dict) or not isinstance(data.get("patterns"), list):
        raise CrisisPatternError("crisis patterns: expected a mapping with a 'patterns' list")
    macros = data.get("macros") or {}
    if not isinstance(macros, dict) or not all(isinstance(v, str) for v in macros.values()):
        raise CrisisPatternError("crisis patterns: 'macros' must map NAME to a string")
    patterns: list[CrisisPattern] = []
    seen: set[str] = set()
    for n, entry in enumerate(data["patterns"]):
        if not isinstance(entry, dict):
            raise CrisisPatternError(f"pattern #{n}: expected a mapping")
        pattern_id = entry.get("id")
        where = f"pattern {pattern_id or '#' + str(n)}"
        if not isinstance(pattern_id, str) or not pattern_id:
            raise CrisisPatternError(f"{where}: missing id")
        if pattern_id in seen:
            raise CrisisPatternError(f"{where}: duplicate id")
        seen.add(pattern_id)
        kind = entry.get("kind")
        if kind not in KINDS:
            raise CrisisPatternError(f"{where}: kind must be one of {', '.join(KINDS)}")
        unless = entry.get("unless") or []
        if not isinstance(unless, list):
            raise CrisisPatternError(f"{where}: 'unless' must be a list")
        patterns.append(
            CrisisPattern(
                id=pattern_id,
                kind=kind,
                regex=_compile(entry.get("regex"), macros, where),
                unless=tuple(_compile(u, macros, f"{where} unless #{i}") for i, u in enumerate(unless)),
            )
        )
    if not patterns:
        raise CrisisPatternError("crisis patterns: the file holds no patterns")
    patterns.sort(key=lambda p: KINDS.index(p.kind))  # stable: file order within a kind
    return CrisisPatterns(tuple(patterns))


@lru_cache(maxsize=4)
def _load_cached(path: Path) -> CrisisPatterns:
    return _parse(yaml.safe_load(path.read_text(encoding="utf-8")))


def load_patterns(path: Path | None = None) -> CrisisPatterns:
    """Load, validate and compile the crisis patterns (cached per path). Raises CrisisPatternError if malformed."""
    return _load_cached((path or PATTERNS_FILE).resolve())


def explain_crisis(text: str, patterns: CrisisPatterns | None = None) -> list[PatternResult]:
    """Every pattern that matched the message, fired or vetoed, in priority order (tests and debugging)."""
    if not isinstance(text, str) or not text:
        return []
    folded = normalize(text)
    results = [p.evaluate(folded) for p in (patterns or load_patterns()).patterns]
    return [r for r in results if r.fired or r.vetoed_by]


def find_signals(text: str, patterns: CrisisPatterns | None = None) -> list[CrisisSignal]:
    """All patterns that fire on the message, highest priority first."""
    return [CrisisSignal(r.kind, r.pattern_id) for r in explain_crisis(text, patterns) if r.fired]


def detect_crisis(text: str, patterns: CrisisPatterns | None = None) -> CrisisSignal | None:
    """The highest-priority crisis signal in a message, or None. Non-text input is never a crisis."""
    if not isinstance(text, str) or not text:
        return None
    folded = normalize(text)
    for pattern in (patterns or load_patterns()).patterns:
        if pattern.evaluate(folded).fired:
            return CrisisSignal(pattern.kind, pattern.id)
    return None
