"""Which case states allow a refund, tried over every status and flag combination."""

from __future__ import annotations

import itertools

import pytest

from desktop_app.domain.case_refunds import (
    REFUNDABLE_STATUSES,
    cancels_pending_refunds,
    refund_refusal,
    step_refusal,
)
from desktop_app.domain.cases import CaseStatus, Step

FLAGS = list(itertools.product([False, True], repeat=4))


@pytest.mark.parametrize("status", list(CaseStatus))
@pytest.mark.parametrize(("needs", "confirmed", "quality", "signing"), FLAGS)
def test_the_table_over_every_status_and_flag(
    status: CaseStatus, needs: bool, confirmed: bool, quality: bool, signing: bool
) -> None:
    refusal = refund_refusal(status, needs_confirmation=needs, confirmed=confirmed,
                             is_quality=quality, signing=signing)
    allowed = (status in REFUNDABLE_STATUSES and (not quality or needs)
               and (not needs or confirmed))
    assert (refusal is None) == allowed
    if refusal is not None:
        assert ("审批" if signing else "申请") in refusal or "质量" in refusal


@pytest.mark.parametrize("status", [CaseStatus.VOIDED, CaseStatus.CLOSED, CaseStatus.NOT_UPHELD,
                                    CaseStatus.REGISTERED])
def test_no_refund_on_a_case_not_being_worked(status: CaseStatus) -> None:
    assert refund_refusal(status, needs_confirmation=False, confirmed=True,
                          is_quality=False) is not None


@pytest.mark.parametrize("step", list(Step))
@pytest.mark.parametrize("pending", [0, 1, 3])
def test_notify_and_close_wait_for_every_refund(step: Step, pending: int) -> None:
    refusal = step_refusal(step, pending)
    assert (refusal is not None) == (step in (Step.NOTIFY, Step.CLOSE) and pending > 0)


def test_only_voiding_cancels_pending_refunds() -> None:
    assert [step for step in Step if cancels_pending_refunds(step)] == [Step.VOID]
