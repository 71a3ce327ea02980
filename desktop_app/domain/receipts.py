"""A sales receipt (水单) is one identity, however its number is typed.

The tier and the never-more-than-paid ceiling are per receipt, so ``00123``, ``００１２３``,
``001 23``, ``00\\u3000123`` and ``00\\u200b123`` must all be the same receipt, and so must
``A2026-0031``, ``A2026－0031`` and ``A20260031`` (``receipt_identity``). Every place that takes
a receipt number goes through ``receipt_key``.
"""

from __future__ import annotations

import re
import unicodedata

from desktop_app.domain.errors import ValidationError

MAX_RECEIPT = 30
NO_RECEIPT_LABEL = "(无小票)"
# Every dash-like character a keyboard, an input method or a POS export produces.
_DASHES = "-‐‑‒–—―−﹣－⁃"
_DASH_TABLE = str.maketrans(dict.fromkeys(_DASHES, "-"))
_KEY = re.compile(r"^[0-9A-Z][0-9A-Z\-/]{2,29}$")
INVALID_RECEIPT = f"小票号只能是字母、数字和“-”,3–{MAX_RECEIPT} 位"


def receipt_label(receipt_no: str | None) -> str:
    """A receipt number as lists and papers show it; ``(无小票)`` for none."""
    return receipt_no or NO_RECEIPT_LABEL


def receipt_key(text: str, field: str = "receipt_no") -> str:
    """The canonical key of a receipt number: NFKC, no whitespace or format characters, one
    kind of dash, upper case; ``""`` for an empty number; ``ValidationError`` if malformed."""
    folded = unicodedata.normalize("NFKC", text).translate(_DASH_TABLE)
    kept = "".join(
        char for char in folded
        if not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf", "Zs")
    ).upper()
    if not kept:
        return ""
    if not _KEY.match(kept):
        raise ValidationError({field: INVALID_RECEIPT})
    return kept


def receipt_identity(key: str) -> str:
    """What makes two keys the same receipt: the key without its separators. ``A20261124-0031``,
    ``A202611240031`` and ``A2026-1124-0031`` are one paper receipt typed three ways; read as
    three, each had its own ceiling and tier. (The key itself keeps the separators as first
    typed, for lists and papers.)"""
    return key.replace("-", "").replace("/", "")


def receipt_key_or_none(text: str) -> str | None:
    try:
        return receipt_key(text) or None
    except ValidationError:
        return None
