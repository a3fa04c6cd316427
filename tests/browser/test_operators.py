"""The office's side in headless Chromium: a user asks the widget for a person, an agent
on duty takes over in the agent console, replies and hands back, and the bot answers the
next question; ratings from the widget; outside office hours, 12333 and a left message."""

import json
import re
import sqlite3
import subprocess
import sys
import time
from typing import Iterator

import pytest
from playwright.sync_api import expect, sync_playwright

from scripts.wait_ready import wait_ready
from tests.browser.test_widget import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS
from tests.office import AGENT, NEVER_OPEN, SECRET, running_office
from tests.servers import ROOT, free_port, quiet_environment

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def web_url(tmp_path_factory) -> Iterator[str]:
    """web/ served as `make run` serves it."""
    port = free_port()
    log = open(tmp_path_factory.mktemp("web") / "web.log", "ab")
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(ROOT / "web"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=quiet_environment(),
    )
    try:
        assert wait_ready([f"http://127.0.0.1:{port}/"], 30)
        yield f"http://127.0.0.1:{port}/"
    finally:
        web.terminate()
        web.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    with running_office(tmp_path_factory.mktemp("office")) as running:
        yield running


@pytest.fixture(scope="module")
def closed_office(tmp_path_factory):
    with running_office(tmp_path_factory.mktemp("closed"), office_hours=NEVER_OPEN) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def open_page(browser, url, locale):
    context = browser.new_context(locale=locale, viewport={"width": 1100, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    return context, page, errors


def say(page, text):
    page.evaluate(
        "document.querySelectorAll('#sscard-messages .sscard-msg').forEach(m => m.dataset.seen = '1')"
    )
    page.locator("#sscard-input").fill(text)
    page.locator("#sscard-send").click()


def new_bot(page, text):
    return page.locator("#sscard-messages .sscard-msg.bot:not([data-seen])").filter(has_text=text)


def rows(office, query, *args):
    with sqlite3.connect(str(office.tracker_db)) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute(query, args)]


def test_a_person_takes_over_replies_and_hands_back(browser, office, web_url, knowledge):
    messages = knowledge.messages
    agent_context, console, console_errors = open_page(browser, office.console, "zh-CN")
    console.locator("#agent").fill(AGENT)
    console.locator("#secret").fill(SECRET)
    console.locator("#login").click()
    duty = console.locator("#duty")
    expect(duty).to_have_attribute("aria-pressed", "false")
    duty.click()
    expect(duty).to_have_attribute("aria-pressed", "true")

    user_context, widget, widget_errors = open_page(
        browser, f"{web_url}?rasa={office.base}", "zh-CN"
    )
    expect(widget.locator("#sscard-input")).to_be_visible()
    say(widget, "我在武汉，想问问社保卡")
    expect(widget.locator(".sscard-msg.bot").first).to_be_visible()
    say(widget, "转人工")
    waiting = messages.handover_waiting.zh.format(position=1).split("。")[0]
    expect(new_bot(widget, waiting)).to_have_count(1)
    time.sleep(1)
    expect(widget.locator(".sscard-msg.bot:not([data-seen])")).to_have_count(1)  # that alone

    # The console shows the conversation with what the bot remembered: region, language.
    item = console.locator(".conversation-item").first
    expect(item).to_contain_text("武汉市")
    expect(item).to_contain_text("zh")
    item.click()
    expect(console.locator("#history .line.user").last).to_have_text(re.compile("转人工"))
    console.locator("#take").click()
    joined = messages.agent_joined.zh.format(agent=AGENT)
    expect(new_bot(widget, joined)).to_have_count(1)

    reply = "您好，我是工作人员，请问您遇到了什么问题？"
    console.locator("#reply").fill(reply)
    console.locator("#send").click()
    staff_reply = widget.locator(".sscard-msg.agent").filter(has_text=reply)
    expect(staff_reply).to_have_count(1)
    expect(staff_reply.locator(".sscard-speaker")).to_have_text(re.compile(AGENT))

    # While the person has the conversation, the bot does not answer (nor apologise).
    say(widget, "我的卡被偷了，怎么办")
    expect(console.locator("#history .line.user").last).to_have_text(re.compile("被偷"))
    time.sleep(2)
    expect(widget.locator("#sscard-messages .sscard-msg.bot:not([data-seen])")).to_have_count(0)

    console.locator("#hand-back").click()
    left = messages.agent_left.zh.format(agent=AGENT).split("。")[0]
    expect(new_bot(widget, left)).to_have_count(1)
    expect(console.locator(".conversation-item")).to_have_count(0)

    say(widget, "社保卡丢了怎么办")
    answer = new_bot(widget, "挂失")
    expect(answer).to_have_count(1)

    # 👍 on that answer is stored with what the answer was, and changes nothing else.
    sender = widget.evaluate("JSON.parse(localStorage.getItem('sscard.session_id'))")
    widget.locator(".sscard-rating").last.locator(".sscard-rate-up").click()
    expect(widget.locator(".sscard-thanks")).to_have_count(1)
    stored = rows(office, "SELECT * FROM feedback WHERE sender_id = ?", sender)
    assert [(r["kind"], r["rating"], r["topic"], r["language"], r["region"]) for r in stored] == [
        ("answer", 1, "lost_card", "zh", "420100")
    ]
    assert stored[0]["model_id"] and stored[0]["source"] and stored[0]["confidence"]

    # Ending the conversation asks for a rating; the comment is masked before it is kept.
    widget.locator(".sscard-header-button").first.click()
    widget.locator(".sscard-star").nth(3).click()
    widget.locator(".sscard-comment").fill("很好，回电 13912345678")
    widget.locator(".sscard-end-rating .sscard-send").click()
    expect(widget.locator(".sscard-msg")).to_have_count(0)
    ratings = rows(
        office, "SELECT * FROM feedback WHERE sender_id = ? AND kind = 'conversation'", sender
    )
    assert [r["rating"] for r in ratings] == [4]
    assert "13912345678" not in ratings[0]["comment"] and "139****5678" in ratings[0]["comment"]

    events = rows(office, "SELECT type_name, data FROM events WHERE sender_id = ?", sender)
    assert [e["type_name"] for e in events].count("pause") == 1
    assert [e["type_name"] for e in events].count("resume") == 1
    agent_lines = [json.loads(e["data"]) for e in events if e["type_name"] == "bot"]
    assert any(line["metadata"]["answer"].get("agent") == AGENT for line in agent_lines)
    agent_context.close()
    user_context.close()
    assert not console_errors and not widget_errors


def test_outside_office_hours_the_user_gets_12333_and_leaves_a_message(
    browser, closed_office, web_url, knowledge
):
    context, widget, errors = open_page(browser, f"{web_url}?rasa={closed_office.base}", "en-US")
    expect(widget.locator("#sscard-input")).to_be_visible()
    say(widget, "I want to talk to a real person")
    closed = new_bot(widget, "12333")
    expect(closed).to_have_count(1)
    expect(closed).to_contain_text("Monday to Friday")
    expect(closed).to_contain_text(knowledge.messages.leave_message_offer.en)

    widget.locator(".sscard-leave").click()
    widget.locator(".sscard-contact-question").fill(
        "My employer has not registered me. ID 11010519491231002X"
    )
    widget.locator(".sscard-contact-detail").fill("")
    widget.locator(".sscard-contact .sscard-send").click()
    expect(widget.locator(".sscard-contact-problem")).to_be_visible()
    widget.locator(".sscard-contact-detail").fill("138 1234 5678")
    widget.locator(".sscard-contact .sscard-send").click()
    expect(widget.locator(".sscard-msg.notice").last).to_have_text(
        re.compile("passed to the office")
    )

    sender = widget.evaluate("JSON.parse(localStorage.getItem('sscard.session_id'))")
    left = rows(closed_office, "SELECT * FROM contact_requests WHERE sender_id = ?", sender)
    assert len(left) == 1
    assert (
        "11010519491231002X" not in left[0]["question"]
        and "110105********002X" in left[0]["question"]
    )
    assert left[0]["contact"] == "138 1234 5678"  # kept on purpose: the way to reply

    # The conversation was never paused: the bot answers the next question.
    say(widget, "what documents do I need to bring?")
    expect(new_bot(widget, re.compile("household registration", re.IGNORECASE))).to_have_count(1)

    # The office sees the message in the console.
    agent_context, console, _ = open_page(browser, closed_office.console, "en-US")
    console.locator("#agent").fill(AGENT)
    console.locator("#secret").fill(SECRET)
    console.locator("#login").click()
    expect(console.locator("#left .left-item")).to_have_count(1)
    expect(console.locator("#left .left-item")).to_contain_text("138 1234 5678")
    agent_context.close()
    context.close()
    assert not errors


def serious_violations(page):
    """axe-core's serious and critical findings on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_the_console_and_the_widget_s_new_controls_pass_axe(browser, office, web_url):
    context, console, _ = open_page(browser, office.console, "en-US")
    assert serious_violations(console) == []  # the login form
    console.locator("#agent").fill(AGENT)
    console.locator("#secret").fill(SECRET)
    console.locator("#login").click()
    expect(console.locator("#duty")).to_be_visible()
    assert serious_violations(console) == []
    user_context, widget, _ = open_page(browser, f"{web_url}?rasa={office.base}", "en-US")
    say(widget, "what documents do I need?")
    expect(widget.locator(".sscard-rating")).to_have_count(1)
    widget.locator(".sscard-header-button").first.click()  # "New conversation": the rating form
    expect(widget.locator(".sscard-end-rating")).to_be_visible()
    assert serious_violations(widget) == []
    context.close()
    user_context.close()
