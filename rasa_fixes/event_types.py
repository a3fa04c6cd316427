"""Look up an event's class by its type name once, not once per event.

Rasa turns every stored event back into an object with `Event.resolve_by_type`, which
walks the whole tree of Event subclasses and calls `inspect.isabstract` on each, for
every event. Retrieving a conversation replays all its events, so a 60-turn conversation
(about 350 events) spent 70 of its 96 ms of tracker retrieval there (cProfile of turns
51-60, `python -m bench.profile_message --messages 60 --conversation-length 60`).

The class a type name resolves to does not change while the process runs (Rasa's own
lookup returns the first match in definition order, and a class defined later can only
come after it), so the answer is remembered per type name. Unknown names, the legacy
"topic" and defaults behave exactly as in Rasa: only names that resolved to a class of
that name are remembered.

Upstream: `rasa.shared.core.events.Event.resolve_by_type`.
"""

from typing import Dict, Optional, Text, Type

from rasa.shared.core.events import Event

SUMMARY = "event classes looked up once per type name"

_resolved: Dict[Text, Type[Event]] = {}
_rasa_resolve_by_type = Event.resolve_by_type


def resolve_by_type(
    type_name: Text, default: Optional[Type[Event]] = None
) -> Optional[Type[Event]]:
    """Rasa's `Event.resolve_by_type`, remembering each class found."""
    known = _resolved.get(type_name)
    if known is not None:
        return known
    found = _rasa_resolve_by_type(type_name, default)
    if found is not None and getattr(found, "type_name", None) == type_name:
        _resolved[type_name] = found
    return found


def install() -> None:
    """Replace Rasa's lookup (idempotent)."""
    Event.resolve_by_type = staticmethod(resolve_by_type)
