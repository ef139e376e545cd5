"""Rehearsal personas: load them from content/staff/personas/ and let them reply in character.

A persona's facts live once in its `facts` map and replies refer to them as {placeholders}, so whatever a
persona has said stays true for the rest of the session. Variants are chosen deterministically (the n-th time a
domain is asked gives the n-th eligible variant), which keeps rehearsals reproducible and testable.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.rehearsal.classify import ClassifiedTurn
from bot.rehearsal.cues import Cue, compile_cues
from bot.rehearsal.vocabulary import STAFF_DIR, DataError, Vocabulary, load_vocabulary, read_yaml, require

PERSONA_DIR = STAFF_DIR / "personas"
OPENNESS = ("open", "reluctant")
PROXY_ROLES = ("speaks_for", "interprets")
PERSONA_FIELDS = (
    "id",
    "name",
    "age",
    "illness",
    "setting",
    "living",
    "family",
    "what_matters",
    "worries",
    "wishes",
    "openness",
    "speech_style",
    "intro",
    "facts",
    "replies",
    "lines",
    "sources",
    "reviewed",
    "review_by",
)
# Lines every persona needs; reluctant personas and personas with a proxy need more (below).
BASE_LINES = ("leading", "medical_advice", "confirm", "follow_up", "acknowledged", "fallback", "unknown_domain")
RELUCTANT_LINES = ("refusal", "pushed", "opens_up", "not_yet")
PROXY_LINES = ("proxy_default",)
# Reply kinds after which the domains of the turn do not count as covered.
NOT_COVERING = frozenset({"refusal", "pushed", "medical_advice"})
_FIELD = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Variant:
    text: str
    requires: tuple[str, ...] = ()

    @property
    def facts(self) -> tuple[str, ...]:
        return tuple(_FIELD.findall(self.text))


@dataclass(frozen=True)
class Proxy:
    """A relative who answers for the patient (speaks_for) or interprets (interprets) until released."""

    name: str
    relation: str
    role: str
    released_by: tuple[str, ...]


@dataclass(frozen=True)
class Reluctance:
    sensitive_domains: tuple[str, ...]
    reopen_after_turns: int


@dataclass(frozen=True)
class Persona:
    id: str
    name: str
    age: int
    illness: str
    setting: str
    living: str
    family: str
    what_matters: tuple[str, ...]
    worries: tuple[str, ...]
    wishes: tuple[str, ...]
    openness: str
    speech_style: str
    intro: str
    facts: dict[str, str]
    replies: dict[str, tuple[Variant, ...]]
    lines: dict[str, tuple[Variant, ...]]
    proxy_lines: dict[str, tuple[Variant, ...]] = field(default_factory=dict)
    short: dict[str, Variant] = field(default_factory=dict)
    proxy_replies: dict[str, tuple[Variant, ...]] = field(default_factory=dict)
    # Replies a reluctant persona gives before opening up (guarded, but never contradicting the facts).
    guarded: dict[str, tuple[Variant, ...]] = field(default_factory=dict)
    extra_domains: tuple[str, ...] = ()
    extra_cues: dict[str, tuple[Cue, ...]] = field(default_factory=dict)
    anchors: dict[str, str] = field(default_factory=dict)
    reluctance: Reluctance | None = None
    proxy: Proxy | None = None
    sources: tuple[dict[str, str], ...] = ()
    reviewed: str = ""
    review_by: str = ""

    def fill(self, variant: Variant) -> str:
        """The variant's text with the persona's facts filled in."""
        return string.Formatter().vformat(variant.text, (), self.facts)


@dataclass
class PersonaState:
    """What the persona remembers during one session (ids and counters only, no text)."""

    turn: int = 0
    answered: dict[str, int] = field(default_factory=dict)
    lines_used: dict[str, int] = field(default_factory=dict)
    facts_said: list[str] = field(default_factory=list)
    refusals: int = 0
    refusal_pending: bool = False
    last_refusal_turn: int = 0
    pushes: int = 0
    respected: bool = False
    opened: bool = False
    locked: bool = False
    released: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "answered": dict(self.answered),
            "lines_used": dict(self.lines_used),
            "facts_said": list(self.facts_said),
            "refusals": self.refusals,
            "refusal_pending": self.refusal_pending,
            "last_refusal_turn": self.last_refusal_turn,
            "pushes": self.pushes,
            "respected": self.respected,
            "opened": self.opened,
            "locked": self.locked,
            "released": self.released,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PersonaState:
        state = cls()
        for name, value in data.items():
            if hasattr(state, name):
                setattr(state, name, value)
        state.answered = dict(state.answered)
        state.lines_used = dict(state.lines_used)
        state.facts_said = list(state.facts_said)
        return state


@dataclass(frozen=True)
class PersonaReply:
    """One reply. speaker is who talks; via is set when a relative interprets the patient's words."""

    speaker: str
    text: str
    kind: str
    domain: str | None = None
    via: str | None = None


# --- Loading ---------------------------------------------------------------------------------------------------


def _variants(raw: Any, where: str) -> tuple[Variant, ...]:
    items = raw if isinstance(raw, list) else [raw]
    variants = []
    for item in items:
        if isinstance(item, dict):
            if not item.get("text"):
                raise DataError(f"{where}: variant uten text")
            variants.append(Variant(text=str(item["text"]), requires=tuple(item.get("requires") or ())))
        elif item:
            variants.append(Variant(text=str(item)))
    if not variants:
        raise DataError(f"{where}: ingen varianter")
    return tuple(variants)


def _check_placeholders(persona: Persona, vocab: Vocabulary) -> None:
    """Every {fact} must exist; every `requires` must be a fact; anchored domains always state their fact."""
    groups: list[tuple[str, tuple[Variant, ...]]] = []
    groups += [(f"replies.{d}", v) for d, v in persona.replies.items()]
    groups += [(f"proxy_replies.{d}", v) for d, v in persona.proxy_replies.items()]
    groups += [(f"guarded.{d}", v) for d, v in persona.guarded.items()]
    groups += [(f"lines.{k}", v) for k, v in persona.lines.items()]
    groups += [(f"proxy_lines.{k}", v) for k, v in persona.proxy_lines.items()]
    groups += [(f"short.{d}", (v,)) for d, v in persona.short.items()]
    for where, variants in groups:
        for variant in variants:
            for name in (*variant.facts, *variant.requires):
                if name not in persona.facts:
                    raise DataError(f"persona {persona.id} {where}: ukjent fakta-felt {{{name}}}")
    for domain, fact in persona.anchors.items():
        if fact not in persona.facts:
            raise DataError(f"persona {persona.id} anchors.{domain}: ukjent fakta-felt {fact}")
        for variant in (
            *persona.replies.get(domain, ()),
            *([persona.short[domain]] if domain in persona.short else []),
        ):
            if fact not in variant.facts:
                raise DataError(f"persona {persona.id} replies.{domain}: variant mangler {{{fact}}}: {variant.text}")
    for group in (persona.replies, persona.proxy_replies, persona.guarded, persona.short, persona.extra_cues):
        for domain in group:
            if domain not in vocab.domains:
                raise DataError(f"persona {persona.id}: ukjent domene {domain}")


def parse_persona(data: dict[str, Any], vocab: Vocabulary) -> Persona:
    """Build and check one persona from its parsed YAML."""
    require(data, PERSONA_FIELDS, f"persona {data.get('id', '?')}")
    pid = str(data["id"])
    if data["openness"] not in OPENNESS:
        raise DataError(f"persona {pid}: openness må være en av {OPENNESS}")
    reluctance = None
    if data.get("reluctance"):
        raw = data["reluctance"]
        require(raw, ("sensitive_domains", "reopen_after_turns"), f"persona {pid} reluctance")
        reluctance = Reluctance(tuple(raw["sensitive_domains"]), int(raw["reopen_after_turns"]))
    if (data["openness"] == "reluctant") != (reluctance is not None):
        raise DataError(f"persona {pid}: openness reluctant og reluctance må følges ad")
    proxy = None
    if data.get("proxy"):
        raw = data["proxy"]
        require(raw, ("name", "relation", "role", "released_by"), f"persona {pid} proxy")
        if raw["role"] not in PROXY_ROLES:
            raise DataError(f"persona {pid}: proxy.role må være en av {PROXY_ROLES}")
        proxy = Proxy(str(raw["name"]), str(raw["relation"]), str(raw["role"]), tuple(raw["released_by"]))
        for rid in proxy.released_by:
            if rid not in vocab.signals and rid not in vocab.domains:
                raise DataError(f"persona {pid}: proxy.released_by ukjent id {rid}")
    persona = Persona(
        id=pid,
        name=str(data["name"]),
        age=int(data["age"]),
        illness=str(data["illness"]),
        setting=str(data["setting"]),
        living=str(data["living"]),
        family=str(data["family"]),
        what_matters=tuple(data["what_matters"]),
        worries=tuple(data["worries"]),
        wishes=tuple(data["wishes"]),
        openness=str(data["openness"]),
        speech_style=str(data["speech_style"]),
        intro=str(data["intro"]),
        facts={str(k): str(v) for k, v in data["facts"].items()},
        replies={d: _variants(v, f"{pid} replies.{d}") for d, v in data["replies"].items()},
        lines={k: _variants(v, f"{pid} lines.{k}") for k, v in data["lines"].items()},
        proxy_lines={k: _variants(v, f"{pid} proxy_lines.{k}") for k, v in (data.get("proxy_lines") or {}).items()},
        short={d: _variants(v, f"{pid} short.{d}")[0] for d, v in (data.get("short") or {}).items()},
        proxy_replies={
            d: _variants(v, f"{pid} proxy_replies.{d}") for d, v in (data.get("proxy_replies") or {}).items()
        },
        guarded={d: _variants(v, f"{pid} guarded.{d}") for d, v in (data.get("guarded") or {}).items()},
        extra_domains=tuple(data.get("extra_domains") or ()),
        extra_cues={d: compile_cues(v) for d, v in (data.get("extra_cues") or {}).items()},
        anchors={str(k): str(v) for k, v in (data.get("anchors") or {}).items()},
        reluctance=reluctance,
        proxy=proxy,
        sources=tuple(data["sources"]),
        reviewed=str(data["reviewed"]),
        review_by=str(data["review_by"]),
    )
    if persona.proxy_lines and not proxy:
        raise DataError(f"persona {pid}: proxy_lines uten proxy")
    for kind in persona.proxy_lines:
        if kind not in persona.lines:
            raise DataError(f"persona {pid}: proxy_lines.{kind} finnes ikke i lines")
    needed = BASE_LINES + (RELUCTANT_LINES if reluctance else ()) + (PROXY_LINES if proxy else ())
    missing = [k for k in needed if k not in persona.lines]
    if missing:
        raise DataError(f"persona {pid}: mangler lines {', '.join(missing)}")
    expected = set(vocab.rehearsal_core) | set(persona.extra_domains)
    unanswered = sorted(d for d in expected if d not in persona.replies)
    if unanswered:
        raise DataError(f"persona {pid}: mangler replies for {', '.join(unanswered)}")
    for did in (*persona.extra_domains, *(reluctance.sensitive_domains if reluctance else ())):
        if did not in vocab.domains:
            raise DataError(f"persona {pid}: ukjent domene {did}")
    _check_placeholders(persona, vocab)
    return persona


def load_personas(vocab: Vocabulary, directory: Path = PERSONA_DIR) -> dict[str, Persona]:
    """All personas in the directory, keyed by id (file name must be <id>.yml)."""
    personas: dict[str, Persona] = {}
    for path in sorted(directory.glob("*.yml")):
        persona = parse_persona(read_yaml(path), vocab)
        if persona.id != path.stem:
            raise DataError(f"{path.name}: id {persona.id} skal være lik filnavnet")
        personas[persona.id] = persona
    return personas


@lru_cache(maxsize=4)
def default_personas(directory: Path = PERSONA_DIR) -> dict[str, Persona]:
    """The shipped personas, read once per process (checked against the shipped domains.yml)."""
    return load_personas(load_vocabulary(), directory)


# --- Replying --------------------------------------------------------------------------------------------------


def _remember(persona: Persona, state: PersonaState, variant: Variant) -> None:
    for name in variant.facts:
        if name not in state.facts_said:
            state.facts_said.append(name)


def _line(persona: Persona, state: PersonaState, kind: str) -> str:
    """The next variant of a line (the last one repeats), with facts filled in. While a relative still answers
    for the patient, the relative's own line is used (proxy_lines, else proxy_default)."""
    variants = persona.lines[kind]
    if persona.proxy and not state.released:
        variants = persona.proxy_lines.get(kind) or persona.lines["proxy_default"]
        kind = f"proxy:{kind}" if kind in persona.proxy_lines else "proxy_default"
    used = state.lines_used.get(kind, 0)
    variant = variants[min(used, len(variants) - 1)]
    state.lines_used[kind] = used + 1
    _remember(persona, state, variant)
    return persona.fill(variant)


def _pick(variants: tuple[Variant, ...], said: list[str], count: int) -> Variant:
    eligible = [v for v in variants if all(r in said for r in v.requires)] or [variants[0]]
    return eligible[min(count, len(eligible) - 1)]


def _target(domains: tuple[str, ...], state: PersonaState, vocab: Vocabulary) -> str | None:
    """The domain the persona answers: the last new one asked (people pick up the new topic, and the question
    usually ends the turn), else the last one."""
    answerable = [d for d in domains if not vocab.domains[d].answered_by_signal]
    fresh = [d for d in answerable if not state.answered.get(d) and not state.answered.get(f"proxy:{d}")]
    if fresh:
        return fresh[-1]
    return answerable[-1] if answerable else None


def _answer(persona: Persona, state: PersonaState, domain: str, closed: bool) -> PersonaReply:
    proxy = persona.proxy
    if proxy and not state.released:
        if domain in persona.proxy_replies:
            key = f"proxy:{domain}"
            variant = _pick(persona.proxy_replies[domain], state.facts_said, state.answered.get(key, 0))
            state.answered[key] = state.answered.get(key, 0) + 1
            _remember(persona, state, variant)
            return PersonaReply(proxy.name, persona.fill(variant), "proxy_answer", domain)
        return PersonaReply(proxy.name, _line(persona, state, "proxy_default"), "proxy_answer", domain)
    via = proxy.name if proxy and proxy.role == "interprets" else None
    if domain not in persona.replies:
        return PersonaReply(persona.name, _line(persona, state, "unknown_domain"), "answer", domain, via)
    guarded = persona.reluctance is not None and not state.opened and domain in persona.guarded
    if guarded:
        key = f"guarded:{domain}"
        variant = _pick(persona.guarded[domain], state.facts_said, state.answered.get(key, 0))
        state.answered[key] = state.answered.get(key, 0) + 1
        kind = "answer"
    elif closed and domain in persona.short:
        variant = persona.short[domain]
        kind = "short_answer"
    else:
        variant = _pick(persona.replies[domain], state.facts_said, state.answered.get(domain, 0))
        state.answered[domain] = state.answered.get(domain, 0) + 1
        kind = "answer"
    _remember(persona, state, variant)
    return PersonaReply(persona.name, persona.fill(variant), kind, domain, via)


def _is_sensitive(persona: Persona, turn: ClassifiedTurn, target: str | None) -> bool:
    if persona.reluctance is None:
        return False
    sensitive = set(persona.reluctance.sensitive_domains)
    return turn.has("death_talk") or target in sensitive or bool(sensitive & set(turn.leading_domains))


def _speaker(persona: Persona, state: PersonaState) -> tuple[str, str | None]:
    proxy = persona.proxy
    if proxy and not state.released:
        return proxy.name, None
    return persona.name, (proxy.name if proxy and proxy.role == "interprets" else None)


def _is_opening(domain: str | None, vocab: Vocabulary) -> bool:
    """The domain a bare "Er det greit?" counts as (the opening); it has no answer of its own after a no."""
    return domain is not None and domain == vocab.signals["permission"].counts_as


def _reluctant_reply(
    persona: Persona, state: PersonaState, turn: ClassifiedTurn, target: str | None, closed: bool, vocab: Vocabulary
) -> PersonaReply | None:
    """Handle a reluctant persona that has not opened up yet; None when the normal reply applies."""
    assert persona.reluctance is not None
    speaker, via = _speaker(persona, state)
    if _is_sensitive(persona, turn, target):
        if state.refusal_pending or state.locked:
            # Going on after a "no" (without asking again) is pushing: the persona closes for this session.
            state.pushes += 1
            state.locked = True
            return PersonaReply(speaker, _line(persona, state, "pushed"), "pushed", target, via)
        if (
            turn.has("permission")
            and state.refusals
            and not state.locked
            and (state.turn - state.last_refusal_turn >= persona.reluctance.reopen_after_turns)
        ):
            return _open_up(persona, state, target, closed, vocab)
        state.refusals += 1
        state.refusal_pending = True
        state.last_refusal_turn = state.turn
        return PersonaReply(speaker, _line(persona, state, "refusal"), "refusal", target, via)
    if turn.has("respect") and state.refusal_pending:
        state.refusal_pending = False
        state.respected = True
    if turn.has("permission") and state.refusals and not state.locked:
        if state.turn - state.last_refusal_turn >= persona.reluctance.reopen_after_turns:
            return _open_up(persona, state, target, closed, vocab)
        if target is None or _is_opening(target, vocab):
            return PersonaReply(speaker, _line(persona, state, "not_yet"), "not_yet", target, via)
    return None


def _open_up(
    persona: Persona, state: PersonaState, target: str | None, closed: bool, vocab: Vocabulary
) -> PersonaReply:
    state.opened = True
    state.refusal_pending = False
    opening = _line(persona, state, "opens_up")
    if target and not _is_opening(target, vocab):
        answer = _answer(persona, state, target, closed)
        return PersonaReply(answer.speaker, f"{opening} {answer.text}", "opens_up", target, answer.via)
    speaker, via = _speaker(persona, state)
    return PersonaReply(speaker, opening, "opens_up", target, via)


def reply(persona: Persona, state: PersonaState, turn: ClassifiedTurn, vocab: Vocabulary) -> PersonaReply:
    """The persona's reply to a classified staff turn; updates state in place."""
    state.turn += 1
    proxy = persona.proxy
    if proxy and not state.released and any(rid in turn.signals or rid in turn.domains for rid in proxy.released_by):
        state.released = True
    target = _target(turn.question_domains, state, vocab)
    if _is_opening(target, vocab) and (turn.has("summary") or turn.has("follow_up")):
        # "… Er det greit?" after a summary or a follow-up proposal asks about those, not for a new opening.
        target = None
    closed = target in turn.closed_domains
    if persona.reluctance and not state.opened:
        special = _reluctant_reply(persona, state, turn, target, closed, vocab)
        if special is not None:
            return special
    speaker, via = _speaker(persona, state)
    if turn.has("medical_advice"):
        return PersonaReply(speaker, _line(persona, state, "medical_advice"), "medical_advice", None, via)
    if target:
        return _answer(persona, state, target, closed)
    if turn.leading_domains:
        return PersonaReply(speaker, _line(persona, state, "leading"), "leading", turn.leading_domains[-1], via)
    for signal, kind in (("summary", "confirm"), ("follow_up", "follow_up"), ("respect", "acknowledged")):
        if turn.has(signal):
            return PersonaReply(speaker, _line(persona, state, kind), kind, None, via)
    statement_target = _target(turn.domains, state, vocab)
    if statement_target:
        return _answer(persona, state, statement_target, False)
    return PersonaReply(speaker, _line(persona, state, "fallback"), "fallback", None, via)
