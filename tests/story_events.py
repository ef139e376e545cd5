"""The events of our YAML stories and rules, as the trackers of the policy tests replay them."""

from __future__ import annotations

from collections.abc import Iterator

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

from bot.serve import PROJECT_ROOT


def story_events(domain: Domain, *folders: str) -> Iterator[tuple[str, list[Event]]]:
    """(file: story or rule name, its events) for every story and rule in the folders under the project root."""
    reader = YAMLStoryReader(domain)
    for folder in folders:
        for path in sorted((PROJECT_ROOT / folder).glob("*.yml")):
            for step in reader.read_from_file(str(path)):
                yield f"{path.name}: {step.block_name}", step.explicit_events(domain)
