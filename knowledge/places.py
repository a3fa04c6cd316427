"""Which place a message is about, from the places it names and the one remembered.

A name can mean several divisions (Taizhou is 泰州 in Jiangsu and 台州 in Zhejiang; 鼓楼区
is a district of four cities). A province or city named in the same message, or the
region remembered from earlier in the conversation, tells them apart ("Taizhou,
Jiangsu"); otherwise the assistant asks, offering each one. A name is read first as the city
when it also names the province the city lies in (吉林 is 吉林市), as the largest division
it can mean when others nest in it (朝阳 is 朝阳市, not its 朝阳县), as
a province or prefecture rather than a county that shares its short form (朝阳 is the
city in Liaoning, 北京朝阳 the district), and as a county-level city rather than a county
of the same romanised name (Yiwu is 义乌市, not 伊吾县). A place said not to be meant ("not Guangzhou",
"不是广州") is dropped, so a correction replaces the remembered region. Two places that
are neither the same nor one inside the other (the hukou in one, work in the other) are
both kept, with the role each was named in.
"""

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from knowledge.regions import Mention, RegionDirectory
from knowledge.schema import Region

LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2}


@dataclass(frozen=True)
class PlaceReading:
    """What a message says about places: one place, a choice to ask about, or two places."""

    place: Optional[Region] = None
    choices: Tuple[Region, ...] = ()
    places: Tuple[Region, ...] = ()
    roles: Dict[str, str] = field(default_factory=dict)
    corrected: bool = False

    @property
    def named(self) -> bool:
        return bool(self.place or self.choices or self.places)

    @property
    def ambiguous(self) -> bool:
        return bool(self.choices)

    @property
    def two_places(self) -> bool:
        return len(self.places) > 1


def read_places(
    directory: RegionDirectory, mentions: Sequence[Mention], remembered: Optional[Region] = None
) -> PlaceReading:
    """The place(s) the mentions of one message refer to, given the remembered region."""
    corrected = any(mention.negated for mention in mentions)
    kept = [mention for mention in mentions if not mention.negated]
    if not kept:
        return PlaceReading(corrected=corrected)
    # A name is read among the places named with it, then the remembered region, then by
    # the preference for larger divisions.
    plain = [preferred(directory, mention.candidates) for mention in kept]
    settled: List[List[Region]] = []
    for index, mention in enumerate(kept):
        candidates = list(mention.candidates)
        if len(candidates) > 1:
            context = [c[0] for i, c in enumerate(plain) if i != index and len(c) == 1]
            if remembered is not None:
                context.append(remembered)
            candidates = narrowed(directory, candidates, context) or candidates
        settled.append(preferred(directory, candidates))
    open_choices = [candidates for candidates in settled if len(candidates) > 1]
    if open_choices:
        return PlaceReading(choices=tuple(open_choices[0]), corrected=corrected)
    places = most_specific(directory, [candidates[0] for candidates in settled])
    roles: Dict[str, str] = {}
    for mention, candidates in zip(kept, settled):
        if mention.role:
            roles.setdefault(candidates[0].id, mention.role)
    if len(places) == 1:
        return PlaceReading(place=places[0], corrected=corrected)
    return PlaceReading(places=tuple(places[:2]), roles=roles, corrected=corrected)


def preferred(directory: RegionDirectory, candidates: Sequence[Region]) -> List[Region]:
    """Of what one name can mean: a city before the province of the same name around it,
    the largest of other nested divisions, and provinces and prefectures before counties
    that share the name."""
    # 吉林 is the province and the city in it: the city is what people who name it mean.
    candidates = [
        c
        for c in candidates
        if not (
            c.level == "province"
            and any(o.level == "prefecture" and directory.within(o, c) for o in candidates)
        )
    ]
    outermost = [
        c
        for c in candidates
        if not any(o.id != c.id and directory.within(c, o) for o in candidates)
    ]
    best = min(LEVEL_RANK[c.level] for c in outermost)
    if best < LEVEL_RANK["county"]:
        return [c for c in outermost if LEVEL_RANK[c.level] == best]
    # Among county-level places, a county-level city (义乌市) before counties sharing its
    # romanised name (伊吾县): cities are where most people who name one live.
    cities = [c for c in outermost if c.kind == "county_city"]
    return cities if len(cities) == 1 else outermost


def narrowed(
    directory: RegionDirectory, candidates: Sequence[Region], context: Sequence[Region]
) -> List[Region]:
    """The candidates that lie in (or contain) a place of the context, or its province."""
    for area in context:
        inside = [c for c in candidates if directory.within(c, area) or directory.within(area, c)]
        if inside:
            return inside
        province = directory.province_of(area)
        same_province = [c for c in candidates if directory.within(c, province)]
        if same_province:
            return same_province
    return []


def most_specific(directory: RegionDirectory, places: Sequence[Region]) -> List[Region]:
    """Distinct places, each the most specific of those nested in one another
    ("江苏泰州" is Taizhou; Beijing and Chaoyang District are Chaoyang District)."""
    distinct: List[Region] = []
    for place in places:
        if any(d.id == place.id for d in distinct):
            continue
        distinct = [d for d in distinct if not directory.within(place, d)]
        if not any(directory.within(d, place) for d in distinct):
            distinct.append(place)
    return distinct
