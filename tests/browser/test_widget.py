"""The website chat widget (web/) in headless Chromium, talking to the real assistant over socket.io.

Needs Playwright for Python (no `playwright install`: it drives Debian's /usr/bin/chromium).
"""

import re
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import expect, sync_playwright

from scripts.wait_ready import wait_ready
from tests.servers import ROOT, free_port, quiet_environment, running_assistant

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 30_000
HAN = re.compile(r"[\u4e00-\u9fff]")

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def page_url(tmp_path_factory) -> Iterator[str]:
    """The chat page served from web/, pointed at a real assistant started for this module."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium")
    log_dir = tmp_path_factory.mktemp("widget")
    with running_assistant(log_dir) as assistant:
        web_port = free_port()
        with open(log_dir / "web.log", "ab") as log:
            web = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "http.server",
                    str(web_port),
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
            base = f"http://127.0.0.1:{web_port}/"
            assert wait_ready([base], 30), "the web server did not start"
            yield f"{base}?rasa={assistant.base}"
        finally:
            web.terminate()
            web.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, page_url):
    """A fresh visitor (own localStorage) on the chat page, with the widget open."""
    context = browser.new_context(locale="en-US", viewport={"width": 1100, "height": 760})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_url)
    expect(page.locator("#sscard-input")).to_be_visible()
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def say(page, text: str) -> None:
    mark_seen(page)
    page.locator("#sscard-input").fill(text)
    page.locator("#sscard-send").click()


def mark_seen(page) -> None:
    """Tag the messages on screen so that `new_bot_messages` finds only later ones."""
    page.evaluate(
        "document.querySelectorAll('#sscard-messages .sscard-msg').forEach(m => m.dataset.seen = '1')"
    )


def new_bot_messages(page, text):
    return page.locator("#sscard-messages .sscard-msg.bot:not([data-seen])").filter(has_text=text)


def test_english_greeting_menu_and_a_quick_reply(page, knowledge, tmp_path):
    say(page, "hello")
    expect(new_bot_messages(page, knowledge.messages.greet.en)).to_have_count(1)
    menu = [knowledge.topics[topic].label.en for topic in knowledge.menu]
    expect(page.locator(".sscard-quick-reply")).to_have_text(menu)

    materials = knowledge.topics["materials"].label.en
    mark_seen(page)
    page.locator(".sscard-quick-reply", has_text=materials).click()
    expect(page.locator(".sscard-msg.user").last).to_have_text(materials)
    expect(new_bot_messages(page, re.compile("hukou", re.IGNORECASE)).first).to_be_visible()
    # The menu row went once used; the new answer brings its own related topics.
    expect(
        page.locator(".sscard-quick-reply", has_text=knowledge.topics["lost_card"].label.en)
    ).to_have_count(0)
    expect(page.locator(".sscard-quick-reply").first).to_be_visible()
    # Kept with the test's own files (pytest's basetemp), for a look after a failing run.
    page.screenshot(path=str(tmp_path / "widget.png"))


def test_chinese_lost_card_and_a_quick_reply(page):
    say(page, "社保卡丢了怎么办")
    expect(new_bot_messages(page, "挂失").first).to_be_visible()
    reply = page.locator(".sscard-quick-reply").first
    expect(reply).to_have_text(HAN)
    title = reply.text_content()

    mark_seen(page)
    reply.click()
    expect(page.locator(".sscard-msg.user").last).to_have_text(title)
    expect(new_bot_messages(page, HAN).first).to_be_visible()


def test_a_reload_keeps_the_conversation_and_the_region(page):
    say(page, "I live in Wuhan")
    expect(new_bot_messages(page, "Wuhan").first).to_be_visible()
    shown_before = page.locator(".sscard-msg").all_text_contents()

    page.reload()
    expect(page.locator(".sscard-msg")).to_have_text(shown_before)

    say(page, "which department handles it?")
    expect(new_bot_messages(page, "Wuhan").first).to_be_visible()


def test_markup_in_a_message_is_shown_as_text(page):
    markup = "<b>bold</b><img src=x onerror=window.__xss=1>"
    say(page, markup)
    expect(page.locator(".sscard-msg.user").last).to_have_text(markup)
    assert "<b>bold</b>" in page.locator(".sscard-msg.user").last.text_content()
    expect(
        page.locator(".sscard-msg.bot:not([data-seen])").first
    ).to_be_visible()  # the answer arrived
    assert page.locator("#sscard-messages img, #sscard-messages b").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
