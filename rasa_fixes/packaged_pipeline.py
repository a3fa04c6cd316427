"""A component's resource that goes into the model is written at every training.

Rasa's training cache skips a graph node whose output later nodes no longer need: when the
featurized training data comes from the cache, the node that provides the spaCy model
(`provide_<SpacyNLP>`) does not run, and a component that writes its state into the model
there (components/spacy_nlp.py packages the spaCy pipeline that way) leaves the retrained
model without it. Here the training graph marks the provider nodes of components that set
`PACKAGED_IN_MODEL = True` as targets, so they always run (their output, a loaded spaCy
model, is never taken from the cache anyway).

Upstream: `rasa.engine.recipes.default_recipe.DefaultV1Recipe.graph_config_for_recipe`
(provider nodes are built with `is_target=False`).
"""

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

SUMMARY = "components packaged in the model are written at every training, cache or not"

_rasa_graph_config_for_recipe = DefaultV1Recipe.graph_config_for_recipe


def _graph_config_for_recipe(self: DefaultV1Recipe, *args: Any, **kwargs: Any) -> Any:
    configuration = _rasa_graph_config_for_recipe(self, *args, **kwargs)
    for node in configuration.train_schema.nodes.values():
        if getattr(node.uses, "PACKAGED_IN_MODEL", False) and node.fn == "provide":
            node.is_target = True
    return configuration


def install() -> None:
    """Wrap Rasa's default recipe (idempotent)."""
    DefaultV1Recipe.graph_config_for_recipe = _graph_config_for_recipe
