"""The workers take the costliest parts of a full check first (by measured cost, not size):
a 50,000-case range costs several 100,000-entry chain stretches, so it must not be left last."""

from __future__ import annotations

from desktop_app.domain import register as rules
from desktop_app.services.verification import (
    ChainPart,
    DerivedPart,
    PagesPart,
    RowsPart,
    expected_seconds,
)


def test_a_range_of_cases_goes_before_a_longer_stretch_of_chain() -> None:
    cases = RowsPart(rules.CASE.name, 0, 50_000, final=False)
    chain = ChainPart(0, 100_000)
    receipts = RowsPart("receipt", 0, 50_000, final=False)
    assert cases.size < chain.size  # what the order followed before
    order = sorted([receipts, chain, cases, PagesPart(25_000), DerivedPart(500_000)],
                   key=lambda part: -expected_seconds(part))
    assert order[0].size == 500_000  # the tally's recount, 2.2 s at 1,000,000 cases
    assert order[1] is cases
    assert order[-1] is receipts
