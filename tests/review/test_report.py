"""`make report` from a store filled by a scripted set of conversations with the real
assistant: the page's figures (read in headless Chromium) are the script's, the page
loads nothing from the network, the CSV holds the unanswered questions, and the same
store copied into a real PostgreSQL gives the same page."""

import csv
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter

import pytest
import sqlalchemy as sa
import yaml
from playwright.sync_api import sync_playwright

from operators import store
from review.__main__ import write_report
from scripts.infrastructure import PostgresServer
from tests.browser.test_widget import CHROMIUM, CHROMIUM_ARGS
from tests.channels.standin import wait_for
from tests.office import console_call, running_office

pytestmark = [pytest.mark.timeout(900), pytest.mark.browser]
DAY = 86400


def script(office):
    """Talk to the assistant as five people would; what the page must then show."""
    said = {}

    def rest(name, *texts):
        sender = f"{name}-{uuid.uuid4().hex[:6]}"
        said[sender] = [office.say(sender, text)[0] for text in texts]
        return sender

    answered_en = rest("a", "hello", "what documents do I need?", "I live in Wuhan")
    answered_zh = rest("b", "社保卡丢了怎么办", "电子社保卡怎么领")
    fallback = rest(
        "c", "what's the best pizza topping?", "what is the best pizza topping", "how do I apply?"
    )
    other = rest("d", "who won the football last night?", "要带什么材料")

    session = office.agent_session()
    console_call(session, office, "api/duty", {"on_duty": True})
    time.sleep(2.5)
    handed = f"e-{uuid.uuid4().hex[:6]}"
    office.callback(handed, "转人工")
    wait_for(lambda: office.received(handed))
    office.callback(handed, "我的卡坏了")
    time.sleep(1)
    console_call(
        session, office, f"api/conversations/{handed}/reply", {"text": "您好，请到窗口补办。"}
    )
    console_call(session, office, f"api/conversations/{handed}/hand_back")
    wait_for(lambda: len(office.received(handed)) >= 4)
    console_call(session, office, "api/duty", {"on_duty": False})

    feedback = f"{office.base}/webhooks/rest/feedback"
    import requests

    requests.post(feedback, json={"sender": answered_en, "rating": "down"}, timeout=30)
    requests.post(feedback, json={"sender": answered_zh, "rating": "up"}, timeout=30)
    requests.post(feedback, json={"sender": answered_zh, "stars": 4, "comment": "清楚"}, timeout=30)

    # Two conversations from earlier days.
    with sqlite3.connect(str(office.tracker_db)) as db:
        db.execute(
            "UPDATE events SET timestamp = timestamp - ? WHERE sender_id = ?",
            (2 * DAY, answered_en),
        )
        db.execute(
            "UPDATE events SET timestamp = timestamp - ? WHERE sender_id = ?", (DAY, answered_zh)
        )

    replies = [reply for replies in said.values() for reply in replies]
    fallbacks = {
        sender: [
            text
            for text, reply in zip(texts, said[sender])
            if reply["custom"].get("message") == "fallback"
        ]
        for sender, texts in [
            (answered_en, ["hello", "what documents do I need?", "I live in Wuhan"]),
            (answered_zh, ["社保卡丢了怎么办", "电子社保卡怎么领"]),
            (
                fallback,
                [
                    "what's the best pizza topping?",
                    "what is the best pizza topping",
                    "how do I apply?",
                ],
            ),
            (other, ["who won the football last night?", "要带什么材料"]),
        ]
    }
    with_fallback = sum(1 for texts in fallbacks.values() if texts)
    return {
        "conversations": 5,
        "messages": 3 + 2 + 3 + 2 + 2,
        "outcome-handed_over": 1,
        "outcome-fallback": with_fallback,
        "outcome-answered": 5 - 1 - with_fallback,
        "unanswered": sum(len(texts) for texts in fallbacks.values()),
        "topics": Counter(r["custom"]["topic"] for r in replies if r["custom"].get("topic")),
        "per_day": [1, 1, 3],
        "helpful": 1,
        "not-helpful": 1,
        "pizza": fallbacks[fallback],
    }


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("review")
    with running_office(log_dir) as office:
        expected = script(office)
    return log_dir, expected


def figures(page_path):
    """The figures of the page as a person sees them, read in headless Chromium."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(page_path.as_uri())
        read = {
            key: page.locator(f'[data-figure="{key}"] b').inner_text()
            for key in (
                "conversations",
                "messages",
                "outcome-answered",
                "outcome-fallback",
                "outcome-handed_over",
                "unanswered",
                "helpful",
                "not-helpful",
            )
        }
        read["topics"] = {
            g.get_attribute("data-label"): int(g.get_attribute("data-value"))
            for g in page.locator('[data-figure="topics"] g').all()
        }
        read["per_day"] = [
            int(text)
            for text in page.locator(
                '[data-figure="conversations-per-day"] text.value'
            ).all_text_contents()
        ]
        read["groups"] = [
            (int(row.locator("td.count").inner_text()), row.locator("td").nth(1).inner_text())
            for row in page.locator("[data-group]").all()
        ]
        page.screenshot(path=str(page_path.with_suffix(".png")), full_page=True)
        browser.close()
    assert requested == [page_path.as_uri()], "the page loaded something besides itself"
    return read


def check(read, expected):
    for key in (
        "conversations",
        "messages",
        "outcome-answered",
        "outcome-fallback",
        "outcome-handed_over",
        "unanswered",
        "helpful",
        "not-helpful",
    ):
        assert int(read[key]) == expected[key], key
    assert read["topics"] == dict(expected["topics"])
    assert read["per_day"] == expected["per_day"]
    assert read["groups"][0] == (len(expected["pizza"]), expected["pizza"][0])


def test_the_report_shows_what_the_script_did(filled, tmp_path):
    log_dir, expected = filled
    assert len(expected["pizza"]) == 2, "both pizza questions should have got the fallback"
    page = write_report(str(log_dir / "endpoints.yml"), tmp_path)
    check(figures(page), expected)
    with open(tmp_path / "unanswered.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == expected["unanswered"]
    assert [r["question"] for r in rows if r["group"] == "1"] == expected["pizza"]


def test_make_report_writes_the_page_from_the_endpoints_file(filled, tmp_path):
    log_dir, _ = filled
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "review",
            "--endpoints",
            str(log_dir / "endpoints.yml"),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (
        (tmp_path / "conversations.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    )


def test_the_cluster_s_postgresql_gives_the_same_page(filled, tmp_path):
    log_dir, expected = filled
    source = store.prepared(sa.create_engine(f"sqlite:///{log_dir / 'conversations.db'}"))
    with PostgresServer(tmp_path / "postgres") as postgres:
        endpoints = tmp_path / "endpoints.cluster.yml"
        endpoints.write_text(
            yaml.safe_dump(
                {
                    "tracker_store": {
                        "type": "tracker_store.cached_sql.CachedSQLTrackerStore",
                        "dialect": "postgresql",
                        "url": "127.0.0.1",
                        "port": postgres.port,
                        "username": "postgres",
                        "db": "rasa",
                    }
                }
            ),
            encoding="utf-8",
        )
        from tracker_store.cached_sql import CachedSQLTrackerStore

        CachedSQLTrackerStore(
            dialect="postgresql",
            host="127.0.0.1",
            port=postgres.port,
            username="postgres",
            db="rasa",
        )
        target = store.engine_from_endpoints(str(endpoints))
        events = sa.Table("events", sa.MetaData(), autoload_with=source)
        with source.connect() as read, target.begin() as write:
            for table in (events, store.feedback):
                rows = [
                    dict(row._mapping)
                    for row in read.execute(sa.select(table).order_by(table.c.id))
                ]
                target_table = sa.Table(table.name, sa.MetaData(), autoload_with=target)
                write.execute(target_table.insert(), rows)
        page = write_report(str(endpoints), tmp_path / "pg")
        check(figures(page), expected)
