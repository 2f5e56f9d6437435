"""Turn the bytes of a page dump into text, or say clearly why not.

Dumps arrive as UTF-8 (with or without BOM), UTF-16, GB18030/GBK or Big5,
with any line-end convention, now and then with lines of two of them pasted together.
Anything else is refused with a reason rather than loaded as mojibake.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass


class UndecodableFile(ValueError):
    """The file is empty, binary or in no encoding the archive reads."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    note: str = ""  # something the reader should know, e.g. a cut-off last character


_CONTROL_ALLOWED = {"\n", "\r", "\t", "\f", "\v"}


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte < 0x20 and chr(byte) not in _CONTROL_ALLOWED)
    return controls > max(8, len(sample) // 100)


# C0 controls other than the allowed whitespace, DEL and the C1 controls.
_BAD_CONTROL = re.compile("[" + "".join(re.escape(chr(code)) for code in range(0x20)
                                        if chr(code) not in _CONTROL_ALLOWED) + "\x7f-\x9f]")


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    return len(_BAD_CONTROL.findall(text)) / len(text)


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


# A guessed legacy encoding (GB18030, Big5, UTF-16 without BOM) must read as
# Chinese: real pages score 0.5-0.65 on _common_ratio, other encodings read as
# GB18030 (Shift-JIS, EUC-KR, UTF-8 with a damaged byte) score below 0.15.
MIN_COMMON_RATIO = 0.15
MIN_CJK_FOR_RATIO = 30
# What the codecs call an input that stops inside a character.
_CUT_REASONS = {"unexpected end of data", "incomplete multibyte sequence", "truncated data"}


def decode_bytes(data: bytes) -> DecodedText:
    """Decode a page dump: UTF-8 (BOM optional), UTF-16 (BOM optional), else GB18030, else Big5.

    A file cut off inside its last character (an interrupted copy) loads without
    that character, and says so in `note`. Anything else is refused with a reason.
    """
    if not data.strip():
        raise UndecodableFile("empty file" if not data else "file contains only whitespace")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[len(codecs.BOM_UTF8):], "utf-8", "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data, "utf-16", "utf-16")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if _looks_binary(data):
        raise UndecodableFile("binary data, not a text page")
    try:
        text, note = _decode(data, "utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _finish(text, "utf-8", note)
    mixed = _mixed_lines(data)
    if mixed is not None:
        return mixed
    # GB18030 decodes almost any byte string, so Big5 gets a chance when the
    # GB18030 reading is not Chinese-looking but the Big5 one is.
    candidates = []
    for codec in ("gb18030", "big5"):
        try:
            text, note = _decode(data, codec)
        except UnicodeDecodeError:
            continue
        if _reads_as_chinese(text):
            candidates.append((codec, text, note))
    if not candidates:
        raise UndecodableFile(_corrupt_reason(data))
    codec, text, note = max(candidates, key=lambda item: (_common_ratio(item[1]), item[0] == "gb18030"))
    return _finish(text, codec, note)


def _decode(data: bytes, codec: str) -> tuple[str, str]:
    """Strict decoding that forgives only a character cut off at the very end of the file."""
    try:
        return data.decode(codec), ""
    except UnicodeDecodeError as exc:
        cut = exc.reason in _CUT_REASONS and exc.end >= len(data) and exc.start >= len(data) - 3
        if not cut or exc.start == 0:
            raise
        text = data[:exc.start].decode(codec)
        return text, f"last character cut off after byte {exc.start} (truncated file?); loaded without it"


def _reads_as_chinese(text: str) -> bool:
    cjk = sum(1 for ch in text if ch >= "\u3400")
    return cjk < MIN_CJK_FOR_RATIO or _common_ratio(text) >= MIN_COMMON_RATIO


def _utf16_without_bom(data: bytes) -> DecodedText | None:
    """UTF-16 saved without a byte-order mark: NUL bytes, and it reads as Chinese in one byte order."""
    if b"\x00" not in data[:8192]:
        return None
    best: tuple[float, str, str, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text, note = _decode(data, codec)
        except UnicodeDecodeError:
            continue
        cjk = sum(1 for ch in text if ch >= "\u3400")
        if cjk < MIN_CJK_FOR_RATIO or _control_ratio(text) > 0.01 or "\x00" in text:
            continue
        ratio = _common_ratio(text)
        if ratio >= MIN_COMMON_RATIO and (best is None or ratio > best[0]):
            best = (ratio, codec, text, note)
    if best is None:
        return None
    return _finish(best[2], best[1], best[3])


_LABELS = {"utf-8": "UTF-8", "gb18030": "GB18030", "big5": "Big5"}
MIN_CJK_PER_PART = 4  # a part of a mixed file must hold a few Chinese characters to be judged


def _clearly_chinese(text: str) -> bool:
    cjk = sum(1 for ch in text if ch >= "\u3400")
    return cjk >= MIN_CJK_PER_PART and _common_ratio(text) >= MIN_COMMON_RATIO


def _mixed_lines(data: bytes) -> DecodedText | None:
    """A file whose lines are in two encodings (UTF-8 lines pasted into a GB18030 or Big5 page, or
    the reverse), each line decoded in the one it reads as Chinese in.

    None when the file is no such mixture (no UTF-8 line reads as Chinese); a damaged UTF-8 file
    (a few bad bytes) is left to the corrupt-text reason. A mixture whose other part reads as
    Chinese in neither GB18030 nor Big5 is refused as mixed encodings."""
    lines = data.split(b"\n")
    utf8: list[str | None] = []
    for line in lines:
        try:
            utf8.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            utf8.append(None)
    other = [index for index, text in enumerate(utf8) if text is None]
    if not other or not _clearly_chinese("".join(text for text in utf8 if text)):
        return None
    best: tuple[float, str, list[str]] | None = None
    for codec in ("gb18030", "big5"):
        try:
            texts = [_decode_line(lines, index, codec) for index in other]
        except UnicodeDecodeError:
            continue
        joined = "".join(texts)
        if _clearly_chinese(joined) and (best is None or _common_ratio(joined) > best[0]):
            best = (_common_ratio(joined), codec, texts)
    utf8_lines = sum(1 for text in utf8 if text and not text.isascii())
    if best is None:
        damaged = data.decode("utf-8", errors="replace").count("\ufffd")
        if damaged <= max(3, len(data) // 1000):
            return None
        raise UndecodableFile(
            f"mixed encodings: {utf8_lines} line(s) read as UTF-8 Chinese, {len(other)} line(s) "
            f"(the first is line {other[0] + 1}) in no encoding read as Chinese (GB18030, Big5); "
            "save the page in one encoding")
    _, codec, texts = best
    decoded = list(utf8)
    for index, text in zip(other, texts, strict=True):
        decoded[index] = text
    note = (f"mixed encodings: {utf8_lines} line(s) UTF-8, {len(other)} line(s) "
            f"{_LABELS[codec]}; decoded line by line")
    return _finish("\n".join(text or "" for text in decoded), f"utf-8+{codec}", note)


def _decode_line(lines: list[bytes], index: int, codec: str) -> str:
    """One line in `codec`; the file's last line may stop inside its last character."""
    if index == len(lines) - 1:
        return _decode(lines[index], codec)[0]
    return lines[index].decode(codec)


def _corrupt_reason(data: bytes) -> str:
    """Name the encoding the file nearly is and where it goes wrong."""
    errors = {codec: data.decode(codec, errors="replace").count("\ufffd") for codec in _LABELS}
    likely = min(errors, key=lambda codec: (errors[codec], codec != "utf-8"))
    if 0 < errors[likely] <= max(3, len(data) // 1000):
        try:
            data.decode(likely)
        except UnicodeDecodeError as exc:
            return (f"corrupt text: not valid {_LABELS[likely]} at byte {exc.start} "
                    f"({errors[likely]} damaged character(s); cut or corrupted file?)")
    return ("not valid UTF-8, GB18030 or Big5 text, and not readable as Chinese "
            "(corrupt bytes or another encoding?)")


def _checked(data: bytes, codec: str, label: str) -> DecodedText:
    try:
        text, note = _decode(data, codec)
    except UnicodeDecodeError as exc:
        raise UndecodableFile(f"corrupt text: not valid {label} at byte {exc.start}") from exc
    return _finish(text, label, note)


def _finish(text: str, label: str, note: str = "") -> DecodedText:
    text = normalize_newlines(text).lstrip("\ufeff")
    if not text.strip():
        raise UndecodableFile("empty file" if not text else "file contains only whitespace")
    if "\x00" in text:
        position = text.index("\x00")
        raise UndecodableFile(f"binary data, not a text page (NUL character at position {position})")
    if _control_ratio(text) > 0.01:
        raise UndecodableFile(f"decoded as {label} but full of control characters (binary?)")
    return DecodedText(text=text, encoding=label, note=note)
