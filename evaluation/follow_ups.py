"""Follow-ups that only make sense after the previous answer, answered in its context.

Each item of tests/nlu/*follow_ups_*.yml gives the intent whose answer the user just read
(`after`), the follow-up message, the intent it should be answered as (`expect`) and, for
"and in Hangzhou?", the place (`region`, full Chinese names). The message is parsed by the
model and answered by the action's own decision (actions.conversation) with the previous
topic remembered, as in a conversation; it is right when the reply answers the expected
topic (for the place given, if any).
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import yaml

from evaluation.nlu import TEST_SETS, Parser, parse_all


@dataclass(frozen=True)
class FollowUp:
    after: str
    message: str
    expect: str
    region: Optional[str] = None


@dataclass
class FollowUpScores:
    items: int
    accuracy: float
    errors: List[Tuple[str, str, str]] = field(default_factory=list)

    def report(self) -> str:
        lines = [f"follow-ups {self.accuracy:.3f} of {self.items}"]
        lines += [f"  after {after}: {message!r}: {got}" for after, message, got in self.errors]
        return "\n".join(lines)


def follow_up_files(language: str, sets: str = "test") -> List[Path]:
    prefix = "dev_follow_ups" if sets == "dev" else "follow_ups"
    return sorted(TEST_SETS.glob(f"{prefix}_{language}.yml")) + sorted(
        TEST_SETS.glob(f"{prefix}_*_{language}.yml")
    )


def read_follow_ups(paths: Sequence[Path]) -> List[FollowUp]:
    items = []
    for path in paths:
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["follow_ups"]:
            items.append(
                FollowUp(item["after"], str(item["message"]), item["expect"], item.get("region"))
            )
    return items


def evaluate_follow_ups(parse: Parser, items: Sequence[FollowUp], language: str) -> FollowUpScores:
    from actions.conversation import read_turn, respond
    from knowledge import load_knowledge

    knowledge = load_knowledge()
    parses = parse_all(parse, [item.message for item in items])
    errors = []
    for item, parsed in zip(items, parses):
        previous = knowledge.topic_for_intent(item.after)
        turn = read_turn(
            knowledge,
            item.message,
            (parsed.get("intent") or {}).get("name"),
            parsed.get("entities") or [],
            {"topic": previous, "language": language},
            questions=parsed.get("questions") or (),
            ranking=parsed.get("intent_ranking") or (),
        )
        reply, _ = respond(knowledge, turn)
        got_topic = reply.data.get("topic")
        want_topic = knowledge.topic_for_intent(item.expect)
        right = got_topic == want_topic
        if right and item.region:
            want = knowledge.regions.named(item.region)
            right = want is not None and reply.data.get("region") == want.id
        if not right:
            errors.append(
                (
                    item.after,
                    item.message,
                    f"{got_topic or reply.data.get('message')} "
                    f"(region {reply.data.get('region')})",
                )
            )
    count = len(items)
    return FollowUpScores(count, 1 - len(errors) / count if count else 1.0, errors)
