"""The masking step: a message's text and metadata, and every log record of the process."""

import logging

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

import rasa_fixes
from rasa_fixes.personal_data import mask_message


def test_a_message_is_masked_and_the_kinds_noted_for_the_action():
    message = UserMessage(
        "ID 11010519491231002X, phone 13812345678",
        CollectingOutputChannel(),
        "alice",
        metadata={"note": "13812345678", "personal_data": ["forged"]},
    )
    mask_message(message)
    assert message.text == "ID 110105********002X, phone 138****5678"
    assert message.metadata == {"note": "138****5678", "personal_data": ["citizen_id", "mobile"]}


def test_a_message_without_personal_data_is_left_as_it_is():
    message = UserMessage(
        "what do I need?", CollectingOutputChannel(), "bob", metadata={"personal_data": ["forged"]}
    )
    mask_message(message)
    assert message.text == "what do I need?" and message.metadata == {}


def test_every_log_record_is_masked(caplog):
    rasa_fixes.install()
    with caplog.at_level(logging.INFO):
        logging.getLogger("some.library").info(
            "Received %s from %s", "11010519491231002X", "13812345678"
        )
    assert caplog.messages == ["Received 110105********002X from 138****5678"]
