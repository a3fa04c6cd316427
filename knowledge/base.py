"""The knowledge base: every answer the assistant gives, loaded from `knowledge/data/`.

Actions ask it for a `Reply` to a topic or a conversational message, in a
language and optionally for a region; they never compose answer text themselves.
"""

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Type, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from knowledge.regions import RegionDirectory
from knowledge.schema import (
    LANGUAGES,
    ConversationFile,
    LawFile,
    Region,
    RegionsFile,
    Topic,
    TopicsFile,
    VocabularyFile,
)

DATA_DIR = Path(__file__).parent / "data"
KNOWLEDGE_DIR_VARIABLE = "SSCARD_KNOWLEDGE_DIR"

Model = TypeVar("Model", bound=BaseModel)


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
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
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
        conversation = _load(self.data_dir / "conversation.yml", ConversationFile)
        self.messages = conversation.messages
        self.menu = conversation.menu
        self.message_for_intent = conversation.intents
        self.law = _load(self.data_dir / "law.yml", LawFile).law
        self.regions = RegionDirectory(_load(self.data_dir / "regions.yml", RegionsFile).regions)
        self.vocabulary = _load(self.data_dir / "vocabulary.yml", VocabularyFile).terms
        self._topic_for_intent = {topic.intent: topic_id for topic_id, topic in self.topics.items()}
        self._check_references()

    def _check_references(self) -> None:
        for topic_id in self.menu:
            if topic_id not in self.topics:
                raise KnowledgeError(
                    f"{self.data_dir / 'conversation.yml'}: menu: unknown topic {topic_id!r}"
                )
        for intent, key in self.message_for_intent.items():
            if not hasattr(self.messages, key):
                raise KnowledgeError(
                    f"{self.data_dir / 'conversation.yml'}: intents.{intent}: unknown message {key!r}"
                )
        for topic_id, topic in self.topics.items():
            for article in topic.cites:
                if article not in self.law.articles:
                    raise KnowledgeError(
                        f"{self.data_dir / 'topics.yml'}: topics.{topic_id}.cites: "
                        f"unknown article {article!r}"
                    )

    def topic_for_intent(self, intent: Optional[str]) -> Optional[str]:
        return self._topic_for_intent.get(intent or "")

    def answer(
        self,
        topic_id: str,
        language: str,
        region: Optional[Region] = None,
        previous_topic: Optional[str] = None,
    ) -> Reply:
        """The answer to a topic, refined for a region and for the topic asked before."""
        topic = self.topics[topic_id]
        paragraphs = []
        if previous_topic and previous_topic in topic.follow_up:
            paragraphs.append(topic.follow_up[previous_topic].get(language))
        paragraphs.append(topic.answer.get(language))
        if topic.items:
            paragraphs.append("\n".join(f"• {item}" for item in topic.items.get(language)))
        paragraphs.extend(self._citations(topic, language))
        if topic.caveat:
            paragraphs.append(topic.caveat.get(language))
        if topic.regional:
            paragraphs.append(self._local_note(region, language))
        return Reply(
            text="\n\n".join(paragraphs),
            buttons=self.buttons(topic.related, language),
            data={
                "topic": topic_id,
                "language": language,
                "region": region.id if region else None,
                "source": topic.source,
                "confidence": topic.confidence,
            },
        )

    def message(
        self, key: str, language: str, region: Optional[Region] = None, **fields: Any
    ) -> Reply:
        """A conversational message (greeting, fallback, bad input ...), with the menu."""
        text = getattr(self.messages, key).get(language)
        if region:
            fields.update(region=region.name(language), bureau=region.bureau(language))
        return Reply(
            text=text.format(**fields),
            buttons=self.buttons(self.menu, language),
            data={
                "topic": None,
                "message": key,
                "language": language,
                "region": region.id if region else None,
                "source": "assistant",
            },
        )

    def buttons(self, topic_ids: List[str], language: str) -> List[Button]:
        return [
            Button(
                title=self.topics[topic_id].label.get(language),
                payload=button_payload(self.topics[topic_id].intent, language),
            )
            for topic_id in topic_ids
        ]

    def _citations(self, topic: Topic, language: str) -> List[str]:
        """Quoted articles verbatim, other cited articles as one-line summaries."""
        paragraphs = []
        for number in topic.cites:
            article = self.law.articles[number]
            title = article.title.get(language)
            text = article.text.get(language)
            if article.quote:
                heading = self.messages.law_heading.get(language).format(article=title)
                paragraphs.append(f"{heading}\n“{text}”")
            else:
                paragraphs.append(
                    self.messages.article_summary.get(language).format(article=title, text=text)
                )
        return paragraphs

    def _local_note(self, region: Optional[Region], language: str) -> str:
        if region is None:
            return self.messages.region_prompt.get(language)
        return self.messages.local_bureau.get(language).format(
            region=region.name(language), bureau=region.bureau_en, bureau_zh=region.bureau_zh
        )


@lru_cache(maxsize=1)
def load_knowledge() -> KnowledgeBase:
    """The knowledge base, loaded once per process: the package's data files, or the folder
    SSCARD_KNOWLEDGE_DIR names (an office's edited copy, checked the same way)."""
    return KnowledgeBase(Path(os.environ.get(KNOWLEDGE_DIR_VARIABLE) or DATA_DIR))


__all__ = ["LANGUAGES", "Button", "KnowledgeBase", "KnowledgeError", "Reply", "load_knowledge"]
