"""Telegram buttons: callback data within Telegram's 64 bytes (RasaHQ/rasa#4041)."""

import pytest

from channels.telegram import MAX_CALLBACK_DATA_BYTES, callback_data, compact_payload


def test_every_quick_reply_of_the_knowledge_module_fits_as_it_is(knowledge):
    for topic in knowledge.topics:
        for language in ("en", "zh"):
            for button in knowledge.answer(topic, language).buttons:
                data = callback_data({"title": button.title, "payload": button.payload})
                assert data == compact_payload(button.payload)
                assert len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES


def test_a_payloads_json_is_written_compactly():
    assert compact_payload('/ask_fees{"language": "en"}') == '/ask_fees{"language":"en"}'
    assert compact_payload('/inform{"region": "成都"}') == '/inform{"region":"成都"}'
    assert compact_payload("/greet") == "/greet"
    assert compact_payload("/broken{not json}") == "/broken{not json}"
    assert compact_payload("plain text") == "plain text"


def test_a_payload_too_long_for_telegram_is_sent_as_the_buttons_title():
    long_payload = '/ask_department{"region": "xinjiang_uygur_autonomous_region", "language": "en"}'
    assert len(compact_payload(long_payload).encode()) > MAX_CALLBACK_DATA_BYTES
    assert callback_data({"title": "Where to apply", "payload": long_payload}) == "Where to apply"


@pytest.mark.parametrize("title", ["", "长" * 30])
def test_a_button_with_no_short_enough_form_has_no_callback_data(title):
    assert callback_data({"title": title, "payload": "/" + "x" * 80}) is None
