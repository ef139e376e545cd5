"""Read and validate everything under content/ into a Catalogue, collecting every problem with file and line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.content.fields import as_date, display_path
from bot.content.frontmatter import FrontMatterError, parse_front_matter
from bot.content.phone_numbers import find_phone_numbers, normalise_number
from bot.content.schema import (
    AUDIENCES,
    HELPLINE_FIELDS,
    ID_PATTERN,
    ITEM_FIELDS,
    KINDS,
    PLACEHOLDER,
    SOURCE_FIELDS,
    TOPICS,
    Catalogue,
    ContentItem,
    Helpline,
    Problem,
    ReflectionQuestion,
    ReflectionSet,
    Source,
    SourceRef,
)

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"


def _line_of(text: str, pattern: str, default: int = 1) -> int:
    match = re.search(pattern, text, flags=re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else default


def _load_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(display_path(path), mark.line + 1 if mark else 1, f"ugyldig YAML: {exc}"))
    except UnicodeDecodeError:
        problems.append(Problem(display_path(path), 1, "filen er ikke UTF-8"))
    return None


def _read_sources(directory: Path, problems: list[Problem]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for path in sorted(directory.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        entries = _load_yaml(path, problems)
        if not isinstance(entries, list):
            problems.append(Problem(display_path(path), 1, "forventet en liste med kilder"))
            continue
        for entry in entries:
            sid = str(entry.get("id", "")) if isinstance(entry, dict) else ""
            line = _line_of(text, rf"id:\s*{re.escape(sid)}\s*$") if sid else 1
            missing = [f for f in SOURCE_FIELDS if not (isinstance(entry, dict) and entry.get(f))]
            if missing:
                problems.append(Problem(display_path(path), line, f"kilde mangler felt: {', '.join(missing)}"))
                continue
            if sid in sources:
                problems.append(Problem(display_path(path), line, f"kilde-id '{sid}' finnes fra før"))
                continue
            sources[sid] = Source(
                id=sid,
                title=str(entry["title"]),
                publisher=str(entry["publisher"]),
                published=str(entry["published"]) if entry.get("published") else None,
                location=entry.get("location"),
                seed=entry.get("seed"),
            )
    return sources


def _read_helplines(path: Path, problems: list[Problem]) -> dict[str, Helpline]:
    text = path.read_text(encoding="utf-8")
    entries = _load_yaml(path, problems) or []
    helplines: dict[str, Helpline] = {}
    for entry in entries:
        hid = str(entry.get("id", ""))
        line = _line_of(text, rf"id:\s*{re.escape(hid)}\s*$")
        missing = [f for f in HELPLINE_FIELDS if not entry.get(f)]
        if missing:
            problems.append(Problem(display_path(path), line, f"hjelpetelefon mangler felt: {', '.join(missing)}"))
            continue
        helplines[hid] = Helpline(
            id=hid,
            name=str(entry["name"]),
            number=str(entry["number"]),
            when=str(entry["when"]),
            purpose=str(entry["for"]),
            source=str(entry["source"]),
            cost=str(entry.get("cost") or ""),
            anonymous=str(entry.get("anonymous") or ""),
        )
    return helplines


def load_helplines(path: Path | None = None) -> dict[str, Helpline]:
    """The verified helplines (content/helplines.yml), for readers outside the content loader."""
    problems: list[Problem] = []
    helplines = _read_helplines(path or CONTENT_DIR / "helplines.yml", problems)
    if problems:
        raise ValueError("\n".join(map(str, problems)))
    return helplines


def _source_refs(
    raw: Any, sources: dict[str, Source], path: Path, line: int, problems: list[Problem]
) -> tuple[SourceRef, ...]:
    refs: list[SourceRef] = []
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(display_path(path), line, "sources må være en ikke-tom liste"))
        return ()
    for entry in raw:
        ref = str(entry.get("ref", "")) if isinstance(entry, dict) else ""
        section = str(entry.get("section", "")).strip() if isinstance(entry, dict) else ""
        if ref not in sources:
            problems.append(Problem(display_path(path), line, f"ukjent kilde '{ref}' (legg den i content/sources/)"))
        if not section:
            problems.append(
                Problem(display_path(path), line, f"kilden '{ref}' mangler section (punkt, side eller overskrift)")
            )
        refs.append(SourceRef(ref=ref, section=section))
    return tuple(refs)


def _check_dates(
    meta: dict[str, Any], text: str, path: Path, today: date, problems: list[Problem]
) -> tuple[date | None, date | None]:
    reviewed, review_by = as_date(meta.get("reviewed")), as_date(meta.get("review_by"))
    if reviewed is None:
        problems.append(
            Problem(display_path(path), _line_of(text, r"^reviewed:"), "reviewed må være en dato (ÅÅÅÅ-MM-DD)")
        )
    elif reviewed > today:
        problems.append(
            Problem(display_path(path), _line_of(text, r"^reviewed:"), "reviewed kan ikke være i framtiden")
        )
    if review_by is None:
        problems.append(
            Problem(display_path(path), _line_of(text, r"^review_by:"), "review_by må være en dato (ÅÅÅÅ-MM-DD)")
        )
    elif review_by < today:
        problems.append(
            Problem(
                display_path(path), _line_of(text, r"^review_by:"), f"gjennomgang er forfalt (review_by {review_by})"
            )
        )
    return reviewed, review_by


def check_text_numbers(
    body: str, helplines: dict[str, Helpline], path: Path, first_line: int, problems: list[Problem]
) -> None:
    """Placeholders must name known helplines; numbers must never be typed, only referenced."""
    for match in PLACEHOLDER.finditer(body):
        if match.group(2) not in helplines:
            line = first_line + body.count("\n", 0, match.start())
            problems.append(Problem(display_path(path), line, f"ukjent hjelpetelefon '{match.group(2)}' i plassholder"))
    verified = {normalise_number(h.number) for h in helplines.values()}
    for number in find_phone_numbers(PLACEHOLDER.sub("", body)):
        line = first_line + _line_of(body, re.escape(number[:3]), 1) - 1
        if number in verified:
            message = f"telefonnummer {number} er skrevet inn; bruk {{{{number:<id>}}}} fra helplines.yml"
        else:
            message = f"telefonnummer {number} finnes ikke i helplines.yml (ikke verifisert)"
        problems.append(Problem(display_path(path), line, message))


def _read_item(path: Path, catalogue: Catalogue, today: date, problems: list[Problem]) -> ContentItem | None:
    text = path.read_text(encoding="utf-8")
    try:
        doc = parse_front_matter(text)
    except FrontMatterError as exc:
        problems.append(Problem(display_path(path), exc.line, str(exc)))
        return None
    meta = doc.meta
    before = len(problems)
    for name in ITEM_FIELDS:
        if meta.get(name) in (None, "", []):
            problems.append(Problem(display_path(path), 1, f"mangler felt: {name}"))
    if len(problems) > before:
        return None
    item_id = str(meta["id"])
    if item_id != path.stem or not ID_PATTERN.match(item_id):
        problems.append(Problem(display_path(path), _line_of(text, r"^id:"), "id må være snake_case og lik filnavnet"))
    if meta["kind"] not in KINDS:
        problems.append(Problem(display_path(path), _line_of(text, r"^kind:"), f"kind må være en av {sorted(KINDS)}"))
    if meta["topic"] not in TOPICS:
        problems.append(Problem(display_path(path), _line_of(text, r"^topic:"), f"ukjent topic '{meta['topic']}'"))
    audience = meta["audience"] if isinstance(meta["audience"], list) else [meta["audience"]]
    for who in audience:
        if who not in AUDIENCES:
            problems.append(Problem(display_path(path), _line_of(text, r"^audience:"), f"ukjent audience '{who}'"))
    refs = _source_refs(meta["sources"], catalogue.sources, path, _line_of(text, r"^sources:"), problems)
    reviewed, review_by = _check_dates(meta, text, path, today, problems)
    if not doc.body:
        problems.append(Problem(display_path(path), doc.body_line, "teksten (body) er tom"))
    check_text_numbers(doc.body, catalogue.helplines, path, doc.body_line, problems)
    if len(problems) > before or reviewed is None or review_by is None:
        return None
    return ContentItem(
        id=item_id,
        title=str(meta["title"]),
        kind=str(meta["kind"]),
        topic=str(meta["topic"]),
        audience=tuple(str(a) for a in audience),
        body=doc.body,
        sources=refs,
        reviewed=reviewed,
        review_by=review_by,
        related=tuple(str(r) for r in meta.get("related") or ()),
    )


def _read_reflection_set(
    path: Path, catalogue: Catalogue, today: date, problems: list[Problem]
) -> ReflectionSet | None:
    text = path.read_text(encoding="utf-8")
    data = _load_yaml(path, problems)
    if not isinstance(data, dict):
        problems.append(Problem(display_path(path), 1, "forventet en YAML-mapping"))
        return None
    before = len(problems)
    for name in ("id", "title", "sources", "reviewed", "review_by", "questions"):
        if not data.get(name):
            problems.append(Problem(display_path(path), 1, f"mangler felt: {name}"))
    if len(problems) > before:
        return None
    refs = _source_refs(data["sources"], catalogue.sources, path, _line_of(text, r"^sources:"), problems)
    reviewed, review_by = _check_dates(data, text, path, today, problems)
    questions: list[ReflectionQuestion] = []
    for raw in data["questions"]:
        if not isinstance(raw, dict) or not all(raw.get(k) for k in ("id", "text", "summary_label")):
            problems.append(
                Problem(display_path(path), _line_of(text, r"^questions:"), "spørsmål mangler id/text/summary_label")
            )
            continue
        questions.append(ReflectionQuestion(str(raw["id"]), str(raw["text"]), str(raw["summary_label"])))
        check_text_numbers(
            str(raw["text"]), catalogue.helplines, path, _line_of(text, re.escape(str(raw["id"]))), problems
        )
    if len(problems) > before or reviewed is None or review_by is None:
        return None
    return ReflectionSet(str(data["id"]), str(data["title"]), refs, reviewed, review_by, tuple(questions))


def _check_related(catalogue: Catalogue, content_dir: Path, problems: list[Problem]) -> None:
    for item in catalogue.items.values():
        for other in item.related:
            if other not in catalogue.items:
                path = content_dir / "items" / f"{item.id}.md"
                problems.append(Problem(display_path(path), 1, f"related viser til ukjent element '{other}'"))


def read_catalogue(content_dir: Path = CONTENT_DIR, today: date | None = None) -> tuple[Catalogue, list[Problem]]:
    """Read all content; the catalogue holds only the records that passed validation."""
    today = today or date.today()
    problems: list[Problem] = []
    catalogue = Catalogue()
    catalogue.sources = _read_sources(content_dir / "sources", problems)
    catalogue.helplines = _read_helplines(content_dir / "helplines.yml", problems)
    for path in sorted((content_dir / "items").glob("*.md")):
        item = _read_item(path, catalogue, today, problems)
        if item is not None:
            catalogue.items[item.id] = item
    for path in sorted((content_dir / "reflection").glob("*.yml")):
        reflection = _read_reflection_set(path, catalogue, today, problems)
        if reflection is not None:
            catalogue.reflection_sets[reflection.id] = reflection
    _check_related(catalogue, content_dir, problems)
    return catalogue, problems


def item_ids(catalogue: Catalogue, kind: str) -> Iterable[str]:
    return (i.id for i in catalogue.items.values() if i.kind == kind)
