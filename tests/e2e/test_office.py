"""The office's side through the webhooks, with the real servers: hand-over over the
callback channel, nobody on duty, the synchronous REST webhook, ratings, left messages,
the offer of a person after repeated fallbacks, and the console's login."""

import time
import uuid

import pytest
import requests

from tests.channels.standin import wait_for
from tests.office import AGENT, SECRET, console_call, running_office

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    with running_office(tmp_path_factory.mktemp("office")) as running:
        yield running


def new_sender(prefix="office"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def rows(office, query, *args):
    import sqlite3

    with sqlite3.connect(str(office.tracker_db)) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute(query, args)]


def queue(session, office):
    state = session.get(office.console + "api/state", timeout=30)
    assert state.status_code == 200
    return {entry["sender_id"]: entry for entry in state.json()["queue"]}


# ---- the console's access ----


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "console.js"),
        ("GET", "console.css"),
        ("GET", "api/state"),
        ("GET", "api/conversations/anyone"),
        ("POST", "api/duty"),
        ("POST", "api/conversations/anyone/reply"),
        ("POST", "api/conversations/anyone/hand_back"),
        ("POST", "api/contact_requests/1/done"),
    ],
)
def test_nothing_of_the_console_is_reachable_without_logging_in(office, method, path):
    forged = {"sscard_console": "eyJhZ2VudCI6ICJsaSIsICJleHAiOiA5OTk5OTk5OTk5fQ==.00"}
    for cookies in ({}, forged):
        answer = requests.request(
            method,
            office.console + path,
            json={},
            headers={"X-Console": "1"},
            cookies=cookies,
            timeout=30,
        )
        assert answer.status_code == 401, (path, cookies)


def test_the_console_page_is_only_a_login_form_until_an_agent_logs_in(office):
    page = requests.get(office.console, timeout=30)
    assert page.status_code == 200
    assert "<form" in page.text and "console.js" not in page.text
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "agent, secret", [(AGENT, "wrong secret, long enough"), ("nobody", SECRET), (AGENT, "")]
)
def test_a_wrong_name_or_secret_is_refused(office, agent, secret):
    session = requests.Session()
    answer = session.post(
        office.console + "login", data={"agent": agent, "secret": secret}, timeout=30
    )
    assert answer.status_code == 401
    assert not session.cookies
    assert session.get(office.console + "api/state", timeout=30).status_code == 401


def test_changes_need_the_console_s_header(office):
    session = office.agent_session()
    answer = session.post(office.console + "api/duty", json={"on_duty": True}, timeout=30)
    assert answer.status_code == 401


# ---- the hand-over ----


@pytest.fixture
def agent_on_duty(office):
    """An agent logged in and on duty, off duty again afterwards whatever the test did."""
    session = office.agent_session()
    assert console_call(session, office, "api/duty", {"on_duty": True}).status_code == 200
    yield session
    console_call(session, office, "api/duty", {"on_duty": False})
    time.sleep(2.5)  # availability is remembered for two seconds


def test_a_person_takes_a_callback_conversation_and_hands_it_back(office, knowledge, agent_on_duty):
    session = agent_on_duty
    time.sleep(2.5)  # availability is remembered for two seconds
    sender = new_sender("callback")
    office.callback(sender, "I live in Chengdu")
    office.callback(sender, "I want to talk to a real person")
    waiting = wait_for(lambda: [m for m in office.received(sender) if m["custom"].get("handover")])
    assert waiting[0]["custom"]["handover"] == "open"
    assert sender in queue(session, office)
    # Agents read the remembered region by name (the slot holds its division code).
    assert queue(session, office)[sender]["region"] == knowledge.regions.get("510100").name("en")

    # The bot stays silent while a person has the conversation, and does not apologise.
    before = len(office.received(sender))
    office.callback(sender, "what documents do I need?")
    time.sleep(2)
    assert len(office.received(sender)) == before
    history = session.get(office.console + f"api/conversations/{sender}", timeout=30).json()
    assert history["history"][-1]["text"] == "what documents do I need?"

    assert (
        console_call(
            session, office, f"api/conversations/{sender}/reply", {"text": "Hello, this is Li."}
        ).status_code
        == 200
    )
    replies = wait_for(
        lambda: [m for m in office.received(sender) if m["custom"].get("message") == "agent_reply"]
    )
    assert replies[0]["text"] == "Hello, this is Li." and replies[0]["custom"]["agent"] == AGENT

    assert console_call(session, office, f"api/conversations/{sender}/hand_back").status_code == 200
    assert sender not in queue(session, office)
    office.callback(sender, "what documents do I need?")
    answered = wait_for(
        lambda: [m for m in office.received(sender) if m["custom"].get("topic") == "materials"]
    )
    assert "Chengdu" in answered[0]["text"]
    # A conversation handed back is not the console's any more.
    assert (
        console_call(
            session, office, f"api/conversations/{sender}/reply", {"text": "late"}
        ).status_code
        == 409
    )


def test_with_nobody_on_duty_the_user_gets_12333_and_the_bot_goes_on(office, knowledge):
    sender = new_sender("nobody")
    office.callback(sender, "转人工")
    told = wait_for(lambda: office.received(sender))
    assert told[0]["custom"]["handover"] == "nobody"
    assert (
        "12333" in told[0]["text"] and knowledge.messages.leave_message_offer.zh in told[0]["text"]
    )
    office.callback(sender, "社保卡丢了怎么办")
    assert wait_for(
        lambda: [m for m in office.received(sender) if m["custom"].get("topic") == "lost_card"]
    )


def test_the_synchronous_webhook_cannot_carry_a_person_s_replies(office, knowledge, agent_on_duty):
    session = agent_on_duty
    time.sleep(2.5)
    sender = new_sender("rest")
    reply = office.say(sender, "can I talk to an agent please")[0]
    assert reply["custom"]["handover"] == "unreachable"
    assert "12333" in reply["text"]
    assert reply["custom"]["offer"] == "leave_message"
    assert sender not in queue(session, office)
    left = requests.post(
        f"{office.base}/webhooks/rest/contact",
        json={
            "sender": sender,
            "question": "When will my card be ready?",
            "contact": "wang@example.org",
        },
        timeout=30,
    )
    assert left.status_code == 200 and left.json()["status"] == "stored"
    assert [
        r["contact"]
        for r in rows(office, "SELECT contact FROM contact_requests WHERE sender_id = ?", sender)
    ] == ["wang@example.org"]
    bad = requests.post(
        f"{office.base}/webhooks/rest/contact",
        json={"sender": sender, "question": "x", "contact": "soon"},
        timeout=30,
    )
    assert bad.status_code == 400


def test_the_user_can_go_back_to_the_bot_while_waiting(office, knowledge, agent_on_duty):
    session = agent_on_duty
    time.sleep(2.5)
    sender = new_sender("cancel")
    office.callback(sender, "talk to human")
    waiting = wait_for(lambda: office.received(sender))
    back = waiting[0]["buttons"][0]
    assert back["title"] == knowledge.messages.back_to_assistant.en
    office.callback(sender, back["payload"])
    assert wait_for(
        lambda: [
            m for m in office.received(sender) if m["custom"].get("message") == "handover_cancelled"
        ]
    )
    assert sender not in queue(session, office)
    office.callback(sender, "how long does printing take?")
    assert wait_for(
        lambda: [m for m in office.received(sender) if m["custom"].get("topic") == "printing_time"]
    )


def test_a_person_is_offered_after_the_second_fallback_in_a_row(office, knowledge):
    sender = new_sender("fallback")
    first = office.say(sender, "what's the best pizza topping?")[0]
    assert first["custom"]["message"] == "fallback"
    assert not [b for b in first["buttons"] if "request_human" in b["payload"]]
    second = office.say(sender, "who will win the football tonight?")[0]
    assert second["custom"]["message"] == "fallback"
    assert second["buttons"][0]["title"] == knowledge.messages.talk_to_person.en
    assert second["buttons"][0]["payload"].startswith("/request_human")
    after = office.say(sender, second["buttons"][0]["payload"])[0]
    assert after["custom"]["message"].startswith("handover_")


# ---- ratings ----


def test_ratings_from_the_rest_webhook_are_stored_with_the_answer_and_change_nothing(office):
    sender = new_sender("rating")
    office.say(sender, "I live in Wuhan")
    office.say(sender, "what documents do I need?")
    url = f"{office.base}/webhooks/rest/feedback"
    up = requests.post(url, json={"sender": sender, "rating": "down"}, timeout=30)
    assert up.status_code == 200 and up.json()["topic"] == "materials"
    stars = requests.post(
        url, json={"sender": sender, "stars": 5, "comment": "clear, thanks"}, timeout=30
    )
    assert stars.status_code == 200
    for bad in (
        {"sender": sender, "rating": "great"},
        {"sender": sender, "stars": 9},
        {"rating": "up"},
    ):
        assert requests.post(url, json=bad, timeout=30).status_code == 400
    stored = rows(office, "SELECT * FROM feedback WHERE sender_id = ? ORDER BY id", sender)
    assert [(r["kind"], r["rating"], r["topic"], r["region"], r["language"]) for r in stored] == [
        ("answer", -1, "materials", "420100", "en"),
        ("conversation", 5, "materials", "420100", "en"),
    ]
    assert stored[0]["model_id"] and stored[0]["confidence"] and stored[0]["channel"] == "rest"

    # The rating was not a turn: the follow-up still links to the materials answer.
    follow_up = office.say(sender, "and where do I submit them?")[0]
    assert follow_up["custom"]["topic"] == "department"


def test_a_rating_button_s_payload_is_a_rating_not_a_turn(office, knowledge):
    sender = new_sender("button")
    office.say(sender, "社保卡丢了怎么办")
    events_before = rows(office, "SELECT count(*) AS n FROM events WHERE sender_id = ?", sender)[0][
        "n"
    ]
    thanks = office.say(sender, '/feedback{"rating": 1}')
    assert [m["text"] for m in thanks] == [knowledge.messages.feedback_thanks.zh]
    assert (
        rows(office, "SELECT count(*) AS n FROM events WHERE sender_id = ?", sender)[0]["n"]
        == events_before
    )
    assert [
        r["topic"] for r in rows(office, "SELECT topic FROM feedback WHERE sender_id = ?", sender)
    ] == ["lost_card"]
