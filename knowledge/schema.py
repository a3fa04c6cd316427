"""Schemas of the knowledge data files, checked when the files are loaded.

A broken file fails at start-up with the file and the field named, instead of
turning into a wrong or empty answer in the middle of a conversation.
"""

from typing import Dict, List, Optional

from pydantic import BaseModel, Extra, root_validator, validator

LANGUAGES = ("en", "zh")
CONFIDENCE_LEVELS = ("source", "H", "M", "L")


class Localized(BaseModel, extra=Extra.forbid):
    """A text in every language the assistant speaks."""

    en: str
    zh: str

    @validator("en", "zh")
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text must not be blank")
        return value.strip()

    def get(self, language: str) -> str:
        return getattr(self, language)


class LocalizedList(BaseModel, extra=Extra.forbid):
    en: List[str]
    zh: List[str]

    @root_validator(skip_on_failure=True)
    def same_length(cls, values):
        if len(values["en"]) != len(values["zh"]):
            raise ValueError("en and zh must have the same number of items")
        return values

    def get(self, language: str) -> List[str]:
        return getattr(self, language)


class Topic(BaseModel, extra=Extra.forbid):
    intent: str
    label: Localized
    regional: bool = False
    source: str
    confidence: str
    answer: Localized
    items: Optional[LocalizedList] = None
    caveat: Optional[Localized] = None
    follow_up: Dict[str, Localized] = {}
    related: List[str] = []
    cites: List[str] = []

    @validator("confidence")
    def known_confidence(cls, value: str) -> str:
        if value not in CONFIDENCE_LEVELS:
            raise ValueError(f"must be one of {CONFIDENCE_LEVELS}")
        return value


class TopicsFile(BaseModel, extra=Extra.forbid):
    topics: Dict[str, Topic]

    @root_validator(skip_on_failure=True)
    def references_exist(cls, values):
        topics = values["topics"]
        for topic_id, topic in topics.items():
            for other in [*topic.related, *topic.follow_up]:
                if other not in topics:
                    raise ValueError(f"topic {topic_id!r} refers to unknown topic {other!r}")
        intents = [topic.intent for topic in topics.values()]
        if len(intents) != len(set(intents)):
            raise ValueError("two topics share an intent")
        return values


class Messages(BaseModel, extra=Extra.forbid):
    greet: Localized
    goodbye: Localized
    thank: Localized
    bot_challenge: Localized
    help: Localized
    fallback: Localized
    empty_message: Localized
    no_words: Localized
    unsupported_message: Localized
    too_long: Localized
    region_noted: Localized
    region_unknown: Localized
    local_bureau: Localized
    region_prompt: Localized
    service_unavailable: Localized
    related_heading: Localized
    law_heading: Localized
    article_summary: Localized
    # The office's side (operators/): personal data, hand-over to a person, ratings.
    personal_data_notice: Localized
    handover_waiting: Localized
    handover_closed: Localized
    handover_nobody: Localized
    handover_unreachable: Localized
    leave_message_offer: Localized
    handover_cancelled: Localized
    handover_lost: Localized
    agent_joined: Localized
    agent_left: Localized
    feedback_thanks: Localized
    talk_to_person: Localized
    back_to_assistant: Localized
    office_hours: Localized
    day_range: Localized
    weekdays: LocalizedList


class ConversationFile(BaseModel, extra=Extra.forbid):
    messages: Messages
    menu: List[str]
    intents: Dict[str, str]


class Article(BaseModel, extra=Extra.forbid):
    title: Localized
    quote: bool
    text: Localized


class Law(BaseModel, extra=Extra.forbid):
    name: Localized
    primary: str
    articles: Dict[str, Article]

    @root_validator(skip_on_failure=True)
    def primary_exists(cls, values):
        if values["primary"] not in values["articles"]:
            raise ValueError(f"primary article {values['primary']!r} is not listed")
        return values


class LawFile(BaseModel, extra=Extra.forbid):
    law: Law


class Region(BaseModel, extra=Extra.forbid):
    id: str
    kind: str
    province: Optional[str] = None
    name_en: str
    name_zh: str
    aliases_en: List[str] = []
    aliases_zh: List[str] = []
    misspellings: List[str] = []
    bureau_en: str
    bureau_zh: str

    @validator("kind")
    def known_kind(cls, value: str) -> str:
        kinds = ("province", "autonomous_region", "municipality", "city")
        if value not in kinds:
            raise ValueError(f"must be one of {kinds}")
        return value

    def name(self, language: str) -> str:
        return self.name_zh if language == "zh" else self.name_en

    def bureau(self, language: str) -> str:
        return self.bureau_zh if language == "zh" else self.bureau_en

    @property
    def english_names(self) -> List[str]:
        """Correct English and pinyin forms, lower case."""
        return [self.name_en.lower(), *(alias.lower() for alias in self.aliases_en)]

    @property
    def chinese_names(self) -> List[str]:
        return [self.name_zh, *self.aliases_zh]


class RegionsFile(BaseModel, extra=Extra.forbid):
    regions: List[Region]

    @root_validator(skip_on_failure=True)
    def unique(cls, values):
        seen: Dict[str, str] = {}
        for region in values["regions"]:
            if region.id in seen:
                raise ValueError(f"duplicate region id {region.id!r}")
            seen[region.id] = region.id
        ids = set(seen)
        for region in values["regions"]:
            if region.province and region.province not in ids:
                raise ValueError(f"{region.id}: unknown province {region.province!r}")
        return values


class VocabularyFile(BaseModel, extra=Extra.forbid):
    terms: List[str]
