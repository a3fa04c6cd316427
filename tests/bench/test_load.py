"""bench/load.py's pure helpers: percentile and summary maths, memory parsing, the script.

No server is started here; `make bench` itself exercises the load client.
"""

import os
import random

import numpy
import pytest

from bench.load import (
    SCRIPT_PLAN,
    conversation_script,
    parse_vmrss,
    percentile,
    repeat_script,
    summarize,
    tree_rss,
    window_mean,
)
from evaluation.nlu import TEST_SETS, read_examples

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


@pytest.mark.parametrize("turn, language, intent", [(i, *key) for i, key in enumerate(SCRIPT_PLAN)])
def test_each_turn_of_the_script_is_the_first_test_sentence_of_its_intent(turn, language, intent):
    examples = read_examples(TEST_SETS / f"test_{language}.yml")
    first = next(example.text for example in examples if example.intent == intent)
    assert conversation_script()[turn] == first


def test_the_script_reads_sentences_as_typed_without_their_entity_markup():
    # inform_region's first test sentence annotates its place: `[Shaanxi](region)` and the like.
    region_sentence = conversation_script()[SCRIPT_PLAN.index(("en", "inform_region"))]
    assert region_sentence.strip()
    assert not any(mark in region_sentence for mark in "[](){}")
