"""Hostile input through the REST webhook: whatever arrives, the answer is below 500,
and the assistant keeps answering correctly afterwards."""

import json
import uuid

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CONTROL = st.characters(min_codepoint=0, max_codepoint=31)
NASTY_TEXT = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=CONTROL, max_size=50),
    st.sampled_from(
        [
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
            "社保卡" * 7000,
        ]
    ),
    st.integers(min_value=1, max_value=25_000).map(lambda n: "a" * n),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)
SENDERS = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", "../../etc/passwd", "a" * 129, "alice\x00", "alice bob", "*", "%00"]),
    JSON_VALUES,
)
BODIES = st.one_of(
    st.fixed_dictionaries({"sender": SENDERS, "message": NASTY_TEXT}).map(json.dumps),
    st.fixed_dictionaries({"sender": st.just("hostile-fixed"), "message": NASTY_TEXT}).map(
        json.dumps
    ),
    st.fixed_dictionaries(
        {"sender": st.just("hostile-fixed"), "message": JSON_VALUES, "metadata": JSON_VALUES}
    ).map(json.dumps),
    JSON_VALUES.map(json.dumps),
    st.binary(max_size=300).map(lambda raw: raw),
    st.sampled_from(["", "{", "null", "[]", '{"sender": "x", "message": "hi"', "\x00"]),
)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=BODIES)
def test_no_input_makes_the_webhook_fail(assistant, body):
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    answer = requests.post(
        assistant.webhook, data=data, headers={"Content-Type": "application/json"}, timeout=60
    )
    assert answer.status_code < 500, (body[:200], answer.status_code, answer.text[:200])


def test_an_oversized_body_is_refused_with_a_clear_error(assistant):
    answer = requests.post(
        assistant.webhook,
        data=b'{"sender": "big", "message": "' + b"a" * 300_000 + b'"}',
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    assert answer.status_code == 413


def test_the_assistant_still_answers_correctly_after_the_onslaught(assistant):
    reply = assistant.say(f"after-{uuid.uuid4().hex[:8]}", "I lost my card, what should I do?")
    assert reply[0]["custom"]["topic"] == "lost_card"
    chinese = assistant.say(f"after-{uuid.uuid4().hex[:8]}", "社保卡丢了怎么办")
    assert "挂失" in chinese[0]["text"]
