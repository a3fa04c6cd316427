"""The compiled validator gives Rasa's verdicts on action server replies."""

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

import rasa_fixes
from rasa_fixes.action_response import _validate_action_result

rasa_fixes.install()

VALID = [
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "name": "region", "value": "wuhan"}],
        "responses": [
            {"text": "hi", "buttons": [{"title": "a", "payload": "/b"}], "answer": {"topic": "x"}}
        ],
    },
]
INVALID = [
    {"events": "not a list", "responses": []},
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": [], "responses": ["text instead of an object"]},
]


def test_rasa_uses_the_compiled_validator():
    assert RemoteAction._validate_action_result is _validate_action_result


@pytest.mark.parametrize("reply", VALID)
def test_valid_replies_pass_as_with_jsonschema_validate(reply):
    validate(reply, RemoteAction.action_response_format_spec())
    assert _validate_action_result(None, reply)


@pytest.mark.parametrize("reply", INVALID)
def test_invalid_replies_fail_as_with_jsonschema_validate(reply):
    with pytest.raises(ValidationError):
        validate(reply, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        _validate_action_result(None, reply)
