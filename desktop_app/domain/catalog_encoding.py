"""A catalogue file's encoding and layout: which encoding a CSV is in (UTF-8 with or without
BOM, UTF-16 from Excel's "Unicode text", otherwise GBK/GB18030) and which delimiter it uses."""

from __future__ import annotations

import codecs

from desktop_app.domain.errors import DeskError


class UnreadableFileError(DeskError):
    """The file cannot be read as a catalogue; the message says why, in Chinese."""


# --- the file's encoding and layout --------------------------------------------------------


ENCODING_LABELS = {
    "utf-8-sig": "UTF-8(带 BOM)",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16(Excel Unicode 文本)",
    "gb18030": "GBK/GB18030",
}


ENCODING_SAMPLE = 64 * 1024


def detect_encoding(data: bytes) -> str:
    """The codec that decodes ``data``: a BOM decides; otherwise UTF-8 or GB18030 (a superset
    of GBK and GB2312), whichever decodes it without error. Short GBK text is sometimes valid
    UTF-8 too ("一一" is D2 BB D2 BB, Cyrillic "һһ" in UTF-8); then the reading that looks
    more like a Chinese store's text wins (UTF-8 on a tie)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    candidates = [encoding for encoding in ("utf-8", "gb18030") if _decodes(data, encoding)]
    if not candidates:
        raise UnreadableFileError(
            "无法识别文件的文字编码(既不是 UTF-8,也不是 GBK/GB18030)。"
            "请在 Excel 中另存为“CSV UTF-8(逗号分隔)”或 .xlsx 后再导入。"
        )
    sample = data[:ENCODING_SAMPLE]
    return max(candidates, key=lambda encoding: plausibility(_partial(sample, encoding)))


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _partial(sample: bytes, encoding: str) -> str:
    """The sample decoded, tolerating a character cut in half at its end."""
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)


def plausibility(text: str) -> float:
    """Share of characters a Chinese catalogue is made of: ASCII, CJK and full-width
    punctuation, and the 3,755 common hanzi (GB2312 level 1, lead bytes B0–D7). A misread file
    turns into Cyrillic, accented Latin or rare hanzi instead."""
    if not text:
        return 1.0
    good = sum(1 for char in text if _usual(char))
    return good / len(text)


def _usual(char: str) -> bool:
    if char.isascii() or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef":
        return True
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def guess_delimiter(text: str) -> str:
    """Comma, tab or semicolon: whichever the first non-empty line uses most (comma on a tie)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in (",", "\t", ";")}
    best = max(counts, key=lambda delimiter: (counts[delimiter], delimiter == ","))
    return best if counts[best] else ","
