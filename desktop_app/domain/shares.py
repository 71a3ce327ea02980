"""Dividing an amount of money into parts by weight, exactly to the fen.

Used where one sum is borne by several parts: a supplier's charge-back spread over the items of
its refund (so the quality report's item lines add up to the ledger's amount), and a service
compensation shared among the staff members responsible for it.
"""

from __future__ import annotations

from collections.abc import Sequence


def apportion(total_fen: int, weights: Sequence[int]) -> list[int]:
    """Split ``total_fen`` in proportion to ``weights`` (largest remainder): the parts add up to
    ``total_fen`` exactly and each is within one fen of its exact share. Ties in the remainder
    go to the earlier part. All weights zero (or none): everything to the first part."""
    if total_fen < 0 or any(weight < 0 for weight in weights):
        raise ValueError("amounts and weights must not be negative")
    if not weights:
        if total_fen:
            raise ValueError("nothing to give a non-zero amount to")
        return []
    whole = sum(weights)
    if whole == 0:
        return [total_fen, *[0] * (len(weights) - 1)]
    floors = [total_fen * weight // whole for weight in weights]
    remainders = [total_fen * weight % whole for weight in weights]
    left = total_fen - sum(floors)
    order = sorted(range(len(weights)), key=lambda index: (-remainders[index], index))
    for index in order[:left]:
        floors[index] += 1
    return floors
