"""Rasa's SpacyNLP, with the project's spaCy pipeline packaged inside the trained model.

Rasa's SpacyNLP loads its spaCy pipeline by name or path every time a model loads, so a
trained model depends on a folder outside it (build/spacy_pipeline), and its training
cache fingerprints the pipeline by that path alone: rebuilding the folder changed what a
served or cached model did without retraining. This one copies the pipeline into the
model when it trains (the `provide_SpacyNLP` resource) and loads it from there, and
fingerprints it by its content.

It keeps Rasa's class name on purpose: Rasa finds the model provider of SpacyTokenizer
and the other spaCy components by the class name `SpacyNLP` (`DefaultV1Recipe.
_get_model_provider_needs`), so this registration takes that name's place.

config.yml:
    - name: components.spacy_nlp.SpacyNLP
      model: build/spacy_pipeline     # read at training only
"""

import hashlib
import shutil
from pathlib import Path
from typing import Any, Dict, Optional, Text

import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.nlu.utils.spacy_utils import SpacyNLP as RasaSpacyNLP
from rasa.shared.exceptions import InvalidConfigException

from components.fingerprint import source_fingerprint


def content_fingerprint(folder: Path) -> str:
    """A hash of every file's relative path and bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_pipeline(folder: Path) -> SpacyModel:
    language = spacy.load(folder)
    return SpacyModel(model=language, model_name=f"sscard-pipeline:{content_fingerprint(folder)}")


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(RasaSpacyNLP):
    """Provides the spaCy pipeline stored in the model; stores it there when training."""

    # Its provider node writes into the model: it runs at every training
    # (rasa_fixes/packaged_pipeline.py).
    PACKAGED_IN_MODEL = True

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """The code that loads and runs the pipeline: a change retrains what depends on it."""
        return source_fingerprint(
            "components.spacy_nlp", "spacy_pipeline.tokenizer", "spacy_pipeline.spelling"
        )

    def __init__(
        self,
        model: Optional[SpacyModel],
        config: Dict[Text, Any],
        model_storage: Optional[ModelStorage] = None,
        resource: Optional[Resource] = None,
    ) -> None:
        super().__init__(model, config)
        self._model: Optional[SpacyModel] = model
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SpacyNLP":
        """No pipeline yet: the training graph's provider packages it in `provide`; the
        nodes that only process messages get the pipeline from the provider."""
        return cls(None, {**cls.get_default_config(), **config}, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "SpacyNLP":
        """The pipeline packaged in the model, for the prediction graph's provider.

        Rasa also builds the nodes that only process messages with `load` (in training
        too); they have no resource of their own and get the pipeline from the provider.
        """
        try:
            with model_storage.read_from(resource) as folder:
                model: Optional[SpacyModel] = load_pipeline(Path(folder))
        except ValueError:
            if execution_context.node_name and execution_context.node_name.startswith("provide_"):
                raise InvalidConfigException(
                    "This model has no packaged spaCy pipeline; retrain it (`make train`)."
                ) from None
            model = None
        return cls(model, {**cls.get_default_config(), **config}, model_storage, resource)

    def provide(self) -> SpacyModel:
        if self._model is None:
            source = Path(self._config.get("model") or "")
            if not (source / "meta.json").is_file():
                raise InvalidConfigException(
                    f"SpacyNLP: no spaCy pipeline at '{source}' (build it with `make spacy`)"
                )
            assert self._model_storage is not None and self._resource is not None
            with self._model_storage.write_to(self._resource) as folder:
                shutil.copytree(source, folder, dirs_exist_ok=True)
                model = load_pipeline(Path(folder))
            self.ensure_proper_language_model(model.model)
            self._model = model
        return self._model
