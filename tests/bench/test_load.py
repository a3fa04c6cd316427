"""The benchmark's pure helpers: percentile and summary maths, memory parsing, the report tables.

No server is started here; `make bench` itself exercises the rest.
"""
import os
import random

import numpy
import pytest

from bench.load import (SCRIPT_PLAN, Summary, conversation_script, parse_vmrss, percentile,
                        repeat_script, summarize, tree_rss, window_mean)
from bench.run import (changed_files, fingerprint, FULL_LOAD, QUICK_LOAD, Figures, Row, build_sections, fmt_bytes, fmt_ratio,
                       fmt_seconds, ratio, render_document, render_table, render_targets,
                       STARTUP_TARGET, THIRD_OF_STOCK, THREE_TIMES_STOCK, TRAINING_TARGET,
                       AT_LEAST_STOCK, fmt_ms)


# --------------------------------------------------------------------------- percentile


def test_percentile_of_one_value_is_that_value():
    assert percentile([7.0], 0) == percentile([7.0], 50) == percentile([7.0], 99) == 7.0


def test_percentile_interpolates_between_ranks():
    values = [10, 20, 30, 40]
    assert percentile(values, 0) == 10
    assert percentile(values, 100) == 40
    assert percentile(values, 50) == pytest.approx(25)
    assert percentile(values, 95) == pytest.approx(38.5)


def test_percentile_ignores_input_order():
    values = [5, 1, 4, 2, 3]
    assert percentile(values, 50) == 3
    assert values == [5, 1, 4, 2, 3]  # not sorted in place


@pytest.mark.parametrize("q", [0, 1, 50, 95, 99, 100])
def test_percentile_matches_numpy(q):
    values = [random.Random(q).uniform(1, 500) for _ in range(137)]
    assert percentile(values, q) == pytest.approx(numpy.percentile(values, q))


@pytest.mark.parametrize("values, q", [([], 50), ([1.0], -1), ([1.0], 101)])
def test_percentile_refuses_nonsense(values, q):
    with pytest.raises(ValueError):
        percentile(values, q)


# --------------------------------------------------------------------------- summary


def test_summary_in_milliseconds_and_messages_per_second():
    latencies = [0.1] * 90 + [0.5] * 9 + [2.0]
    summary = summarize(latencies, wall_s=20.0, concurrency=20)
    assert summary.requests == 100
    assert summary.concurrency == 20
    assert summary.throughput == pytest.approx(5.0)
    assert summary.p50_ms == pytest.approx(100)
    assert summary.p95_ms == pytest.approx(500)
    assert summary.p99_ms == pytest.approx(500 + (2000 - 500) * 0.01)
    assert summary.max_ms == pytest.approx(2000)
    assert summary.mean_ms == pytest.approx((90 * 100 + 9 * 500 + 2000) / 100)


def test_summary_needs_latencies_and_time():
    with pytest.raises(ValueError):
        summarize([], 1.0)
    with pytest.raises(ValueError):
        summarize([0.1], 0.0)


def test_window_mean_counts_turns_from_one():
    turns = list(range(1, 51))  # turn k took k ms
    assert window_mean(turns, 1, 10) == pytest.approx(5.5)
    assert window_mean(turns, 41, 50) == pytest.approx(45.5)
    with pytest.raises(ValueError):
        window_mean(turns, 45, 55)
    with pytest.raises(ValueError):
        window_mean(turns, 0, 10)


# --------------------------------------------------------------------------- memory


def test_vmrss_is_read_in_bytes():
    status = "Name:\trasa\nVmPeak:\t 999 kB\nVmRSS:\t  812344 kB\nThreads:\t40\n"
    assert parse_vmrss(status) == 812344 * 1024


def test_a_status_without_vmrss_is_an_error():
    with pytest.raises(ValueError):
        parse_vmrss("Name:\tkthreadd\nState:\tS (sleeping)\n")


def test_this_process_has_resident_memory():
    assert tree_rss(os.getpid()) > 1024 * 1024


# --------------------------------------------------------------------------- script


def test_the_script_is_ten_held_out_sentences_in_both_languages():
    script = conversation_script()
    assert len(script) == len(SCRIPT_PLAN) == 10
    assert all(text.strip() for text in script)
    chinese = [text for text in script if any("\u4e00" <= ch <= "\u9fff" for ch in text)]
    assert 3 <= len(chinese) <= 7


def test_a_repeated_script_says_the_same_at_turn_k_and_k_plus_ten():
    script = [f"m{i}" for i in range(10)]
    fifty = repeat_script(script, 50)
    assert len(fifty) == 50
    assert fifty[:10] == fifty[40:] == script
    assert repeat_script(script, 3) == ["m0", "m1", "m2"]


# --------------------------------------------------------------------------- report


def summary(p95_ms: float, throughput: float) -> Summary:
    return Summary(requests=200, concurrency=20, wall_s=10.0, mean_ms=p95_ms / 2,
                   p50_ms=p95_ms / 2, p95_ms=p95_ms, p99_ms=p95_ms * 1.2, max_ms=p95_ms * 1.5,
                   throughput=throughput)


def figures(**overrides) -> Figures:
    base = dict(training_s=60.0, model_bytes=3 * 2**20,
                accuracy={"en": {"accuracy": 0.9, "macro_f1": 0.88},
                          "zh": {"accuracy": 0.85, "macro_f1": 0.84}},
                startup_s=12.0, rasa_rss=700 * 2**20, actions_rss=150 * 2**20,
                c1=summary(50, 20), c20=summary(300, 60), long_first_ms=40.0, long_last_ms=60.0)
    base.update(overrides)
    return Figures(**base)


def test_ratio_is_project_over_stock():
    assert ratio(30.0, 10.0) == 3.0
    assert ratio(None, 10.0) is None
    assert ratio(1.0, None) is None
    assert ratio(1.0, 0) is None
    assert fmt_ratio(3.0) == "3.00×"
    assert fmt_ratio(0.001234) == "0.00123×"
    assert fmt_ratio(None) == "n/a"


def test_formats():
    assert fmt_seconds(None) == "not measured"
    assert fmt_seconds(12.34) == "12.3 s"
    assert fmt_seconds(125.0) == "125.0 s (2 min 05 s)"
    assert fmt_bytes(3 * 2**20) == "3,145,728 B (3.0 MiB)"
    assert fmt_ms(12.345) == "12.3 ms"


@pytest.mark.parametrize("target, project, stock, met", [
    (THREE_TIMES_STOCK, 30.0, 10.0, True),
    (THREE_TIMES_STOCK, 29.9, 10.0, False),
    (THIRD_OF_STOCK, 100.0, 300.0, True),
    (THIRD_OF_STOCK, 101.0, 300.0, False),
    (AT_LEAST_STOCK, 0.85, 0.85, True),
    (AT_LEAST_STOCK, 0.84, 0.85, False),
    (TRAINING_TARGET, 179.0, 2000.0, True),
    (TRAINING_TARGET, 181.0, 2000.0, False),
    (STARTUP_TARGET, 29.0, 10.0, True),
    (STARTUP_TARGET, 31.0, 60.0, False),
])
def test_targets(target, project, stock, met):
    row = Row("x", project, stock, fmt_ms, target)
    assert row.verdict() == ("met" if met else "**not met**")


def test_an_absolute_target_needs_only_the_project_figure():
    assert Row("training", 60.0, None, fmt_seconds, TRAINING_TARGET).verdict() == "met"
    assert Row("training", None, 60.0, fmt_seconds, TRAINING_TARGET).verdict() == "not measured"
    assert Row("p95", 10.0, None, fmt_ms, THIRD_OF_STOCK).verdict() == "not measured"
    assert Row("p50", 10.0, 20.0, fmt_ms).verdict() == ""


def test_a_table_row_shows_both_figures_the_ratio_and_the_verdict():
    table = render_table([Row("latency p95", 100.0, 400.0, fmt_ms, THIRD_OF_STOCK)])
    header, rule, row = table.splitlines()
    assert header == "| figure | project | stock | project/stock | target | met? |"
    assert rule.count("|") == header.count("|")
    assert row == "| latency p95 | 100.0 ms | 400.0 ms | 0.25× | ≤ 1/3 stock | met |"


def test_not_measured_figures_render_without_a_ratio():
    table = render_table([Row("training time", None, 1500.0, fmt_seconds, TRAINING_TARGET)])
    assert table.splitlines()[2] == (
        "| training time | not measured | 1500.0 s (25 min 00 s) | n/a | < 3 min | not measured |")


def test_every_section_and_target_is_in_the_report():
    project = figures(c20=summary(100, 90), training_s=None)
    stock = figures(c20=summary(600, 20), training_s=1800.0, startup_s=25.0)
    sections = build_sections(project, stock, FULL_LOAD)
    titles = [section.title for section in sections]
    assert titles == ["Intent accuracy", "Training", "Model size", "Start-up", "Memory",
                      "Latency and throughput, 1 conversation",
                      "Latency and throughput, 20 concurrent conversations",
                      "A 50-turn conversation", "Machine load during the load tests"]
    targets = render_targets(sections)
    assert "| Latency and throughput, 20 concurrent conversations | throughput | ≥ 3× stock | " \
           "90.00 msg/s | 20.00 msg/s | 4.50× | met |" in targets
    assert "| Training | training time | < 3 min | not measured |" in targets
    meta = {"date": "2025-01-01 00:00 UTC", "command": "`python -m bench.run`",
            "machine": "2 CPUs", "Python": "3.10.13", "Rasa": "3.6.21"}
    document = render_document(sections, meta, ["hello", "你好"], quick=False)
    for title in titles:
        assert f"## {title}" in document
    assert "| machine | 2 CPUs |" in document
    assert "vary between runs" in document
    assert "QUICK" not in document
    assert "| turns 41–50 / turns 1–10 | 1.50 | 1.50 | — |" in document


def test_a_quick_report_says_it_is_not_the_real_stock():
    sections = build_sections(figures(), figures(), QUICK_LOAD)
    document = render_document(sections, {"date": "today"}, ["hello"], quick=True)
    assert "NOT THE REAL STOCK" in document
    assert "| figure | project | stock (QUICK, 5 epochs) |" in document


# --------------------------------------------------------------------------- inputs


def test_a_change_to_the_inputs_during_the_run_is_noticed(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "nlu.yml").write_text("a")
    (tmp_path / "config.yml").write_text("pipeline: []")
    (tmp_path / "data" / "__pycache__").mkdir()
    (tmp_path / "data" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    before = fingerprint(tmp_path, ("config.yml", "data", "missing"))
    assert sorted(before) == ["config.yml", "data/nlu.yml"]
    assert changed_files(before, fingerprint(tmp_path, ("config.yml", "data"))) == []
    (tmp_path / "data" / "nlu.yml").write_text("b")
    (tmp_path / "data" / "rules.yml").write_text("c")
    (tmp_path / "config.yml").unlink()
    after = fingerprint(tmp_path, ("config.yml", "data"))
    assert changed_files(before, after) == ["config.yml", "data/nlu.yml", "data/rules.yml"]


def test_a_warning_heads_the_report():
    sections = build_sections(figures(), figures())
    document = render_document(sections, {"date": "today"}, ["hello"], quick=False,
                               warnings=["the project changed while the benchmark ran"])
    assert document.index("> **WARNING: the project changed") < document.index("## Targets")
