"""Turn stored content into the text a user reads: numbers filled in from the helpline list, sources named."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.content.schema import PLACEHOLDER, ContentItem, Helpline, Source


def fill_placeholders(body: str, helplines: Mapping[str, Helpline]) -> str:
    """Replace {{helpline:id}} and {{number:id}}; validation guarantees every id exists."""

    def replace(match) -> str:
        helpline = helplines[match.group(2)]
        if match.group(1) == "number":
            return helpline.number
        return f"{helpline.name}: {helpline.number} ({helpline.when})"

    return PLACEHOLDER.sub(replace, body)


def short_title(source: Source) -> str:
    # Long document titles carry a subtitle after a dash; the short form is enough in a chat.
    return source.title.split(" — ")[0].split(" – ")[0].strip()


def source_line(item: ContentItem, lookup: Callable[[str], Source | None]) -> str:
    """«Kilde: A, 6.1.2 og 6.1.1; B, side 3.» — each source once, its sections in the item's order."""
    sections: dict[str, list[str]] = {}
    for ref in item.sources:
        sections.setdefault(ref.ref, []).append(ref.section)
    parts = []
    for ref, refs_sections in sections.items():
        source = lookup(ref)
        title = short_title(source) if source else ref
        named = (
            ", ".join(refs_sections[:-1]) + " og " + refs_sections[-1] if len(refs_sections) > 1 else refs_sections[0]
        )
        parts.append(f"{title}, {named}")
    return "Kilde: " + "; ".join(parts) + f". Sist gjennomgått {item.reviewed:%d.%m.%Y}."


def render_item(
    item: ContentItem,
    helplines: Mapping[str, Helpline],
    lookup: Callable[[str], Source | None],
    with_sources: bool = True,
) -> str:
    text = fill_placeholders(item.body, helplines)
    return f"{text}\n\n{source_line(item, lookup)}" if with_sources else text
