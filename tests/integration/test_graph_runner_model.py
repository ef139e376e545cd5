"""bot/graph_runner.py on our trained model: SequentialGraphRunner parses and predicts as Rasa's DaskGraphRunner.
Here, not in the unit tests, because `make test-integration` trains the model first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.loader import load_predict_graph_runner
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from bot.graph_runner import SequentialGraphRunner

MODEL = Path(__file__).resolve().parents[2] / "models" / "samtalestotte.tar.gz"
RUNNERS = [DaskGraphRunner, SequentialGraphRunner]
MESSAGES = ["hei", "jeg føler meg så ensom", "hvor kan jeg få hjelp i Bergen?", "takk for praten", "asdfgh"]


def test_our_model_parses_and_predicts_the_same_with_both_runners(tmp_path: Path) -> None:
    """One unpacked model, a runner of each kind: the same parse for each message and the same next action."""
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    assert MODEL.is_file(), f"{MODEL} is missing: run `make train` first"
    # Loaded as MessageProcessor loads a model, once per runner class, each in its own existing directory: Rasa
    # moves each component's directory into it, and into a missing one the first component's would become the root.
    directories = [tmp_path / runner.__name__ for runner in RUNNERS]
    for directory in directories:
        directory.mkdir()
    (metadata, dask), (_, ours) = (
        load_predict_graph_runner(directory, MODEL, LocalModelStorage, runner)
        for directory, runner in zip(directories, RUNNERS, strict=True)
    )

    def parse(runner: Any, text: str) -> dict[str, Any]:  # as MessageProcessor._parse_message_with_graph
        tracker = DialogueStateTracker("t", metadata.domain.slots)
        results = runner.run(inputs={"__message__": [UserMessage(text)], "__tracker__": tracker},
                             targets=[metadata.nlu_target])  # fmt: skip
        return results[metadata.nlu_target][0].as_dict(only_output_properties=True)

    def predict(runner: Any, parse_data: dict[str, Any]) -> Any:  # as MessageProcessor._predict_next_with_tracker
        events = [ActionExecuted("action_listen"), UserUttered(parse_data["text"], parse_data["intent"],
                                                                parse_data["entities"], parse_data)]  # fmt: skip
        tracker = DialogueStateTracker.from_events("t", events, metadata.domain.slots)
        return runner.run(inputs={"__tracker__": tracker}, targets=[metadata.core_target])[metadata.core_target]

    for text in MESSAGES:
        expected, got = parse(dask, text), parse(ours, text)
        assert got["intent"] == expected["intent"], text  # name and confidence
        assert got["entities"] == expected["entities"], text
        assert got == expected, text  # and the rest: ranking, response selector
        assert predict(ours, got) == predict(dask, expected), text
