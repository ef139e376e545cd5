"""Rendering content: numbers filled in from the helpline list, each source named once with its sections."""

from __future__ import annotations

from datetime import date

from bot.content.render import fill_placeholders, source_line
from bot.content.schema import ContentItem, Helpline, Source, SourceRef

SOURCES = {
    "meld": Source("meld", "Meld. St. 24 (2019–2020) Lindrende behandling og omsorg — Vi skal alle dø en dag", "HOD"),
    "hdir": Source("hdir", "Forhåndssamtaler", "Helsedirektoratet"),
}


def item(*refs: tuple[str, str]) -> ContentItem:
    return ContentItem(
        id="x",
        title="X",
        kind="faq",
        topic="livstestament",
        audience=("innbygger",),
        body="…",
        sources=tuple(SourceRef(r, s) for r, s in refs),
        reviewed=date(2026, 11, 23),
        review_by=date(2027, 5, 23),
    )


def test_each_source_is_named_once_with_its_sections_in_order() -> None:
    line = source_line(item(("meld", "6.1.2"), ("hdir", "1"), ("meld", "6.1.1"), ("meld", "8.1")), SOURCES.get)
    assert line == (
        "Kilde: Meld. St. 24 (2019–2020) Lindrende behandling og omsorg, 6.1.2, 6.1.1 og 8.1; "
        "Forhåndssamtaler, 1. Sist gjennomgått 23.11.2026."
    )


def test_placeholders_become_the_verified_numbers() -> None:
    helplines = {"legevakt": Helpline("legevakt", "Legevakt", "116 117", "døgnåpen", "…", "…")}
    text = fill_placeholders("Ring {{number:legevakt}}. {{helpline:legevakt}}", helplines)
    assert text == "Ring 116 117. Legevakt: 116 117 (døgnåpen)"
