"""Write a validated Catalogue into the content database in one transaction."""

from __future__ import annotations

from sqlalchemy import delete, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.content.models import Base, ContentItemRow, HelplineRow, ReflectionQuestionRow, SourceRow
from bot.content.schema import Catalogue


def _drop_outdated_tables(engine: Engine) -> None:
    """Content tables are refilled whole on every load, so one made by an older schema is simply made again."""
    existing = inspect(engine)
    for table in Base.metadata.sorted_tables:
        if existing.has_table(table.name):
            columns = {c["name"] for c in existing.get_columns(table.name)}
            if columns != {c.name for c in table.columns}:
                table.drop(engine)


def load_catalogue(catalogue: Catalogue, engine: Engine) -> dict[str, int]:
    """Replace all content rows with the catalogue's; readers never see a half-loaded state."""
    _drop_outdated_tables(engine)
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        for table in (ReflectionQuestionRow, ContentItemRow, HelplineRow, SourceRow):
            session.execute(delete(table))
        session.add_all(
            SourceRow(
                id=s.id, title=s.title, publisher=s.publisher, published=s.published, location=s.location, seed=s.seed
            )
            for s in catalogue.sources.values()
        )
        session.add_all(
            HelplineRow(
                id=h.id, name=h.name, number=h.number, when=h.when, purpose=h.purpose, source=h.source,
                cost=h.cost, anonymous=h.anonymous,
            )
            for h in catalogue.helplines.values()
        )
        session.add_all(
            ContentItemRow(
                id=i.id,
                title=i.title,
                kind=i.kind,
                topic=i.topic,
                audience=list(i.audience),
                body=i.body,
                sources=[{"ref": s.ref, "section": s.section} for s in i.sources],
                related=list(i.related),
                reviewed=i.reviewed,
                review_by=i.review_by,
            )
            for i in catalogue.items.values()
        )
        session.add_all(
            ReflectionQuestionRow(set_id=r.id, position=n, question_id=q.id, text=q.text, summary_label=q.summary_label)
            for r in catalogue.reflection_sets.values()
            for n, q in enumerate(r.questions)
        )
    return {
        "sources": len(catalogue.sources),
        "helplines": len(catalogue.helplines),
        "items": len(catalogue.items),
        "reflection_questions": sum(len(r.questions) for r in catalogue.reflection_sets.values()),
    }
