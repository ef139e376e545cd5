"""Turn directory entries into the text a user reads: what it helps with, how to get in touch, the source."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.content.render import fill_placeholders
from bot.content.schema import Helpline
from bot.services.recognition import KommuneRef
from bot.services.schema import Service, ServiceTopics

TOPIC_PAYLOAD = '/ask_local_services{"service_topic":"%s"}'
KOMMUNE_PAYLOAD = '/inform_kommune{"kommune":"%s"}'
# Contact details, in the order shown; a field that is null is simply left out.
_DETAILS = (("phone", "Telefon"), ("web", "Nettside"), ("address", "Adresse"), ("opening_hours", "Åpningstider"))


def render_service(service: Service, topics: ServiceTopics, helplines: Mapping[str, Helpline]) -> str:
    kind = topics.kinds[service.kind].label if service.kind in topics.kinds else service.kind
    lines = [f"{kind}: {service.name}", fill_placeholders(service.helps_with, helplines)]
    if service.how_to_contact:
        lines.append(f"Slik tar du kontakt: {fill_placeholders(service.how_to_contact, helplines)}")
    lines += [f"{label}: {getattr(service, field)}" for field, label in _DETAILS if getattr(service, field)]
    # Every entry says where it comes from and when someone last checked it, like the content answers do.
    lines.append(f"Kilde: {service.source.rstrip('.')}. Sjekket {service.verified:%d.%m.%Y}.")
    return "\n".join(lines)


def render_services(services: Sequence[Service], topics: ServiceTopics, helplines: Mapping[str, Helpline]) -> str:
    return "\n\n".join(render_service(s, topics, helplines) for s in services)


def kind_labels(kinds: Sequence[str], topics: ServiceTopics) -> str:
    """The kinds as words in a sentence: «sorggruppe, prest og … eller frivilligsentral»."""
    labels = [topics.kinds[k].label.lower() if k in topics.kinds else k for k in kinds]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " eller " + labels[-1]


def missing_kinds(kinds: Sequence[str], services: Sequence[Service]) -> list[str]:
    found = {s.kind for s in services}
    return [k for k in kinds if k not in found]


def topic_buttons(topics: ServiceTopics, exclude: Sequence[str] = ()) -> list[dict[str, str]]:
    return [
        {"title": topic.button, "payload": TOPIC_PAYLOAD % tid}
        for tid, topic in topics.topics.items()
        if tid not in exclude
    ]


def kommune_buttons(candidates: Sequence[KommuneRef]) -> list[dict[str, str]]:
    """One button per kommune with a shared name: "Våler (Østfold)", "Våler (Innlandet)"."""
    return [{"title": c.label, "payload": KOMMUNE_PAYLOAD % c.number} for c in candidates]
