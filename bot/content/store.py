"""Read-only access to the content database for the actions."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.content.database import make_engine
from bot.content.models import ContentItemRow, HelplineRow, ReflectionQuestionRow, SourceRow
from bot.content.schema import ContentItem, Helpline, ReflectionQuestion, Source, SourceRef


class ContentNotFound(LookupError):
    """The database has no such item; content was not loaded, or an id is wrong."""


class ContentStore:
    """Content is small and changes only when `make load-content` runs, so it is read once per process.

    `refresh()` re-reads it (the loader replaces all rows in one transaction).
    """

    def __init__(self, engine: Engine | None = None) -> None:
        self._engine = engine or make_engine()
        self._lock = threading.Lock()
        self._items: dict[str, ContentItem] | None = None
        self._sources: dict[str, Source] = {}
        self._helplines: dict[str, Helpline] = {}
        self._reflection: dict[str, tuple[ReflectionQuestion, ...]] = {}

    def refresh(self) -> None:
        with Session(self._engine) as session:
            items = {
                row.id: ContentItem(
                    id=row.id,
                    title=row.title,
                    kind=row.kind,
                    topic=row.topic,
                    audience=tuple(row.audience),
                    body=row.body,
                    sources=tuple(SourceRef(s["ref"], s["section"]) for s in row.sources),
                    reviewed=row.reviewed,
                    review_by=row.review_by,
                    related=tuple(row.related),
                )
                for row in session.scalars(select(ContentItemRow))
            }
            sources = {
                row.id: Source(row.id, row.title, row.publisher, row.published, row.location, row.seed)
                for row in session.scalars(select(SourceRow))
            }
            helplines = {
                row.id: Helpline(
                    row.id, row.name, row.number, row.when, row.purpose, row.source, row.cost, row.anonymous
                )
                for row in session.scalars(select(HelplineRow))
            }
            reflection: dict[str, list[ReflectionQuestion]] = {}
            rows = session.scalars(select(ReflectionQuestionRow).order_by(ReflectionQuestionRow.position))
            for row in rows:
                reflection.setdefault(row.set_id, []).append(
                    ReflectionQuestion(row.question_id, row.text, row.summary_label)
                )
        if not items:
            raise ContentNotFound("innholdsdatabasen er tom: kjør `make load-content`")
        self._sources, self._helplines = sources, helplines
        self._reflection = {k: tuple(v) for k, v in reflection.items()}
        self._items = items

    def _ensure_loaded(self) -> dict[str, ContentItem]:
        with self._lock:
            if self._items is None:
                self.refresh()
            assert self._items is not None
            return self._items

    def item(self, item_id: str) -> ContentItem:
        items = self._ensure_loaded()
        if item_id not in items:
            raise ContentNotFound(item_id)
        return items[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._ensure_loaded()

    def items(self, kind: str | None = None) -> list[ContentItem]:
        return [i for i in self._ensure_loaded().values() if kind is None or i.kind == kind]

    def source(self, source_id: str) -> Source | None:
        self._ensure_loaded()
        return self._sources.get(source_id)

    def helplines(self) -> dict[str, Helpline]:
        self._ensure_loaded()
        return dict(self._helplines)

    def reflection_questions(self, set_id: str) -> Sequence[ReflectionQuestion]:
        self._ensure_loaded()
        return self._reflection.get(set_id, ())
