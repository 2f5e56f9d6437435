"""Jiangsu's prefecture-level cities and their districts, counties and
county-level cities, used to place pages that no catalog entry places."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

JIANGSU: dict[str, tuple[str, ...]] = {
    "南京": ("玄武区", "秦淮区", "建邺区", "鼓楼区", "浦口区", "栖霞区", "雨花台区", "江宁区", "六合区", "溧水区", "高淳区"),
    "无锡": ("锡山区", "惠山区", "滨湖区", "梁溪区", "新吴区", "江阴市", "宜兴市"),
    "徐州": ("鼓楼区", "云龙区", "贾汪区", "泉山区", "铜山区", "丰县", "沛县", "睢宁县", "新沂市", "邳州市"),
    "常州": ("天宁区", "钟楼区", "新北区", "武进区", "金坛区", "溧阳市"),
    "苏州": ("虎丘区", "吴中区", "相城区", "姑苏区", "吴江区", "常熟市", "张家港市", "昆山市", "太仓市"),
    "南通": ("崇川区", "通州区", "海门区", "如东县", "启东市", "如皋市", "海安市"),
    "连云港": ("连云区", "海州区", "赣榆区", "东海县", "灌云县", "灌南县"),
    "淮安": ("淮安区", "淮阴区", "清江浦区", "洪泽区", "涟水县", "盱眙县", "金湖县"),
    "盐城": ("亭湖区", "盐都区", "大丰区", "响水县", "滨海县", "阜宁县", "射阳县", "建湖县", "东台市"),
    "扬州": ("广陵区", "邗江区", "江都区", "宝应县", "仪征市", "高邮市"),
    "镇江": ("京口区", "润州区", "丹徒区", "丹阳市", "扬中市", "句容市"),
    "泰州": ("海陵区", "高港区", "姜堰区", "兴化市", "靖江市", "泰兴市"),
    "宿迁": ("宿城区", "宿豫区", "沭阳县", "泗阳县", "泗洪县"),
}


# Short forms that are also common words or places elsewhere (钟楼 a bell tower, 通州 in Beijing,
# 新北 in Taiwan, 大丰 "a rich harvest"): only the full name with its suffix places a page there.
AMBIGUOUS_SHORT_FORMS = frozenset({
    "新北", "通州", "鼓楼", "钟楼", "玄武", "秦淮", "滨湖", "滨海", "东海", "云龙", "姑苏", "六合", "响水",
    "大丰", "天宁", "高港", "海州", "连云", "宿城", "清江浦", "金湖", "建湖",
})
# Development zones that are one administration with a district (区政合一), by the names pages use.
ZONE_DISTRICTS: dict[str, str] = {
    "常州高新区": "新北区", "常州国家高新区": "新北区", "无锡高新区": "新吴区", "无锡国家高新区": "新吴区",
    "武进高新区": "武进区", "武进国家高新区": "武进区", "西太湖科技产业园": "武进区",
    "江阴高新区": "江阴市", "昆山开发区": "昆山市", "张家港保税区": "张家港市", "南通开发区": "通州区",
}


@lru_cache(maxsize=1)
def _district_index() -> dict[str, tuple[tuple[str, str], ...]]:
    """Every spelling of a district (武进区, 武进, 常州高新区) → the (city, official name) pairs it
    may mean (鼓楼区 is in both 南京 and 徐州)."""
    index: dict[str, list[tuple[str, str]]] = {}
    for city, districts in JIANGSU.items():
        for district in districts:
            index.setdefault(district, []).append((city, district))
            short = district[:-1]
            if len(short) >= 2 and short not in JIANGSU and short not in AMBIGUOUS_SHORT_FORMS:
                index.setdefault(short, []).append((city, district))
    for zone, district in ZONE_DISTRICTS.items():
        index.setdefault(zone, []).extend(pair for pair in index[district] if pair[1] == district)
    return {name: tuple(pairs) for name, pairs in index.items()}


@lru_cache(maxsize=1)
def _place_re() -> re.Pattern[str]:
    names = sorted(set(JIANGSU) | set(_district_index()), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def city_of_district(district: str) -> str | None:
    """The city of an official district name (the first, for a name two cities share)."""
    found = _district_index().get(district)
    return found[0][0] if found else None


def infer_place(simplified_text: str, surroundings: str = "") -> tuple[str, str]:
    """The city (and district, when one stands out) a Simplified text is mostly about.

    A district's mention counts for its city; a name two cities share counts for neither until
    one of them is named. The district is the one most named in that city, when it has more
    mentions than all its neighbours together. Places in `surroundings` (the rest of the page: its
    dateline, source line) only settle a tie between the text's own places."""
    cities, districts = _place_counts(simplified_text)
    if not cities:
        return "", ""
    top = max(cities.values())
    tied = [city for city, count in cities.items() if count == top]
    around, _ = _place_counts(surroundings) if len(tied) > 1 and surroundings else (Counter(), None)
    city = max(tied, key=lambda name: around[name])
    in_city = [(pair[1], count) for pair, count in districts.most_common() if pair[0] == city]
    district = ""
    if in_city and in_city[0][1] * 2 > sum(count for _, count in in_city):
        district = in_city[0][0]
    return city, district


def _place_counts(simplified_text: str) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """Mentions per city and per (city, district), in the order they are first met."""
    cities: Counter[str] = Counter()
    districts: Counter[tuple[str, str]] = Counter()
    shared: list[tuple[tuple[str, str], ...]] = []
    for match in _place_re().finditer(simplified_text):
        name = match.group(0)
        if name in JIANGSU:
            cities[name] += 1
            continue
        pairs = _district_index()[name]
        if len(pairs) > 1:
            shared.append(pairs)
            continue
        cities[pairs[0][0]] += 1
        districts[pairs[0]] += 1
    for pairs in shared:
        named = [pair for pair in pairs if pair[0] in cities]
        if len(named) == 1:
            cities[named[0][0]] += 1
            districts[named[0]] += 1
    return cities, districts


# Provinces and major cities outside Jiangsu that Jiangsu industry news names.
MAJOR_PLACES: tuple[str, ...] = (
    "北京", "上海", "天津", "重庆", "深圳", "广州", "杭州", "宁波", "合肥", "武汉", "成都", "西安", "郑州",
    "长沙", "厦门", "青岛", "济南", "福州", "香港", "澳门", "台湾", "雄安", "大湾区", "粤港澳大湾区", "长三角",
    "浙江", "安徽", "山东", "广东", "福建", "湖北", "湖南", "四川", "河南", "河北", "江西", "上海市", "深圳市",
)
