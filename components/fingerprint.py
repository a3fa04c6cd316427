"""The fingerprint of a component's own code, for Rasa's training cache.

Rasa reuses a trained component from its cache when the component's configuration and
inputs are unchanged; a change to the component's code is not seen, so a retrained model
could keep the output of the old code. Each component of this project adds the hash of
its modules' source to its fingerprint (GraphComponent.fingerprint_addon).
"""

import hashlib
import importlib
import inspect


def source_fingerprint(*modules: str) -> str:
    """A hash of the source of the named modules."""
    digest = hashlib.sha256()
    for name in modules:
        digest.update(inspect.getsource(importlib.import_module(name)).encode("utf-8"))
    return digest.hexdigest()[:16]
