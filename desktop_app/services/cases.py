"""Case use cases: register a complaint, work it through the ten steps, correct or void it,
read the queue. Every change to a case is appended to the hash-chained audit trail in the same
transaction as the change itself. What the screens read is shaped in ``case_views``; the row a
registration writes is built in ``case_rows``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from desktop_app.domain import case_refunds, privacy
from desktop_app.domain import cases as rules
from desktop_app.domain import workflow as steps
from desktop_app.domain.accounts import Account
from desktop_app.domain.case_numbers import case_number_for, counter_key
from desktop_app.domain.cases import NO_SUCH_CASE
from desktop_app.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from desktop_app.domain.refund_policy import NOT_AT_THE_DESK
from desktop_app.domain.register import canonical
from desktop_app.domain.registration import (
    NewCase,
    RegistrationDraft,
    check_product_found,
    validate_registration,
)
from desktop_app.domain.roles import MANAGER_ROLES, works_at_the_desk
from desktop_app.domain.text import clean_block
from desktop_app.services import case_audit, receipts, reception_time, register, warnings
from desktop_app.services.case_rows import confirmation_deadline, known_id, registration_row
from desktop_app.services.case_views import (
    OPEN_STATUS_VALUES,
    CaseDetail,
    EarlierCase,
    MajorCase,
    QueueQuery,
    QueueRow,
    detail,
    earlier_case,
    normalise_phone_or_empty,
    queue_row,
    store_filter,
    workflow_of,
)
from desktop_app.services.stored_values import as_datetime, as_optional
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import cases as store
from desktop_app.store import queue as queue_store
from desktop_app.store import refunds as refund_store
from desktop_app.store import search_index

Clock = Callable[[], datetime]

__all__ = [
    "CORRECTABLE_COLUMNS", "OPEN_STATUS_VALUES", "CaseDetail", "CaseService", "EarlierCase",
    "MajorCase", "QueueQuery", "QueueRow", "Registered", "normalise_phone_or_empty",
]


@dataclass(frozen=True)
class Registered:
    case_id: int
    case_no: str


# What a correction may change: the registration itself, never the workflow or status.
CORRECTABLE_COLUMNS = (
    "received_at", "channel", "customer_name", "customer_phone", "subject", "product_id",
    "product_barcode", "product_name", "department_id", "supplier_id", "staff_name",
    "receipt_id", "receipt_no", "purchase_date", "account", "demand", "category", "kind",
    "is_major", "promised_reply_date", "needs_confirmation",
)


class CaseService:
    def __init__(self, db: Any, clock: Clock, confirmation_minutes: Callable[[], int]) -> None:
        self._db = db
        self._clock = clock
        self._confirmation_minutes = confirmation_minutes

    def now(self) -> datetime:
        # Stored times carry whole seconds so the audit trail's text form matches the row.
        return self._clock().replace(microsecond=0)

    # --- registration ---------------------------------------------------------------------

    def register(
        self, actor: Account, draft: RegistrationDraft, received_at_reason: str = ""
    ) -> Registered:
        """Validate everything first; then the case, its number and its first audit entry
        are written in one transaction, or nothing is. A 接待时间 set by a manager carries
        ``received_at_reason``, recorded in the case's audit trail."""
        now = self.now()
        new, why = self._checked(actor, draft, received_at_reason, now)
        with UnitOfWork(self._db) as uow:
            row = self._row_for(new, actor, now)
            receipt = receipts.attach(new.receipt_no, new.amount_paid, actor, now)
            row["receipt_id"] = None if receipt is None else receipt.id
            row["personal_salt"] = register.new_salt()
            row["case_no"] = self._next_case_number(actor, new.received_at, now)
            case_id = register.create("case", row, actor, "register", now)
            if why:
                register.remark("case", case_id, actor, "set_received_at", now,
                                {"received_at_reason": why})
            # Early warning: the rules are checked in the save's own transaction.
            warnings.check_new_case(case_id, row, actor, now)
            uow.commit()
        return Registered(case_id=case_id, case_no=row["case_no"])

    def check_registration(
        self, actor: Account, draft: RegistrationDraft, received_at_reason: str = ""
    ) -> None:
        """Everything ``register`` refuses before it writes, and what the receipt already holds,
        without writing: the form asks to add a new supplier or department only once the rest
        would save (found: the supplier was added, then the case refused)."""
        new, _ = self._checked(actor, draft, received_at_reason, self.now())
        with UnitOfWork(self._db):
            receipts.check_paid(new.receipt_no, new.amount_paid)

    def _checked(
        self, actor: Account, draft: RegistrationDraft, received_at_reason: str, now: datetime
    ) -> tuple[NewCase, str]:
        if not works_at_the_desk(actor.role):
            raise PermissionDeniedError(NOT_AT_THE_DESK)
        new = validate_registration(draft, now, in_catalogue=self._in_catalogue)
        return new, reception_time.checked_reason(actor, new.received_at, now,
                                                  received_at_reason)

    def _in_catalogue(self, barcode: str) -> bool:
        with UnitOfWork(self._db):
            return store.product_by_barcode(barcode) is not None

    @staticmethod
    def _next_case_number(actor: Account, received_at: datetime, now: datetime) -> str:
        """Gap-free per month. A counter lowered behind the app's back would hand out a number
        already used: the number continues after the highest one and the repair is chained
        (verify also reports the lowered counter). Only a number already taken costs the
        search for the highest one: over a busy month at 1,000,000 cases that search reads
        every number of the month (≈ 5 ms), the look-up of one number a single index probe."""
        month = counter_key(received_at)
        seq = store.next_case_sequence(month)
        if not store.case_number_taken(case_number_for(received_at, seq)):
            return case_number_for(received_at, seq)
        highest = store.highest_case_sequence(month)
        if seq <= highest:
            store.set_case_sequence(month, highest + 1)
            register.remark("case", 0, actor, "counter_repaired", now, {
                "month": month, "counter": seq - 1, "highest_case": highest,
            })
            seq = highest + 1
        return case_number_for(received_at, seq)

    def _row_for(self, new: NewCase, actor: Account, now: datetime) -> dict[str, Any]:
        product = store.product_by_barcode(new.product_barcode) if new.product_barcode else None
        check_product_found(new, found=product is not None)
        department_id = known_id(
            new.department_name, store.department_id_named, "department_name", "部门"
        )
        supplier_id = known_id(
            new.supplier_name, store.supplier_id_named, "supplier_name", "供应商"
        )
        return registration_row(new, actor.id, now, product, department_id, supplier_id)

    # --- one case ---------------------------------------------------------------------------

    def case(self, case_id: int) -> CaseDetail:
        with UnitOfWork(self._db):
            row = store.case_columns(case_id)
            if row is None:
                raise NotFoundError(NO_SUCH_CASE)
            names = store.names_for(case_id)
        return detail(row, names, self.now())

    def record_step(
        self, actor: Account, case_id: int, step: rules.Step, answer: steps.StepAnswer
    ) -> CaseDetail:
        """Record one step's answer; the status moves as the procedure says, or nothing changes."""
        if not works_at_the_desk(actor.role):  # also voiding, which cancels pending refunds
            raise PermissionDeniedError(NOT_AT_THE_DESK)
        now = self.now()
        with UnitOfWork(self._db) as uow:
            row = self._row(case_id)
            status = rules.CaseStatus.of(row["status"])
            workflow = workflow_of(row)
            deadline = as_optional(row["confirmation_deadline"])
            # Before the deadline only the department may confirm; after it the desk decides.
            by_department = bool(answer.leader_name.strip()) or not steps.desk_decides(
                deadline, now
            )
            if step is rules.Step.CONFIRMATION:
                steps.check_confirmation_entry(status, workflow, deadline, now, by_department)
            waiting = case_refunds.step_refusal(step, refund_store.count_pending(case_id))
            if waiting is not None:
                raise ConflictError(waiting)
            stored = steps.validate_answer(step, answer, desk_decides=not by_department)
            new_status = rules.status_after(
                status, step, steps.done_steps(workflow),
                upheld=answer.upheld, needs_confirmation=bool(row["needs_confirmation"]),
            )
            stored.update(at=canonical(now), recorded_by=actor.display_name)
            changes = self._changes_for(step, stored, row, new_status, now)
            changes["workflow"] = {step.value: stored}
            self._apply(actor, case_id, row, changes, f"step:{step.value}", now)
            if case_refunds.cancels_pending_refunds(step):
                self._cancel_pending_refunds(actor, case_id, now)
            uow.commit()
        return self.case(case_id)

    def _changes_for(
        self,
        step: rules.Step,
        stored: Mapping[str, Any],
        row: Mapping[str, Any],
        new_status: rules.CaseStatus,
        now: datetime,
    ) -> dict[str, Any]:
        changes: dict[str, Any] = {"status": new_status.value}
        if step is rules.Step.DEPARTMENT:
            changes["department_id"] = known_id(
                stored["department"], store.department_id_named, "department_name", "部门"
            )
            if new_status is rules.CaseStatus.AWAITING_CONFIRMATION:
                minutes = self._confirmation_minutes()
                changes["confirmation_deadline"] = confirmation_deadline(now, minutes)
        first_answer = step in (rules.Step.NATURE, rules.Step.NOTIFY) and (
            step is rules.Step.NOTIFY or new_status is rules.CaseStatus.NOT_UPHELD
        )
        if first_answer and row["first_response_at"] is None:
            changes["first_response_at"] = now
        if not rules.is_open(new_status):
            changes["closed_at"] = now
        return changes

    def correct(
        self, actor: Account, case_id: int, draft: RegistrationDraft, reason: str
    ) -> CaseDetail:
        """A correction of what was registered: validated like a registration, recorded as new
        entries that keep each old value, who changed it, when and why (严禁随意撕改)."""
        if not works_at_the_desk(actor.role):
            raise PermissionDeniedError(NOT_AT_THE_DESK)
        now = self.now()
        new = validate_registration(draft, now)
        why = clean_block(reason)
        if not why:
            raise ValidationError({"reason": "请写明更正原因"})
        with UnitOfWork(self._db) as uow:
            row = self._row(case_id)
            status = rules.CaseStatus.of(row["status"])
            if status is rules.CaseStatus.VOIDED:
                raise ConflictError("案件已作废,不能更正")
            if privacy.is_erased(row["personal_salt"], row["customer_name"],
                                 row["customer_phone"]):
                raise ConflictError("该案件的顾客个人信息已删除,不能更正")
            corrected = self._row_for(new, actor, now)
            receipt = receipts.attach(new.receipt_no, new.amount_paid, actor, now)
            corrected["receipt_id"] = None if receipt is None else receipt.id
            if status not in (rules.CaseStatus.REGISTERED, rules.CaseStatus.ACCEPTED):
                # Once a department is on it, the confirmation rule that applied stays.
                corrected.pop("needs_confirmation")
            changes = {
                column: corrected[column] for column in CORRECTABLE_COLUMNS
                if column in corrected and canonical(corrected[column]) != canonical(row[column])
            }
            if refund_store.count_counted(case_id) > 0:
                refuse_refund_bound_changes(changes)
            if not changes:
                raise ValidationError({"reason": "登记内容没有改动"})
            register.change("case", case_id, {**changes, "updated_at": now}, actor, "correct",
                            now, before=row, remarks={"correction_reason": why})
            uow.commit()
        return self.case(case_id)

    def void(self, actor: Account, case_id: int, reason: str) -> CaseDetail:
        return self.record_step(actor, case_id, rules.Step.VOID, steps.StepAnswer(text=reason))

    @staticmethod
    def may_acknowledge(actor: Account) -> bool:
        return actor.role in MANAGER_ROLES

    def acknowledge_major(self, actor: Account, case_id: int) -> None:
        if not self.may_acknowledge(actor):
            raise PermissionDeniedError("只有值班经理或店长可以确认重大投诉")
        now = self.now()
        with UnitOfWork(self._db) as uow:
            row = self._row(case_id)
            if not row["is_major"] or row["major_acknowledged_at"] is not None:
                return
            changes = {"major_acknowledged_at": now, "major_acknowledged_by_id": actor.id}
            self._apply(actor, case_id, row, changes, "acknowledge_major", now)
            uow.commit()

    def unacknowledged_major(self, actor: Account) -> list[MajorCase]:
        """Major complaints the duty or store manager has not yet seen; nothing for others."""
        if actor.role not in MANAGER_ROLES:
            return []
        with UnitOfWork(self._db):
            rows = store.major_cases_unacknowledged()
        return [
            MajorCase(
                case_id=row[0], case_no=row[1], received_at=as_datetime(row[2]),
                customer_name=row[3], category=rules.Category.of(row[4]).label, account=row[5],
            )
            for row in rows
        ]

    def history(self, case_id: int) -> list[case_audit.HistoryLine]:
        with UnitOfWork(self._db):
            return case_audit.history(case_id)

    @staticmethod
    def _row(case_id: int) -> dict[str, Any]:
        row = store.case_columns(case_id)
        if row is None:
            raise NotFoundError(NO_SUCH_CASE)
        return row

    @staticmethod
    def _apply(
        actor: Account,
        case_id: int,
        row: Mapping[str, Any],
        changes: Mapping[str, Any],
        action: str,
        now: datetime,
    ) -> None:
        register.change("case", case_id, {**changes, "updated_at": now}, actor, action, now,
                        before=row)

    @staticmethod
    def _cancel_pending_refunds(actor: Account, case_id: int, now: datetime) -> None:
        """Voiding a case withdraws what still waits for a signature, on the record."""
        for refund_id in refund_store.pending_ids_of_case(case_id):
            register.change("refund", refund_id, {
                "status": "cancelled", "decided_by_id": actor.id, "decided_at": now,
                "decision_comment": "案件作废,申请随之撤销",
            }, actor, "refund:cancel", now)

    # --- the queue ------------------------------------------------------------------------

    def queue_page(
        self, query: QueueQuery, today: date, offset: int, limit: int,
        viewer: Account | None = None,
    ) -> list[QueueRow]:
        """A page of the queue; phones are masked (138****5678) unless ``viewer`` is a manager
        (the case screen shows the phone in full to whoever works the case)."""
        now = self._clock()
        with UnitOfWork(self._db):
            rows = queue_store.queue_page(store_filter(query, today), offset, limit)
        full = viewer is not None and privacy.may_see_full_phone(viewer.role)
        return [queue_row(row, today, now, full_phone=full) for row in rows]

    def queue_count(self, query: QueueQuery, today: date | None = None) -> int:
        with UnitOfWork(self._db):
            return queue_store.queue_count(store_filter(query, today or self._clock().date()))

    def tidy_search_index(self) -> bool:
        """One bounded step of search-index merging (a few milliseconds), for idle moments;
        True while more steps are due. Saves never merge, so their time stays flat."""
        with UnitOfWork(self._db) as uow:
            more = search_index.merge_step()
            uow.commit()
        return more

    def repair_search_index(self) -> bool:
        """The day's check of the search index by FTS5 itself; built again from the case rows
        if damaged (derived data: nothing is lost). True when it was."""
        return search_index.repair_if_damaged()

    # --- look-ups for the form --------------------------------------------------------------

    def product_by_barcode(self, barcode: str) -> dict[str, Any] | None:
        with UnitOfWork(self._db):
            return store.product_by_barcode(barcode.strip())

    def product_named(self, name: str) -> dict[str, Any] | None:
        with UnitOfWork(self._db):
            matches = store.products_named(name, limit=50)
        return next((p for p in matches if p["name"] == name), None)

    def product_names(self) -> list[str]:
        with UnitOfWork(self._db):
            return store.product_names()

    def departments(self) -> list[tuple[int, str]]:
        with UnitOfWork(self._db):
            return store.departments()

    def suppliers(self) -> list[tuple[int, str]]:
        with UnitOfWork(self._db):
            return store.suppliers()

    def customer_history(self, phone_text: str) -> list[EarlierCase]:
        phone = normalise_phone_or_empty(phone_text)
        if not phone:
            return []
        with UnitOfWork(self._db):
            rows = store.cases_of_phone(phone)
        return [earlier_case(row[0], row[1], row[2], row[3]) for row in rows]


# What a refund was decided on: the receipt (its running total), the phone (the running total
# of refunds without a receipt) and the category (a quality refund waits for the department).
# Changed after a refund was asked for, each would move the refund to another total or past
# the department's confirmation.
REFUND_BOUND_COLUMNS = {
    "receipt_id": ("receipt_no", "这个案件已有退款申请,不能更改小票号"),
    "customer_phone": (
        "customer_phone", "这个案件已有退款申请,不能更改顾客电话(无小票退货按电话累计)"
    ),
    "category": ("category", "这个案件已有退款申请,不能更改投诉类别"),
    "needs_confirmation": ("category", "这个案件已有退款申请,不能更改是否须部门确认"),
}


def refuse_refund_bound_changes(changes: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    for column, (field, message) in REFUND_BOUND_COLUMNS.items():
        if column in changes:
            errors.setdefault(field, message)
    if errors:
        raise ValidationError(errors)
