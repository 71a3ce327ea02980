"""EAN-13 barcodes: the check digit a scanner reads at the desk."""

from __future__ import annotations

# What a registration or a refund item is told of a barcode that is not 6–14 digits.
INVALID_BARCODE = "条码只能是 6–14 位数字"


def ean13_check_digit(first_twelve: str) -> int:
    if len(first_twelve) != 12 or not first_twelve.isdigit():
        raise ValueError(f"need 12 digits: {first_twelve!r}")
    odd = sum(int(d) for d in first_twelve[0::2])
    even = sum(int(d) for d in first_twelve[1::2])
    return (10 - (odd + 3 * even) % 10) % 10


def make_ean13(first_twelve: str) -> str:
    return first_twelve + str(ean13_check_digit(first_twelve))

