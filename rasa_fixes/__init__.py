"""Every change this project makes to the behaviour of Rasa and rasa_sdk, in one place.

Each module of this package changes one piece of Rasa's (or rasa_sdk's) internals, says in
its docstring which upstream issue or behaviour it addresses, and has an `install()`.
`install()` here checks first that the installed Rasa and rasa_sdk are the versions the fixes
were written for (`versions.py`), refuses to go on otherwise, and then installs every fix
once and logs each. It runs from one entry point whatever the channels or the command:
the project's `sscard` launcher (`rasa_fixes/launcher.py`), which `make`, the scripts and the
images use instead of `rasa`, and the test suite's conftest for in-process models.

Elsewhere the project extends Rasa only through its documented seams: custom components
(components/), a tracker store, a lock store, channels and action server plugins
(rasa_sdk_plugins/). Where those subclasses override a private method (the classifier's
`_create_X`, the policy's `_prediction_states`, the Bot Framework key refresh ...), the
same version check guards them, since they run only in processes started this way.
"""

import logging
import sys
from importlib import import_module
from typing import List

from rasa_fixes.versions import require_written_for_versions

logger = logging.getLogger(__name__)

# Module names, in the order they are installed.
FIXES = (
    "action_request",
    "action_response",
    "event_types",
    "gc_freeze",
    "socketio_session",
    "strict_stores",
    "model_checksum",
    "packaged_pipeline",
    "sdk_plugins",
    "handover",
    "personal_data",
)

_installed: List[str] = []


def install(announce: bool = False) -> List[str]:
    """Check the versions, then install every fix (once per process); the names installed."""
    if _installed:
        return list(_installed)
    require_written_for_versions()
    for name in FIXES:
        module = import_module(f"rasa_fixes.{name}")
        module.install()
        _installed.append(name)
        logger.debug("rasa_fixes: installed %s (%s)", name, module.SUMMARY)
    if announce:
        # Rasa sets up logging only after its command line is parsed: say it on stderr.
        print(f"sscard: Rasa with this project's fixes: {', '.join(_installed)}", file=sys.stderr)
    return list(_installed)


def installed() -> List[str]:
    return list(_installed)
