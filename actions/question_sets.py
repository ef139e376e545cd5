"""Question sets for staff: the questions that fit a request, each with a line on why it matters.

The questions, phases and settings come from content/staff/ through bot.rehearsal; this module only turns a
request into a Selection, a page of it into text, and offers the next steps as buttons.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.rehearsal.question_sets import QuestionSet, Selection, default_question_sets, find_questions
from bot.rehearsal.render import render_questions
from bot.rehearsal.vocabulary import PHASES, Vocabulary, load_vocabulary

PAGE_SIZE = 6
REHEARSAL_BUTTON = {"title": "Øve på en samtale", "payload": "/start_rehearsal"}
MORE_TITLE = "Flere spørsmål"


@dataclass(frozen=True)
class QuestionRequest:
    """A request for questions: free text, and what a button chose (phase, setting, page offset)."""

    text: str
    phase: str | None = None
    setting: str | None = None
    offset: int = 0

    @classmethod
    def from_message(cls, text: str, entities: Mapping[str, Any]) -> QuestionRequest:
        # A button payload ("/ask_question_set{…}") is not a request in words.
        words = "" if text.lstrip().startswith("/") else text
        phase = entities.get("question_phase")
        offset = str(entities.get("question_offset") or "0")
        return cls(
            text=words,
            phase=phase if phase in PHASES else None,
            setting=entities.get("question_setting") or None,
            offset=int(offset) if offset.isdigit() else 0,
        )


def request_payload(phase: str | None = None, setting: str | None = None, offset: int = 0) -> str:
    entities: dict[str, str] = {}
    if phase:
        entities["question_phase"] = phase
    if setting:
        entities["question_setting"] = setting
    if offset:
        entities["question_offset"] = str(offset)
    return "/ask_question_set" + (json.dumps(entities, ensure_ascii=False, separators=(",", ":")) if entities else "")


def select(request: QuestionRequest, sets: Mapping[str, QuestionSet], vocab: Vocabulary) -> Selection:
    selection = find_questions(request.text, setting=request.setting, sets=sets, vocab=vocab)
    if request.phase:
        questions = tuple(q for q in selection.questions if q.phase == request.phase)
        selection = replace(selection, phase=request.phase, questions=questions)
    return selection


def choice_buttons(sets: Mapping[str, QuestionSet], vocab: Vocabulary) -> list[dict[str, str]]:
    """One button per phase of the conversation, then one per setting (labels from the data)."""
    buttons = [{"title": phase.label, "payload": request_payload(phase=pid)} for pid, phase in vocab.phases.items()]
    buttons += [
        {"title": qset.setting_label, "payload": request_payload(setting=qset.setting)}
        for qset in sets.values()
        if qset.setting and qset.setting_label
    ]
    return buttons


def next_buttons(selection: Selection, offset: int, vocab: Vocabulary) -> list[dict[str, str]]:
    """More of the same, the other phases (same setting), and a rehearsal. A topic request has few questions,
    so paging and phases are only offered for requests without a topic."""
    buttons: list[dict[str, str]] = []
    if not selection.domains:
        end = offset + PAGE_SIZE
        if end < len(selection.questions):
            buttons.append({"title": MORE_TITLE, "payload": request_payload(selection.phase, selection.setting, end)})
        buttons += [
            {"title": phase.label, "payload": request_payload(pid, selection.setting)}
            for pid, phase in vocab.phases.items()
            if pid != selection.phase
        ]
    return [*buttons, REHEARSAL_BUTTON]


def send_question_set(dispatcher: CollectingDispatcher, request: QuestionRequest) -> None:
    """Send the questions for a request; an unspecific request gets a choice of phase and setting first."""
    vocab, sets = load_vocabulary(), default_question_sets()
    selection = select(request, sets, vocab)
    if not (selection.setting or selection.phase or selection.domains):
        dispatcher.utter_message(response="utter_question_set_choose", buttons=choice_buttons(sets, vocab))
        return
    page = selection.questions[request.offset : request.offset + PAGE_SIZE]
    if not page:
        dispatcher.utter_message(response="utter_question_set_none", buttons=choice_buttons(sets, vocab))
        return
    text = render_questions(replace(selection, questions=page), sets, vocab, limit=PAGE_SIZE)
    dispatcher.utter_message(
        response="utter_question_set",
        questions=text,
        buttons=next_buttons(selection, request.offset, vocab),
        json_message={"kind": "staff"},
    )


class ActionShowQuestionSet(Action):
    def name(self) -> str:
        return "action_show_question_set"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        message = tracker.latest_message or {}
        entities = {
            e.get("entity"): e.get("value")
            for e in message.get("entities") or []
            if str(e.get("entity")).startswith("question_")
        }
        send_question_set(dispatcher, QuestionRequest.from_message(message.get("text") or "", entities))
        return []
