"""Hostile input through the REST webhook: a valid body is answered whatever its text, an
invalid one gets a clear JSON error saying what is wrong, nothing gets a 5xx, and the
assistant keeps answering correctly afterwards.

Each generated body is tagged with what the webhook's contract (README, "REST webhooks
for other bots"; docs/webhook.openapi.yml) says must happen to it: answered, or refused
with a given status and error code. The tags come from how a body is built, not from the
webhook's own checks, so a webhook that refused everything, or accepted everything,
fails here.
"""

import json
import re
import uuid
from typing import Any, Optional, Tuple

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# The contract, written out again rather than imported from channels/webhook_input.py.
SENDER_PATTERN = r"[A-Za-z0-9_.:@\-]{1,128}"
MAX_MESSAGE_CHARS = 20_000

# What must happen to a body: None = answered; otherwise (status, error code).
Expected = Optional[Tuple[int, str]]

CONTROL = st.characters(min_codepoint=0, max_codepoint=31)
NASTY_TEXT = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=CONTROL, max_size=50),
    st.sampled_from(
        [
            "",
            "<script>alert(1)</script>",
            "{{7*7}}",
            "${jndi:ldap://x}",
            "'; DROP TABLE events;--",
            "/restart",
            "/nlu_fallback",
            '/ask_fees{"language": "xx"}',
            '/greet{"region": 5}',
            "/session_start",
            "\ud7ff" * 10,
            "🙂" * 3000,
            "社保卡" * 6000,
            "a" * MAX_MESSAGE_CHARS,
        ]
    ),
    st.integers(min_value=1, max_value=MAX_MESSAGE_CHARS).map(lambda n: "a" * n),
)
TOO_LONG_TEXT = st.one_of(
    st.integers(min_value=MAX_MESSAGE_CHARS + 1, max_value=25_000).map(lambda n: "a" * n),
    st.just("社保卡" * 7000),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)
JSON_OBJECTS = st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=4)


def is_contract_sender(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(SENDER_PATTERN, value) is not None


VALID_SENDERS = st.one_of(
    st.from_regex(rf"\A{SENDER_PATTERN}\Z"),
    st.sampled_from(["a", "alice", "bot-7", "user@example.org", "wx:o6_bmjrPTlm6", "9" * 128]),
)
INVALID_SENDERS = st.one_of(
    st.sampled_from(["", "../../etc/passwd", "a" * 129, "alice\x00", "alice bob", "*", "%00"]),
    st.text(max_size=300),
    JSON_VALUES,
).filter(lambda s: not is_contract_sender(s))


def body(sender, message, **extra) -> dict:
    return {"sender": sender, "message": message, **extra}


def optional_extras() -> st.SearchStrategy:
    """Metadata (an object or null) and unknown keys: allowed, and ignored."""
    return st.fixed_dictionaries(
        {}, optional={"metadata": st.none() | JSON_OBJECTS, "extra": JSON_VALUES}
    )


def tagged(strategy: st.SearchStrategy, expected: Expected) -> st.SearchStrategy:
    return strategy.map(lambda value: (value, expected))


def loads_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


VALID = tagged(
    st.builds(
        lambda sender, message, extras: json.dumps(body(sender, message, **extras)),
        VALID_SENDERS,
        NASTY_TEXT,
        optional_extras(),
    ),
    None,
)
INVALID = st.one_of(
    tagged(
        st.builds(lambda s, m: json.dumps(body(s, m)), INVALID_SENDERS, NASTY_TEXT),
        (400, "invalid_sender"),
    ),
    tagged(
        st.builds(
            lambda s, m: json.dumps(body(s, m)),
            VALID_SENDERS,
            JSON_VALUES.filter(lambda v: not isinstance(v, str)),
        ),
        (400, "invalid_message"),
    ),
    tagged(st.builds(lambda s: json.dumps({"sender": s}), VALID_SENDERS), (400, "invalid_message")),
    tagged(
        st.builds(lambda s, m: json.dumps(body(s, m)), VALID_SENDERS, TOO_LONG_TEXT),
        (413, "message_too_long"),
    ),
    tagged(
        st.builds(
            lambda s, m, meta: json.dumps(body(s, m, metadata=meta)),
            VALID_SENDERS,
            NASTY_TEXT,
            JSON_VALUES.filter(lambda v: v is not None and not isinstance(v, dict)),
        ),
        (400, "invalid_metadata"),
    ),
    tagged(
        JSON_VALUES.filter(lambda v: not isinstance(v, dict)).map(json.dumps),
        (400, "invalid_json"),
    ),
    tagged(
        st.binary(max_size=300).filter(lambda raw: not isinstance(loads_or_none(raw), dict)),
        (400, "invalid_json"),
    ),
    tagged(
        st.sampled_from(["", "{", "null", "[]", '{"sender": "x", "message": "hi"', "\x00"]),
        (400, "invalid_json"),
    ),
)


def post(assistant, raw) -> requests.Response:
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    return requests.post(
        assistant.webhook, data=data, headers={"Content-Type": "application/json"}, timeout=60
    )


def check(answer: requests.Response, raw, expected: Expected) -> None:
    shown = (raw[:200], answer.status_code, answer.text[:300])
    assert answer.status_code < 500, shown
    if expected is None:
        sent = json.loads(raw)
        assert answer.status_code == 200, shown
        replies = answer.json()
        assert isinstance(replies, list) and replies, shown
        for reply in replies:
            assert reply["recipient_id"] == sent["sender"], shown
            assert isinstance(reply.get("text"), str) and reply["text"].strip(), shown
        # Answered, not the apology for a service that is down.
        assert replies[0].get("custom", {}).get("message") != "service_unavailable", shown
    else:
        status, error = expected
        assert answer.status_code == status, shown
        assert answer.headers["Content-Type"].startswith("application/json"), shown
        refusal = answer.json()
        assert refusal["error"] == error, shown
        assert isinstance(refusal["detail"], str) and refusal["detail"], shown


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=VALID)
def test_every_valid_body_is_answered_whatever_its_text(assistant, case):
    check(post(assistant, case[0]), *case)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=INVALID)
def test_every_invalid_body_gets_a_clear_json_error(assistant, case):
    check(post(assistant, case[0]), *case)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=st.one_of(VALID, INVALID))
def test_valid_and_invalid_bodies_interleaved(assistant, case):
    # The same conversation gets hostile and ordinary messages in turn.
    check(post(assistant, case[0]), *case)


def test_a_sender_with_a_trailing_newline_is_refused(assistant):
    raw = json.dumps(body("alice\n", "hello"))
    check(post(assistant, raw), raw, (400, "invalid_sender"))


@pytest.mark.parametrize("command", ["/restart", "/session_start"])
def test_rasa_commands_are_not_answered_with_the_outage_apology(assistant, command):
    reply = assistant.say(f"command-{uuid.uuid4().hex[:8]}", command)
    assert reply[0].get("custom", {}).get("message") != "service_unavailable", reply


def test_an_oversized_body_is_refused_with_a_clear_error(assistant):
    answer = requests.post(
        assistant.webhook,
        data=b'{"sender": "big", "message": "' + b"a" * 300_000 + b'"}',
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    assert answer.status_code == 413
    assert answer.json()["error"] == "body_too_large"


def test_the_assistant_still_answers_correctly_after_the_onslaught(assistant):
    reply = assistant.say(f"after-{uuid.uuid4().hex[:8]}", "I lost my card, what should I do?")
    assert reply[0]["custom"]["topic"] == "lost_card"
    chinese = assistant.say(f"after-{uuid.uuid4().hex[:8]}", "社保卡丢了怎么办")
    assert "挂失" in chinese[0]["text"]
