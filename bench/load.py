"""The load client of `make bench`: conversations through the REST webhook, and their figures.

Every request goes to a server on the loopback interface, and every run is bounded: a fixed
number of conversations, each a fixed script of messages. Any HTTP error, a reply that is
not a JSON list, or an empty reply list stops the run with a LoadError.

The pure helpers (percentile, summarize, window_mean, parse_vmrss) carry the maths and are
unit-tested in tests/bench/test_load.py; the rest needs a running assistant.
"""

import asyncio
import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[1]

# The fixed script every benchmark conversation sends: realistic questions in both
# languages, the first example of each (language, intent) in tests/nlu/test_{en,zh}.yml,
# i.e. sentences the model never saw in training.
SCRIPT_PLAN: Tuple[Tuple[str, str], ...] = (
    ("en", "greet"),
    ("en", "ask_materials"),
    ("zh", "ask_process"),
    ("en", "ask_department"),
    ("en", "inform_region"),
    ("zh", "report_lost_card"),
    ("zh", "ask_hotline"),
    ("en", "ask_printing_time"),
    ("zh", "ask_electronic_card"),
    ("zh", "thank"),
)

REQUEST_TIMEOUT_S = 120.0


class LoadError(RuntimeError):
    """A request of the benchmark failed: the run stops, naming the request."""


# --------------------------------------------------------------------------- maths


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between closest ranks.

    Same definition as numpy.percentile's default ("linear"): rank (n - 1) * q / 100.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, not {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Summary:
    """Latency (milliseconds) and throughput of one load run."""

    requests: int
    concurrency: int
    wall_s: float
    mean_ms: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    throughput: float  # messages answered per second of wall-clock time


def summarize(latencies_s: Sequence[float], wall_s: float, concurrency: int = 1) -> Summary:
    """Figures of a run: latencies in seconds, wall-clock time of the whole run in seconds."""
    if not latencies_s:
        raise ValueError("no latencies to summarize")
    if wall_s <= 0:
        raise ValueError(f"wall-clock time must be positive, not {wall_s}")
    ms = [value * 1000 for value in latencies_s]
    return Summary(
        requests=len(ms),
        concurrency=concurrency,
        wall_s=wall_s,
        mean_ms=sum(ms) / len(ms),
        p50_ms=percentile(ms, 50),
        p95_ms=percentile(ms, 95),
        p99_ms=percentile(ms, 99),
        max_ms=max(ms),
        throughput=len(ms) / wall_s,
    )


def window_mean(values: Sequence[float], first: int, last: int) -> float:
    """Mean of turns first..last (1-based, inclusive) of a conversation."""
    if not 1 <= first <= last <= len(values):
        raise ValueError(f"turns {first}..{last} are not within 1..{len(values)}")
    window = values[first - 1 : last]
    return sum(window) / len(window)


def parse_vmrss(status_text: str) -> int:
    """Bytes of resident memory from the text of /proc/<pid>/status (`VmRSS:  1234 kB`)."""
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            amount, unit = line.split()[1:3]
            if unit.lower() != "kb":
                raise ValueError(f"unexpected VmRSS unit: {line!r}")
            return int(amount) * 1024
    raise ValueError("no VmRSS line (a kernel thread, or a process that has exited)")


# --------------------------------------------------------------------------- processes


def child_pids(pid: int) -> List[int]:
    """Every descendant of `pid`, from the parent ids in /proc/*/stat."""
    parents: Dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name (2nd field) may hold spaces and parentheses: split after the last ")".
        fields = stat[stat.rfind(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found.extend(children)
        frontier.extend(children)
    return found


def tree_rss(pid: int) -> int:
    """Resident memory in bytes of a process and all its descendants (VmRSS each)."""
    total = 0
    for each in [pid, *child_pids(pid)]:
        try:
            total += parse_vmrss(Path(f"/proc/{each}/status").read_text())
        except (OSError, ValueError):
            if each == pid:
                raise
    return total


# --------------------------------------------------------------------------- script


def conversation_script() -> List[str]:
    """The fixed 10-message script, read from the held-out test sets with Rasa's loader."""
    # Imported here: evaluation.nlu brings scikit-learn, which the load client does not need.
    from evaluation.nlu import LANGUAGES, TEST_SETS, read_examples

    first: Dict[Tuple[str, str], str] = {}
    for language in LANGUAGES:
        for example in read_examples(TEST_SETS / f"test_{language}.yml"):
            first.setdefault((language, example.intent), example.text)
    missing = [key for key in SCRIPT_PLAN if key not in first]
    if missing:
        raise LoadError(f"the test sets have no example for {missing}")
    return [first[key] for key in SCRIPT_PLAN]


def repeat_script(script: Sequence[str], count: int) -> List[str]:
    """`count` messages: the script over and over (turn k and turn k+10 say the same)."""
    return [script[i % len(script)] for i in range(count)]


# --------------------------------------------------------------------------- client


@dataclass
class ConversationResult:
    sender: str
    latencies_s: List[float] = field(default_factory=list)


@dataclass
class LoadResult:
    conversations: List[ConversationResult]
    wall_s: float
    concurrency: int

    @property
    def latencies_s(self) -> List[float]:
        return [value for conversation in self.conversations for value in conversation.latencies_s]

    def summary(self) -> Summary:
        return summarize(self.latencies_s, self.wall_s, self.concurrency)


async def send(session, url: str, sender: str, text: str) -> Tuple[float, list]:
    """POST one message; (latency in seconds, reply list). LoadError unless 200 and non-empty."""
    import aiohttp

    started = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as answer:
            body = await answer.text()
            latency = time.perf_counter() - started
            if answer.status != 200:
                raise LoadError(
                    f"HTTP {answer.status} for {sender!r} saying {text!r}: {body[:500]}"
                )
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        raise LoadError(f"request failed for {sender!r} saying {text!r}: {error!r}") from error
    try:
        import json

        replies = json.loads(body)
    except ValueError:
        raise LoadError(f"reply to {sender!r} saying {text!r} is not JSON: {body[:500]}") from None
    if not isinstance(replies, list) or not replies:
        raise LoadError(f"empty reply list for {sender!r} saying {text!r}: {body[:500]}")
    return latency, replies


def new_session(concurrency: int):
    """A keep-alive aiohttp session with one connection per concurrent conversation."""
    import aiohttp

    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(
            limit=concurrency, limit_per_host=concurrency, keepalive_timeout=60
        ),
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S),
    )


async def run_conversations(
    url: str, messages: Sequence[str], conversations: int, concurrency: int, sender_prefix: str
) -> LoadResult:
    """`conversations` senders each send `messages` in order, `concurrency` at a time.

    Within a conversation each message waits for the previous reply, as a person would.
    """
    if concurrency < 1 or conversations < 1 or not messages:
        raise ValueError("need at least one conversation, one message and concurrency 1")
    results = [ConversationResult(f"{sender_prefix}-{index:03d}") for index in range(conversations)]
    gate = asyncio.Semaphore(concurrency)

    async with new_session(concurrency) as session:

        async def converse(result: ConversationResult) -> None:
            async with gate:
                for text in messages:
                    latency, _ = await send(session, url, result.sender, text)
                    result.latencies_s.append(latency)

        started = time.perf_counter()
        tasks = [asyncio.create_task(converse(result)) for result in results]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
        wall = time.perf_counter() - started
    return LoadResult(results, wall, concurrency)


async def wait_first_reply(
    url: str, text: str, alive, timeout_s: float, sender: str = "bench-startup"
) -> float:
    """Poll the webhook until the first successful reply; the monotonic time it arrived.

    `alive()` says whether the server process still runs (a crash fails at once).
    Connection errors and non-200 answers while the server starts are retried.
    """
    import aiohttp

    deadline = time.monotonic() + timeout_s
    last_error = "no attempt"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        while time.monotonic() < deadline:
            if not alive():
                raise LoadError(f"the server exited before answering (last: {last_error})")
            try:
                async with session.post(url, json={"sender": sender, "message": text}) as answer:
                    body = await answer.json(content_type=None)
                    if answer.status == 200 and isinstance(body, list) and body:
                        return time.monotonic()
                    last_error = f"HTTP {answer.status}: {str(body)[:200]}"
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                last_error = repr(error)
            await asyncio.sleep(0.1)
    raise LoadError(f"no reply within {timeout_s:.0f} s (last: {last_error})")
