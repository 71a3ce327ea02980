"""Money: exact ``Decimal`` yuan on the screen and in rules, integer fen in storage.

Text typed with a Chinese input method arrives full-width (``１２３．５``) or with the ideographic
full stop (``123。5``); both are accepted as ``123.5``.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from desktop_app.domain.errors import ValidationError

FEN_PER_YUAN = 100
CENT = Decimal("0.01")
# One sales receipt at a supermarket desk never approaches this; a larger figure is a typo.
MAX_AMOUNT = Decimal("1000000.00")
_AMOUNT_PATTERN = re.compile(r"^\d{1,9}(\.\d{1,2})?$")
# Thousands separated by commas (1,234.56), never a decimal comma: "50,00" would otherwise read
# as 5000 yuan.
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")


def normalise_digits(text: str) -> str:
    """Fold full-width characters to ASCII and the ideographic full stop to a point."""
    folded = unicodedata.normalize("NFKC", text)
    return folded.replace("。", ".").replace("¥", "").replace("￥", "").strip()


def parse_amount(text: str, field: str = "amount", label: str = "金额") -> Decimal:
    """Parse a non-negative yuan amount with at most two decimals, or raise ``ValidationError``."""
    typed = normalise_digits(text).replace("，", ",")
    if "," in typed and not _GROUPED.match(typed):
        raise ValidationError({field: f"{label}格式不对:小数点请用“.”,如 50.00"})
    cleaned = typed.replace(",", "")
    if not cleaned:
        raise ValidationError({field: f"请填写{label}"})
    if not _AMOUNT_PATTERN.match(cleaned):
        raise ValidationError({field: f"{label}格式不对:只能是数字,最多两位小数"})
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern already rules this out
        raise ValidationError({field: f"{label}格式不对"}) from None
    if amount > MAX_AMOUNT:
        raise ValidationError({field: f"{label}不能超过 {format_yuan(MAX_AMOUNT)}"})
    return amount


def to_fen(amount: Decimal) -> int:
    """Exact yuan → fen; refuses amounts with more than two decimals instead of rounding."""
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {amount}")
    fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise ValueError(f"more than two decimals: {amount}")
    return int(fen)


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(CENT)


def format_yuan(amount: Decimal) -> str:
    """``Decimal('1234.5')`` → ``'¥1,234.50'``."""
    return f"¥{amount.quantize(CENT):,}"
