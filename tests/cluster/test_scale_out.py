"""The scale-out profile: nginx, two Rasa instances with two workers each, two action
servers, PostgreSQL and Redis, all real. Load goes through the balancer while an
instance is killed and restarted, and while Redis and PostgreSQL drop and return."""

import itertools
import json
import math
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, List

import psycopg2
import pytest
import redis
import requests

from channels.resilience import REPLY_DEADLINE_SECONDS
from scripts.cluster import Cluster
from scripts.infrastructure import listening

# Starting the cluster (two Rasa instances on two cores) takes minutes and counts
# towards the time of the first test that uses it.
pytestmark = [pytest.mark.cluster, pytest.mark.timeout(900)]

QUESTIONS = [
    "hello",
    "what documents do I need?",
    "and where do I submit them?",
    "I live in Chengdu",
    "how long does printing take?",
    "社保卡丢了怎么办",
    "有电话可以打吗",
    "what is the legal basis?",
    "is the first card free?",
    "how do I get the electronic card?",
    "thanks",
    "bye",
]


def ports_of(cluster):
    return [*cluster.rasa_ports, *cluster.action_ports, cluster.port, cluster.action_balancer_port]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    # `free_port()` binds port 0 and lets it go, so two calls can return the same port: a
    # cluster whose two balancers then listen on one port sends the actions to Rasa. Take
    # a cluster whose ports are all different.
    run_dir = tmp_path_factory.mktemp("cluster")
    for _ in range(20):
        planned = Cluster(run_dir, rasa_instances=2, action_servers=2, workers=2)
        if len(set(ports_of(planned))) == len(ports_of(planned)):
            break
    with planned as running:
        yield running


def connect_to_postgres(cluster):
    return psycopg2.connect(
        host="127.0.0.1",
        port=cluster.postgres.port,
        user="postgres",
        dbname="rasa",
        connect_timeout=5,
    )


def stored_turns(cluster, sender):
    """(user texts, number of bot messages) stored for `sender` in the shared tracker store."""
    with connect_to_postgres(cluster) as db:
        with db.cursor() as cursor:
            cursor.execute(
                "SELECT type_name, data FROM events WHERE sender_id = %s ORDER BY id", (sender,)
            )
            rows = cursor.fetchall()
    users = [json.loads(data)["text"] for kind, data in rows if kind == "user"]
    bots = sum(1 for kind, _ in rows if kind == "bot")
    return users, bots


def post(cluster, sender, text):
    return requests.post(
        cluster.url + "/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        timeout=60,
    )


def outcome(answer) -> str:
    """'answered', 'apology' (no reply by the deadline: the turn waited for its lock) or
    'error' (no reply at all: the request died with the instance)."""
    if answer.status_code != 200 or not answer.json():
        return "error"
    if answer.json()[0].get("custom", {}).get("message") == "service_unavailable":
        return "apology"
    return "answered"


@dataclass
class Request:
    text: str
    outcome: str
    started: float
    ended: float


def converse(
    cluster, sender: str, results: Dict[str, List[Request]], stop: threading.Event
) -> None:
    """The questions in turn, each text once (a round number after the first round), until
    `stop` is set."""
    for turn in itertools.count():
        if stop.is_set():
            return
        rounds, index = divmod(turn, len(QUESTIONS))
        text = QUESTIONS[index] + (f" ({rounds})" if rounds else "")
        started = time.monotonic()
        try:
            kind = outcome(post(cluster, sender, text))
        except requests.RequestException:
            kind = "error"
        results[sender].append(Request(text, kind, started, time.monotonic()))
        time.sleep(0.2)


def settled_turns(cluster, sender, timeout=90):
    """Stored turns once turns still finishing in the background (after an apology) are done."""
    deadline = time.monotonic() + timeout
    previous = None
    while True:
        turns = stored_turns(cluster, sender)
        if (turns == previous and turns[1] == len(turns[0])) or time.monotonic() > deadline:
            return turns
        previous = turns
        time.sleep(2)


# Killing and restarting an instance, and letting every conversation finish, on top of the
# cluster's start when this test runs first.
@pytest.mark.timeout(1500)
def test_killing_an_instance_loses_no_turn_and_answers_nothing_twice(cluster):
    lock_lifetime = float(cluster.env["TICKET_LOCK_LIFETIME"])
    results: Dict[str, List[Request]] = defaultdict(list)
    senders = [f"load-{uuid.uuid4().hex[:8]}" for _ in range(8)]
    stop = threading.Event()
    threads = [
        threading.Thread(target=converse, args=(cluster, sender, results, stop), daemon=True)
        for sender in senders
    ]
    for thread in threads:
        thread.start()
    try:
        # Kill once every conversation is under way; the load goes on while the instance
        # is down, while it starts again and for a while after it is back.
        while min(len(results[sender]) for sender in senders) < 3:
            time.sleep(0.05)
        kill_sent = time.monotonic()
        cluster.kill_rasa(0)
        # The instance is really gone once nothing listens on its port (its workers die a
        # few milliseconds after it): until then a connection can still reach its socket
        # and be lost with it, a request in flight like the others.
        while listening(cluster.rasa_ports[0]) and time.monotonic() < kill_sent + 5:
            time.sleep(0.01)
        killed_at = time.monotonic()
        assert not listening(cluster.rasa_ports[0])
        time.sleep(2)
        cluster.start_rasa(0)
        # The instance is back and answers (asked directly, not through nginx).
        direct = requests.post(
            f"http://127.0.0.1:{cluster.rasa_ports[0]}/webhooks/rest/webhook",
            json={"sender": f"direct-{uuid.uuid4().hex[:8]}", "message": "hello"},
            timeout=60,
        )
        assert outcome(direct) == "answered", direct.text
        time.sleep(10)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)

    unanswered = {
        sender: [r for r in results[sender] if r.outcome != "answered"] for sender in senders
    }
    print(
        f"\n{sum(len(r) for r in results.values())} requests through nginx; not answered at "
        f"once: {sum(len(u) for u in unanswered.values())} "
        + str({s: [(r.text, r.outcome) for r in u] for s, u in unanswered.items() if u})
    )
    # What the README promises: requests in flight on the killed instance fail; its
    # conversations wait for at most one lock lifetime; the others go on. So, per
    # conversation: at most one failed request (one is in flight at a time), and it was in
    # flight at the kill; apologies only in a conversation that lost that request (the
    # dead instance still held its lock), for requests sent within one lock lifetime of the
    # kill; each apology comes after a full reply deadline, hence at most
    # ceil(lifetime / deadline) of them. A conversation that lost nothing lost no answer.
    most_apologies = math.ceil(lock_lifetime / REPLY_DEADLINE_SECONDS)
    for sender in senders:
        errors = [r for r in unanswered[sender] if r.outcome == "error"]
        apologies = [r for r in unanswered[sender] if r.outcome == "apology"]
        assert len(errors) <= 1, (sender, errors)
        for error in errors:
            assert error.started <= killed_at and error.ended >= kill_sent, (sender, error)
        if not errors:
            assert not apologies, (sender, apologies)
        else:
            assert len(apologies) <= most_apologies, (sender, apologies)
            for apology in apologies:
                assert errors[0].started < apology.started <= killed_at + lock_lifetime, (
                    sender,
                    apology,
                    killed_at,
                )

    for sender in senders:
        answered_texts = [r.text for r in results[sender] if r.outcome == "answered"]
        not_answered = [r.text for r in unanswered[sender]]
        users, bots = settled_turns(cluster, sender)
        # Every answered message is stored exactly once and in order; one that was not
        # answered at once is stored at most once (it was in flight, or finished later).
        assert [text for text in users if text not in not_answered] == answered_texts
        assert len(users) == len(set(users))
        # No message answered twice: one reply per stored message.
        assert bots == len(users)
        # Only the message in flight when the instance died can be missing.
        assert len(results[sender]) - len(users) <= 1


def test_the_remembered_region_is_shared_by_all_instances(cluster):
    sender = f"region-{uuid.uuid4().hex[:8]}"
    post(cluster, sender, "I live in Xi'an")
    # Round-robin sends consecutive messages to different instances.
    for _ in range(4):
        reply = post(cluster, sender, "which department handles the card?").json()
        assert reply[0]["custom"]["region"] == "610100"


def answered_with(answer, topic) -> bool:
    return answer.status_code == 200 and answer.json()[0].get("custom", {}).get("topic") == topic


def test_without_redis_turns_get_the_apology_and_service_returns_with_it(cluster):
    sender = f"redis-{uuid.uuid4().hex[:8]}"
    cluster.redis.stop()
    try:
        # Redis is really down.
        with pytest.raises(redis.ConnectionError):
            redis.Redis(host="127.0.0.1", port=cluster.redis.port, socket_timeout=5).ping()
        during = post(cluster, sender, "what documents do I need?")
        # A clear reply, not a hang or a crash: the turn cannot take its lock, so the
        # apology naming the hotline.
        assert during.status_code == 200
        reply = during.json()[0]
        assert reply["custom"]["message"] == "service_unavailable" and "12333" in reply["text"]
    finally:
        if not cluster.redis.running():
            cluster.redis.start()
    deadline = time.monotonic() + 60
    while not answered_with(
        after := post(cluster, sender, "what documents do I need?"), "materials"
    ):
        assert time.monotonic() < deadline, after.text
        time.sleep(1)
    assert "what documents do I need?" in stored_turns(cluster, sender)[0]


def region_of(answer):
    assert answer.status_code == 200, answer.text
    return answer.json()[0].get("custom", {}).get("region")


def test_without_postgresql_turns_are_answered_but_not_stored_and_storing_resumes(cluster):
    sender = f"postgres-{uuid.uuid4().hex[:8]}"
    before = "I live in Chengdu"
    outage = ["which department handles the card?", "how long does printing take?"]
    assert region_of(post(cluster, sender, before)) == "510100"
    assert stored_turns(cluster, sender)[0] == [before]

    cluster.postgres.stop()
    try:
        # PostgreSQL is really down: a new connection is refused.
        with pytest.raises(psycopg2.OperationalError):
            connect_to_postgres(cluster).close()
        # Rasa still answers, but from a conversation it cannot read: Rasa's fail-safe
        # tracker store hands out no tracker when the database fails, and keeps what the
        # turn adds in memory without ever reading it back. Each turn starts afresh: the
        # region said before the outage is not known.
        for text, topic in zip(outage, ["department", "printing_time"]):
            during = post(cluster, sender, text)
            assert answered_with(during, topic), during.text
            assert region_of(during) is None, during.text
    finally:
        if not cluster.postgres.running():
            cluster.postgres.start()

    # Once it is back, every turn is stored again.
    after = ["is the first card free?", "how do I get the electronic card?", "thanks", "bye"]
    for text in after:
        assert post(cluster, sender, text).status_code == 200
        assert text in stored_turns(cluster, sender)[0]
    users, bots = settled_turns(cluster, sender)
    # The turns of the outage are not stored, then or later; the conversation's stored
    # history is the turn before it and the turns after it, one reply each.
    assert users == [before, *after], users
    assert bots == len(users)


def test_a_conversation_keeps_its_region_across_a_postgresql_outage(cluster):
    for index in range(4 * len(cluster.rasa) * cluster.workers):
        post(cluster, f"warm-{index}-{uuid.uuid4().hex[:6]}", "hello")  # every worker's pool
    sender = f"postgres-region-{uuid.uuid4().hex[:8]}"
    assert region_of(post(cluster, sender, "I live in Chengdu")) == "510100"
    cluster.postgres.stop()
    cluster.postgres.start()
    regions = [
        region_of(post(cluster, sender, "which department handles the card?"))
        for _ in range(2 * len(cluster.rasa) * cluster.workers)
    ]
    assert regions == ["510100"] * len(regions)
