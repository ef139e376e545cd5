"""Short bokmål text for the chat: persona intro, persona replies, feedback and question lists.

Every sentence shown to the user comes from the data files (domains.yml feedback_text, personas, question
sets); this module only puts the pieces together.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.rehearsal.feedback import Feedback
from bot.rehearsal.persona import Persona, PersonaReply
from bot.rehearsal.question_sets import QuestionSet, Selection
from bot.rehearsal.vocabulary import Vocabulary


def render_intro(persona: Persona) -> str:
    """The situation the staff member steps into."""
    return persona.intro


def render_reply(reply: PersonaReply) -> str:
    """'Ingrid: …', or for an interpreter 'Ánne (tolker for Johan): «…»'."""
    if reply.via:
        return f"{reply.via} (tolker for {reply.speaker}): «{reply.text}»"
    return f"{reply.speaker}: {reply.text}"


def _join_labels(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " og " + labels[-1]


def render_feedback(feedback: Feedback, persona: Persona, vocab: Vocabulary) -> str:
    """Feedback as short lines: what was covered, what to try next time, and the key moves."""
    text = vocab.feedback_text
    lines = [text["heading"].format(name=persona.name)]
    if feedback.covered:
        labels = [vocab.domains[d].label.lower() for d in feedback.covered]
        lines.append(text["covered"].format(labels=_join_labels(labels)))
    else:
        lines.append(text["covered_none"])
    if feedback.missed:
        lines.append(text["missed"])
        lines.extend(f"- {m.label}: «{m.suggested}»" for m in feedback.missed)
    lines.append(
        text["question_counts"].format(
            open=feedback.open_questions, closed=feedback.closed_questions, leading=feedback.leading_questions
        )
    )
    if feedback.closed_questions > feedback.open_questions:
        lines.append(text["more_closed"])
    if feedback.leading_questions:
        lines.append(text["leading"])
    if feedback.medical_advice:
        lines.append(text["medical_advice"])
    if feedback.pushed_after_refusal:
        lines.append(text["pushed"])
    elif feedback.respected_refusal:
        lines.append(text["respected"])
    if feedback.own_voice_invited is not None and persona.proxy:
        key = "proxy_yes" if feedback.own_voice_invited else "proxy_no"
        lines.append(text[key].format(name=persona.name, proxy=persona.proxy.name))
    for flag, key in (
        (feedback.permission_asked, "permission"),
        (feedback.what_matters_asked, "what_matters"),
        (feedback.summarised, "summary"),
        (feedback.follow_up_agreed, "follow_up"),
    ):
        lines.append(text[f"{key}_yes" if flag else f"{key}_no"])
    return "\n".join(lines)


def render_questions(selection: Selection, sets: Mapping[str, QuestionSet], vocab: Vocabulary, limit: int = 6) -> str:
    """A short list of questions grouped by phase, each with why it matters."""
    if not selection.questions:
        return ""
    lines: list[str] = []
    if selection.setting:
        label = next((s.setting_label for s in sets.values() if s.setting == selection.setting), None)
        if label:
            lines.append(f"{label}:")
    current_phase = None
    for question in selection.questions[:limit]:
        if question.phase != current_phase:
            current_phase = question.phase
            lines.append(vocab.phases[current_phase].label)
        lines.append(f"- «{question.text}» {question.why}")
    return "\n".join(lines)
