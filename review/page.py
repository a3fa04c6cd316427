"""The review page: one self-contained HTML file (inline CSS and SVG, no script, no
assets from the network), readable offline and safe to mail around: every text in it
was masked before it was stored, and is escaped here."""

from datetime import datetime, timezone
from html import escape
from typing import List

from review.charts import bars, columns, shares
from review.conversations import ANSWERED, FALLBACK, HANDED_OVER, FeedbackSummary, Summary
from review.unanswered import QuestionGroup

OUTCOME_LABELS = {
    ANSWERED: "answered",
    FALLBACK: "sent to the fallback",
    HANDED_OVER: "handed over",
}
STYLE = """
body { margin: 0; padding: 24px 32px 48px; font: 15px/1.5 system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #1d2327; background: #fafbfb; }
main { max-width: 980px; margin: 0 auto; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 8px; }
.note { color: #4a555c; margin: 0 0 16px; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.figures div { background: #fff; border: 1px solid #d9dde0; border-radius: 10px; padding: 10px 16px; min-width: 130px; }
.figures b { display: block; font-size: 24px; }
figure { margin: 12px 0; background: #fff; border: 1px solid #d9dde0; border-radius: 10px; padding: 10px 14px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg text { font: 12px system-ui, "PingFang SC", "Noto Sans CJK SC", sans-serif; fill: #1d2327; }
svg .value { font-weight: 600; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e3e6e8; vertical-align: top; }
td.count { text-align: right; font-weight: 600; width: 4em; }
.empty { color: #4a555c; font-style: italic; }
"""


def render_page(
    summary: Summary, feedback: FeedbackSummary, groups: List[QuestionGroup], source: str
) -> str:
    """The whole page as one HTML string."""
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    outcome_items = [
        (OUTCOME_LABELS[key], summary.outcomes[key]) for key in (ANSWERED, FALLBACK, HANDED_OVER)
    ]
    sections = [
        "<h1>Conversations with the social security card assistant</h1>",
        f'<p class="note">From {escape(source)}, made {made}. Personal data was masked before it was stored.</p>',
        '<div class="figures">',
        _figure("conversations", "conversations", summary.conversations),
        _figure("messages", "messages from users", summary.messages),
        *[
            _figure(f"outcome-{key}", OUTCOME_LABELS[key], summary.outcomes[key])
            for key in (ANSWERED, FALLBACK, HANDED_OVER)
        ],
        _figure("unanswered", "unanswered questions", len(summary.unanswered)),
        "</div>",
        "<h2>Per day</h2>",
        columns(
            "Conversations per day",
            [(str(day), n) for day, n in summary.per_day.items()],
            "conversations-per-day",
        ),
        columns(
            "Messages per day",
            [(str(day), n) for day, n in summary.messages_per_day.items()],
            "messages-per-day",
        ),
        "<h2>How conversations ended</h2>",
        shares("Answered, sent to the fallback, handed over", outcome_items, "outcomes"),
        "<h2>What people asked about, in which language, from where</h2>",
        bars("Answers per topic", summary.topics.most_common(), "topics"),
        bars("Conversations per language", summary.languages.most_common(), "languages"),
        bars("Conversations per region", summary.regions.most_common(), "regions"),
        "<h2>Feedback</h2>",
        _feedback(feedback),
        "<h2>Unanswered questions, grouped by similarity</h2>",
        '<p class="note">Each group is one question asked in several ways: candidates for new training examples or new topics (also in unanswered.csv).</p>',
        _groups(groups),
    ]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Conversations: review</title>"
        f"<style>{STYLE}</style></head><body><main>{''.join(sections)}</main></body></html>"
    )


def _figure(key: str, label: str, value: object) -> str:
    return f'<div data-figure="{key}"><b>{escape(str(value))}</b>{escape(label)}</div>'


def _feedback(feedback: FeedbackSummary) -> str:
    answers = feedback.helpful + feedback.not_helpful
    average = feedback.average_stars
    parts = [
        '<div class="figures">',
        _figure("helpful", "answers rated helpful", feedback.helpful),
        _figure("not-helpful", "answers rated not helpful", feedback.not_helpful),
        _figure(
            "helpful-share",
            "of rated answers helpful",
            f"{100 * feedback.helpful / answers:.0f}%" if answers else "–",
        ),
        _figure(
            "average-stars",
            "average rating of conversations (1-5)",
            f"{average:.1f}" if average else "–",
        ),
        "</div>",
        bars(
            "Conversation ratings",
            [(f"{n} ★", feedback.stars[n]) for n in range(5, 0, -1)],
            "stars",
        ),
        bars(
            "Answers rated not helpful, per topic",
            feedback.not_helpful_topics.most_common(),
            "not-helpful-topics",
        ),
        bars("Ratings per model", feedback.models.most_common(), "models"),
    ]
    if feedback.comments:
        parts.append('<table data-figure="comments"><tr><th>Recent comments</th></tr>')
        parts += [f"<tr><td>{escape(comment)}</td></tr>" for comment in reversed(feedback.comments)]
        parts.append("</table>")
    return "".join(parts)


def _groups(groups: List[QuestionGroup]) -> str:
    if not groups:
        return '<p class="empty">No unanswered questions.</p>'
    rows = "".join(
        f'<tr data-group="{number}"><td class="count">{group.count}</td><td>{escape(group.example)}</td>'
        f"<td>{'<br>'.join(escape(q) for q in sorted(set(group.questions)) if q != group.example)}</td></tr>"
        for number, group in enumerate(groups, 1)
    )
    return (
        '<table data-figure="unanswered-groups"><tr><th>times</th><th>question</th><th>also asked as</th></tr>'
        f"{rows}</table>"
    )
