from pathlib import Path

import pytest
import yaml

PROVINCIAL_LEVEL = ("province", "autonomous_region", "municipality")


def test_all_31_provincial_level_divisions_are_listed(knowledge):
    divisions = [r for r in knowledge.regions.regions.values() if r.kind in PROVINCIAL_LEVEL]
    assert len(divisions) == 31


def test_every_province_and_autonomous_region_has_its_capital(knowledge):
    regions = knowledge.regions.regions.values()
    provinces = {r.id for r in regions if r.kind in ("province", "autonomous_region")}
    with_cities = {r.province for r in regions if r.kind == "city"}
    assert provinces <= with_cities


@pytest.mark.parametrize(
    "written, region_id",
    [
        ("Bejing", "beijing"),
        ("beijng", "beijing"),
        ("Peking", "beijing"),
        ("shenzen", "shenzhen"),
        ("Shenzhen City", "shenzhen"),
        ("Guangzou", "guangzhou"),
        ("Chengdo", "chengdu"),
        ("shangai", "shanghai"),
        ("Xi'an", "xian"),
        ("xian", "xian"),
        ("Urumchi", "urumqi"),
        ("inner mongolia", "inner_mongolia"),
        ("Wuhan", "wuhan"),
        ("上海", "shanghai"),
        ("广州市", "guangzhou"),
        ("成都", "chengdu"),
        ("乌鲁木齐", "urumqi"),
        ("四川省", "sichuan"),
        ("内蒙古自治区", "inner_mongolia"),
        # misspellings that no data file lists, caught by fuzzy matching
        ("Guangzhuo", "guangzhou"),
        ("Hangzou", "hangzhou"),
        ("Nanjnig", "nanjing"),
    ],
)
def test_place_names_resolve_despite_misspellings(knowledge, written, region_id):
    assert knowledge.regions.resolve(written).id == region_id


@pytest.mark.parametrize("written", ["", "card", "Tokyo", "London", "hello there"])
def test_unknown_places_do_not_resolve(knowledge, written):
    assert knowledge.regions.resolve(written) is None


@pytest.mark.parametrize(
    "text, region_id",
    [
        ("I live in Wuhan", "wuhan"),
        ("moved to guangzou last year", "guangzhou"),
        ("where do I apply in shenzen?", "shenzhen"),
        ("我住在成都", "chengdu"),
        ("Inner Mongolia", "inner_mongolia"),
        ("我在乌鲁木齐上班", "urumqi"),
    ],
)
def test_places_are_found_inside_sentences(knowledge, text, region_id):
    assert knowledge.regions.find_in_text(text).id == region_id


def training_examples_without_a_place():
    root = Path(__file__).parents[2]
    for path in [root / "data" / "nlu.yml", root / "data" / "nlu_zh.yml"]:
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block["examples"].splitlines():
                line = line.strip()[2:]
                if line and "](region)" not in line:
                    yield line


def test_no_place_is_read_into_training_sentences_that_name_none(knowledge):
    found = {
        text: knowledge.regions.find_in_text(text) for text in training_examples_without_a_place()
    }
    wrong = {text: region.id for text, region in found.items() if region}
    assert not wrong
