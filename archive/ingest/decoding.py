"""Turn the bytes of a page dump into text, or say clearly why not.

Dumps arrive as UTF-8 (with or without BOM), GB18030/GBK or Big5, with any
line-end convention. Anything else is refused with a reason rather than
loaded as mojibake.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass


class UndecodableFile(ValueError):
    """The file is empty, binary or in no encoding the archive reads."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


_CONTROL_ALLOWED = {"\n", "\r", "\t", "\f", "\v"}


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte < 0x20 and chr(byte) not in _CONTROL_ALLOWED)
    return controls > max(8, len(sample) // 100)


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if (ord(ch) < 0x20 and ch not in _CONTROL_ALLOWED) or 0x7F <= ord(ch) < 0xA0)
    return bad / len(text)


# The commonest characters of news Chinese in both scripts. Big5 bytes read
# as GB18030 (and the reverse) still give CJK characters, but rare ones.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点"
    "从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又"
    "利比或但质气第向道此变条只没结解问意建月公无系很情者最立代想已通并提直题党程展五果员位入常文总次品"
    "式活设及管特件长求头基资边流路级少图山统接知较将组见计别手期根论运农指区强放决西被做必战先回则任取"
    "据处府研记会议市委领导企业项目科技创新发展"
    "這個國為們時來會發對動經進點業當實體義還過開關間數與現種區產從應於後說學電動機導領記議創項資術區將"
)


def _common_ratio(text: str) -> float:
    chars = [ch for ch in text if ch >= "\u3400"]
    if not chars:
        return 0.0
    return sum(1 for ch in chars if ch in _COMMON) / len(chars)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes) -> DecodedText:
    """Decode a page dump: UTF-8 (BOM optional), UTF-16 with BOM, else GB18030, else Big5."""
    if not data.strip():
        raise UndecodableFile("empty file" if not data else "file contains only whitespace")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[len(codecs.BOM_UTF8):], "utf-8", "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data, "utf-16", "utf-16")
    if _looks_binary(data):
        raise UndecodableFile("binary data, not a text page")
    try:
        return _checked(data, "utf-8", "utf-8")
    except UndecodableFile:
        pass
    # GB18030 decodes almost any byte string, so Big5 gets a chance when the
    # GB18030 reading is not Chinese-looking but the Big5 one is.
    candidates = []
    for codec in ("gb18030", "big5"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        candidates.append((codec, text))
    if not candidates:
        raise UndecodableFile("not valid UTF-8, GB18030 or Big5 text (truncated or corrupt bytes?)")
    codec, text = max(candidates, key=lambda item: (_common_ratio(item[1]), item[0] == "gb18030"))
    return _finish(text, codec)


def _checked(data: bytes, codec: str, label: str) -> DecodedText:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise UndecodableFile(f"invalid {label} at byte {exc.start}") from exc
    return _finish(text, label)


def _finish(text: str, label: str) -> DecodedText:
    text = normalize_newlines(text).lstrip("\ufeff")
    if not text.strip():
        raise UndecodableFile("file contains only whitespace")
    if _control_ratio(text) > 0.01:
        raise UndecodableFile(f"decoded as {label} but full of control characters (binary?)")
    return DecodedText(text=text, encoding=label)
