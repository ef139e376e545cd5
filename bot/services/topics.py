"""Which service kinds a question asks for, from the words in content/kommuner/service_topics.yml.

A cue is one or more word beginnings: "sorg" matches "sorggruppe" and "sorgen", "dø hjemme" matches
"dø hjemme" and "døe hjemme". Matching is on folded words (no accents, æøå folded), the same fold the kommune
gazetteer uses, so "dø hjemme" and "do hjemme" typed without ø meet.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bot.content.schema import TOPICS, Problem
from bot.kommuner.textnorm import fold, tokenize
from bot.services.schema import SERVICE_KINDS, TOPICS_FILE, KindInfo, ServiceTopics, Topic
from bot.services.yaml_lines import YamlError, load_lined

MAX_KINDS = 5  # an answer listing more than this stops being an answer


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(TOPICS_FILE.parents[2]))
    except ValueError:
        return str(path)


def _strings(value: object) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        return None
    return tuple(v.strip() for v in value)


def read_topics(path: Path = TOPICS_FILE) -> tuple[ServiceTopics | None, list[Problem]]:
    """Validate service_topics.yml; None when it has problems."""
    problems: list[Problem] = []
    where = _rel(path)
    try:
        doc = load_lined(path.read_text(encoding="utf-8"))
    except (OSError, YamlError) as exc:
        return None, [Problem(where, getattr(exc, "line", 1), str(exc))]
    data = doc.data if isinstance(doc.data, dict) else {}
    for key in ("kinds", "topics", "general_kinds"):
        if not data.get(key):
            problems.append(Problem(where, 1, f"mangler {key}"))
    if problems:
        return None, problems

    kinds: dict[str, KindInfo] = {}
    for kind, raw in (data["kinds"] or {}).items():
        line = doc.line("kinds", kind)
        if kind not in SERVICE_KINDS:
            problems.append(Problem(where, line, f"ukjent tjenestetype '{kind}' (se SERVICE_KINDS)"))
            continue
        cues = _strings((raw or {}).get("cues")) if isinstance(raw, dict) else None
        label = raw.get("label") if isinstance(raw, dict) else None
        if not isinstance(label, str) or not label.strip() or cues is None:
            problems.append(Problem(where, line, f"'{kind}' trenger label og en ikke-tom liste cues"))
            continue
        kinds[kind] = KindInfo(label.strip(), cues)
    for kind in SERVICE_KINDS:
        if kind not in data["kinds"]:
            problems.append(Problem(where, doc.line("kinds"), f"tjenestetypen '{kind}' mangler"))

    topics: dict[str, Topic] = {}
    for topic_id, raw in (data["topics"] or {}).items():
        line = doc.line("topics", topic_id)
        if topic_id not in TOPICS:
            problems.append(Problem(where, line, f"'{topic_id}' er ikke et innholdstema (content topic)"))
            continue
        raw = raw if isinstance(raw, dict) else {}
        cues, topic_kinds = _strings(raw.get("cues")), _strings(raw.get("kinds"))
        if not all(isinstance(raw.get(k), str) and raw[k].strip() for k in ("label", "button")) or not cues:
            problems.append(Problem(where, line, f"temaet '{topic_id}' trenger label, button og cues"))
            continue
        unknown = [k for k in topic_kinds or () if k not in SERVICE_KINDS]
        if not topic_kinds or unknown:
            problems.append(
                Problem(where, doc.line("topics", topic_id, "kinds"), f"ukjente eller ingen kinds: {unknown}")
            )
            continue
        topics[topic_id] = Topic(raw["label"].strip(), raw["button"].strip(), cues, topic_kinds)

    general = _strings(data["general_kinds"]) or ()
    if not general or any(k not in SERVICE_KINDS for k in general):
        problems.append(Problem(where, doc.line("general_kinds"), "general_kinds må være kjente tjenestetyper"))
    if problems:
        return None, problems
    return ServiceTopics(kinds=kinds, topics=topics, general_kinds=general), []


@lru_cache(maxsize=2)
def load_topics(path: Path = TOPICS_FILE) -> ServiceTopics:
    """The validated topics, read once; an invalid file fails loudly (validation runs before deployment)."""
    topics, problems = read_topics(path)
    if topics is None:
        raise ValueError("; ".join(map(str, problems)))
    return topics


def _cue_matches(words: list[str], cue: str) -> bool:
    parts = [fold(p) for p in cue.split()]
    return any(
        all(words[i + k].startswith(part) for k, part in enumerate(parts)) for i in range(len(words) - len(parts) + 1)
    )


def _words(text: str) -> list[str]:
    return [fold(t.text) for t in tokenize(text)]


def kinds_named(text: str, topics: ServiceTopics) -> list[str]:
    """Kinds the text asks for by name ("palliativt team", "legevakt"), in SERVICE_KINDS order."""
    words = _words(text)
    return [k for k in SERVICE_KINDS if k in topics.kinds and any(_cue_matches(words, c) for c in topics.kinds[k].cues)]


def topics_named(text: str, topics: ServiceTopics) -> list[str]:
    """Topic ids the text is about ("pappa vil dø hjemme" -> hjemmedod), in the file's order."""
    words = _words(text)
    return [tid for tid, topic in topics.topics.items() if any(_cue_matches(words, c) for c in topic.cues)]


def kinds_for_topics(topic_ids: list[str], topics: ServiceTopics) -> list[str]:
    kinds: list[str] = []
    for tid in topic_ids:
        kinds += [k for k in topics.topics[tid].kinds if k not in kinds]
    return kinds[:MAX_KINDS]


def kinds_for_question(text: str, topics: ServiceTopics) -> tuple[list[str], list[str]]:
    """(kinds, topic ids): a kind named outright wins; otherwise the kinds of the topics the text is about."""
    named = kinds_named(text, topics)
    if named:
        return named[:MAX_KINDS], []
    topic_ids = topics_named(text, topics)
    return kinds_for_topics(topic_ids, topics), topic_ids
