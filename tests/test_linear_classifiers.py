"""Our linear intent classifier and FAQ selector (bot/components/): trained on features from Rasa's own tokenizer
and count featurizer, stored in and loaded from Rasa's model storage, and read by the actions as
ResponseSelector's output was."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
import scipy.sparse.linalg
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa_sdk import Tracker
from sklearn.linear_model import LogisticRegression

from actions.content import faq_content_id
from actions.fallback import suggestion_candidates
from bot.components.faq_selector import FaqSelector
from bot.components.intent_classifier import LinearIntentClassifier
from bot.components.linear_model import DEFAULT_C, LinearModel, sentence_features

EXAMPLES = {
    "greet": ["hei", "hallo", "god morgen", "hei der", "heisann"],
    "thank": ["takk", "tusen takk", "takk for hjelpen", "mange takk", "takk skal du ha"],
    "faq/livstestament_hva": ["hva er et livstestament", "livstestament betyr", "fortell om livstestament"],
    "faq/hjemmedod": ["kan jeg dø hjemme", "dø hjemme", "hjemmedød hvordan"],
}


def training_data() -> TrainingData:
    messages = []
    for label, texts in EXAMPLES.items():
        intent, _, response = label.partition("/")
        for text in texts:
            data = {TEXT: text, INTENT: intent}
            if response:
                data[INTENT_RESPONSE_KEY] = label
            messages.append(Message(data=data))
    return TrainingData(training_examples=messages)


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


CONTEXT = ExecutionContext(GraphSchema({}), "test")
CONFIG = LinearIntentClassifier.get_default_config()


def featurizers(storage: LocalModelStorage) -> tuple[WhitespaceTokenizer, CountVectorsFeaturizer]:
    tokenizer = WhitespaceTokenizer.create(WhitespaceTokenizer.get_default_config(), storage, Resource("t"), CONTEXT)
    counts = CountVectorsFeaturizer.create(
        {**CountVectorsFeaturizer.get_default_config(), "analyzer": "char_wb", "min_ngram": 2, "max_ngram": 4},
        storage,
        Resource("c"),
        CONTEXT,
    )
    return tokenizer, counts


def featurised_training_data(
    storage: LocalModelStorage,
) -> tuple[TrainingData, WhitespaceTokenizer, CountVectorsFeaturizer]:
    tokenizer, counts = featurizers(storage)
    data = tokenizer.process_training_data(training_data())
    counts.train(data)
    return counts.process_training_data(data), tokenizer, counts


def message(text: str, tokenizer: WhitespaceTokenizer, counts: CountVectorsFeaturizer) -> Message:
    (result,) = counts.process(tokenizer.process([Message(data={TEXT: text})]))
    return result


# --- the model ---------------------------------------------------------------------------------------------------


def sentence_message(sparse: list[float] | None, dense: list[float] | None) -> Message:
    result = Message(data={TEXT: "x"})
    if sparse is not None:
        result.add_features(Features(scipy.sparse.coo_matrix([sparse]), "sentence", TEXT, "sparse"))
    if dense is not None:
        result.add_features(Features(np.array([dense]), "sentence", TEXT, "dense"))
    return result


def test_features_put_sparse_then_dense_each_scaled_to_length_one() -> None:
    features, widths = sentence_features([sentence_message([3.0, 4.0, 0.0], [0.0, 2.0])])
    assert widths == (3, 2)
    assert np.allclose(features.toarray(), [[0.6, 0.8, 0.0, 0.0, 1.0]])


def test_a_message_without_features_gets_zeros_in_the_trained_widths_not_shifted_columns() -> None:
    features, widths = sentence_features([sentence_message(None, [1.0, 0.0])], widths=(3, 2))
    assert widths == (3, 2)
    assert np.allclose(features.toarray(), [[0.0, 0.0, 0.0, 1.0, 0.0]])


def test_features_are_what_rasas_own_accessors_give_each_block_scaled(storage: LocalModelStorage) -> None:
    data, _, _ = featurised_training_data(storage)
    examples = [*data.intent_examples, sentence_message([0.0, 2.0], [1.0, 1.0])]  # with a dense block too
    expected = []
    for example in examples:
        sparse, dense = example.get_sparse_features(TEXT)[1], example.get_dense_features(TEXT)[1]
        blocks = [scipy.sparse.csr_matrix(f.features, dtype=float) for f in (sparse, dense) if f is not None]
        expected.append([b / (scipy.sparse.linalg.norm(b) or 1.0) for b in blocks])
    features, (_, dense_width) = sentence_features(examples[:-1])
    assert dense_width == 0
    assert np.allclose(features.toarray(), scipy.sparse.vstack([e[0] for e in expected[:-1]]).toarray())
    features, _ = sentence_features(examples[-1:])
    assert np.allclose(features.toarray(), scipy.sparse.hstack(expected[-1]).toarray())


def test_probabilities_are_sklearns_and_survive_saving(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    messages = [sentence_message(list(rng.random(6)), list(rng.random(3))) for _ in range(30)]
    labels = ["a", "b", "c"] * 10
    model = LinearModel.fit(messages, labels, c=5.0)
    features, _ = sentence_features(messages)
    reference = LogisticRegression(C=5.0, class_weight="balanced", max_iter=2000, random_state=42).fit(features, labels)
    assert np.allclose(model.probabilities(messages), reference.predict_proba(features), atol=1e-5)
    model.save(tmp_path)
    loaded = LinearModel.load(tmp_path)
    assert loaded.labels == ("a", "b", "c") and loaded.widths == (6, 3)
    assert np.allclose(loaded.probabilities(messages), model.probabilities(messages))


def test_two_labels_give_sklearns_probabilities_too() -> None:
    rng = np.random.default_rng(1)
    messages = [sentence_message(list(rng.random(4)), None) for _ in range(20)]
    labels = ["ja", "nei"] * 10
    model = LinearModel.fit(messages, labels)
    features, _ = sentence_features(messages)
    reference = LogisticRegression(C=DEFAULT_C, class_weight="balanced", max_iter=2000, random_state=42)
    reference.fit(features, labels)
    assert np.allclose(model.probabilities(messages), reference.predict_proba(features), atol=1e-5)


def test_one_label_is_always_the_answer() -> None:
    model = LinearModel.fit([sentence_message([1.0], None)], ["faq/eneste"])
    assert model.ranking([sentence_message([0.0], None)]) == [[("faq/eneste", 1.0)]]


# --- the components in Rasa ----------------------------------------------------------------------------------------


def test_the_intent_classifier_learns_ranks_and_loads_from_model_storage(storage: LocalModelStorage) -> None:
    data, tokenizer, counts = featurised_training_data(storage)
    classifier = LinearIntentClassifier.create(CONFIG, storage, Resource("i"), CONTEXT)
    classifier.train(data)
    loaded = LinearIntentClassifier.load(CONFIG, storage, Resource("i"), CONTEXT)
    for component in (classifier, loaded):
        (result,) = component.process([message("tusen takk for hjelpen", tokenizer, counts)])
        assert result.get(INTENT)["name"] == "thank"
        ranking = result.get("intent_ranking")
        assert ranking[0]["name"] == "thank" and len(ranking) == 3  # greet, thank, faq
        assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)
        assert result.as_dict(only_output_properties=True)[INTENT] == ranking[0]  # in the parse data Rasa returns


def test_the_faq_selector_writes_what_the_actions_read(storage: LocalModelStorage) -> None:
    data, tokenizer, counts = featurised_training_data(storage)
    selector = FaqSelector.create(FaqSelector.get_default_config(), storage, Resource("f"), CONTEXT)
    selector.train(data)
    loaded = FaqSelector.load(FaqSelector.get_default_config(), storage, Resource("f"), CONTEXT)
    (result,) = loaded.process([message("kan mor dø hjemme", tokenizer, counts)])
    parse_data = {**result.as_dict(only_output_properties=True), "intent": {"name": "faq"},
                  "intent_ranking": [{"name": "faq", "confidence": 0.9}]}  # fmt: skip
    selected = parse_data["response_selector"]["faq"]
    assert parse_data["response_selector"]["all_retrieval_intents"] == ["faq"]
    assert selected["response"]["intent_response_key"] == "faq/hjemmedod"
    assert selected["response"]["utter_action"] == "utter_faq/hjemmedod"
    assert [r["intent_response_key"] for r in selected["ranking"]] == ["faq/hjemmedod", "faq/livstestament_hva"]
    tracker = Tracker("s", {}, parse_data, [], False, None, {}, "action_listen")
    assert faq_content_id(tracker) == "hjemmedod"
    assert suggestion_candidates(parse_data)[:2] == ["faq/hjemmedod", "faq/livstestament_hva"]


def test_without_faq_examples_the_selector_leaves_messages_as_they_are(storage: LocalModelStorage) -> None:
    tokenizer, counts = featurizers(storage)
    data = tokenizer.process_training_data(TrainingData([Message(data={TEXT: "hei", INTENT: "greet"}),
                                                         Message(data={TEXT: "takk", INTENT: "thank"})]))  # fmt: skip
    counts.train(data)
    selector = FaqSelector.create(FaqSelector.get_default_config(), storage, Resource("f"), CONTEXT)
    selector.train(counts.process_training_data(data))
    loaded = FaqSelector.load(FaqSelector.get_default_config(), storage, Resource("f"), CONTEXT)
    (result,) = loaded.process([message("hei", tokenizer, counts)])
    assert result.get("response_selector") is None


def test_an_empty_message_gets_an_answer_not_an_error(storage: LocalModelStorage) -> None:
    data, tokenizer, counts = featurised_training_data(storage)
    classifier = LinearIntentClassifier.create(CONFIG, storage, Resource("i"), CONTEXT)
    classifier.train(data)
    (result,) = classifier.process([message("", tokenizer, counts)])
    assert result.get(INTENT)["name"] in {"greet", "thank", "faq"}  # the safety gate answers empty input
