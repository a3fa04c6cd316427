"""The knowledge base: every answer the assistant gives, loaded from `knowledge/data/`.

Actions ask it for a `Reply` to a topic or a conversational message, in a
language and optionally for a region; they never compose answer text themselves.
"""

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Type, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from knowledge.facts import join_sentences, sources_of, weakest
from knowledge.regions import RegionDirectory, simplified
from knowledge.schema import (
    LANGUAGES,
    ConversationFile,
    Fact,
    FactsFile,
    FollowUpsFile,
    LawFile,
    LookalikesFile,
    PinyinWordsFile,
    Region,
    RegionsFile,
    Topic,
    TopicsFile,
    VocabularyFile,
)

DATA_DIR = Path(__file__).parent / "data"
KNOWLEDGE_DIR_VARIABLE = "SSCARD_KNOWLEDGE_DIR"

Model = TypeVar("Model", bound=BaseModel)
# libyaml's loader when PyYAML has it: the region directory is a large file.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KnowledgeError(ValueError):
    """A knowledge data file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """One message of the assistant: text, quick replies and machine-readable data."""

    text: str
    buttons: List[Button] = field(default_factory=list)
    data: Dict[str, Any] = field(default_factory=dict)


def _load(path: Path, schema: Type[Model]) -> Model:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except (OSError, yaml.YAMLError) as error:
        raise KnowledgeError(f"{path}: cannot be read: {error}") from error
    try:
        return schema.parse_obj(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}" for problem in error.errors()
        )
        raise KnowledgeError(f"{path}: {problems}") from error


def button_payload(intent: str, language: str) -> str:
    """The payload a quick reply sends: the intent, with the language it was offered in."""
    return f"/{intent}{json.dumps({'language': language})}"


class KnowledgeBase:
    """Topics, the law, conversational messages and the region directory."""

    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        self.data_dir = Path(data_dir)
        self.topics: Dict[str, Topic] = _load(self.data_dir / "topics.yml", TopicsFile).topics
        self.facts: Dict[str, Fact] = _load(self.data_dir / "facts.yml", FactsFile).facts
        conversation = _load(self.data_dir / "conversation.yml", ConversationFile)
        self.messages = conversation.messages
        self.menu = conversation.menu
        self.message_for_intent = conversation.intents
        self.law = _load(self.data_dir / "law.yml", LawFile).law
        vocabulary = _load(self.data_dir / "vocabulary.yml", VocabularyFile)
        self.vocabulary = vocabulary.terms
        self.english_vocabulary = vocabulary.english
        self.pinyin_words = _load(self.data_dir / "pinyin_words.yml", PinyinWordsFile).words
        self.regions = RegionDirectory(
            _load(self.data_dir / "regions.yml", RegionsFile).regions,
            _load(self.data_dir / "place_lookalikes.yml", LookalikesFile).words,
            # words, never a misspelt place: everyday pinyin and the card's own words
            [*self.pinyin_words, *(w.lower() for w in self.english_vocabulary)],
            vocabulary.outside_the_mainland,
        )
        cues = _load(self.data_dir / "follow_ups.yml", FollowUpsFile).cues
        self._follow_up_cues = _follow_up_pattern(cues)
        self._topic_for_intent = {topic.intent: topic_id for topic_id, topic in self.topics.items()}
        self._check_references()
        self._check_law_facts()

    def _check_references(self) -> None:
        for topic_id in self.menu:
            if topic_id not in self.topics:
                raise KnowledgeError(
                    f"{self.data_dir / 'conversation.yml'}: menu: unknown topic {topic_id!r}"
                )
        for topic_id in set(self._follow_up_cues[1].values()):
            if topic_id not in self.topics:
                raise KnowledgeError(
                    f"{self.data_dir / 'follow_ups.yml'}: unknown topic {topic_id!r}"
                )
        for intent, key in self.message_for_intent.items():
            if not hasattr(self.messages, key):
                raise KnowledgeError(
                    f"{self.data_dir / 'conversation.yml'}: intents.{intent}: unknown message {key!r}"
                )
        for topic_id, topic in self.topics.items():
            for statement in topic.statements():
                if statement.fact not in self.facts:
                    raise KnowledgeError(
                        f"{self.data_dir / 'topics.yml'}: topics.{topic_id}: "
                        f"unknown fact {statement.fact!r} (facts.yml)"
                    )
            for article in topic.cites:
                if article not in self.law.articles:
                    raise KnowledgeError(
                        f"{self.data_dir / 'topics.yml'}: topics.{topic_id}.cites: "
                        f"unknown article {article!r}"
                    )

    def _check_law_facts(self) -> None:
        for number, article in self.law.articles.items():
            if article.fact not in self.facts:
                raise KnowledgeError(
                    f"{self.data_dir / 'law.yml'}: law.articles.{number}.fact: "
                    f"unknown fact {article.fact!r} (facts.yml)"
                )

    def follow_up_topic(self, text: str) -> Optional[str]:
        """The topic a short follow-up asks about, by the first cue word in it."""
        pattern, topic_of = self._follow_up_cues
        match = pattern.search(simplified(text).lower()) if topic_of else None
        return topic_of[match.group(0)] if match else None

    def topic_for_intent(self, intent: Optional[str]) -> Optional[str]:
        return self._topic_for_intent.get(intent or "")

    def answer(
        self,
        topic_id: str,
        language: str,
        region: Optional[Region] = None,
        previous_topic: Optional[str] = None,
        text_language: Optional[str] = None,
        local_note: bool = True,
        general_here: bool = False,
    ) -> Reply:
        """The answer to a topic, refined for a region and for the topic asked before.

        `text_language` is the language of the statute's quoted words when the user asked
        for them in the other language ("Article 58 in Chinese?"); the rest of the reply
        stays in `language`. `local_note=False` leaves out the note on the local bureau
        (the caller says something else about places instead). `general_here` adds, to an
        answer that is the same everywhere, that it holds in `region` and who handles the card
        there (for a place asked about: "in Kunming too?").
        """
        topic = self.topics[topic_id]
        paragraphs = []
        said = []
        if previous_topic and previous_topic in topic.follow_up:
            opening = topic.follow_up[previous_topic]
            paragraphs.append(opening.get(language))
            said.append(opening)
        paragraphs.append(join_sentences(topic.answer, language))
        if topic.items:
            paragraphs.append("\n".join(f"• {item.get(language)}" for item in topic.items))
        paragraphs.extend(self._citations(topic, language, text_language or language))
        if topic.caveat:
            paragraphs.append(join_sentences(topic.caveat, language))
        if topic.regional and local_note:
            paragraphs.append(self.local_note(region, language))
        elif local_note and region is not None and general_here:
            paragraphs.append(
                self._place_text(self._place_message(region, "general_here"), region, language)
            )
        said += [*topic.answer, *topic.items, *topic.caveat]
        fact_ids = [statement.fact for statement in said]
        fact_ids += [self.law.articles[number].fact for number in topic.cites]
        facts = [self.facts[fact_id] for fact_id in fact_ids]
        return Reply(
            text="\n\n".join(paragraphs),
            buttons=self.buttons(topic.related, language),
            data={
                "topic": topic_id,
                "language": language,
                "region": region.id if region else None,
                "region_name": region.name(language) if region else None,
                "source": sources_of(facts, language),
                "confidence": weakest(fact.confidence for fact in facts),
                "facts": fact_ids,
            },
        )

    def message(
        self, key: str, language: str, region: Optional[Region] = None, **fields: Any
    ) -> Reply:
        """A conversational message (greeting, fallback, bad input ...), with the menu."""
        text = getattr(self.messages, key).get(language)
        if region:
            fields.update(region=region.name(language), bureau=region.bureau(language))
        return self._reply(text.format(**fields), self.menu, key, language, region)

    def buttons(self, topic_ids: List[str], language: str) -> List[Button]:
        return [
            Button(
                title=self.topics[topic_id].label.get(language),
                payload=button_payload(self.topics[topic_id].intent, language),
            )
            for topic_id in topic_ids
        ]

    def _citations(self, topic: Topic, language: str, text_language: str) -> List[str]:
        """Quoted articles verbatim in `text_language` (the reply's, unless the user asked
        for the other one), other cited articles as summaries labelled as such."""
        paragraphs = []
        for number in topic.cites:
            article = self.law.articles[number]
            title = article.title.get(language)
            if article.quote:
                heading = (
                    self.messages.law_heading
                    if text_language == language
                    else self.messages.law_heading_other_language
                )
                text = article.text.get(text_language)
                paragraphs.append(f"{heading.get(language).format(article=title)}\n“{text}”")
            else:
                paragraphs.append(
                    self.messages.article_summary.get(language).format(
                        article=title, text=article.text.get(language)
                    )
                )
        return paragraphs

    # --- places ----------------------------------------------------------------------

    def local_note(self, region: Optional[Region], language: str) -> str:
        """Who handles the card where the user is: the city's (or county's) bureau; for a
        province, the city or county agency, which the provincial department supervises."""
        if region is None:
            return self.messages.region_prompt.get(language)
        return self._place_text(self._place_message(region, "local_bureau"), region, language)

    def region_noted(self, region: Region, language: str) -> Reply:
        """The acknowledgement of a place named on its own, with the menu."""
        key = self._place_message(region, "region_noted")
        return self._reply(
            self._place_text(key, region, language), self.menu, key, language, region
        )

    def which_place(
        self, choices: Sequence[Region], language: str, answers: Sequence[Reply] = ()
    ) -> Reply:
        """The question which of several same-named places is meant, each one a button
        (after the answers to the message's questions, if it asked any)."""
        text = self.messages.which_place.get(language).format(name=choices[0].name(language))
        reply = self._place_buttons(text, choices, "which_place", language)
        return self.combine([*answers, reply], language) if answers else reply

    def two_places(
        self,
        places: Sequence[Region],
        roles: Dict[str, str],
        language: str,
        answers: Sequence[Reply] = (),
    ) -> Reply:
        """Two places named apart (the hukou in one, work in the other): whose agency handles
        the card, as far as the facts say, and which place to use from now on."""
        named = []
        for place in places:
            role = roles.get(place.id)
            label = self.place_label(place, language)
            if role:
                label += getattr(self.messages, f"role_{role}").get(language)
            named.append(label)
        text = self.messages.two_places.get(language).format(
            first=named[0],
            second=named[1],
            first_bureau=places[0].bureau(language),
            second_bureau=places[1].bureau(language),
            first_bureau_zh=places[0].bureau_zh,
            second_bureau_zh=places[1].bureau_zh,
        )
        reply = self._place_buttons(text, places, "two_places", language)
        return self.combine([*answers, reply], language) if answers else reply

    def place_label(self, region: Region, language: str) -> str:
        """A place with what tells it apart: 'Taizhou, Jiangsu' / '江苏泰州', 'Gulou District,
        Nanjing' / '南京市鼓楼区'."""
        parent = self.regions.parent(region)
        if region.level == "province" or parent is None:
            return region.name(language)
        if language == "zh":
            if region.level == "county":
                return parent.name_zh + region.name_zh
            return self.regions.province_of(region).name_zh.rstrip("省") + region.name_zh.rstrip(
                "市"
            )
        name = region.name_en
        if region.level == "county":
            kind = {"district": "District", "county": "County", "banner": "Banner"}.get(region.kind)
            name = f"{name} {kind}" if kind else name
        return f"{name}, {parent.name_en}"

    def combine(self, replies: Sequence[Reply], language: str) -> Reply:
        """Several answers as one reply, in order: texts one after the other, the last
        reply's buttons, the topics and sources of all."""
        topics = [r.data["topic"] for r in replies if r.data.get("topic")]
        facts = [fact for r in replies for fact in r.data.get("facts", [])]
        data = {**replies[0].data, "topics": topics, "facts": facts}
        if facts:
            data["source"] = sources_of([self.facts[f] for f in facts], language)
            data["confidence"] = weakest(self.facts[f].confidence for f in facts)
        for reply in replies[1:]:
            for key in ("region", "region_name", "message"):
                if reply.data.get(key) and not data.get(key):
                    data[key] = reply.data[key]
        return Reply(
            text="\n\n".join(r.text for r in replies), buttons=replies[-1].buttons, data=data
        )

    def _place_message(self, region: Region, prefix: str) -> str:
        if region.is_province:
            return f"{prefix}_province"
        if region.level == "county":
            return f"{prefix}_county"
        return prefix

    def _place_text(self, key: str, region: Region, language: str) -> str:
        parent = self.regions.parent(region)
        return (
            getattr(self.messages, key)
            .get(language)
            .format(
                region=region.name(language),
                bureau=region.bureau_en,
                bureau_zh=region.bureau_zh,
                city=parent.name(language) if parent else "",
                city_zh=parent.name_zh if parent else "",
            )
        )

    def _place_buttons(self, text: str, places: Sequence[Region], key: str, language: str) -> Reply:
        buttons = [
            Button(
                title=self.place_label(place, language),
                payload=f"/inform_region{json.dumps({'region': place.id, 'language': language})}",
            )
            for place in places
        ]
        return Reply(
            text=text,
            buttons=buttons,
            data={
                "topic": None,
                "message": key,
                "language": language,
                "region": None,
                "choices": [place.id for place in places],
                "source": "assistant",
            },
        )

    def _reply(
        self, text: str, menu: List[str], key: str, language: str, region: Optional[Region] = None
    ) -> Reply:
        return Reply(
            text=text,
            buttons=self.buttons(menu, language),
            data={
                "topic": None,
                "message": key,
                "language": language,
                "region": region.id if region else None,
                "region_name": region.name(language) if region else None,
                "source": "assistant",
            },
        )


def _follow_up_pattern(cues: Dict[str, Any]) -> Tuple["re.Pattern[str]", Dict[str, str]]:
    """One pattern for every cue word (longest first; English ones as whole words), and
    the topic of each."""
    topic_of: Dict[str, str] = {}
    for topic_id, words in cues.items():
        for word in [*words.en, *words.zh]:
            topic_of.setdefault(word.lower(), topic_id)
    alternatives = [
        re.escape(w) if not w.isascii() else rf"\b{re.escape(w)}\b"
        for w in sorted(topic_of, key=len, reverse=True)
    ]
    return re.compile("|".join(alternatives) or "(?!)"), topic_of


@lru_cache(maxsize=1)
def load_knowledge() -> KnowledgeBase:
    """The knowledge base, loaded once per process: the package's data files, or the folder
    SSCARD_KNOWLEDGE_DIR names (an office's edited copy, checked the same way)."""
    return KnowledgeBase(Path(os.environ.get(KNOWLEDGE_DIR_VARIABLE) or DATA_DIR))


__all__ = ["LANGUAGES", "Button", "KnowledgeBase", "KnowledgeError", "Reply", "load_knowledge"]
