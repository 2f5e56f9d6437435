"""Jiangsu's prefecture-level cities and their districts, counties and
county-level cities, used to place pages that no catalog entry places."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

JIANGSU: dict[str, tuple[str, ...]] = {
    "南京": ("玄武区", "秦淮区", "建邺区", "鼓楼区", "浦口区", "栖霞区", "雨花台区", "江宁区", "六合区", "溧水区", "高淳区"),
    "无锡": ("锡山区", "惠山区", "滨湖区", "梁溪区", "新吴区", "江阴市", "宜兴市"),
    "徐州": ("云龙区", "贾汪区", "泉山区", "铜山区", "丰县", "沛县", "睢宁县", "新沂市", "邳州市"),
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


@lru_cache(maxsize=1)
def _district_index() -> dict[str, tuple[str, str]]:
    """Every spelling of a district (武进区, 武进) → (city, official name)."""
    index: dict[str, tuple[str, str]] = {}
    for city, districts in JIANGSU.items():
        for district in districts:
            index[district] = (city, district)
            short = district[:-1]
            if len(short) >= 2 and short not in JIANGSU:
                index.setdefault(short, (city, district))
    return index


@lru_cache(maxsize=1)
def _place_re() -> re.Pattern[str]:
    names = sorted(set(JIANGSU) | set(_district_index()), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def city_of_district(district: str) -> str | None:
    found = _district_index().get(district)
    return found[0] if found else None


def infer_place(simplified_text: str) -> tuple[str, str]:
    """The city (and district, when one dominates) a Simplified text is mostly about."""
    cities: Counter[str] = Counter()
    districts: Counter[str] = Counter()
    for match in _place_re().finditer(simplified_text):
        name = match.group(0)
        if name in JIANGSU:
            cities[name] += 1
        else:
            city, district = _district_index()[name]
            cities[city] += 1
            districts[district] += 1
    if not cities:
        return "", ""
    city = cities.most_common(1)[0][0]
    in_city = [(d, n) for d, n in districts.most_common() if city_of_district(d) == city]
    district = ""
    if in_city and in_city[0][1] >= 2 and in_city[0][1] * 2 > sum(n for _, n in in_city):
        district = in_city[0][0]
    return city, district


# Provinces and major cities outside Jiangsu that Jiangsu industry news names.
MAJOR_PLACES: tuple[str, ...] = (
    "北京", "上海", "天津", "重庆", "深圳", "广州", "杭州", "宁波", "合肥", "武汉", "成都", "西安", "郑州",
    "长沙", "厦门", "青岛", "济南", "福州", "香港", "澳门", "台湾", "雄安", "大湾区", "粤港澳大湾区", "长三角",
    "浙江", "安徽", "山东", "广东", "福建", "湖北", "湖南", "四川", "河南", "河北", "江西", "上海市", "深圳市",
)
