"""knowledge/regions.py and knowledge/places.py: every place in China by any of its names,
same-named places told apart, and words that only look like places left alone."""

from collections import defaultdict
from itertools import combinations

import pytest
from rapidfuzz.distance import OSA

from knowledge import load_knowledge
from knowledge.places import read_places
from knowledge.regions import normalise_english

DIRECTORY = load_knowledge().regions
PREFECTURES = DIRECTORY.by_level("prefecture")


def reading(text, remembered=None):
    return read_places(DIRECTORY, DIRECTORY.find(text), remembered)


def named(path):
    region = DIRECTORY.named(path)
    assert region is not None, path
    return region


def same_pinyin_groups():
    """Prefecture-level divisions that share a romanised name, found from the data."""
    groups = defaultdict(list)
    for region in PREFECTURES:
        groups[normalise_english(region.pinyin)].append(region)
    return {pinyin: group for pinyin, group in groups.items() if len(group) > 1}


# --- the whole map ------------------------------------------------------------------


def test_the_directory_holds_every_division_of_the_dataset_by_level():
    counts = DIRECTORY.counts()
    assert counts["province"] == 31
    assert counts["prefecture"] == 333
    assert 2800 <= counts["county"] <= 2900


KIND_WORDS = {
    "city": "city",
    "prefecture": "prefecture",
    "autonomous_prefecture": "prefecture",
    "league": "league",
}


@pytest.mark.parametrize("region", PREFECTURES, ids=lambda r: r.name_zh)
def test_every_prefecture_resolves_from_its_names_to_its_own_bureau(region):
    province = DIRECTORY.province_of(region)
    assert reading(f"我在{region.name_zh}").place == region
    for form in region.forms_zh:
        found = reading(f"我在{form}").place
        # 海南 is Hainan province; 海南藏族自治州 is named 海南州.
        same_as_a_province = any(
            p.forms_zh and form in p.forms_zh for p in DIRECTORY.by_level("province")
        )
        assert found == region or (same_as_a_province and found.level == "province"), form
    # Its pinyin with its kind, and alone: itself, or the choice among the places sharing it.
    for text in [f"{region.pinyin} {KIND_WORDS[region.kind]}", region.pinyin]:
        if text == region.pinyin and (
            normalise_english(text) not in map(normalise_english, region.forms_en)
            or DIRECTORY.named(f"{region.name_zh[:2]}省")
        ):
            continue  # "Ali", "Aba": given names first, "Ali Prefecture" is the place; Hainan is the province
        found = reading(text)
        assert found.place == region or region.id in {c.id for c in found.choices}, text
    bare = normalise_english(region.pinyin) in map(normalise_english, region.forms_en)
    kind = "" if bare else f" {KIND_WORDS[region.kind]}"
    assert reading(f"{region.pinyin}{kind}, {province.pinyin}").place == region
    assert region.bureau_zh == f"{region.name_zh}人力资源和社会保障局"
    assert region.bureau_en.endswith("Human Resources and Social Security Bureau")


@pytest.mark.parametrize(
    "path, bureau",
    [
        ("四川省", "四川省人力资源和社会保障厅"),
        ("广西壮族自治区", "广西壮族自治区人力资源和社会保障厅"),
        ("北京市", "北京市人力资源和社会保障局"),
        ("云南省大理白族自治州", "大理白族自治州人力资源和社会保障局"),
        ("新疆维吾尔自治区阿克苏地区", "阿克苏地区人力资源和社会保障局"),
        ("内蒙古自治区锡林郭勒盟", "锡林郭勒盟人力资源和社会保障局"),
        ("四川省绵阳市江油市", "江油市人力资源和社会保障局"),
    ],
)
def test_bureaus_are_named_after_the_division_s_kind(path, bureau):
    assert named(path).bureau_zh == bureau


@pytest.mark.parametrize(
    "text, path",
    [
        ("大理", "云南省大理白族自治州"),
        ("大理州", "云南省大理白族自治州"),
        ("阿克苏", "新疆维吾尔自治区阿克苏地区"),
        ("Mianyang", "四川省绵阳市"),
        ("Peking", "北京市"),
        ("Canton", "广东省广州市"),
        ("Amoy", "福建省厦门市"),
        ("Urumqi", "新疆维吾尔自治区乌鲁木齐市"),
        ("Xi'an", "陕西省西安市"),
        ("Inner Mongolia", "内蒙古自治区"),
        ("Shaanxi", "陕西省"),
        ("Shanxi", "山西省"),
        ("Haidian district", "北京市海淀区"),
        ("Kunshan", "江苏省苏州市昆山市"),
        ("廣州", "广东省广州市"),
        ("臺州", "浙江省台州市"),
        ("烏魯木齊", "新疆维吾尔自治区乌鲁木齐市"),
        ("jinnan district", "天津市津南区"),
        ("Zhong County", "重庆市忠县"),
        ("Yiwu", "浙江省金华市义乌市"),
        ("Xigaze", "西藏自治区日喀则市"),
        ("Korla", "新疆维吾尔自治区巴音郭楞蒙古自治州库尔勒市"),
        ("Golmud", "青海省海西蒙古族藏族自治州格尔木市"),
        ("Shangri-La", "云南省迪庆藏族自治州香格里拉市"),
        ("Shifang", "四川省德阳市什邡市"),
        ("Artux", "新疆维吾尔自治区克孜勒苏柯尔克孜自治州阿图什市"),
    ],
)
def test_short_forms_romanisations_old_spellings_and_traditional_script(text, path):
    assert reading(text).place == named(path)


@pytest.mark.parametrize("text", ["九龍的社保卡在哪裡辦", "我住九龙"])
def test_a_short_name_of_a_place_in_hong_kong_names_no_mainland_county(text):
    # 九龙 is Kowloon; 九龙县 in Sichuan has the same short name
    assert reading(text).place is None


def test_that_county_named_in_full_is_still_found():
    assert reading("四川九龙县").place == named("四川省甘孜藏族自治州九龙县")


def test_a_county_level_place_is_answered_with_its_own_bureau_and_its_city():
    knowledge = load_knowledge()
    jiangyou = named("四川省绵阳市江油市")
    note = knowledge.local_note(jiangyou, "en")
    assert jiangyou.bureau_en in note and "Mianyang" in note
    assert "江油市人力资源和社会保障局" in knowledge.local_note(
        jiangyou, "zh"
    ) and "绵阳" in knowledge.local_note(jiangyou, "zh")


# --- telling places apart -----------------------------------------------------------


def test_the_dataset_has_same_pinyin_prefectures_in_different_provinces():
    groups = same_pinyin_groups()
    assert {"taizhou", "suzhou", "fuzhou", "yichun", "yulin"} <= set(groups)


@pytest.mark.parametrize("pinyin", sorted(same_pinyin_groups()))
def test_a_same_pinyin_name_alone_is_a_question_with_each_place_as_a_choice(pinyin):
    group = same_pinyin_groups()[pinyin]
    found = reading(f"I live in {group[0].name_en}")
    assert {c.id for c in found.choices} >= {r.id for r in group}
    assert found.place is None


@pytest.mark.parametrize("pinyin", sorted(same_pinyin_groups()))
def test_a_same_pinyin_name_is_resolved_by_its_province_in_the_message_or_remembered(pinyin):
    for region in same_pinyin_groups()[pinyin]:
        province = DIRECTORY.province_of(region)
        assert reading(f"{region.name_en}, {province.name_en}").place == region
        assert reading(f"I'm in {region.name_en}", remembered=province).place == region
        # Chinese script tells them apart by itself.
        assert reading(region.name_zh).place == region


@pytest.mark.parametrize("prefecture", PREFECTURES, ids=lambda r: r.name_zh)
def test_no_prefecture_s_name_is_matched_fuzzily_or_to_another_place(prefecture):
    for mention in DIRECTORY.find(f"I am in {prefecture.pinyin}"):
        assert not mention.fuzzy
        assert all(
            normalise_english(c.pinyin) == normalise_english(prefecture.pinyin)
            or normalise_english(prefecture.pinyin) in map(normalise_english, c.forms_en)
            for c in mention.candidates
        ), [c.name_zh for c in mention.candidates]


def test_a_place_one_letter_from_a_big_city_is_never_read_as_the_big_city():
    # Pairs of real prefecture-level names one edit apart (Huzhou/Fuzhou, Jinzhou/Xinzhou ...).
    pairs = [
        (a, b)
        for a, b in combinations(PREFECTURES, 2)
        if a.pinyin != b.pinyin and OSA.distance(a.pinyin, b.pinyin) == 1
    ]
    assert len(pairs) > 10
    for a, b in pairs:
        for region, other in ((a, b), (b, a)):
            found = reading(region.pinyin)
            assert other.id not in {
                r.id for r in [*found.choices, *([found.place] if found.place else [])]
            }


@pytest.mark.parametrize(
    "text, path",
    [
        ("I live in Bejing", "北京市"),
        ("Guangzou", "广东省广州市"),
        ("Shenzen", "广东省深圳市"),
        ("Hangzou", "浙江省杭州市"),
        ("Chengdou", "四川省成都市"),
        ("Wulumuqi", "新疆维吾尔自治区乌鲁木齐市"),
        ("im in Shenyng", "辽宁省沈阳市"),
    ],
)
def test_a_misspelling_that_names_no_real_place_is_read_as_the_closest_place(text, path):
    assert reading(text).place == named(path)


@pytest.mark.parametrize(
    "text",
    [
        "human resources",
        "changing my card",
        "hukou",
        "my hukou booklet",
        "Tokyo",
        "London",
        "hello there",
        "card",
        "zhong guo",
        # Chinese in pinyin: 申请流程是什么 is no misspelt Shenyang nor 柳城县
        "shenqing liucheng shi shenme",
        "mima zenme chongzhi",
        "weixin shang zenme ling",
    ],
)
def test_everyday_words_domain_words_and_places_abroad_are_not_places(text):
    assert not reading(text).named


@pytest.mark.parametrize(
    "text",
    [
        "我在中山路上班",
        "中山大学的学生怎么办卡",
        "孙中山",
        "我在长安汽车上班",
        "我爱吃四川菜",
        "我叫张北京",
        "张北京是我同事",
        "Zhongshan Road",
        "Sun Yat-sen University",
        "Mr. Wuhan asked me",
        "I work for Changan Auto",
        "I work at Bank of Ningbo",
        "我在兰州拉面馆打工",
        "我想去新城市工作",
    ],
)
def test_a_place_name_inside_a_street_university_company_dish_or_person_is_not_a_place(text):
    assert not reading(text).named, [m.text for m in DIRECTORY.find(text)]


@pytest.mark.parametrize(
    "text, path",
    [
        ("我在中山", "广东省中山市"),
        ("我是北京人", "北京市"),
        ("广州市中山路", "广东省广州市"),
        ("我在北京朝阳", "北京市朝阳区"),
        ("江苏泰州", "江苏省泰州市"),
        ("吉林", "吉林省吉林市"),
        ("海南", "海南省"),
        ("我在朝阳市", "辽宁省朝阳市"),
        # a county whose bare name is a card word in pinyin (流程) is named with its kind
        ("I live in Liucheng County", "广西壮族自治区柳州市柳城县"),
        ("I live in Daxing", "北京市大兴区"),
    ],
)
def test_the_place_itself_is_still_found(text, path):
    assert reading(text).place == named(path)


@pytest.mark.parametrize(
    "text, path",
    [
        ("I meant Hangzhou, not Guangzhou", "浙江省杭州市"),
        ("not Guangzhou, Hangzhou", "浙江省杭州市"),
        ("不是广州，是杭州", "浙江省杭州市"),
        ("我说的是杭州不是广州", "浙江省杭州市"),
        ("我不在北京了，现在在上海", "上海市"),
    ],
)
def test_a_correction_keeps_only_the_place_meant(text, path):
    found = reading(text, remembered=named("广东省广州市"))
    assert found.place == named(path) and found.corrected


def test_two_places_are_both_kept_with_the_role_each_was_named_in():
    found = reading("my hukou is in Henan but I live in Shenzhen")
    assert [p.id for p in found.places] == [named("河南省").id, named("广东省深圳市").id]
    assert (
        found.roles[named("河南省").id] == "hukou"
        and found.roles[named("广东省深圳市").id] == "residence"
    )
    chinese = reading("我户口在河南周口，人在深圳上班")
    assert [p.id for p in chinese.places] == [named("河南省周口市").id, named("广东省深圳市").id]


def test_a_province_and_a_city_in_it_are_one_place():
    assert reading("Suzhou, Jiangsu").place == named("江苏省苏州市")
