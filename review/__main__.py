"""python -m review [--endpoints endpoints.yml] [--out reports]   (make report)

Writes OUT/conversations.html (the review page) and OUT/unanswered.csv (the unanswered
questions with their groups) from the database of the tracker store that the endpoints
file names: the embedded SQLite file, or the cluster's PostgreSQL
(deploy/endpoints.cluster.yml with its DB_* variables set).
"""

import argparse
from pathlib import Path

from operators import store
from operators.settings import settings
from review.conversations import read_conversations, read_feedback, summarise
from review.page import render_page
from review.unanswered import group_questions, write_csv


def write_report(endpoints: str, out: Path) -> Path:
    """Write the page and the CSV into `out`; the page's path."""
    engine = store.engine_from_endpoints(endpoints)
    summary = summarise(read_conversations(engine), settings().office_hours.timezone)
    groups = group_questions(summary.unanswered)
    out.mkdir(parents=True, exist_ok=True)
    page = out / "conversations.html"
    source = f"{engine.url.get_backend_name()} database {engine.url.database}"
    page.write_text(render_page(summary, read_feedback(engine), groups, source), encoding="utf-8")
    write_csv(groups, out / "unanswered.csv")
    return page


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--endpoints", default="endpoints.yml")
    parser.add_argument("--out", type=Path, default=Path("reports"))
    args = parser.parse_args()
    page = write_report(args.endpoints, args.out)
    print(f"Wrote {page} and {args.out / 'unanswered.csv'}")


if __name__ == "__main__":
    main()
