"""Every place in China by any of its names, and the places a message names.

The directory holds every provincial-, prefecture- and county-level division
(regions.yml, generated from the national division codes by `make regions`). A message
names a place in Chinese (Simplified or Traditional; full name 绵阳市 or short form 绵阳,
大理州), in pinyin or English (Mianyang, Xi'an, Peking, "Haidian district"), or misspelled
("Guangzou"). `find` returns every mention with all the divisions it can mean; what the
conversation makes of them (context, corrections, two places) is `knowledge.places`.

What is not a place, however close it is to one:
- a place name inside another word: a street, university, company, dish or person
  (中山路, 中山大学, 孙中山, Zhongshan Road, "Mr. Wuhan"): the words of jieba's
  dictionary that contain a place name without naming it (place_lookalikes.yml) and the
  words that make a name part of something else (路, 大学, Road, University ...);
- a misspelling is matched only when the word is no real place name at any level and no
  everyday English word, and only when one place is closest: "Guangzou" is Guangzhou,
  but Jinnan (津南区, Tianjin) is never read as Jinan;
- a county's bare English name only with two syllables or more and when it is no
  everyday English word ("Zhong County" is; "zhong" alone is not).
"""

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from opencc import OpenCC
from rapidfuzz import process
from rapidfuzz.distance import OSA
from wordfreq import zipf_frequency

from knowledge.schema import Region

# --- Chinese -------------------------------------------------------------------------
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A place's short form followed by one of these is part of the name of something else.
CHINESE_CONTAINERS = (
    "路",
    "街",
    "大道",
    "大街",
    "巷",
    "弄",
    "胡同",
    "大学",
    "学院",
    "学校",
    "中学",
    "小学",
    "医院",
    "银行",
    "公司",
    "集团",
    "汽车",
    "啤酒",
    "酒店",
    "饭店",
    "宾馆",
    "广场",
    "公园",
    "大厦",
    "商场",
    "超市",
    "机场",
    "车站",
    "站",
    "港",
    "队",
    "卫视",
    "电视台",
    "日报",
    "晚报",
    "大桥",
    "花园",
    "小区",
    "菜",
    "话",
    "拉面",
    "牛肉面",
    "米粉",
    "烤鸭",
    "小吃",
    "小面",
    "火锅",
    "麻辣烫",
    "先生",
    "女士",
    "老师",
    "同学",
    "同志",
    "师傅",
    "小姐",
)
_PEOPLE = (
    "同事|朋友|老师|同学|领导|老板|经理|亲戚|家人|邻居|师傅|闺女|女儿|儿子|老婆|老公|孩子|宝宝|"
    "姐姐|哥哥|弟弟|妹妹"
)
# A name given to a person: "我叫张北京", "我同事张北京", "我闺女安宁", "张北京是我同事"; the
# character between, if any, is a surname, not 在/去/住 ("我儿子在北京" names Beijing).
_CHINESE_NAMING = re.compile(
    rf"(叫|名叫|名字叫|名字是|姓名是|姓名|{_PEOPLE})[^\W在去到从住是的回来_]?$"
)
# Set phrases a place's name ends: 祝您安康 (good health), 不得安宁 (no peace).
_CHINESE_PHRASE_BEFORE = re.compile(r"(祝您|祝你|祝|不得)$")
_CHINESE_PERSON_AFTER = re.compile(rf"^(是|为)?我的?({_PEOPLE})")
# "不是广州", "不在北京了": the place right after is not meant (a word like 在 between).
_CHINESE_NEGATION = re.compile(r"(不是|并非|而非|而不是|不在|非)(在|去|说)?$")
_CHINESE_ROLE_CUES = {
    "hukou": ("户口", "户籍", "老家", "籍贯", "原籍", "出生"),
    "residence": ("住", "工作", "上班", "人在", "现在在", "目前在", "打工", "参保", "搬到", "搬去"),
}

# --- English -------------------------------------------------------------------------
_WORD = re.compile(r"[A-Za-z]+(?:['’\-][A-Za-z]+)*")
# A word after a place name that says which kind of division is meant.
KIND_WORDS: Dict[str, Tuple[str, ...]] = {
    "city": ("city", "county_city", "municipality"),
    "shi": ("city", "county_city", "municipality"),
    "municipality": ("municipality",),
    "province": ("province", "autonomous_region"),
    "sheng": ("province", "autonomous_region"),
    "region": ("autonomous_region",),
    "district": ("district", "new_area", "forestry_district", "special_district"),
    "qu": ("district", "new_area"),
    "county": ("county", "autonomous_county", "county_city"),
    "xian": ("county", "autonomous_county"),
    "prefecture": ("prefecture", "autonomous_prefecture"),
    "zhou": ("autonomous_prefecture",),
    "league": ("league",),
    "meng": ("league",),
    "banner": ("banner", "autonomous_banner"),
}
ENGLISH_CONTAINERS = frozenset(
    "road rd street st avenue ave boulevard blvd lane lu jie dajie university univ college school "
    "hospital bank park square plaza mall hotel restaurant company co corp ltd group motors auto "
    "automobile beer airport station port fc team tv daily bridge cuisine food dialect hotpot "
    "pepper noodle noodles duck dumplings opera airlines airline bookstore insurance moutai tea "
    "style restaurant".split()
)
PERSON_TITLES = frozenset("mr mrs ms miss dr mister madam prof professor sir".split())
# A name right after one of these is a person's: "my coworker Huang Shan", "my friend Yan Tai".
PERSON_WORDS = frozenset(
    "friend coworker co-worker colleague manager boss accountant daughter son wife husband "
    "neighbour neighbor teacher named called classmate cousin uncle aunt mate newborn baby kid "
    "child".split()
)
# Prepositions before a place ("in Xi An"): a surname-like first syllable is then the place's.
LOCATIVES = frozenset("in at to from near of around".split())
# Common surnames: a county's name right after one is more likely a person's given name.
SURNAMES = frozenset(
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng "
    "liang xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye "
    "cheng wei su lu ding ren shen yao jin".split()
)
# "not Guangzhou", "not in Wuxi", "instead of Nanhai": the place right after is not meant.
_ENGLISH_NEGATION = re.compile(
    r"\b(not|isn't|wasn't|aren't|isnt|wasnt|never|instead of|rather than)"
    r"(\s+the\s+one)?(\s+(in|at|from|the))?\s*$",
    re.IGNORECASE,
)
# "Bank of Ningbo", "University of Hong Kong": the place names an institution.
_ENGLISH_CONTAINER_BEFORE = re.compile(
    r"\b(bank|university|college|hospital|school|museum|port|"
    r"airport|station|company|institute)\s+of\s+(the\s+)?$",
    re.IGNORECASE,
)
_ENGLISH_ROLE_CUES = {
    "hukou": frozenset("hukou household registered registration hometown born native".split()),
    "residence": frozenset(
        "live lives living work works working based moved stay staying "
        "insured job employed now".split()
    ),
}
# A word this common (Zipf, about once per million words) is never a misspelled place.
EVERYDAY_WORD_ZIPF = 3.0
FUZZY_MIN_LENGTH = 5
# Edits allowed by a word's length: one for "Hangzou", two for "Guangzhuo".
LONG_WORD = 8

_to_simplified = OpenCC("t2s")


@lru_cache(maxsize=8192)
def _simplified(character: str) -> str:
    converted = _to_simplified.convert(character)
    return converted if len(converted) == 1 else character


def simplified(text: str) -> str:
    """Traditional characters as Simplified ones, one for one, so offsets stay the same."""
    return "".join(_simplified(ch) if _HAN.match(ch) else ch for ch in text)


def normalise_english(word: str) -> str:
    word = re.sub(r"['’]s$", "", word.lower())  # Xinyang's is Xinyang
    return re.sub(r"['’\-.\s]", "", word)


@dataclass(frozen=True)
class Mention:
    """Words of a message that name a place, and every division they can mean."""

    start: int
    end: int
    text: str
    candidates: Tuple[Region, ...]
    negated: bool = False
    role: Optional[str] = None
    fuzzy: bool = False


class RegionDirectory:
    """Every division by code and by name, and where places are named in a message."""

    def __init__(
        self,
        regions: Iterable[Region],
        lookalikes: Iterable[str] = (),
        pinyin_words: Iterable[str] = (),
        outside_the_mainland: Iterable[str] = (),
    ) -> None:
        self.regions: Dict[str, Region] = {region.id: region for region in regions}
        # Everyday words in pinyin ("shenqing", 申请): words, never a misspelt place.
        self._pinyin_words: Set[str] = set(pinyin_words)
        self._chinese: Dict[str, List[Region]] = {}
        self._full_names: Set[str] = set()
        self._english: Dict[str, List[Region]] = {}
        self._by_pinyin: Dict[str, List[Region]] = {}
        for region in self.regions.values():
            self._full_names.add(region.name_zh)
            for form in [region.name_zh, *region.forms_zh]:
                self._chinese.setdefault(form, []).append(region)
            for form in region.forms_en:
                self._english.setdefault(normalise_english(form), []).append(region)
            self._by_pinyin.setdefault(normalise_english(region.pinyin), []).append(region)
        # A short name that is also a place in Hong Kong, Macao or Taiwan names that place:
        # 九龙 is Kowloon; 九龙县 in Sichuan is named in full.
        for name in outside_the_mainland:
            if name not in self._full_names:
                self._chinese.pop(name, None)
        self._longest_chinese = max(map(len, self._chinese), default=0)
        self._longest_english = max(
            (len(form.split()) for r in self.regions.values() for form in r.forms_en), default=1
        )
        self._fuzzy_choices = sorted(
            {
                normalise_english(form)
                for region in self.regions.values()
                if region.level != "county"
                for form in region.forms_en
                if " " not in form
            }
        )
        self._lookalikes: Dict[str, List[Tuple[str, int]]] = {}
        for word in lookalikes:
            for size in range(2, len(word)):
                for offset in (0, len(word) - size):
                    form = word[offset : offset + size]
                    if form in self._chinese:
                        self._lookalikes.setdefault(form, []).append((word, offset))

    def __len__(self) -> int:
        return len(self.regions)

    # --- the directory ---------------------------------------------------------------

    def get(self, region_id: Optional[str]) -> Optional[Region]:
        return self.regions.get(region_id) if region_id else None

    def parent(self, region: Region) -> Optional[Region]:
        return self.get(region.parent)

    def ancestors(self, region: Region) -> List[Region]:
        """The divisions above a region, nearest first."""
        found = []
        parent = self.parent(region)
        while parent is not None:
            found.append(parent)
            parent = self.parent(parent)
        return found

    def province_of(self, region: Region) -> Region:
        return (self.ancestors(region) or [region])[-1]

    def within(self, region: Region, area: Region) -> bool:
        """Whether `region` is `area` or lies inside it."""
        return region.id == area.id or any(a.id == area.id for a in self.ancestors(region))

    def by_level(self, level: str) -> List[Region]:
        return [region for region in self.regions.values() if region.level == level]

    def named(self, full_path: str) -> Optional[Region]:
        """The division written as its full Chinese names from the province down
        ("江苏省泰州市", "北京市朝阳区")."""
        for region in self._chinese.get(self._last_full_name(full_path), []):
            path = "".join(a.name_zh for a in reversed(self.ancestors(region))) + region.name_zh
            if path == full_path or region.name_zh == full_path:
                return region
        return None

    def _last_full_name(self, full_path: str) -> str:
        for start in range(len(full_path)):
            if full_path[start:] in self._full_names:
                return full_path[start:]
        return full_path

    def chinese_names(self) -> List[str]:
        """Every Chinese form of every division, for the tokenizer's dictionary."""
        return sorted(self._chinese)

    def english_words(self) -> List[str]:
        """Every word of every romanised or English place name, for spelling correction."""
        return sorted(
            {
                word
                for region in self.regions.values()
                for name in [region.pinyin, *region.forms_en]
                for word in re.findall(r"[a-z]+", name.lower())
            }
        )

    def place_words(self) -> List[str]:
        """Every name of a division that is one token: each Chinese form, and each romanised
        or English name of one word (for the classifier's place marker)."""
        english = {
            normalise_english(form)
            for region in self.regions.values()
            for form in region.forms_en
            if " " not in form
        }
        return sorted(set(self._chinese) | english)

    def counts(self) -> Dict[str, int]:
        """Divisions by level."""
        found: Dict[str, int] = {}
        for region in self.regions.values():
            found[region.level] = found.get(region.level, 0) + 1
        return found

    # --- places in a message ---------------------------------------------------------

    def find(self, text: str) -> List[Mention]:
        """Every mention of a place in `text`, in order, with all it can mean."""
        mentions = sorted(
            self._find_chinese(text) + self._find_english(text), key=lambda mention: mention.start
        )
        return _corrected(mentions, text)

    def resolve_name(self, name: str) -> List[Region]:
        """The divisions a place name on its own can mean (an entity value, a button)."""
        if name in self.regions:
            return [self.regions[name]]
        mentions = self.find(name)
        return list(mentions[0].candidates) if mentions else []

    def _find_chinese(self, text: str) -> List[Mention]:
        simple = simplified(text)
        mentions = []
        position = 0
        while position < len(simple):
            if not _HAN.match(simple[position]):
                position += 1
                continue
            for size in range(min(self._longest_chinese, len(simple) - position), 1, -1):
                form = simple[position : position + size]
                if (
                    form in self._chinese
                    and not self._inside_another_word(simple, position, form)
                    and not self._overlaps_a_larger_place(simple, position, size)
                ):
                    mentions.append(
                        Mention(
                            position,
                            position + size,
                            text[position : position + size],
                            tuple(self._chinese[form]),
                            negated=bool(
                                _CHINESE_NEGATION.search(simple[max(0, position - 4) : position])
                            ),
                            role=_chinese_role(simple[max(0, position - 8) : position]),
                        )
                    )
                    position += size
                    break
            else:
                position += 1
        return mentions

    def _overlaps_a_larger_place(self, text: str, start: int, size: int) -> bool:
        """A county's name that runs into a province's or prefecture's (张北|北京): the
        larger place is read, as people name those far more often."""
        if any(region.level != "county" for region in self._chinese[text[start : start + size]]):
            return False
        for inner in range(start + 1, start + size):
            for length in range(start + size - inner + 1, self._longest_chinese + 1):
                regions = self._chinese.get(text[inner : inner + length], ())
                if any(region.level != "county" for region in regions):
                    return True
        return False

    def _inside_another_word(self, text: str, start: int, form: str) -> bool:
        end = start + len(form)
        for word, offset in self._lookalikes.get(form, ()):
            if text[start - offset : start - offset + len(word)] == word:
                return True
        if form not in self._full_names and text[end:].startswith(CHINESE_CONTAINERS):
            return True
        if text[end:].startswith("市") and all(r.kind == "district" for r in self._chinese[form]):
            return True  # 新城市 is a new city, not a 新城区
        if _CHINESE_PERSON_AFTER.search(text[end:]):
            return True
        if form not in self._full_names and _CHINESE_PHRASE_BEFORE.search(
            text[max(0, start - 2) : start]
        ):
            return True
        return bool(_CHINESE_NAMING.search(text[max(0, start - 5) : start]))

    def _find_english(self, text: str) -> List[Mention]:
        words = [(m.start(), m.end(), normalise_english(m.group(0))) for m in _WORD.finditer(text)]
        mentions = []
        index = 0
        while index < len(words):
            found = self._english_at(text, words, index)
            if found is None:
                index += 1
                continue
            mention, used = found
            mentions.append(mention)
            index += used
        return mentions

    def _english_at(self, text: str, words, index: int) -> Optional[Tuple[Mention, int]]:
        before = words[index - 1][2] if index else ""
        if (
            before in PERSON_TITLES
            or before in PERSON_WORDS
            or _ENGLISH_CONTAINER_BEFORE.search(text[: words[index][0]])
        ):
            return None
        for size in range(min(self._longest_english + 1, len(words) - index), 0, -1):
            span = words[index : index + size]
            key = "".join(word for _, _, word in span)
            after = words[index + size][2] if index + size < len(words) else ""
            kinds = KIND_WORDS.get(after)
            candidates: List[Region] = []
            if kinds:
                candidates = [
                    r
                    for r in self._english.get(key, []) + self._by_pinyin.get(key, [])
                    if r.kind in kinds
                ]
            if not candidates:
                kinds = None
                candidates = list(self._english.get(key, []))
                if candidates and after in ENGLISH_CONTAINERS:
                    return None
            fuzzy = False
            if not candidates and size <= 2 and self._may_be_misspelt(span):
                candidates, fuzzy = self._closest(key), True
            if candidates and not kinds and _a_persons_name(text, words, index, size, before):
                return None
            if candidates:
                used = size + (1 if kinds else 0)
                end = words[index + used - 1][1]
                start = span[0][0]
                context = [word for _, _, word in words[max(0, index - 6) : index]]
                return Mention(
                    start,
                    end,
                    text[start:end],
                    tuple({r.id: r for r in candidates}.values()),
                    negated=bool(_ENGLISH_NEGATION.search(text[max(0, start - 20) : start])),
                    role=_english_role(context),
                    fuzzy=fuzzy,
                ), used
        return None

    def _may_be_misspelt(self, span: Sequence[Tuple[int, int, str]]) -> bool:
        key = "".join(word for _, _, word in span)
        if len(key) < FUZZY_MIN_LENGTH or not key.isalpha():
            return False
        if key in self._english or key in self._by_pinyin:
            return False  # a real place's name, never read as another place
        if key in self._pinyin_words or any(word in self._pinyin_words for _, _, word in span):
            return False  # "shenqing liucheng" (申请流程) is no misspelt Shenyang
        return all(zipf_frequency(word, "en") < EVERYDAY_WORD_ZIPF for _, _, word in span)

    def _closest(self, key: str) -> List[Region]:
        cutoff = 1 if len(key) < LONG_WORD else 2
        matches = process.extract(
            key, self._fuzzy_choices, scorer=OSA.distance, score_cutoff=cutoff, limit=5
        )
        if not matches:
            return []
        best = min(distance for _, distance, _ in matches)
        forms = [form for form, distance, _ in matches if distance == best]
        if len(forms) > 1:
            return []  # as close to two names: not a guess to make
        return [r for r in self._english[forms[0]] if r.level != "county"]


# "... but that was wrong, it's Taizhou in Zhejiang", "我说错了，是漳州": the places named
# before such words are the ones taken back, when a place is named after them.
_CORRECTION = re.compile(
    r"\b(that was wrong|that's wrong|i was wrong|wrong one|i meant|i mean|sorry,? (it's|its))\b"
    r"|说错了|打错了|搞错了|写错了|弄错了|更正一下",
    re.IGNORECASE,
)


def _corrected(mentions: List[Mention], text: str) -> List[Mention]:
    cues = list(_CORRECTION.finditer(text))
    cue = cues[-1] if cues else None
    if cue is None or not any(m.start >= cue.end() for m in mentions):
        return mentions
    return [replace(m, negated=True) if m.end <= cue.start() else m for m in mentions]


def _a_persons_name(text: str, words, index: int, size: int, before: str) -> bool:
    """A capitalised name after a surname ("Li Huaian", "Liu Changsha"), or written as
    surname and given name ("Huang Shan", "Yan Tai") where no preposition puts a place."""
    written = [text[start:end] for start, end, _ in words[index : index + size]]
    if not all(word[:1].isupper() for word in written):
        return False
    previous = text[words[index - 1][0] : words[index - 1][1]] if index else ""
    if before in SURNAMES and previous[:1].isupper():
        return True
    return size == 2 and words[index][2] in SURNAMES and before not in LOCATIVES


def _chinese_role(before: str) -> Optional[str]:
    clause = re.split(r"[，。,.;；！!？?]", before)[-1]
    for role, cues in _CHINESE_ROLE_CUES.items():
        if any(cue in clause for cue in cues):
            return role
    return None


def _english_role(before: List[str]) -> Optional[str]:
    for word in reversed(before):
        for role, cues in _ENGLISH_ROLE_CUES.items():
            if word in cues:
                return role
    return None
