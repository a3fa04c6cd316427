"""`make bench`: the project's configuration against Rasa's stock one, on the project's data.

    python -m bench.run [--quick] [--reuse-models DIR] [--out docs/benchmarks.md]

For "project" (config.yml) and "stock" (bench/stock_config.yml, what `rasa init` writes),
one after the other, with the same domain, data, action server, endpoints and credentials:

  training time   wall clock of `rasa train --force` into a fresh folder and a fresh cache
  model size      bytes of the .tar.gz
  accuracy        intent accuracy and macro F1 on tests/nlu/test_{en,zh}.yml (Agent.load)
  start-up        from starting `rasa run` to the first successful REST webhook reply
  latency         p50/p95/p99 and messages/s through the REST webhook, 1 and 20 conversations
  50 turns        mean latency of turns 1-10 vs 41-50 of one conversation
  memory          VmRSS of Rasa and of the action server (and their children) after the load

then writes docs/benchmarks.md with the ratios project/stock and the targets met or not.
Any HTTP error or empty reply list fails the run (exit status 1).

--quick (for developing the benchmark only): the stock configuration with 5 epochs instead
of 100 for DIETClassifier, ResponseSelector, TEDPolicy and UnexpecTEDIntentPolicy and fewer
messages; the report says so on every stock figure, and goes to results/ unless --out is given.
--reuse-models DIR: models already in DIR are used as they are (training time "not
measured"); missing ones are trained and kept there.
"""
import argparse
import asyncio
import datetime
import importlib.util
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

import yaml

from bench.load import (LoadError, Summary, conversation_script, repeat_script,
                        run_conversations, tree_rss, wait_first_reply, window_mean)

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
STOCK_CONFIG = ROOT / "bench" / "stock_config.yml"
PROJECT_CONFIG = ROOT / "config.yml"
DEFAULT_OUT = ROOT / "docs" / "benchmarks.md"
QUICK_OUT = ROOT / "results" / "benchmarks-quick.md"
QUICK_EPOCHS = 5
EPOCH_COMPONENTS = ("DIETClassifier", "ResponseSelector", "TEDPolicy", "UnexpecTEDIntentPolicy")
TRAINING_TARGET_S = 180.0
STARTUP_TARGET_S = 30.0
STARTUP_TIMEOUT_S = 600.0


# What the two configurations are trained, evaluated and served from: if any of it changes
# while the benchmark runs (another developer commits), the comparison is void.
INPUT_PATHS = ("config.yml", "domain.yml", "endpoints.yml", "credentials.yml", "data", "actions",
               "channels", "components", "knowledge", "spacy_pipeline", "tracker_store",
               "requirements.lock", "bench/stock_config.yml", "bench/load.py", "tests/nlu",
               "tests/servers.py", "scripts/processes.py")


class BenchmarkError(RuntimeError):
    """The benchmark cannot go on; the message says why."""


@dataclass(frozen=True)
class Load:
    """How many messages each load test sends."""

    c1_messages: int = 60          # 1 conversation x 60 messages
    c20_conversations: int = 20    # 20 conversations at once ...
    c20_messages: int = 10         # ... x 10 messages each
    long_turns: int = 50           # one conversation of 50 turns
    warmup_messages: int = 10      # not measured


FULL_LOAD = Load()
QUICK_LOAD = Load(c1_messages=20, c20_conversations=20, c20_messages=5, long_turns=50,
                  warmup_messages=5)


@dataclass
class Figures:
    """Everything measured for one configuration (None: not measured)."""

    training_s: Optional[float] = None
    model_bytes: Optional[int] = None
    accuracy: Dict[str, Dict[str, float]] = field(default_factory=dict)  # language -> figures
    startup_s: Optional[float] = None
    rasa_rss: Optional[int] = None
    actions_rss: Optional[int] = None
    c1: Optional[Summary] = None
    c20: Optional[Summary] = None
    long_first_ms: Optional[float] = None  # mean latency of turns 1-10
    long_last_ms: Optional[float] = None   # mean latency of turns 41-50
    load_before: Optional[float] = None    # 1-minute load average before the load tests
    load_after: Optional[float] = None     # ... and after them


# =========================================================================== rendering
# Pure functions: tests/bench/test_load.py renders made-up figures with them.


def ratio(project: Optional[float], stock: Optional[float]) -> Optional[float]:
    if project is None or stock is None or stock == 0:
        return None
    return project / stock


def fmt_ratio(value: Optional[float]) -> str:
    if value is None:
        return "n/a"
    if value >= 100 or value < 0.01:
        return f"{value:.3g}×"
    return f"{value:.2f}×"


def fmt_seconds(value: Optional[float]) -> str:
    if value is None:
        return "not measured"
    if value >= 60:
        return f"{value:.1f} s ({int(value // 60)} min {value % 60:02.0f} s)"
    return f"{value:.1f} s"


def fmt_ms(value: Optional[float]) -> str:
    return "not measured" if value is None else f"{value:.1f} ms"


def fmt_rate(value: Optional[float]) -> str:
    return "not measured" if value is None else f"{value:.2f} msg/s"


def fmt_bytes(value: Optional[float]) -> str:
    if value is None:
        return "not measured"
    return f"{int(value):,} B ({value / 2**20:.1f} MiB)"


def fmt_score(value: Optional[float]) -> str:
    return "not measured" if value is None else f"{value:.3f}"


def fmt_count(value: Optional[float]) -> str:
    return "not measured" if value is None else f"{int(value)}"


@dataclass(frozen=True)
class Target:
    """A goal for the project's figure: `check(project, stock)` says whether it is met."""

    text: str
    check: Callable[[float, float], bool]


AT_LEAST_STOCK = Target("≥ stock", lambda p, s: p >= s)
THREE_TIMES_STOCK = Target("≥ 3× stock", lambda p, s: p >= 3 * s)
THIRD_OF_STOCK = Target("≤ 1/3 stock", lambda p, s: p * 3 <= s)


def below(limit: float, text: str) -> Target:
    return Target(text, lambda p, s: p < limit)


@dataclass(frozen=True)
class Row:
    label: str
    project: Optional[float]
    stock: Optional[float]
    fmt: Callable[[Optional[float]], str]
    target: Optional[Target] = None
    with_ratio: bool = True

    def verdict(self) -> str:
        if self.target is None:
            return ""
        # Absolute targets need only the project's figure; relative ones need both.
        needs_stock = self.target not in ABSOLUTE_TARGETS
        if self.project is None or (needs_stock and self.stock is None):
            return "not measured"
        return "met" if self.target.check(self.project, self.stock) else "**not met**"


ABSOLUTE_TARGETS: List[Target] = []


def absolute(target: Target) -> Target:
    ABSOLUTE_TARGETS.append(target)
    return target


TRAINING_TARGET = absolute(below(TRAINING_TARGET_S, "< 3 min"))
STARTUP_TARGET = absolute(below(STARTUP_TARGET_S, "< 30 s"))


@dataclass(frozen=True)
class Section:
    title: str
    rows: Sequence[Row]
    note: str = ""


def render_table(rows: Sequence[Row], stock_label: str = "stock") -> str:
    """A markdown table: figure, project, stock, project/stock, target, met?"""
    lines = [f"| figure | project | {stock_label} | project/stock | target | met? |",
             "| --- | ---: | ---: | ---: | --- | --- |"]
    for row in rows:
        shown_ratio = fmt_ratio(ratio(row.project, row.stock)) if row.with_ratio else "—"
        target = row.target.text if row.target else "—"
        lines.append(f"| {row.label} | {row.fmt(row.project)} | {row.fmt(row.stock)} | "
                     f"{shown_ratio} | {target} | {row.verdict() or '—'} |")
    return "\n".join(lines)


def _acc(figures: Figures, language: str, key: str) -> Optional[float]:
    return figures.accuracy.get(language, {}).get(key)


def _get(summary: Optional[Summary], name: str) -> Optional[float]:
    return None if summary is None else getattr(summary, name)


def build_sections(project: Figures, stock: Figures, load: Load = FULL_LOAD) -> List[Section]:
    c20_total = load.c20_conversations * load.c20_messages

    def latency_rows(name: str, target_rows: bool) -> List[Row]:
        p, s = getattr(project, name), getattr(stock, name)
        return [
            Row("requests", _get(p, "requests"), _get(s, "requests"), fmt_count, with_ratio=False),
            Row("latency p50", _get(p, "p50_ms"), _get(s, "p50_ms"), fmt_ms),
            Row("latency p95", _get(p, "p95_ms"), _get(s, "p95_ms"), fmt_ms, THIRD_OF_STOCK),
            Row("latency p99", _get(p, "p99_ms"), _get(s, "p99_ms"), fmt_ms),
            Row("latency mean", _get(p, "mean_ms"), _get(s, "mean_ms"), fmt_ms),
            Row("throughput", _get(p, "throughput"), _get(s, "throughput"), fmt_rate,
                THREE_TIMES_STOCK if target_rows else None),
        ]

    def fmt_load(value: Optional[float]) -> str:
        return "not measured" if value is None else f"{value:.2f}"

    machine_load = [
        Row("machine load average (1 min) before the load tests", project.load_before,
            stock.load_before, fmt_load, with_ratio=False),
        Row("machine load average (1 min) after the load tests", project.load_after,
            stock.load_after, fmt_load, with_ratio=False),
    ]

    growth_p = ratio(project.long_last_ms, project.long_first_ms)
    growth_s = ratio(stock.long_last_ms, stock.long_first_ms)
    last_first = max(1, load.long_turns - 9)
    return [
        Section("Intent accuracy", [
            Row("English accuracy", _acc(project, "en", "accuracy"), _acc(stock, "en", "accuracy"),
                fmt_score, AT_LEAST_STOCK),
            Row("English macro F1", _acc(project, "en", "macro_f1"), _acc(stock, "en", "macro_f1"),
                fmt_score),
            Row("Chinese accuracy", _acc(project, "zh", "accuracy"), _acc(stock, "zh", "accuracy"),
                fmt_score, AT_LEAST_STOCK),
            Row("Chinese macro F1", _acc(project, "zh", "macro_f1"), _acc(stock, "zh", "macro_f1"),
                fmt_score),
        ], "Held-out sentences of `tests/nlu/test_en.yml` and `test_zh.yml`, scored by "
           "`tests.nlu.evaluation.evaluate` on the model loaded with `Agent.load` "
           "(`out_of_scope` and `nlu_fallback` count as the same answer)."),
        Section("Training", [
            Row("training time", project.training_s, stock.training_s, fmt_seconds, TRAINING_TARGET),
        ], "Wall clock of `rasa train --config X --domain domain.yml --data data --out <fresh dir> "
           "--fixed-model-name X --force` with an empty training cache (`RASA_CACHE_DIRECTORY` "
           "in a fresh folder): a full training, Python start-up included."),
        Section("Model size", [
            Row("model (.tar.gz)", project.model_bytes, stock.model_bytes, fmt_bytes),
        ]),
        Section("Start-up", [
            Row("start-up to first answer", project.startup_s, stock.startup_s, fmt_seconds,
                STARTUP_TARGET),
        ], "From starting `rasa run` until the first successful reply of the REST webhook "
           "(HTTP 200, non-empty reply list), polled every 0.1 s, with the action server already up."),
        Section("Memory", [
            Row("Rasa server RSS", project.rasa_rss, stock.rasa_rss, fmt_bytes),
            Row("action server RSS", project.actions_rss, stock.actions_rss, fmt_bytes),
        ], "`VmRSS` of `/proc/<pid>/status`, the process plus its children, after the load tests. "
           "Both configurations use the same action server process (started once), measured "
           "after each configuration's load tests."),
        Section("Latency and throughput, 1 conversation", latency_rows("c1", False),
                f"One conversation of {load.c1_messages} messages (the script below, repeated), "
                "each sent when the previous reply arrived."),
        Section("Latency and throughput, 20 concurrent conversations", latency_rows("c20", True),
                f"{load.c20_conversations} conversations at once (different sender ids, one "
                f"keep-alive connection each), {load.c20_messages} messages each: "
                f"{c20_total} requests. Throughput = requests / wall clock of the whole run."),
        Section(f"A {load.long_turns}-turn conversation", [
            Row("mean latency, turns 1–10", project.long_first_ms, stock.long_first_ms, fmt_ms),
            Row(f"mean latency, turns {last_first}–{load.long_turns}", project.long_last_ms,
                stock.long_last_ms, fmt_ms),
            Row(f"turns {last_first}–{load.long_turns} / turns 1–10", growth_p, growth_s,
                lambda v: "n/a" if v is None else f"{v:.2f}", with_ratio=False),
        ], "One sender, the 10-message script five times over, so turns 1–10 and 41–50 send the "
           "same sentences: the difference is what a longer conversation costs per turn (Rasa "
           "replays the session for its policies; tracker store and action call are the "
           "project's, shared by both configurations)."),
        Section("Machine load during the load tests", machine_load,
                "Other developers' work on the same 2 cores slows whichever configuration it "
                "coincides with: compare the latency figures with this in mind."),
    ]


def render_targets(sections: Sequence[Section], stock_label: str = "stock") -> str:
    rows = [(section.title, row) for section in sections for row in section.rows if row.target]
    lines = [f"| section | figure | target | project | {stock_label} | project/stock | met? |",
             "| --- | --- | --- | ---: | ---: | ---: | --- |"]
    for title, row in rows:
        lines.append(f"| {title} | {row.label} | {row.target.text} | {row.fmt(row.project)} | "
                     f"{row.fmt(row.stock)} | {fmt_ratio(ratio(row.project, row.stock))} | "
                     f"{row.verdict()} |")
    return "\n".join(lines)


def render_document(sections: Sequence[Section], meta: Dict[str, str], script: Sequence[str],
                    quick: bool, warnings: Sequence[str] = ()) -> str:
    stock_label = "stock (QUICK, 5 epochs)" if quick else "stock"
    out = ["# Benchmarks: the project's configuration against Rasa's stock one", ""]
    out.append("Written by `make bench` (`python -m bench.run`); rerun it rather than editing "
               "this file.")
    out.append("")
    for warning in warnings:
        out += [f"> **WARNING: {warning}**", ""]
    if quick:
        out += ["> **QUICK RUN — NOT THE REAL STOCK CONFIGURATION.** The stock model was trained "
                f"with {QUICK_EPOCHS} epochs instead of 100 for "
                f"{', '.join(EPOCH_COMPONENTS)}, and fewer messages were sent. These figures only "
                "check that the benchmark works; they compare nothing.", ""]
    out += ["| | |", "| --- | --- |"]
    out += [f"| {key} | {value} |" for key, value in meta.items()]
    out += ["", "> Figures vary between runs: the machine is shared, and other developers' tests "
            "run on the same 2 cores at the same time (see the load average above). Compare the "
            "ratios within one run rather than absolute figures across runs.", ""]
    out += ["**project** = `config.yml` (the project's spaCy pipeline, TF-IDF intent classifier, "
            "RulePolicy matching the recent turns). **stock** = `bench/stock_config.yml`, what `rasa init` writes: Rasa's "
            "default pipeline (WhitespaceTokenizer, featurizers, DIETClassifier, ResponseSelector, "
            "FallbackClassifier) and policies (MemoizationPolicy, RulePolicy, "
            "UnexpecTEDIntentPolicy, TEDPolicy). Both are trained on `data/` with `domain.yml`, and "
            "served by `rasa run` with the same endpoints.yml settings (the project's cached SQL "
            "tracker store on a fresh SQLite file per configuration; the same action server, sent "
            "the latest turn), the same channels with their fixes to Rasa, and the same "
            "credentials, one configuration after the other: the ratios measure `config.yml`.", ""]
    out += ["## Targets", "", render_targets(sections, stock_label), ""]
    for section in sections:
        out += [f"## {section.title}", ""]
        if section.note:
            out += [section.note, ""]
        out += [render_table(section.rows, stock_label), ""]
    out += ["## The conversation script", "",
            "Every load-test conversation sends these messages in this order (the first example "
            "of each intent named, from `tests/nlu/test_en.yml` and `test_zh.yml`), after "
            "a warm-up conversation that is not measured:", ""]
    out += [f"{index}. {text}" for index, text in enumerate(script, 1)]
    out.append("")
    return "\n".join(out)


# =========================================================================== inputs


def fingerprint(root: Path, paths: Sequence[str] = INPUT_PATHS) -> Dict[str, str]:
    """sha256 of every file under `paths` (relative to root), bytecode caches left out."""
    import hashlib

    digests: Dict[str, str] = {}
    for name in paths:
        top = root / name
        files = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digests[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def changed_files(before: Dict[str, str], after: Dict[str, str]) -> List[str]:
    """Files added, removed or modified between two fingerprints, sorted."""
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))


def git_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = [line[3:] for line in git("status", "--porcelain", "--", *INPUT_PATHS).splitlines()]
    return commit + (f" (uncommitted changes: {', '.join(dirty)})" if dirty else "")


# =========================================================================== machine


def machine_info() -> Dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    from importlib.metadata import version

    return {
        "machine": f"{nproc} CPUs (nproc), {mem_kb / 2**20:.1f} GiB memory, CPU: {cpu}",
        "Python": platform.python_version(),
        "Rasa": f"{version('rasa')} (rasa-sdk {version('rasa-sdk')})",
    }


def load_average() -> str:
    return " / ".join(Path("/proc/loadavg").read_text().split()[:3])


# =========================================================================== steps


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def quick_stock_config(directory: Path) -> Path:
    """Rasa's default configuration with 5 epochs: for developing the benchmark only."""
    rasa_dir = Path(importlib.util.find_spec("rasa").submodule_search_locations[0])
    defaults = yaml.safe_load((rasa_dir / "engine/recipes/config_files/default_config.yml")
                              .read_text(encoding="utf-8"))
    stock = yaml.safe_load(STOCK_CONFIG.read_text(encoding="utf-8"))
    config = {**defaults, "language": stock["language"],
              "assistant_id": f"{stock['assistant_id']}-quick"}
    for item in config["pipeline"] + config["policies"]:
        if item["name"] in EPOCH_COMPONENTS:
            item["epochs"] = QUICK_EPOCHS
    path = directory / "stock-quick.yml"
    path.write_text("# QUICK bench only: Rasa's defaults with 5 epochs. NOT the stock config.\n"
                    + yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return "(no log)"


def train(name: str, config: Path, out_dir: Path, work: Path) -> float:
    """Train into a fresh folder with a fresh cache; the wall-clock seconds it took."""
    from tests.servers import quiet_environment

    fresh = Path(tempfile.mkdtemp(prefix=f"train-{name}-", dir=work))
    log_path = work / f"train-{name}.log"
    # Rasa writes its auto-configuration into a config that leaves keys out: give it a copy.
    config_copy = fresh / config.name
    shutil.copyfile(config, config_copy)
    command = [str(BIN / "rasa"), "train", "--config", str(config_copy),
               "--domain", str(ROOT / "domain.yml"), "--data", str(ROOT / "data"),
               "--out", str(fresh / "models"), "--fixed-model-name", name, "--force"]
    env = quiet_environment({"RASA_CACHE_DIRECTORY": str(fresh / "cache")})
    log(f"training {name}: {shlex.join(command[1:])}")
    started = time.monotonic()
    with open(log_path, "wb") as handle:
        finished = subprocess.run(command, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, env=env)
    seconds = time.monotonic() - started
    model = fresh / "models" / f"{name}.tar.gz"
    if finished.returncode != 0 or not model.exists():
        raise BenchmarkError(f"training {name} failed (exit {finished.returncode}); "
                             f"log {log_path}:\n{tail(log_path)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.move(str(model), out_dir / model.name)
    shutil.rmtree(fresh, ignore_errors=True)
    log(f"trained {name} in {seconds:.1f} s")
    return seconds


def evaluate_in_subprocess(model: Path, work: Path) -> Dict[str, Dict[str, float]]:
    """Accuracy and macro F1 per language, in a separate process (TensorFlow stays out of this one)."""
    from tests.servers import quiet_environment

    out = work / f"evaluation-{model.stem}.json"
    log_path = work / f"evaluation-{model.stem}.log"
    with open(log_path, "wb") as handle:
        finished = subprocess.run(
            [sys.executable, "-m", "bench.run", "--evaluate-model", str(model),
             "--evaluation-out", str(out)],
            cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, env=quiet_environment())
    if finished.returncode != 0 or not out.exists():
        raise BenchmarkError(f"evaluating {model} failed; log {log_path}:\n{tail(log_path)}")
    return json.loads(out.read_text())


def evaluate_model(model: Path, out: Path) -> None:
    from bench.profile_message import quiet_rasa_logging
    from rasa.core.agent import Agent
    from tests.nlu.evaluation import evaluate

    quiet_rasa_logging()
    agent = Agent.load(str(model))
    figures = {}
    for language in ("en", "zh"):
        result = evaluate(agent, language)
        figures[language] = {"accuracy": result.accuracy, "macro_f1": result.macro_f1}
    out.write_text(json.dumps(figures))


async def measure_server(name: str, model: Path, action_port: int, actions, work: Path,
                         script: List[str], load: Load, figures: Figures) -> None:
    """Start Rasa, time the first answer, run the load tests, read the memory, stop Rasa."""
    from tests.servers import free_port, start, write_credentials, write_endpoints

    run_dir = work / f"serve-{name}"
    run_dir.mkdir()
    endpoints = write_endpoints(run_dir, action_port, run_dir / "conversations.db")
    credentials = write_credentials(run_dir)
    port = free_port()
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    command = [str(BIN / "rasa"), "run", "--model", str(model), "--endpoints", str(endpoints),
               "--credentials", str(credentials), "--port", str(port), "--interface", "127.0.0.1"]
    log(f"starting rasa run for {name} on port {port}")
    started = time.monotonic()
    rasa = start("rasa", command, run_dir)
    try:
        def alive() -> bool:
            return rasa.popen.poll() is None and actions.popen.poll() is None

        try:
            answered = await wait_first_reply(url, script[0], alive, STARTUP_TIMEOUT_S)
        except LoadError as error:
            raise BenchmarkError(f"{name}: start-up failed: {error}\n--- rasa log ---\n"
                                 f"{tail(rasa.log)}\n--- action server log ---\n"
                                 f"{tail(actions.log)}") from error
        figures.startup_s = answered - started
        log(f"{name}: first answer after {figures.startup_s:.1f} s")

        async def conversations(messages, count, concurrency, prefix):
            try:
                return await run_conversations(url, messages, count, concurrency, f"{name}-{prefix}")
            except LoadError as error:
                raise BenchmarkError(f"{name}: load test '{prefix}' failed: {error}\n"
                                     f"--- rasa log ---\n{tail(rasa.log)}") from error

        await conversations(repeat_script(script, load.warmup_messages), 1, 1, "warmup")
        figures.load_before = os.getloadavg()[0]
        figures.c1 = (await conversations(repeat_script(script, load.c1_messages), 1, 1, "c1")).summary()
        log(f"{name}: c=1  p50 {figures.c1.p50_ms:.0f} ms, p95 {figures.c1.p95_ms:.0f} ms, "
            f"{figures.c1.throughput:.2f} msg/s")
        result = await conversations(repeat_script(script, load.c20_messages),
                                     load.c20_conversations, load.c20_conversations, "c20")
        figures.c20 = result.summary()
        log(f"{name}: c=20 p50 {figures.c20.p50_ms:.0f} ms, p95 {figures.c20.p95_ms:.0f} ms, "
            f"{figures.c20.throughput:.2f} msg/s")
        long = await conversations(repeat_script(script, load.long_turns), 1, 1, "long")
        turns = [value * 1000 for value in long.conversations[0].latencies_s]
        figures.long_first_ms = window_mean(turns, 1, min(10, len(turns)))
        figures.long_last_ms = window_mean(turns, max(1, len(turns) - 9), len(turns))
        log(f"{name}: {len(turns)} turns: {figures.long_first_ms:.0f} ms (1-10) -> "
            f"{figures.long_last_ms:.0f} ms (last 10)")
        figures.load_after = os.getloadavg()[0]
        figures.rasa_rss = tree_rss(rasa.popen.pid)
        figures.actions_rss = tree_rss(actions.popen.pid)
        log(f"{name}: RSS rasa {figures.rasa_rss / 2**20:.0f} MiB, "
            f"actions {figures.actions_rss / 2**20:.0f} MiB")
    finally:
        rasa.stop()


def benchmark(args: argparse.Namespace) -> int:
    from tests.servers import ensure_ready, free_port, start_action_server

    began = time.monotonic()
    quick = args.quick
    load = QUICK_LOAD if quick else FULL_LOAD
    out = Path(args.out) if args.out else (QUICK_OUT if quick else DEFAULT_OUT)
    command = "python -m bench.run" + ("" if len(sys.argv) < 2 else " " + shlex.join(sys.argv[1:]))
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "command": f"`{command}`" + (" (`make bench`)" if command == "python -m bench.run" else ""),
            **machine_info(), "load average (1/5/15 min) at start": load_average()}
    meta["commit"] = git_commit()
    inputs_before = fingerprint(ROOT)
    if not (ROOT / "build" / "spacy_pipeline" / "meta.json").exists():
        raise BenchmarkError("the project's spaCy pipeline is not built: run `make spacy` first")

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    log(f"work folder {work} (logs); report -> {out}")
    models_dir = Path(args.reuse_models).resolve() if args.reuse_models else work / "models"
    stock_name = "stock-quick" if quick else "stock"
    stock_config = quick_stock_config(work) if quick else STOCK_CONFIG
    configs = [("project", PROJECT_CONFIG, "project"), ("stock", stock_config, stock_name)]
    script = conversation_script()
    figures = {key: Figures() for key, _, _ in configs}

    action_port = free_port()
    actions = start_action_server(action_port, work)
    try:
        ensure_ready([f"http://127.0.0.1:{action_port}/health"], [actions])
        for key, config, name in configs:
            model = models_dir / f"{name}.tar.gz"
            if args.reuse_models and model.exists():
                log(f"reusing {model}: training time not measured")
            else:
                figures[key].training_s = train(name, config, models_dir, work)
            figures[key].model_bytes = model.stat().st_size
            log(f"evaluating {name}")
            figures[key].accuracy = evaluate_in_subprocess(model, work)
            log(f"{name}: " + ", ".join(f"{lang} accuracy {f['accuracy']:.3f} / F1 {f['macro_f1']:.3f}"
                                        for lang, f in figures[key].accuracy.items()))
            asyncio.run(measure_server(key, model, action_port, actions, work, script, load,
                                       figures[key]))
    finally:
        actions.stop()

    elapsed = time.monotonic() - began
    meta["load average (1/5/15 min) at end"] = load_average()
    meta["run time"] = f"{elapsed / 60:.1f} min"
    changed = changed_files(inputs_before, fingerprint(ROOT))
    warnings = []
    if changed:
        warnings.append("the project changed while the benchmark ran, so the two configurations "
                        "were not measured on the same code and data; rerun it. Changed: "
                        + ", ".join(changed))
    sections = build_sections(figures["project"], figures["stock"], load)
    document = render_document(sections, meta, script, quick, warnings)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(document, encoding="utf-8")
    print(document)
    log(f"wrote {out} in {elapsed / 60:.1f} min")
    shutil.rmtree(work, ignore_errors=True)  # kept (with its logs) when the run fails
    if changed:
        raise BenchmarkError(warnings[0])
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="stock trained with 5 epochs and fewer messages: NOT the real stock")
    parser.add_argument("--reuse-models", metavar="DIR",
                        help="use project(.tar.gz) and stock(-quick).tar.gz found in DIR; train "
                             "and keep missing ones there")
    parser.add_argument("--out", metavar="FILE",
                        help=f"report (default {DEFAULT_OUT.relative_to(ROOT)}; with --quick "
                             f"{QUICK_OUT.relative_to(ROOT)})")
    parser.add_argument("--evaluate-model", metavar="MODEL", help=argparse.SUPPRESS)
    parser.add_argument("--evaluation-out", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.evaluate_model:
        evaluate_model(Path(args.evaluate_model), Path(args.evaluation_out))
        return 0
    try:
        return benchmark(args)
    except (BenchmarkError, LoadError) as error:
        print(f"\nbench: FAILED: {error}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
