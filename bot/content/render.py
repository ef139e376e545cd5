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
    parts = []
    for ref in item.sources:
        source = lookup(ref.ref)
        title = short_title(source) if source else ref.ref
        parts.append(f"{title}, {ref.section}")
    return "Kilde: " + "; ".join(parts) + f". Sist gjennomgått {item.reviewed:%d.%m.%Y}."


def render_item(
    item: ContentItem,
    helplines: Mapping[str, Helpline],
    lookup: Callable[[str], Source | None],
    with_sources: bool = True,
) -> str:
    text = fill_placeholders(item.body, helplines)
    return f"{text}\n\n{source_line(item, lookup)}" if with_sources else text
