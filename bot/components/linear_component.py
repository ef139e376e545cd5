"""The Rasa side of our linear classifiers: create, train, persist and load a LinearModel in Rasa's model storage.
Subclasses say which examples and labels to learn (`labelled`) and what to write on a message (`process`)."""

from __future__ import annotations

import logging
from abc import abstractmethod
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.linear_model import DEFAULT_C, LinearModel

logger = logging.getLogger(__name__)

RANKING_LENGTH = 10  # as Rasa's classifiers: the alternatives the fallback's suggestions are chosen from


class LinearComponent(GraphComponent):
    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, model: LinearModel | None = None
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"C": DEFAULT_C, "ranking_length": RANKING_LENGTH}

    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearComponent:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearComponent:
        try:
            with model_storage.read_from(resource) as directory:
                return cls(config, model_storage, resource, LinearModel.load(directory))
        except (ValueError, FileNotFoundError):  # trained on data without examples for it
            logger.debug("%s has no trained model; it will leave messages as they are.", cls.__name__)
            return cls(config, model_storage, resource)

    @abstractmethod
    def labelled(self, training_data: TrainingData) -> tuple[list[Message], list[str]]:
        """The training examples this component learns from, and the label of each."""

    def train(self, training_data: TrainingData) -> Resource:
        messages, labels = self.labelled(training_data)
        if not messages:
            return self._resource
        self.model = LinearModel.fit(messages, labels, c=float(self.config["C"]))
        with self._model_storage.write_to(self._resource) as directory:
            self.model.save(directory)
        return self._resource

    def ranked(self, messages: list[Message]) -> list[list[tuple[str, float]]]:
        """Per message, the first `ranking_length` (label, probability) pairs; empty lists when untrained."""
        if self.model is None or not messages:
            return [[] for _ in messages]
        return [ranking[: int(self.config["ranking_length"])] for ranking in self.model.ranking(messages)]
