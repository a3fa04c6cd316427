"""Schemas of the knowledge data files, checked when the files are loaded.

A broken file fails at start-up with the file and the field named, instead of
turning into a wrong or empty answer in the middle of a conversation.
"""

from typing import Any, Dict, List, Optional

from pydantic import BaseModel, Extra, root_validator, validator

LANGUAGES = ("en", "zh")
# From firmest to weakest: the source article, then as the fact sheets mark them
# (H a law text or government source ... L one unofficial source).
CONFIDENCE_ORDER = ("source", "H", "M-H", "M", "L-M", "L")
SOURCE_FILES = ("source-article.md", "social-security-card.md", "everyday-questions.md")


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


class Statement(BaseModel, extra=Extra.forbid):
    """One sentence of an answer, in every language, and the fact it states (facts.yml)."""

    fact: str
    en: str
    zh: str

    @validator("en", "zh")
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text must not be blank")
        return value.strip()

    def get(self, language: str) -> str:
        return getattr(self, language)


class Topic(BaseModel, extra=Extra.forbid):
    """A card topic: its answer sentences, bullet items and caveat, each sentence sourced."""

    intent: str
    label: Localized
    regional: bool = False
    answer: List[Statement]
    items: List[Statement] = []
    caveat: List[Statement] = []
    follow_up: Dict[str, Statement] = {}
    related: List[str] = []
    cites: List[str] = []

    @validator("answer")
    def has_an_answer(cls, value: List[Statement]) -> List[Statement]:
        if not value:
            raise ValueError("a topic needs at least one answer sentence")
        return value

    def answer_text(self, language: str) -> str:
        """The answer's sentences as the paragraph the reply shows (before any list)."""
        return ("" if language == "zh" else " ").join(s.get(language) for s in self.answer)

    def statements(self) -> List[Statement]:
        """Every sentence of the topic."""
        return [*self.answer, *self.items, *self.caveat, *self.follow_up.values()]


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


class Fact(BaseModel, extra=Extra.forbid):
    """What a sentence may state: the file of knowledge/sources/ it is written in, its words
    there verbatim, its confidence as that file marks it, and the issuing body and date users
    see as its source; a regional example names its region."""

    file: str
    quote: str
    confidence: str
    source: Localized
    region: Optional[Localized] = None

    @validator("file")
    def known_file(cls, value: str) -> str:
        if value not in SOURCE_FILES:
            raise ValueError(f"must be one of {SOURCE_FILES}")
        return value

    @validator("confidence")
    def known_confidence(cls, value: str) -> str:
        if value not in CONFIDENCE_ORDER:
            raise ValueError(f"must be one of {CONFIDENCE_ORDER}")
        return value


class FactsFile(BaseModel, extra=Extra.forbid):
    facts: Dict[str, Fact]


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
    region_noted_county: Localized
    region_noted_province: Localized
    region_unknown: Localized
    local_bureau: Localized
    local_bureau_county: Localized
    local_bureau_province: Localized
    general_here: Localized
    general_here_county: Localized
    general_here_province: Localized
    which_place: Localized
    two_places: Localized
    role_hukou: Localized
    role_residence: Localized
    region_prompt: Localized
    restarted: Localized
    service_unavailable: Localized
    related_heading: Localized
    law_heading: Localized
    law_heading_other_language: Localized
    article_summary: Localized
    voice_unrecognised: Localized
    image_message: Localized
    location_message: Localized
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
    """An article of the law: `quote` ones are the statute's words (the Chinese original and
    the source article's English rendering), the others a summary labelled as one."""

    title: Localized
    quote: bool
    text: Localized
    fact: str


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


LEVELS = ("province", "prefecture", "county")
KINDS = {
    "province": ("province", "autonomous_region", "municipality"),
    "prefecture": ("city", "prefecture", "autonomous_prefecture", "league"),
    "county": (
        "district",
        "county",
        "county_city",
        "autonomous_county",
        "banner",
        "autonomous_banner",
        "new_area",
        "forestry_district",
        "special_district",
    ),
}


class Region(BaseModel, extra=Extra.forbid):
    """An administrative division (regions.yml, generated by `make regions`)."""

    id: str
    level: str
    kind: str
    name_zh: str
    forms_zh: List[str] = []
    name_en: str
    pinyin: str
    forms_en: List[str] = []
    parent: Optional[str] = None
    bureau_zh: str
    bureau_en: str

    @validator("id")
    def division_code(cls, value: str) -> str:
        if not (len(value) == 6 and value.isdigit()):
            raise ValueError("must be a 6-digit division code")
        return value

    @validator("kind")
    def known_kind(cls, value: str, values: Dict[str, Any]) -> str:
        if value not in KINDS.get(values.get("level", ""), ()):
            raise ValueError(f"is not a kind of {values.get('level')!r} division")
        return value

    def name(self, language: str) -> str:
        return self.name_zh if language == "zh" else self.name_en

    def bureau(self, language: str) -> str:
        return self.bureau_zh if language == "zh" else self.bureau_en

    @property
    def is_province(self) -> bool:
        """A province or autonomous region: cards are handled by its cities and counties."""
        return self.kind in ("province", "autonomous_region")


class RegionsFile(BaseModel, extra=Extra.forbid):
    regions: List[Region]

    @root_validator(skip_on_failure=True)
    def consistent(cls, values):
        by_id: Dict[str, Region] = {}
        for region in values["regions"]:
            if region.id in by_id:
                raise ValueError(f"duplicate region id {region.id!r}")
            by_id[region.id] = region
        above = {"prefecture": ("province",), "county": ("prefecture", "province")}
        for region in values["regions"]:
            if region.level == "province":
                if region.parent:
                    raise ValueError(f"{region.id}: a province has no parent")
                continue
            parent = by_id.get(region.parent or "")
            if parent is None or parent.level not in above[region.level]:
                raise ValueError(
                    f"{region.id}: parent {region.parent!r} is not a division above it"
                )
        return values


class LocalizedWords(BaseModel, extra=Extra.forbid):
    en: List[str] = []
    zh: List[str] = []


class FollowUpsFile(BaseModel, extra=Extra.forbid):
    """Words that tell which topic a short follow-up asks about (follow_ups.yml)."""

    cues: Dict[str, LocalizedWords]


class LookalikesFile(BaseModel, extra=Extra.forbid):
    """Words that begin or end with a place name without naming the place (generated)."""

    words: List[str]


class PinyinWordsFile(BaseModel, extra=Extra.forbid):
    """Everyday words in toneless pinyin (generated)."""

    words: List[str]


class VocabularyFile(BaseModel, extra=Extra.forbid):
    terms: List[str]
    english: List[str] = []
    other_cards: Dict[str, List[str]] = {}
    card_mentions: List[str] = []
    outside_the_mainland: List[str] = []
    saying_where_one_is: List[str] = []
    card_names: List[str] = []
    asking_about: List[str] = []
    asking_nothing: List[str] = []
    wanting: List[str] = []
    whole_messages: Dict[str, List[str]] = {}
