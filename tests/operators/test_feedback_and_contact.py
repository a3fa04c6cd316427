"""Ratings and left messages stored in a real SQLite tracker store's database."""

import asyncio

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from operators import store
from operators.contact import ContactError, keep_contact, record_contact_request
from operators.feedback import FeedbackError, Rating, rating_in_payload, read_rating, record_rating
from tracker_store.cached_sql import CachedSQLTrackerStore

ANSWER = {
    "topic": "materials",
    "language": "en",
    "region": "420100",
    "source": "Fact sheet",
    "confidence": "M",
}


@pytest.fixture
def tracker_store(tmp_path):
    tracker_store = CachedSQLTrackerStore(
        domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "c.db")
    )
    tracker = DialogueStateTracker.from_events(
        "alice",
        [
            UserUttered("what do I need?", timestamp=100.0),
            BotUttered("Bring ...", metadata={"answer": ANSWER, "model_id": "m1"}, timestamp=101.5),
            UserUttered("and the fees?", timestamp=102.0),
            BotUttered(
                "Free.",
                metadata={"answer": {**ANSWER, "topic": "fees"}, "model_id": "m1"},
                timestamp=103.25,
            ),
            BotUttered(
                "Li here",
                metadata={"answer": {"message": "agent_reply", "agent": "li"}},
                timestamp=104.0,
            ),
            SlotSet("language", "en"),
        ],
    )
    asyncio.run(tracker_store.save(tracker))
    return tracker_store


def stored(tracker_store, table):
    return store.rows(store.engine_of(tracker_store), sa.select(table))


@pytest.mark.parametrize(
    "body, rating",
    [
        ({"rating": "up"}, Rating("answer", 1)),
        ({"rating": -1, "answer_id": 101.5}, Rating("answer", -1, None, 101.5)),
        (
            {"stars": 3, "comment": " call 13812345678 "},
            Rating("conversation", 3, "call 138****5678"),
        ),
    ],
)
def test_ratings_are_read_and_their_comments_masked(body, rating):
    assert read_rating(body) == rating


@pytest.mark.parametrize(
    "body",
    [{"rating": "meh"}, {"rating": True}, {"stars": 0}, {"stars": 2.5}, {"stars": 5, "comment": 7}],
)
def test_a_malformed_rating_is_refused(body):
    with pytest.raises(FeedbackError):
        read_rating(body)


def test_a_rating_button_s_payload_is_a_rating_and_nothing_else_is():
    assert rating_in_payload('/feedback{"rating": 1}') == Rating("answer", 1)
    assert rating_in_payload('/feedback{"stars": 5}') == Rating("conversation", 5)
    for text in (
        "/feedback",
        "/feedback{bad}",
        "feedback please",
        '/ask_fees{"language": "en"}',
        None,
    ):
        assert rating_in_payload(text) is None


def test_a_rating_is_stored_with_the_rated_answer_not_an_agent_s_reply(tracker_store):
    asyncio.run(record_rating(tracker_store, "alice", Rating("answer", -1), "rest"))
    asyncio.run(record_rating(tracker_store, "alice", Rating("answer", 1, None, 101.5), "socketio"))
    rows = stored(tracker_store, store.feedback)
    assert [(r["topic"], r["rating"], r["channel"], r["answered_at"]) for r in rows] == [
        ("fees", -1, "rest", 103.25),
        ("materials", 1, "socketio", 101.5),
    ]
    assert (
        rows[0]["model_id"] == "m1"
        and rows[0]["region"] == "420100"
        and rows[0]["confidence"] == "M"
    )


def test_a_rating_of_an_unknown_answer_or_conversation_is_refused(tracker_store):
    with pytest.raises(FeedbackError):
        asyncio.run(record_rating(tracker_store, "alice", Rating("answer", 1, None, 55.0), "rest"))
    with pytest.raises(FeedbackError):
        asyncio.run(record_rating(tracker_store, "nobody", Rating("answer", 1), "rest"))


def test_a_left_message_keeps_the_phone_number_and_masks_the_rest(tracker_store):
    body = {
        "question": "card for ID 11010519491231002X?",
        "contact": "13812345678, ID 11010519491231002X",
    }
    number = record_contact_request(tracker_store, "alice", body, "socketio", "en")
    [row] = stored(tracker_store, store.contact_requests)
    assert row["id"] == number
    assert row["question"] == "card for ID 110105********002X?"
    assert row["contact"] == "13812345678, ID 110105********002X"
    assert keep_contact("wang@example.org") == "wang@example.org"


@pytest.mark.parametrize(
    "body",
    [
        {"question": "", "contact": "13812345678"},
        {"question": "q", "contact": "call me"},
        {"question": "q"},
    ],
)
def test_a_left_message_needs_a_question_and_a_way_back(tracker_store, body):
    with pytest.raises(ContactError):
        record_contact_request(tracker_store, "alice", body, "rest")
