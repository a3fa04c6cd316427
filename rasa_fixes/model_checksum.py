"""A model is loaded only if its checksum is the one recorded when it was trained.

A Rasa model archive is code to its loaders: components unpickle or deserialise what it
holds (skops 0.9.0's untrusted-type check can be bypassed, CVE-2025-54412/54413; see
docs/security.md). So training through the `sscard` launcher writes the archive's SHA-256
next to it (`models/sscard.tar.gz.sha256`), and every load of a model archive — `sscard
run`, `shell`, `test`, `Agent.load` — first checks the archive against it and refuses a
model with no recorded checksum or a different one. `SSCARD_MODEL_SHA256` overrides the
file, for a deployment that keeps the expected value apart from the model.

Upstream: Rasa 3.6 loads any archive it is given
(`rasa.engine.loader.load_predict_graph_runner`), and records nothing about the models it
trains (`rasa.model_training.train`).
"""

import hashlib
import os
from pathlib import Path
from typing import Any, Union

import rasa.engine.loader
import rasa.model_training
from rasa.shared.exceptions import RasaException

SUMMARY = "models load only with the SHA-256 recorded when they were trained"

ENVIRONMENT_VARIABLE = "SSCARD_MODEL_SHA256"

_rasa_load_predict_graph_runner = rasa.engine.loader.load_predict_graph_runner
_rasa_train = rasa.model_training.train


class ModelChecksumError(RasaException):
    """A model archive without a recorded checksum, or with another one."""


def checksum_file(model: Union[str, Path]) -> Path:
    return Path(f"{model}.sha256")


def sha256(path: Union[str, Path]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as archive:
        for block in iter(lambda: archive.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def record(model: Union[str, Path]) -> str:
    """Write the archive's checksum next to it; the checksum."""
    value = sha256(model)
    checksum_file(model).write_text(f"{value}  {Path(model).name}\n", encoding="utf-8")
    return value


def verify(model: Union[str, Path]) -> None:
    """Raise ModelChecksumError unless the archive matches its recorded checksum."""
    expected = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if not expected:
        recorded = checksum_file(model)
        if not recorded.is_file():
            raise ModelChecksumError(
                f"{model}: no recorded checksum ({recorded.name}); refusing to load it. "
                "Train it with `make train` (or `sscard train`), or set "
                f"{ENVIRONMENT_VARIABLE} to its trusted SHA-256."
            )
        expected = (
            recorded.read_text(encoding="utf-8").split()[0] if recorded.stat().st_size else ""
        )
    actual = sha256(model)
    if actual != expected.lower():
        raise ModelChecksumError(
            f"{model}: SHA-256 {actual} is not the recorded {expected}; refusing to load a "
            "model that is not the one trained here."
        )


def _load_predict_graph_runner(
    storage_path: Path, model_archive_path: Path, *args: Any, **kwargs: Any
) -> Any:
    verify(model_archive_path)
    return _rasa_load_predict_graph_runner(storage_path, model_archive_path, *args, **kwargs)


def _train(*args: Any, **kwargs: Any) -> Any:
    result = _rasa_train(*args, **kwargs)
    if result.code == 0 and result.model and Path(result.model).is_file():
        record(result.model)
    return result


def install() -> None:
    """Check every model load and record every model trained (idempotent)."""
    rasa.engine.loader.load_predict_graph_runner = _load_predict_graph_runner
    rasa.model_training.train = _train
