"""Region directory: mainland China's provinces and major cities, with their bureaus.

Users write place names in Chinese, in pinyin, in English and misspelled
("Bejing", "shenzen", "Guangzou"). Known forms are matched exactly; anything
else is matched with rapidfuzz against the English and pinyin names.
"""

import re
from typing import Dict, Iterable, List, Optional

from rapidfuzz import process
from rapidfuzz.distance import OSA
from wordfreq import zipf_frequency

from knowledge.schema import Region

# Short words are too easily near a place name to be matched fuzzily.
FUZZY_MIN_LENGTH = 5
# Edits (insert, delete, substitute, swap two neighbours) allowed by a word's length:
# one for "Hangzou", two for "Guangzhuo"; "change" stays three away from Changsha.
LONG_WORD = 8
# An everyday English word ("human", "speaking") is never a misspelled place, however
# close it is to one (Hunan, Beijing). Zipf 3 is about once per million words.
EVERYDAY_WORD_ZIPF = 3.0

_ENGLISH_SUFFIXES = re.compile(r"\s+(city|province|shi|sheng|municipality|autonomous region)$")
_WORD = re.compile(r"[a-z][a-z'’]*")


def _normalize_english(name: str) -> str:
    name = " ".join(name.lower().replace("’", "'").split())
    return _ENGLISH_SUFFIXES.sub("", name)


class RegionDirectory:
    """Looks up regions by any of their names, exact or misspelled."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self.regions: Dict[str, Region] = {region.id: region for region in regions}
        self._english: Dict[str, Region] = {}
        self._chinese: Dict[str, Region] = {}
        for region in self.regions.values():
            # Provinces are listed before their cities, so on a clash the province keeps the name.
            for name in [*region.english_names, *region.misspellings]:
                self._english.setdefault(_normalize_english(name), region)
                self._english.setdefault(name.lower(), region)
            for name in region.chinese_names:
                self._chinese.setdefault(name, region)
        self._correct_english = {
            _normalize_english(name): region
            for region in self.regions.values()
            for name in region.english_names
        }
        longest_first = sorted(self._chinese, key=len, reverse=True)
        self._chinese_pattern = re.compile("|".join(map(re.escape, longest_first)))

    def __len__(self) -> int:
        return len(self.regions)

    def get(self, region_id: Optional[str]) -> Optional[Region]:
        return self.regions.get(region_id) if region_id else None

    def resolve(self, name: str) -> Optional[Region]:
        """The region a place name (as extracted from a message) refers to."""
        name = name.strip()
        if not name:
            return None
        if name in self._chinese:
            return self._chinese[name]
        chinese = self._chinese_pattern.search(name)
        if chinese:
            return self._chinese[chinese.group(0)]
        normalized = _normalize_english(name)
        if normalized in self._english:
            return self._english[normalized]
        return self._fuzzy(normalized)

    def find_in_text(self, text: str) -> Optional[Region]:
        """The first region named anywhere in a free-text message, if any."""
        chinese = self._chinese_pattern.search(text)
        if chinese:
            return self._chinese[chinese.group(0)]
        words = _WORD.findall(text.lower().replace("’", "'"))
        candidates = [" ".join(pair) for pair in zip(words, words[1:])] + words
        for candidate in candidates:
            if candidate in self._english:
                return self._english[candidate]
        for word in words:
            if zipf_frequency(word, "en") < EVERYDAY_WORD_ZIPF:
                region = self._fuzzy(word)
                if region:
                    return region
        return None

    def _fuzzy(self, name: str) -> Optional[Region]:
        if len(name) < FUZZY_MIN_LENGTH:
            return None
        match = process.extractOne(
            name,
            self._correct_english.keys(),
            scorer=OSA.distance,
            score_cutoff=1 if len(name) < LONG_WORD else 2,
        )
        return self._correct_english[match[0]] if match else None

    def surface_forms(self) -> List[str]:
        """Every written form of every region, for the entity ruler and the segmenter."""
        return sorted({*self._english, *self._chinese})

    def chinese_names(self) -> List[str]:
        return sorted(self._chinese)
