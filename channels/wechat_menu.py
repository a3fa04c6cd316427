"""The Official Account's custom menu: read from wechat_menu.yml, pushed to WeChat, clicks read back.

    make wechat-menu    # python -m channels.wechat_menu: the account's menu becomes the file's

The file names topics of knowledge/data/topics.yml in groups; each button carries the
topic's label in its group's language. A click arrives as a CLICK event whose EventKey
names the topic and that language (`topic:materials:en`), and is answered as the
topic's quick reply is: the topic's intent with the language it was offered in. The
push uses the customer-service API's client (WECHAT_APP_ID, WECHAT_APP_SECRET and, for
another address, WECHAT_API_URL).
"""

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

import yaml
from pydantic import BaseModel, Extra, ValidationError, validator

from knowledge import LANGUAGES, KnowledgeBase, load_knowledge

MENU_FILE = Path(__file__).with_name("wechat_menu.yml")
# WeChat's limits (自定义菜单创建接口).
MAX_GROUPS = 3
MAX_BUTTONS = 5
MAX_GROUP_NAME_BYTES = 16
MAX_BUTTON_NAME_BYTES = 60
MAX_KEY_BYTES = 128
KEY_PREFIX = "topic:"


class MenuError(ValueError):
    """The menu file is malformed, names an unknown topic or exceeds WeChat's limits."""


class MenuGroup(BaseModel, extra=Extra.forbid):
    name: str
    language: str
    topics: List[str]

    @validator("language")
    def known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {LANGUAGES}")
        return value

    @validator("name")
    def short_name(cls, value: str) -> str:
        if not value.strip() or len(value.encode("utf-8")) > MAX_GROUP_NAME_BYTES:
            raise ValueError(f"must be 1-{MAX_GROUP_NAME_BYTES} bytes of UTF-8")
        return value

    @validator("topics")
    def some_topics(cls, value: List[str]) -> List[str]:
        if not 1 <= len(value) <= MAX_BUTTONS:
            raise ValueError(f"a group holds 1-{MAX_BUTTONS} topics")
        return value


class MenuFile(BaseModel, extra=Extra.forbid):
    groups: List[MenuGroup]

    @validator("groups")
    def some_groups(cls, value: List[MenuGroup]) -> List[MenuGroup]:
        if not 1 <= len(value) <= MAX_GROUPS:
            raise ValueError(f"the menu holds 1-{MAX_GROUPS} groups")
        return value


@dataclass(frozen=True)
class MenuClick:
    """What a menu button asks for: a topic, in the language of the button's label."""

    topic: str
    language: str


def click_key(topic: str, language: str) -> str:
    return f"{KEY_PREFIX}{topic}:{language}"


def read_click(key: Optional[str]) -> Optional[MenuClick]:
    """The topic and language of a CLICK event's EventKey, or None if it is not one of ours."""
    if not key or not key.startswith(KEY_PREFIX):
        return None
    topic, _, language = key[len(KEY_PREFIX) :].rpartition(":")
    if not topic or language not in LANGUAGES:
        return None
    return MenuClick(topic, language)


def load_menu(path: Path = MENU_FILE, knowledge: Optional[KnowledgeBase] = None) -> MenuFile:
    """The menu file, checked against the knowledge module's topics and WeChat's limits."""
    knowledge = knowledge or load_knowledge()
    try:
        menu = MenuFile.parse_obj(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as error:
        raise MenuError(f"{path}: cannot be read: {error}") from error
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}" for problem in error.errors()
        )
        raise MenuError(f"{path}: {problems}") from error
    for number, group in enumerate(menu.groups):
        for topic in group.topics:
            if topic not in knowledge.topics:
                raise MenuError(f"{path}: groups.{number}.topics: unknown topic {topic!r}")
            label = knowledge.topics[topic].label.get(group.language)
            if len(label.encode("utf-8")) > MAX_BUTTON_NAME_BYTES:
                raise MenuError(f"{path}: the label of {topic!r} is too long for a menu button")
            if len(click_key(topic, group.language).encode("utf-8")) > MAX_KEY_BYTES:
                raise MenuError(f"{path}: the topic id {topic!r} is too long for a menu key")
    return menu


def wechat_menu(menu: MenuFile, knowledge: Optional[KnowledgeBase] = None) -> Dict[str, Any]:
    """The menu as WeChat's menu/create API takes it."""
    knowledge = knowledge or load_knowledge()
    return {
        "button": [
            {
                "name": group.name,
                "sub_button": [
                    {
                        "type": "click",
                        "name": knowledge.topics[topic].label.get(group.language),
                        "key": click_key(topic, group.language),
                    }
                    for topic in group.topics
                ],
            }
            for group in menu.groups
        ]
    }


def push_menu(environ: Mapping[str, str], path: Path = MENU_FILE) -> Dict[str, Any]:
    """Make the account's menu the file's, through the API at WECHAT_API_URL (or WeChat's)."""
    from channels.wechat_service import AccountClient

    missing = [name for name in ("WECHAT_APP_ID", "WECHAT_APP_SECRET") if not environ.get(name)]
    if missing:
        raise MenuError(f"set {', '.join(missing)} to push the menu")
    menu = wechat_menu(load_menu(path))
    client = AccountClient(
        environ["WECHAT_APP_ID"], environ["WECHAT_APP_SECRET"], environ.get("WECHAT_API_URL")
    )
    client.menu.create(menu)
    return menu


def main() -> None:
    import requests
    from wechatpy.exceptions import WeChatClientException

    try:
        menu = push_menu(os.environ)
    except MenuError as error:
        sys.exit(f"wechat menu: {error}")
    except WeChatClientException as error:
        sys.exit(f"wechat menu: WeChat refused the menu: {error.errcode} {error.errmsg}")
    except requests.RequestException as error:
        sys.exit(f"wechat menu: WeChat's API could not be reached: {error}")
    buttons = sum(len(group["sub_button"]) for group in menu["button"])
    print(f"wechat menu: pushed {len(menu['button'])} groups, {buttons} buttons")


if __name__ == "__main__":
    main()
