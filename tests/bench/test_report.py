"""bench/report.py: numbers, targets, tables and the whole document, from made-up figures."""

import pytest

from bench.figures import FULL_LOAD, QUICK_LOAD, Figures, Load
from bench.load import Summary
from bench.report import (
    AT_LEAST_STOCK,
    STARTUP_TARGET,
    THIRD_OF_STOCK,
    THREE_TIMES_STOCK,
    TRAINING_TARGET,
    Row,
    Section,
    build_sections,
    fmt_bytes,
    fmt_count,
    fmt_growth,
    fmt_load_average,
    fmt_ms,
    fmt_rate,
    fmt_ratio,
    fmt_score,
    fmt_seconds,
    ratio,
    render_document,
    render_table,
    render_targets,
)

TITLES = [
    "Intent accuracy",
    "Training",
    "Model size",
    "Start-up",
    "Memory",
    "Latency and throughput, 1 conversation",
    "Latency and throughput, 20 concurrent conversations",
    "A 50-turn conversation",
    "Machine load during the load tests",
]


def summary(p95_ms: float, throughput: float) -> Summary:
    return Summary(
        requests=200,
        concurrency=20,
        wall_s=10.0,
        mean_ms=p95_ms / 2,
        p50_ms=p95_ms / 2,
        p95_ms=p95_ms,
        p99_ms=p95_ms * 1.2,
        max_ms=p95_ms * 1.5,
        throughput=throughput,
    )


def figures(**overrides) -> Figures:
    base = dict(
        training_s=60.0,
        model_bytes=3 * 2**20,
        accuracy={
            "en": {
                "accuracy": 0.9,
                "macro_f1": 0.88,
                "out_of_scope_precision": 0.75,
                "out_of_scope_recall": 0.6,
            },
            "zh": {"accuracy": 0.85, "macro_f1": 0.84},
        },
        startup_s=12.0,
        rasa_rss=700 * 2**20,
        actions_rss=150 * 2**20,
        c1=summary(50, 20),
        c20=summary(300, 60),
        long_first_ms=40.0,
        long_last_ms=60.0,
        load_before=1.5,
        load_after=2.25,
    )
    base.update(overrides)
    return Figures(**base)


def table_rows(table: str) -> list:
    """The body lines of a markdown table, without its header and rule."""
    return table.splitlines()[2:]


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "project, stock, expected",
    [
        (30.0, 10.0, 3.0),
        (1.0, 4.0, 0.25),
        (None, 10.0, None),
        (1.0, None, None),
        (1.0, 0, None),
        (0.0, 5.0, 0.0),
    ],
)
def test_ratio_is_project_over_stock(project, stock, expected):
    assert ratio(project, stock) == expected


@pytest.mark.parametrize(
    "fmt, value, shown",
    [
        (fmt_ratio, 3.0, "3.00×"),
        (fmt_ratio, 0.25, "0.25×"),
        (fmt_ratio, 0.01, "0.01×"),
        (fmt_ratio, 0.001234, "0.00123×"),
        (fmt_ratio, 99.99, "99.99×"),
        (fmt_ratio, 100.0, "100×"),
        (fmt_ratio, 123.4, "123×"),
        (fmt_ratio, None, "n/a"),
        (fmt_seconds, 12.34, "12.3 s"),
        (fmt_seconds, 60.0, "60.0 s (1 min 00 s)"),
        (fmt_seconds, 125.0, "125.0 s (2 min 05 s)"),
        (fmt_seconds, 1857.6, "1857.6 s (30 min 58 s)"),
        (fmt_seconds, None, "not measured"),
        (fmt_ms, 12.345, "12.3 ms"),
        (fmt_ms, None, "not measured"),
        (fmt_rate, 63.384, "63.38 msg/s"),
        (fmt_rate, None, "not measured"),
        (fmt_bytes, 3 * 2**20, "3,145,728 B (3.0 MiB)"),
        (fmt_bytes, 1023, "1,023 B (0.0 MiB)"),
        (fmt_bytes, None, "not measured"),
        (fmt_score, 0.8744, "0.874"),
        (fmt_score, 1.0, "1.000"),
        (fmt_score, None, "not measured"),
        (fmt_count, 200.0, "200"),
        (fmt_count, None, "not measured"),
        (fmt_load_average, 1.5, "1.50"),
        (fmt_load_average, None, "not measured"),
        (fmt_growth, 1.5, "1.50"),
        (fmt_growth, None, "n/a"),
    ],
)
def test_numbers_are_shown_with_their_unit_or_as_not_measured(fmt, value, shown):
    assert fmt(value) == shown


# --------------------------------------------------------------------------- targets


@pytest.mark.parametrize(
    "target, project, stock, met",
    [
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
    ],
)
def test_a_target_is_met_or_not(target, project, stock, met):
    row = Row("x", project, stock, fmt_ms, target)
    assert row.verdict() == ("met" if met else "**not met**")


@pytest.mark.parametrize(
    "row, verdict",
    [
        (Row("training", 60.0, None, fmt_seconds, TRAINING_TARGET), "met"),
        (Row("training", 200.0, None, fmt_seconds, TRAINING_TARGET), "**not met**"),
        (Row("training", None, 60.0, fmt_seconds, TRAINING_TARGET), "not measured"),
        (Row("start-up", 10.0, None, fmt_seconds, STARTUP_TARGET), "met"),
        (Row("p95", 10.0, None, fmt_ms, THIRD_OF_STOCK), "not measured"),
        (Row("p95", None, 10.0, fmt_ms, THIRD_OF_STOCK), "not measured"),
        (Row("accuracy", 0.9, None, fmt_score, AT_LEAST_STOCK), "not measured"),
        (Row("p50", 10.0, 20.0, fmt_ms), ""),
        (Row("p50", None, None, fmt_ms), ""),
    ],
)
def test_an_absolute_target_needs_only_the_project_figure_a_relative_one_both(row, verdict):
    assert row.verdict() == verdict


# --------------------------------------------------------------------------- tables


@pytest.mark.parametrize(
    "row, line",
    [
        (
            Row("latency p95", 100.0, 400.0, fmt_ms, THIRD_OF_STOCK),
            "| latency p95 | 100.0 ms | 400.0 ms | 0.25× | ≤ 1/3 stock | met |",
        ),
        (
            Row("throughput", 50.0, 20.0, fmt_rate, THREE_TIMES_STOCK),
            "| throughput | 50.00 msg/s | 20.00 msg/s | 2.50× | ≥ 3× stock | **not met** |",
        ),
        (
            Row("training time", None, 1500.0, fmt_seconds, TRAINING_TARGET),
            "| training time | not measured | 1500.0 s (25 min 00 s) | n/a | < 3 min "
            "| not measured |",
        ),
        (
            Row("latency p50", 10.0, 20.0, fmt_ms),
            "| latency p50 | 10.0 ms | 20.0 ms | 0.50× | — | — |",
        ),
        (
            Row("requests", 200, 200, fmt_count, with_ratio=False),
            "| requests | 200 | 200 | — | — | — |",
        ),
    ],
)
def test_a_table_row_shows_both_figures_the_ratio_the_target_and_the_verdict(row, line):
    header, rule, shown = render_table([row]).splitlines()
    assert header == "| figure | project | stock | project/stock | target | met? |"
    assert rule.count("|") == header.count("|") == shown.count("|")
    assert shown == line


def test_the_stock_column_is_labelled_as_asked():
    table = render_table([Row("p50", 1.0, 2.0, fmt_ms)], "stock (QUICK, 5 epochs)")
    assert table.splitlines()[0].startswith("| figure | project | stock (QUICK, 5 epochs) |")


def test_the_targets_table_lists_only_rows_with_a_target_under_their_section():
    sections = [
        Section(
            "Speed", [Row("p50", 1.0, 2.0, fmt_ms), Row("p95", 1.0, 6.0, fmt_ms, THIRD_OF_STOCK)]
        ),
        Section("Notes", [Row("requests", 10, 10, fmt_count, with_ratio=False)]),
    ]
    assert table_rows(render_targets(sections)) == [
        "| Speed | p95 | ≤ 1/3 stock | 1.0 ms | 6.0 ms | 0.17× | met |"
    ]


# --------------------------------------------------------------------------- sections


def test_every_section_is_built_in_order():
    assert [section.title for section in build_sections(figures(), figures())] == TITLES


def test_every_target_of_the_project_is_in_the_targets_table():
    project = figures(c20=summary(100, 90), training_s=None)
    stock = figures(c20=summary(600, 20), training_s=1800.0, startup_s=25.0)
    targets = render_targets(build_sections(project, stock, FULL_LOAD))
    assert [line.split(" | ")[1] for line in table_rows(targets)] == [
        "English accuracy",
        "Chinese accuracy",
        "training time",
        "start-up to first answer",
        "latency p95",
        "latency p95",
        "throughput",
    ]
    assert (
        "| Latency and throughput, 20 concurrent conversations | throughput | ≥ 3× stock | "
        "90.00 msg/s | 20.00 msg/s | 4.50× | met |" in targets
    )
    assert "| Training | training time | < 3 min | not measured |" in targets


@pytest.mark.parametrize(
    "label, line",
    [
        ("English accuracy", "| English accuracy | 0.900 | 0.800 | 1.12× | ≥ stock | met |"),
        ("English macro F1", "| English macro F1 | 0.880 | 0.880 | 1.00× | — | — |"),
        (
            "English out-of-scope precision",
            "| English out-of-scope precision | 0.750 | 0.750 | 1.00× | — | — |",
        ),
        (
            "English out-of-scope recall",
            "| English out-of-scope recall | 0.600 | 0.600 | 1.00× | — | — |",
        ),
        ("Chinese accuracy", "| Chinese accuracy | 0.850 | 0.850 | 1.00× | ≥ stock | met |"),
        ("Chinese macro F1", "| Chinese macro F1 | 0.840 | 0.840 | 1.00× | — | — |"),
        (
            "Chinese out-of-scope precision",
            "| Chinese out-of-scope precision | not measured | not measured | n/a | — | — |",
        ),
        (
            "Chinese out-of-scope recall",
            "| Chinese out-of-scope recall | not measured | not measured | n/a | — | — |",
        ),
    ],
)
def test_the_accuracy_section_has_every_nlu_figure_of_both_languages(label, line):
    stock_accuracy = figures().accuracy
    stock_accuracy["en"] = {**stock_accuracy["en"], "accuracy": 0.8}
    section = build_sections(figures(), figures(accuracy=stock_accuracy))[0]
    table = table_rows(render_table(section.rows))
    assert len(table) == 8
    assert [shown for shown in table if shown.startswith(f"| {label} |")] == [line]


@pytest.mark.parametrize(
    "load, phrases",
    [
        (
            FULL_LOAD,
            ["One conversation of 60 messages", "10 messages each: 200 requests", "## A 50-turn"],
        ),
        (
            QUICK_LOAD,
            ["One conversation of 20 messages", "5 messages each: 100 requests", "## A 50-turn"],
        ),
        (
            Load(c1_messages=7, c20_conversations=3, c20_messages=4, long_turns=30),
            [
                "One conversation of 7 messages",
                "3 conversations at once",
                "4 messages each: 12 requests",
                "## A 30-turn conversation",
                "| mean latency, turns 21–30 |",
                "| turns 21–30 / turns 1–10 |",
            ],
        ),
    ],
)
def test_the_notes_say_how_many_messages_were_sent(load, phrases):
    document = render_document(build_sections(figures(), figures(), load), {}, ["hi"], quick=False)
    for phrase in phrases:
        assert phrase in document


@pytest.mark.parametrize(
    "project, stock, line",
    [
        (
            figures(long_first_ms=40.0, long_last_ms=60.0),
            figures(long_first_ms=100.0, long_last_ms=300.0),
            "| turns 41–50 / turns 1–10 | 1.50 | 3.00 | — | — | — |",
        ),
        (
            figures(long_first_ms=None, long_last_ms=None),
            figures(long_first_ms=50.0, long_last_ms=50.0),
            "| turns 41–50 / turns 1–10 | n/a | 1.00 | — | — | — |",
        ),
    ],
)
def test_a_long_conversation_shows_how_much_slower_its_last_turns_are(project, stock, line):
    section = build_sections(project, stock)[TITLES.index("A 50-turn conversation")]
    assert table_rows(render_table(section.rows))[-1] == line


def test_missing_load_tests_are_not_measured_rather_than_zero():
    section = build_sections(figures(c1=None), figures(c1=None))[
        TITLES.index("Latency and throughput, 1 conversation")
    ]
    for line in table_rows(render_table(section.rows)):
        _, project, stock, *_ = line.split(" | ")
        assert project == stock == "not measured", line


# --------------------------------------------------------------------------- document


META = {
    "date": "2025-01-01 00:00 UTC",
    "command": "`python -m bench.run`",
    "machine": "2 CPUs",
    "Python": "3.10.13",
    "Rasa": "3.6.21",
}


def test_the_document_has_its_facts_targets_sections_and_script_in_order():
    sections = build_sections(figures(), figures())
    document = render_document(sections, META, ["hello", "你好"], quick=False)
    headings = [line[3:] for line in document.splitlines() if line.startswith("## ")]
    assert headings == ["Targets", *TITLES, "The conversation script"]
    assert "| machine | 2 CPUs |" in document
    assert "vary between runs" in document
    assert "QUICK" not in document
    assert "WARNING" not in document
    assert document.endswith("1. hello\n2. 你好\n")


def test_a_quick_report_says_it_is_not_the_real_stock():
    sections = build_sections(figures(), figures(), QUICK_LOAD)
    document = render_document(sections, {"date": "today"}, ["hello"], quick=True)
    assert "NOT THE REAL STOCK" in document
    assert "5 epochs instead of 100 for DIETClassifier, ResponseSelector" in document
    stock_headers = [line for line in document.splitlines() if line.startswith("| figure |")]
    assert len(stock_headers) == len(TITLES)
    assert all("| stock (QUICK, 5 epochs) |" in header for header in stock_headers)


@pytest.mark.parametrize(
    "warnings", [["the project changed while the benchmark ran"], ["first", "second"]]
)
def test_warnings_head_the_report(warnings):
    document = render_document(
        build_sections(figures(), figures()),
        {"date": "today"},
        ["hello"],
        quick=False,
        warnings=warnings,
    )
    for warning in warnings:
        assert document.index(f"> **WARNING: {warning}**") < document.index("| date | today |")
