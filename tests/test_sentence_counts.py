"""bot/components/sentence_counts.py: Rasa's sentence features for every training message, and no per-token ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.sentence_counts import SentenceCountVectorsFeaturizer
from bot.serve import PROJECT_ROOT

# The two featurizers of bot/config.yml.
CONFIGS = [{}, {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 5}]


def _training_data() -> TrainingData:
    importer = TrainingDataImporter.load_from_dict(training_data_paths=[str(PROJECT_ROOT / "data" / "nlu")])
    data = importer.get_nlu_data()
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    tokenizer.process_training_data(data)
    return data


def _trained(cls: type[CountVectorsFeaturizer], config: dict, data: TrainingData, tmp: Path) -> CountVectorsFeaturizer:
    tmp.mkdir()
    featurizer = cls.create({**cls.get_default_config(), **config}, LocalModelStorage(tmp), Resource(cls.__name__),
                            ExecutionContext(GraphSchema({}), "sentence-counts"))  # fmt: skip
    featurizer.train(data)
    return featurizer


def _features(message: Message, kind: str) -> list:
    return [f.features for f in message.features if f.attribute == TEXT and f.type == kind]


@pytest.mark.parametrize("config", CONFIGS, ids=["words", "characters"])
def test_the_sentence_features_are_rasas_and_there_are_no_sequence_features(config: dict, tmp_path: Path) -> None:
    data = _training_data()
    assert len(data.training_examples) > 1000
    ours = _trained(SentenceCountVectorsFeaturizer, config, data, tmp_path / "ours")
    rasas = _trained(CountVectorsFeaturizer, config, data, tmp_path / "rasa")
    assert ours.vectorizers[TEXT].vocabulary_ == rasas.vectorizers[TEXT].vocabulary_
    messages = [Message(data={**m.data}) for m in data.training_examples if m.get(TEXT)]
    messages.append(Message(data={TEXT: "ukjente ord qzxv"}))  # nothing known: an all-zero row, as Rasa's
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    for message in messages:
        tokenizer.process([message])
        theirs = Message(data={**message.data})
        ours.process([message])
        rasas.process([theirs])
        [mine], [expected] = _features(message, FEATURE_TYPE_SENTENCE), _features(theirs, FEATURE_TYPE_SENTENCE)
        assert mine.shape == expected.shape and (mine != expected).nnz == 0, message.get(TEXT)
        assert _features(message, FEATURE_TYPE_SEQUENCE) == [] and _features(theirs, FEATURE_TYPE_SEQUENCE)
