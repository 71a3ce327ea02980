"""What the navigation counts all day: refunds waiting for a signature, promised replies that are
overdue, major complaints no manager has acknowledged. Read often (every few seconds), so each
count is one indexed query and the overdue count is the queue's own 只看逾期 filter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop_app.domain.accounts import Account
from desktop_app.domain.refund_policy import ApprovalLevel, may_decide
from desktop_app.domain.roles import MANAGER_ROLES
from desktop_app.domain.warning_rules import WarningStatus
from desktop_app.services.refunds import head_office_connected
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import desk_counts as store
from desktop_app.store import queue as queue_store
from desktop_app.store import warnings as warning_store


@dataclass(frozen=True)
class DeskCounts:
    pending_refunds: int
    pending_refunds_mine: int
    overdue_replies: int
    major_unacknowledged: int
    # Managers are the ones who must acknowledge; for them the count is a reminder, not news.
    must_acknowledge: bool
    # Early warnings raised and not yet acknowledged by a manager.
    warnings_waiting: int = 0


class DeskCountService:
    def __init__(self, db: Any, clock: Callable[[], datetime]) -> None:
        self._db = db
        self._clock = clock

    def counts(self, actor: Account) -> DeskCounts:
        today = self._clock().date()
        with UnitOfWork(self._db):
            by_level = store.pending_refunds_by_level()
            overdue = queue_store.queue_count(queue_store.QueueFilter(overdue_on=today))
            major = store.major_unacknowledged_count()
            warnings = warning_store.count_in_state(WarningStatus.RAISED.value)
            connected = head_office_connected(self._db)
        mine = sum(
            count for level, count in by_level.items()
            if may_decide(actor.role, ApprovalLevel(level), connected)
        )
        return DeskCounts(
            pending_refunds=sum(by_level.values()), pending_refunds_mine=mine,
            overdue_replies=overdue, major_unacknowledged=major,
            must_acknowledge=actor.role in MANAGER_ROLES, warnings_waiting=warnings,
        )

    def signer_id(self, refund_id: int) -> int | None:
        """Who signed a refund (approved, rejected or head office recorded), if anyone yet."""
        with UnitOfWork(self._db):
            return store.refund_decided_by(refund_id)
