"""People named with their roles: 市长盛蕾, 区委副书记、区长恽淇丞, 董事长朱兴明.

A person is recognised where a title stands right before a name — the way
Chinese news introduces officials and executives. Names are two or three
characters; a third character that usually starts the next word (来, 参, 主…)
ends the name at two.
"""
from __future__ import annotations

import re

from archive.gazetteer import JIANGSU, MAJOR_PLACES
from archive.text.dictionary import user_words, word_frequency

_UNIT = r"(?:[市区县镇省]委?|[市区县省]政府|[市区县省]政协|[市区县省]人大常委会|[市区县省]委常委、?|党组|党工委|国家高新区党工委|集团|公司)?"
_TITLE_WORD = (
    r"(?:常务副|副)?(?:书记|市长|区长|县长|镇长|省长|主席|主任|秘书长|部长|局长|厅长|巡视员|院长|所长|"
    r"董事长|总经理|总裁|首席执行官|首席运营官|执行董事|行政总裁|总监|创始人|联合创始人|党委书记|常委|理事长|会长|院士)"
)
TITLE_CHAIN = rf"(?:{_UNIT}{_TITLE_WORD}(?:[、兼]|和)?){{1,4}}"
_PERSON_RE = re.compile(rf"({TITLE_CHAIN})([\u4e00-\u9fff]{{2,3}})")
# Characters that begin the word after a two-character name (盛蕾来我区, 王斐参加).
_NEXT_WORD_START = set("来在会对说表指强出参主率带一等和与是的了到赴走调察要将向为以也就都还又并代介致讲")
_NOT_NAMES = {"一行", "同志", "出席", "参加", "主持", "表示", "强调", "指出", "介绍", "致辞", "讲话", "带队", "率团"}


COMMON_WORD_FREQ = 1000  # 关于, 明确, 围绕: words, not names


def _common(word: str) -> bool:
    """An everyday word in jieba's dictionary (the project's own entries are names, not words)."""
    return word not in user_words() and word_frequency(word) >= COMMON_WORD_FREQ


def extract_people(simplified: str) -> dict[str, str]:
    """Person name → the role the text gives (the first one found)."""
    people: dict[str, str] = {}
    for match in _PERSON_RE.finditer(simplified):
        role, name = match.group(1).rstrip("、兼和"), match.group(2)
        following = simplified[match.end():match.end() + 2]
        if len(name) == 3 and (name[2] in _NEXT_WORD_START or _common(name[2] + following[:1])):
            name = name[:2]
            following = simplified[match.end() - 1:match.end() + 1]
        if not _is_name(name, following):
            continue
        people.setdefault(name, re.sub(r"^(?:公司|集团)", "", role))
    return people


def _is_name(name: str, following: str) -> bool:
    if name in _NOT_NAMES or name[:2] in _NOT_NAMES or name[0] not in _SURNAMES:
        return False
    if _common(name[:2]) or _common(name):
        return False
    if name.startswith(_PLACES) or (name + following).endswith(("集团", "公司")) or (name[-1] + following[:1]) in ("集团", "公司"):
        return False
    return True


_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝恽惠杭储诸"
)


_PLACES = tuple(set(JIANGSU) | set(MAJOR_PLACES) | {district[:-1] for districts in JIANGSU.values() for district in districts})
