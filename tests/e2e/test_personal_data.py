"""Citizen ID, mobile and bank card numbers sent to the real assistant are never echoed,
and are masked in the tracker Rasa's HTTP API returns, in the database file and in the
debug log."""

import json
import secrets
import uuid

import pytest
import requests

from privacy.personal_data import passes_luhn
from tests.office import running_office

CITIZEN_ID = "11010519491231002X"  # a well-formed citizen ID (birth date, check digit)
MOBILE = "13812345678"


def bank_card() -> str:
    stem = "622202123456789012"
    return next(stem + digit for digit in "0123456789" if passes_luhn(stem + digit))


CARD = bank_card()
RAW = (CITIZEN_ID, MOBILE, CARD)
MASKED = ("110105********002X", "138****5678", CARD[:6] + "*" * (len(CARD) - 10) + CARD[-4:])


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    token = secrets.token_hex(16)
    log_dir = tmp_path_factory.mktemp("personal_data")
    with running_office(
        log_dir, extra_args=["--enable-api", "--auth-token", token, "--debug"]
    ) as running:
        running.token = token
        yield running


@pytest.mark.parametrize(
    "text, topic, language",
    [
        (
            f"My ID number is {CITIZEN_ID}, what materials do I need to apply for the card?",
            "materials",
            "en",
        ),
        (f"我的手机号是{MOBILE}，社保卡丢了怎么办", "lost_card", "zh"),
        (f"I lost my social security card, my bank card is {CARD}", "lost_card", "en"),
    ],
)
def test_the_answer_says_no_personal_data_is_needed_and_never_repeats_it(
    office, knowledge, text, topic, language
):
    sender = f"pii-{uuid.uuid4().hex[:8]}"
    replies = office.say(sender, text)
    assert len(replies) == 1
    reply = replies[0]
    notice = knowledge.messages.personal_data_notice.get(language)
    assert reply["text"].startswith(notice)
    assert reply["custom"]["topic"] == topic  # the question around the number is answered
    for number in (*RAW, *MASKED):
        assert number not in json.dumps(reply, ensure_ascii=False)


def test_nothing_kept_holds_the_numbers(office):
    sender = f"pii-{uuid.uuid4().hex[:8]}"
    office.say(sender, f"ID {CITIZEN_ID}, phone +86 138-1234-5678, card {CARD}: how do I apply?")
    answer = office.post(
        {"sender": sender, "message": "and the fees?", "metadata": {"note": f"call {MOBILE}"}}
    )
    assert answer.status_code == 200

    tracker = requests.get(
        f"{office.base}/conversations/{sender}/tracker", params={"token": office.token}, timeout=30
    )
    assert tracker.status_code == 200
    kept = tracker.text
    for number in RAW:
        assert number not in kept
    user_texts = [e["text"] for e in tracker.json()["events"] if e["event"] == "user"]
    assert user_texts[0] == f"ID {MASKED[0]}, phone {MASKED[1]}, card {MASKED[2]}: how do I apply?"

    stored = b"".join(path.read_bytes() for path in office.log_dir.glob("conversations.db*"))
    assert MASKED[0].encode() in stored
    logs = b"".join(path.read_bytes() for path in office.log_dir.glob("*.log"))
    assert b"how do I apply?" in logs  # the debug log does log the message ...
    for number in RAW:
        assert number.encode() not in stored
        assert number.encode() not in logs  # ... masked
        assert "-".join([number[:3], number[3:7], number[7:]]).encode() not in stored
