"""The action server starts only with its plugins, never quietly without them.

rasa_sdk 3.6 imports the `rasa_sdk_plugins` package at start and swallows a
ModuleNotFoundError (`rasa_sdk.plugin._discover_plugins`), so an image or install without
`rasa_sdk_plugins/` runs an action server with the shared-secret check and the knowledge
validation at start-up quietly off. Here the import error stops the start. (A broken
`actions` package already stops it: rasa_sdk exits on its ImportError.)

Upstream: `rasa_sdk.plugin._discover_plugins` (rasa_sdk 3.6).
"""

from typing import Any

import rasa_sdk.plugin

SUMMARY = "the action server refuses to start without its plugins (rasa_sdk_plugins)"


def _discover_plugins(manager: Any) -> None:
    import rasa_sdk_plugins

    rasa_sdk_plugins.init_hooks(manager)


def install() -> None:
    """Make rasa_sdk's plugin discovery strict (idempotent)."""
    rasa_sdk.plugin._discover_plugins = _discover_plugins
