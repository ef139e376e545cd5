"""Rasa NLU component: CountVectorsFeaturizer making only the sentence features, the only ones our models read.

Rasa's featurizer counts each token on its own as well (sequence features, one row per token) for DIET-style
models. Our intent classifier and FAQ selector read the sentence features only (bot/components/linear_model.py),
so the per-token counting was half of the featurizers' time per message for nothing. Vocabulary, training and
the sentence features are Rasa's own (tests/test_sentence_counts.py compares them).
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from scipy import sparse


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceCountVectorsFeaturizer(CountVectorsFeaturizer):
    def _create_features(
        self, attribute: str, all_tokens: list[list[str]]
    ) -> tuple[list[sparse.spmatrix | None], list[sparse.spmatrix | None]]:
        """Like CountVectorsFeaturizer._create_features, with no sequence features (None, which Rasa skips)."""
        sentence_features: list[sparse.spmatrix | None] = []
        for tokens in all_tokens:
            if not tokens or attribute not in DENSE_FEATURIZABLE_ATTRIBUTES:
                sentence_features.append(None)
                continue
            sentence_vec = self.vectorizers[attribute].transform([" ".join(tokens)])
            sentence_vec.sort_indices()
            sentence_features.append(sentence_vec.tocoo())
        return [None] * len(all_tokens), sentence_features
