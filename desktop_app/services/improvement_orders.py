"""Improvement orders (责令改善) to a supplier or a department: issue with a due date, follow up
(a dated note; an extension moves the due date and says why), close with the result. Every step
is a register entry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from desktop_app.domain import improvement as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from desktop_app.domain.improvement import FollowUpState, OrderDraft, OrderStatus, OrderTarget
from desktop_app.services import register
from desktop_app.services.case_rows import unknown_name
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import cases as case_store
from desktop_app.store import ledgers as store

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class OrderLine:
    order_id: int
    target: OrderTarget
    target_name: str
    supplier_id: int | None
    department_id: int | None
    case_no: str
    requirement: str
    due_on: date
    status: OrderStatus
    issued_by: str
    issued_at: datetime
    done_on: date | None
    result: str
    closed_by: str
    follow_ups: int
    last_follow_up: datetime | None
    state: FollowUpState


@dataclass(frozen=True)
class FollowUpLine:
    at: datetime
    by: str
    note: str
    new_due_on: date | None


class ImprovementService:
    def __init__(self, db: Any, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def now(self) -> datetime:
        return self._clock().replace(microsecond=0)

    def issue(self, actor: Account, draft: OrderDraft) -> int:
        _check(actor)
        now = self.now()
        order = rules.validate_order(draft, now.date())
        with UnitOfWork(self._db) as uow:
            table = "supplier" if order.target is OrderTarget.SUPPLIER else "department"
            target_id = store.name_id(table, order.target_name)
            if target_id is None:
                raise unknown_name("target_name", order.target.label, order.target_name)
            case_id = None
            if order.case_no:
                case_id = case_store.case_id_by_number(order.case_no)
                if case_id is None:
                    raise ValidationError({"case_no": f"没有案件 {order.case_no}"})
            order_id = register.create("improvement_order", {
                "case_id": case_id, "target": order.target.value,
                "supplier_id": target_id if order.target is OrderTarget.SUPPLIER else None,
                "department_id": target_id if order.target is OrderTarget.DEPARTMENT else None,
                "requirement": order.requirement, "due_on": order.due_on,
                "status": OrderStatus.OPEN.value, "issued_by_id": actor.id, "issued_at": now,
                "done_on": None, "result": "", "closed_by_id": None, "closed_at": None,
            }, actor, "improvement:issue", now)
            uow.commit()
        return order_id

    def follow_up(
        self, actor: Account, order_id: int, note: str, new_due_on: date | None = None
    ) -> int:
        """A dated note; with ``new_due_on`` the order's due date moves too (an extension)."""
        _check(actor)
        now = self.now()
        with UnitOfWork(self._db) as uow:
            row = self._row(order_id)
            checked = rules.validate_follow_up(
                OrderStatus.of(row["status"]), note, new_due_on,
                date.fromisoformat(str(row["due_on"])), now.date(),
            )
            follow_up_id = register.create("improvement_follow_up", {
                "order_id": order_id, "at": now, "by_id": actor.id, "note": checked.note,
                "new_due_on": checked.new_due_on,
            }, actor, "improvement:follow_up", now)
            if checked.new_due_on is not None:
                register.change("improvement_order", order_id, {"due_on": checked.new_due_on},
                                actor, "improvement:extended", now, before=row,
                                remarks={"reason": checked.note})
            uow.commit()
        return follow_up_id

    def complete(self, actor: Account, order_id: int, result: str, done_on: date | None) -> None:
        """Closed with what was done and the day it was checked."""
        _check(actor)
        now = self.now()
        with UnitOfWork(self._db) as uow:
            row = self._row(order_id)
            issued_on = datetime.fromisoformat(str(row["issued_at"])).date()
            checked = rules.validate_completion(
                OrderStatus.of(row["status"]), result, done_on, issued_on, now.date()
            )
            register.change("improvement_order", order_id, {
                "status": OrderStatus.DONE.value, "done_on": checked.done_on,
                "result": checked.result, "closed_by_id": actor.id, "closed_at": now,
            }, actor, "improvement:done", now, before=row)
            uow.commit()

    # --- reading ------------------------------------------------------------------------------

    def orders(self, open_only: bool = False, supplier_id: int | None = None) -> list[OrderLine]:
        today = self.now().date()
        with UnitOfWork(self._db):
            rows = store.orders(open_only=open_only, supplier_id=supplier_id)
        return [_order(row, today) for row in rows]

    def order(self, order_id: int) -> OrderLine:
        with UnitOfWork(self._db):
            rows = store.orders(order_id=order_id)
        if not rows:
            raise NotFoundError("没有这份整改通知")
        return _order(rows[0], self.now().date())

    def follow_ups(self, order_id: int) -> list[FollowUpLine]:
        with UnitOfWork(self._db):
            rows = store.follow_ups(order_id)
        return [
            FollowUpLine(datetime.fromisoformat(str(at)), str(by), str(note),
                         None if new_due is None else date.fromisoformat(str(new_due)))
            for _id, at, by, note, new_due in rows
        ]

    def target_names(self, target: OrderTarget) -> list[str]:
        with UnitOfWork(self._db):
            rows = (case_store.suppliers() if target is OrderTarget.SUPPLIER
                    else case_store.departments())
        return [name for _id, name in rows]

    @staticmethod
    def _row(order_id: int) -> dict[str, Any]:
        row = store.order_columns(order_id)
        if row is None:
            raise NotFoundError("没有这份整改通知")
        return row


def _check(actor: Account) -> None:
    if not rules.may_manage(actor.role):
        raise PermissionDeniedError(rules.REFUSED)


def _order(row: Sequence[Any], today: date) -> OrderLine:
    (order_id, target, name, supplier_id, department_id, case_no, requirement, due_on, status,
     issued_by, issued_at, done_on, result, closed_by, follow_ups, last) = row
    state = OrderStatus.of(str(status))
    due = date.fromisoformat(str(due_on))
    return OrderLine(
        order_id=int(order_id), target=OrderTarget.of(str(target)), target_name=str(name),
        supplier_id=supplier_id, department_id=department_id, case_no=str(case_no),
        requirement=str(requirement), due_on=due, status=state, issued_by=str(issued_by),
        issued_at=datetime.fromisoformat(str(issued_at)),
        done_on=None if done_on is None else date.fromisoformat(str(done_on)),
        result=str(result), closed_by=str(closed_by), follow_ups=int(follow_ups),
        last_follow_up=None if last is None else datetime.fromisoformat(str(last)),
        state=rules.follow_up_state(state, due, today),
    )
