"""Where the time of one message goes, end to end, in-process.

    python -m bench.profile_message [--model models/sscard.tar.gz] [--messages 50]
                                    [--conversation-length 10]
                                    [--action-url http://127.0.0.1:5055/webhook] [--html FILE]

Loads the model with Agent.load (endpoints.yml's tracker store, its database in a temporary folder, the action
endpoint of a running action server: the one given, or one started here) and sends the
benchmark's conversation script (bench/load.py) through agent.handle_text, as the REST
webhook does, in conversations of `--conversation-length` messages (10 by default; 50 shows
what a long tracker costs):

1. a warm-up conversation, not measured;
2. `--messages` messages with stage timers only (no profiler): wall-clock time per message
   in NLU, the policies, the action call (its parts: the tracker sent as JSON, the HTTP
   round trip to the action server, the validation of the action server's reply), the
   tracker store and the rest. These are the figures to quote;
3. the same number of messages under pyinstrument (cProfile when pyinstrument is not
   installed): time per graph component (NLU components and policies) and the functions
   with the most time of their own. A profiler slows call-heavy code (deep recursion such
   as jsonschema) far more than numeric code, so its shares are not the timers' shares.
"""

import argparse
import asyncio
import functools
import inspect
import io
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

from bench.load import conversation_script, repeat_script
from evaluation.nlu import quiet_rasa_logging
from scripts.processes import MODEL, ROOT, ensure_ready, free_port, start_action_server

CONVERSATION_LENGTH = 10


# --------------------------------------------------------------------------- set-up


def project_endpoints() -> Dict:
    import yaml

    return yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))


def tracker_store_config(db: Path) -> Dict:
    """endpoints.yml's tracker store, writing to `db`."""
    return {**project_endpoints()["tracker_store"], "db": str(db)}


def tracker_store_class(config: Dict) -> type:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.utils.common import class_from_module_path

    return (
        SQLTrackerStore
        if config["type"].lower() == "sql"
        else class_from_module_path(config["type"])
    )


def load_agent(model: Path, action_url: str, db: Path):
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import EndpointConfig

    tracker_store = TrackerStore.create(EndpointConfig(**tracker_store_config(db)))
    return Agent.load(
        str(model),
        tracker_store=tracker_store,
        action_endpoint=EndpointConfig(
            **{**project_endpoints()["action_endpoint"], "url": action_url}
        ),
    )


async def converse(agent, messages: List[str], prefix: str, length: int) -> None:
    """The messages through agent.handle_text, a new sender every `length` messages."""
    from channels.rest import AnswerCollectingOutputChannel

    for index, text in enumerate(messages):
        replies = await agent.handle_text(
            text,
            output_channel=AnswerCollectingOutputChannel(),
            sender_id=f"{prefix}-{index // length}",
        )
        if not replies:
            raise RuntimeError(f"no reply to {text!r}: is the action server up?")


# --------------------------------------------------------------------------- stage timers


def timer_targets(store: type) -> List[Tuple[str, type, str]]:
    """(stage, class, method) timed in pass 2. Indented stages are parts of the one above."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor
    from rasa.utils.endpoints import EndpointConfig

    return [
        ("NLU (parse the message)", MessageProcessor, "_parse_message_with_graph"),
        (
            "policies (predict the next action, twice)",
            MessageProcessor,
            "_predict_next_with_tracker",
        ),
        ("action_answer (RemoteAction.run)", RemoteAction, "run"),
        ("  tracker as JSON for the action server", RemoteAction, "_action_call_format"),
        ("  HTTP round trip to the action server", EndpointConfig, "request"),
        ("  jsonschema validation of the reply", RemoteAction, "_validate_action_result"),
        ("tracker store: retrieve", store, "retrieve"),
        ("tracker store: save", store, "save"),
    ]


class StageTimers:
    """Wraps methods with wall-clock timers (sync and async) and puts them back afterwards."""

    def __init__(self, targets: List[Tuple[str, type, str]]) -> None:
        self.targets = targets
        self.seconds: Dict[str, float] = defaultdict(float)
        self._originals: List[Tuple[type, str, Callable]] = []

    def _wrap(self, stage: str, original: Callable) -> Callable:
        seconds = self.seconds
        if inspect.iscoroutinefunction(original):

            @functools.wraps(original)
            async def timed_async(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return await original(*args, **kwargs)
                finally:
                    seconds[stage] += time.perf_counter() - started

            return timed_async

        @functools.wraps(original)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                seconds[stage] += time.perf_counter() - started

        return timed

    def __enter__(self) -> "StageTimers":
        for stage, cls, name in self.targets:
            original = cls.__dict__[name]
            self._originals.append((cls, name, original))
            if isinstance(original, staticmethod):
                setattr(cls, name, staticmethod(self._wrap(stage, original.__func__)))
            else:
                setattr(cls, name, self._wrap(stage, original))
        return self

    def __exit__(self, *exc) -> None:
        for cls, name, original in reversed(self._originals):
            setattr(cls, name, original)


def print_stage_table(seconds: Dict[str, float], targets, count: int, wall: float) -> None:
    per = lambda s: s / count * 1000  # noqa: E731
    print(
        f"Pass 2: {count} messages with stage timers, no profiler: "
        f"{per(wall):.1f} ms per message (wall clock)\n"
    )
    print(f"  {'stage':<50}{'ms/msg':>9}{'share':>8}")
    top_level = 0.0
    for stage, _, _ in targets:
        value = seconds.get(stage, 0.0)
        if not stage.startswith("  "):
            top_level += value
        print(f"  {stage:<50}{per(value):>9.1f}{value / wall:>8.0%}")
    rest = max(0.0, wall - top_level)
    print(
        f"  {'everything else (events, slots, lock, channel)':<50}{per(rest):>9.1f}"
        f"{rest / wall:>8.0%}"
    )


# --------------------------------------------------------------------------- profiler


def _frame_name(frame) -> str:
    return getattr(frame, "class_name", None) or (frame.file_path or "?").rsplit("/", 1)[-1]


def component_times(root) -> Dict[str, float]:
    """Seconds per graph component method ("Class.method") from a pyinstrument frame tree.

    A component's method is the frame that GraphNode.__call__ (rasa/engine/graph.py) calls;
    the node's own helpers (hooks, logging) are left out.
    """
    times: Dict[str, float] = defaultdict(float)

    def walk(frame, parent) -> None:
        path = (frame.file_path or "").replace("\\", "/")
        parent_path = (parent.file_path or "").replace("\\", "/") if parent is not None else ""
        if (
            parent is not None
            and parent.function == "__call__"
            and "rasa/engine/graph.py" in parent_path
            and "rasa/engine/" not in path
            and "/logging/" not in path
            and not frame.is_synthetic
        ):
            times[f"{_frame_name(frame)}.{frame.function}"] += frame.time
            return
        for child in frame.children:
            walk(child, frame)

    walk(root, None)
    return dict(times)


def own_times(root) -> Dict[str, float]:
    """CPU seconds spent in each function itself (not in its callees, not awaiting)."""
    times: Dict[str, float] = defaultdict(float)

    def walk(frame) -> None:
        if not frame.is_synthetic:
            own = frame.time - sum(
                child.time
                for child in frame.children
                if not child.is_synthetic or child.function != "[self]"
            )
            short = frame.file_path_short or frame.file_path or "?"
            name = f"{frame.class_name + '.' if frame.class_name else ''}{frame.function}"
            times[f"{name}  {short}:{frame.line_no}"] += max(0.0, own)
        for child in frame.children:
            walk(child)

    walk(root)
    return dict(times)


def profile_pyinstrument(agent, messages: List[str], length: int, html: Optional[Path]) -> None:
    from pyinstrument import Profiler

    async def run():
        profiler = Profiler(interval=0.001, async_mode="enabled")
        started = time.perf_counter()
        profiler.start()
        await converse(agent, messages, "profiled", length)
        profiler.stop()
        return profiler, time.perf_counter() - started

    profiler, wall = asyncio.run(run())
    count = len(messages)
    per = lambda s: s / count * 1000  # noqa: E731
    session = profiler.last_session
    print(
        f"\nPass 3: {count} messages under pyinstrument {_version('pyinstrument')}: "
        f"{per(wall):.1f} ms per message (profiler overhead included)\n"
    )
    print(f"  {'graph component (NLU and policies)':<62}{'ms/msg':>9}")
    for name, seconds in sorted(
        component_times(session.root_frame()).items(), key=lambda item: -item[1]
    ):
        if per(seconds) >= 0.05:
            print(f"  {name:<62}{per(seconds):>9.1f}")
    print(f"\n  {'functions with the most time of their own (profiler on)':<62}{'ms/msg':>9}")
    hottest = sorted(own_times(session.root_frame()).items(), key=lambda item: -item[1])
    for name, seconds in hottest[:15]:
        print(f"  {name[:62]:<62}{per(seconds):>9.1f}")
    if html:
        html.write_text(profiler.output_html(), encoding="utf-8")
        print(f"\n  full call tree: {html}")


def profile_cprofile(agent, messages: List[str], length: int) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    asyncio.run(converse(agent, messages, "profiled", length))
    profiler.disable()
    wall = time.perf_counter() - started
    print(
        f"\nPass 3: pyinstrument is not installed; cProfile of {len(messages)} messages, "
        f"{wall / len(messages) * 1000:.1f} ms each (profiler overhead included)\n"
    )
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
    print(out.getvalue())


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


# --------------------------------------------------------------------------- main


def run(agent, store: type, messages: List[str], length: int, html: Optional[Path]) -> None:
    asyncio.run(converse(agent, messages[:CONVERSATION_LENGTH], "warmup", CONVERSATION_LENGTH))
    targets = timer_targets(store)
    with StageTimers(targets) as timers:
        started = time.perf_counter()
        asyncio.run(converse(agent, messages, "timed", length))
        wall = time.perf_counter() - started
    print_stage_table(timers.seconds, targets, len(messages), wall)
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        profile_cprofile(agent, messages, length)
    else:
        profile_pyinstrument(agent, messages, length, html)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.profile_message",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--model", default=str(MODEL))
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument(
        "--conversation-length",
        type=int,
        default=CONVERSATION_LENGTH,
        help="messages per sender (default %(default)s)",
    )
    parser.add_argument(
        "--action-url",
        help="webhook of a running action server " "(default: start one on a free port)",
    )
    parser.add_argument("--html", type=Path, help="also write pyinstrument's HTML call tree here")
    args = parser.parse_args(argv)
    if not Path(args.model).exists():
        print(f"no model at {args.model}: run `make train`", file=sys.stderr)
        return 1

    messages = repeat_script(conversation_script(), args.messages)
    with tempfile.TemporaryDirectory(prefix="profile-") as folder:
        work = Path(folder)
        actions = None
        action_url = args.action_url
        if not action_url:
            port = free_port()
            actions = start_action_server(port, work)
            ensure_ready([f"http://127.0.0.1:{port}/health"], [actions])
            action_url = f"http://127.0.0.1:{port}/webhook"
        try:
            quiet_rasa_logging()
            db = work / "conversations.db"
            store = tracker_store_class(tracker_store_config(db))
            agent = load_agent(Path(args.model), action_url, db)
            print(
                f"model {args.model}; action server {action_url}; "
                f"tracker store {store.__name__} (endpoints.yml); "
                f"conversations of {args.conversation_length} messages "
                f"(bench/load.py's script)\n"
            )
            run(agent, store, messages, args.conversation_length, args.html)
        finally:
            if actions:
                actions.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
