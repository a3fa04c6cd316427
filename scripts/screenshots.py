"""Screenshots of the real pages for the README, taken in headless Chromium.

    python -m scripts.screenshots docs        (make screenshots)

Starts the action server, Rasa and the chat page on free ports with the office always
open and one agent, has a person ask the widget for a member of staff while the agent
takes over in the console, fills a few more conversations through the REST webhook,
builds the review page from them, and writes docs/console.png, docs/widget-handover.png
and docs/report.png.
"""

import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import yaml

from operators.agents import set_agent
from review.__main__ import write_report
from scripts.processes import (
    ROOT,
    ensure_ready,
    free_port,
    quiet_environment,
    start_action_server,
    start_rasa,
    write_endpoints,
)
from scripts.wait_ready import wait_ready

CHROMIUM = "/usr/bin/chromium"
AGENT = "li"
CONVERSATIONS = [
    ["hello", "what documents do I need?", "I live in Wuhan"],
    ["社保卡丢了怎么办", "电子社保卡怎么领"],
    ["what's the best pizza topping?", "what is the best pizza topping?", "how do I apply?"],
    ["今天天气怎么样", "要带什么材料"],
    ["how long does printing take?", "thanks, bye"],
]


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="sscard-screenshots-"))
    (work / "operators.yml").write_text(
        yaml.safe_dump(
            {
                "office_hours": {
                    "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                    "open": "00:00",
                    "close": "24:00",
                }
            }
        )
    )
    secret = secrets.token_urlsafe(16)
    set_agent(work / "agents.yml", AGENT, secret)
    env = {
        "SSCARD_OPERATORS_FILE": str(work / "operators.yml"),
        "SSCARD_AGENTS_FILE": str(work / "agents.yml"),
    }
    action_port, rasa_port, web_port = free_port(), free_port(), free_port()
    endpoints = write_endpoints(work, action_port, work / "conversations.db")
    actions = start_action_server(action_port, work, env)
    rasa = start_rasa(rasa_port, endpoints, work, env=env)
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
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=quiet_environment(),
    )
    base = f"http://127.0.0.1:{rasa_port}"
    try:
        ensure_ready(
            [f"http://127.0.0.1:{action_port}/health", f"{base}/webhooks/rest/"], [actions, rasa]
        )
        assert wait_ready([f"http://127.0.0.1:{web_port}/"], 30)
        for number, texts in enumerate(CONVERSATIONS):
            for text in texts:
                requests.post(
                    f"{base}/webhooks/rest/webhook",
                    json={"sender": f"demo-{number}", "message": text},
                    timeout=60,
                )
        requests.post(
            f"{base}/webhooks/rest/feedback", json={"sender": "demo-0", "rating": "up"}, timeout=30
        )
        requests.post(
            f"{base}/webhooks/rest/feedback",
            json={"sender": "demo-1", "stars": 5, "comment": "很清楚"},
            timeout=30,
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            agent = browser.new_context(
                locale="zh-CN", viewport={"width": 1200, "height": 720}
            ).new_page()
            agent.goto(f"{base}/webhooks/console/")
            agent.locator("#agent").fill(AGENT)
            agent.locator("#secret").fill(secret)
            agent.locator("#login").click()
            agent.locator("#duty").click()
            agent.wait_for_selector('#duty[aria-pressed="true"]')
            time.sleep(2.5)
            user = browser.new_context(
                locale="zh-CN", viewport={"width": 520, "height": 720}
            ).new_page()
            user.goto(f"http://127.0.0.1:{web_port}/?rasa={base}")
            for text in ("我在武汉，社保卡丢了怎么办", "转人工"):
                user.locator("#sscard-input").fill(text)
                user.locator("#sscard-send").click()
                time.sleep(1.5)
            agent.locator(".conversation-item").first.click()
            agent.locator("#take").click()
            time.sleep(1)
            agent.locator("#reply").fill(
                "您好，我是工作人员小李。挂失后可以到就近的社保经办机构补办，请问您还需要了解什么？"
            )
            agent.locator("#send").click()
            user.wait_for_selector(".sscard-msg.agent")
            time.sleep(1)
            agent.evaluate("window.scrollTo(0, 0)")
            agent.screenshot(path=str(out / "console.png"), full_page=True)
            user.screenshot(path=str(out / "widget-handover.png"))
            agent.locator("#hand-back").click()
            page = write_report(str(endpoints), work / "reports")
            report = browser.new_context(viewport={"width": 1100, "height": 1400}).new_page()
            report.goto(page.as_uri())
            report.screenshot(path=str(out / "report.png"))
            browser.close()
    finally:
        web.terminate()
        rasa.stop()
        actions.stop()
    print(f"Wrote {out / 'console.png'}, {out / 'widget-handover.png'} and {out / 'report.png'}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
