"""The custom menu file: valid for WeChat, both languages, clicks read back, pushed by
`python -m channels.wechat_menu` (what `make wechat-menu` runs) to the API's stand-in."""

import subprocess
import sys

import pytest
import yaml

from channels.wechat_menu import (
    MAX_BUTTON_NAME_BYTES,
    MAX_BUTTONS,
    MAX_GROUP_NAME_BYTES,
    MAX_GROUPS,
    MAX_KEY_BYTES,
    MENU_FILE,
    MenuClick,
    MenuError,
    load_menu,
    read_click,
    wechat_menu,
)
from scripts.processes import ROOT
from tests.channels.standin import StandIn
from tests.channels.wechat_platform import WeChatAPI

APP_ID, APP_SECRET = "wx0123456789abcdef", "test-app-secret"


def utf8(text):
    return len(text.encode("utf-8"))


def test_the_menu_fits_wechats_limits():
    menu = wechat_menu(load_menu())
    assert 1 <= len(menu["button"]) <= MAX_GROUPS
    for group in menu["button"]:
        assert utf8(group["name"]) <= MAX_GROUP_NAME_BYTES
        assert 1 <= len(group["sub_button"]) <= MAX_BUTTONS
        for button in group["sub_button"]:
            assert button["type"] == "click"
            assert utf8(button["name"]) <= MAX_BUTTON_NAME_BYTES
            assert utf8(button["key"]) <= MAX_KEY_BYTES


def test_the_menu_offers_topics_in_both_languages_named_by_their_labels(knowledge):
    menu = load_menu()
    assert {group.language for group in menu.groups} == {"en", "zh"}
    for group, pushed in zip(menu.groups, wechat_menu(menu)["button"]):
        names = [button["name"] for button in pushed["sub_button"]]
        assert names == [knowledge.topics[t].label.get(group.language) for t in group.topics]


def test_every_button_is_read_back_as_its_topic_and_language():
    menu = load_menu()
    for group, pushed in zip(menu.groups, wechat_menu(menu)["button"]):
        clicks = [read_click(button["key"]) for button in pushed["sub_button"]]
        assert clicks == [MenuClick(topic, group.language) for topic in group.topics]


@pytest.mark.parametrize(
    "key", [None, "", "V1001_TODAY_MUSIC", "topic:", "topic:fees", "topic:fees:fr"]
)
def test_keys_that_are_not_ours_are_not_clicks(key):
    assert read_click(key) is None


def broken_menu(tmp_path, change):
    menu = yaml.safe_load(MENU_FILE.read_text(encoding="utf-8"))
    change(menu)
    path = tmp_path / "wechat_menu.yml"
    path.write_text(yaml.safe_dump(menu, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change, named",
    [
        (lambda m: m["groups"][0]["topics"].__setitem__(0, "no_such_topic"), "no_such_topic"),
        (lambda m: m["groups"][0].update(name="一个很长很长的菜单名字"), "groups.0.name"),
        (lambda m: m["groups"][0]["topics"].extend(["hotline"] * 5), "groups.0.topics"),
        (lambda m: m["groups"].extend(m["groups"]), "groups"),
        (lambda m: m["groups"][2].update(language="fr"), "groups.2.language"),
        (lambda m: m["groups"][1].update(colour="red"), "groups.1.colour"),
    ],
)
def test_a_broken_menu_file_is_refused_naming_the_field(tmp_path, change, named):
    with pytest.raises(MenuError, match=named.replace(".", r"\.")):
        load_menu(broken_menu(tmp_path, change))


@pytest.fixture
def wechat_api():
    standin = StandIn()
    try:
        yield WeChatAPI(standin, APP_ID, APP_SECRET), standin.url + "/cgi-bin/"
    finally:
        standin.close()


def push(env):
    return subprocess.run(
        [sys.executable, "-m", "channels.wechat_menu"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_menu_is_pushed_through_the_api(wechat_api):
    api, url = wechat_api
    done = push({"WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": APP_SECRET, "WECHAT_API_URL": url})
    assert done.returncode == 0, done.stderr
    assert api.menus == [wechat_menu(load_menu())]
    assert len(api.issued) == 1


def test_pushing_without_the_account_names_what_is_missing(wechat_api):
    done = push({"WECHAT_APP_ID": APP_ID, "WECHAT_API_URL": wechat_api[1]})
    assert done.returncode != 0
    assert "WECHAT_APP_SECRET" in done.stderr
    assert wechat_api[0].menus == []


def test_a_refused_push_says_what_wechat_said(wechat_api):
    api, url = wechat_api
    done = push({"WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": "wrong", "WECHAT_API_URL": url})
    assert done.returncode != 0
    assert "40125" in done.stderr
    assert api.menus == []
