"""The supplier charge-back ledger's use cases: open a line when a quality return is approved,
change its amount, record the deduction, waive, undo; each supplier's balance; the monthly
《供应商质量扣款通知单》.

The ledger is where the charge-back lives. The refund row's ``charge_back_status`` and
``charge_back_note`` (what a refund carried before the ledger) follow the line's state in the same
transaction, so every older reader of the refund agrees with the ledger.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop_app.domain import charge_backs as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.charge_backs import LedgerAction, LedgerLine, NoticeOrder, SupplierNotice
from desktop_app.domain.errors import ConflictError, NotFoundError, PermissionDeniedError
from desktop_app.domain.improvement import OrderStatus, follow_up_state
from desktop_app.domain.money import format_yuan, from_fen, to_fen
from desktop_app.domain.refunds import ChargeBack, RefundStatus
from desktop_app.domain.register import canonical, column_label
from desktop_app.domain.report_figures import NO_SUPPLIER, Month
from desktop_app.domain.text import summary_line
from desktop_app.services import register
from desktop_app.services.ledger_papers import LedgerPapers
from desktop_app.services.register import Actor
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import ledgers as store
from desktop_app.store import refunds as refund_store

ACTION_LABELS = {
    "charge_back:open": "质量退货批准,计入供应商扣款",
    "charge_back:carried_over": "启用扣款台账时转入",
    "charge_back:amount": rules.LedgerAction.AMOUNT.label,
    "charge_back:charged": rules.LedgerAction.CHARGE.label,
    "charge_back:waived": rules.LedgerAction.WAIVE.label,
    "charge_back:reopened": rules.LedgerAction.REOPEN.label,
}


def open_for_approved_refund(refund_id: int, actor: Account | Actor | None, at: datetime) -> None:
    """Inside the approval's unit of work: an approved quality return becomes a line owed by its
    supplier, for the refunded amount, dated at the approval (which decides its month)."""
    row = refund_store.refund_columns(refund_id)
    if row is None or not row["is_quality"] or row["status"] != RefundStatus.APPROVED.value:
        return
    if store.charge_back_id_of_refund(refund_id) is not None:
        return
    register.create("charge_back", {
        "refund_id": refund_id, "supplier_id": row["supplier_id"],
        "amount_fen": row["amount_fen"], "amount_note": "", "status": ChargeBack.PENDING.value,
        "deduction_ref": "", "deducted_on": None, "waive_reason": "",
        "created_at": row["decided_at"], "decided_by_id": None, "decided_at": None,
    }, actor, "charge_back:open", at)


@dataclass(frozen=True)
class LedgerEvent:
    """One entry of a line's history as the ledger page lists it."""

    at: str
    actor: str
    action: str
    detail: str


class ChargeBackService(LedgerPapers):
    """The suppliers' charge-back ledger and its monthly notices."""

    # --- reading ------------------------------------------------------------------------------

    def lines(self, supplier_id: int | None = None, month: Month | None = None) -> list[LedgerLine]:
        start, end = _range(month)
        with UnitOfWork(self._db):
            rows = store.charge_back_lines(supplier_id, start, end)
        return [_line(row) for row in rows]

    def line(self, line_id: int) -> LedgerLine:
        with UnitOfWork(self._db):
            rows = store.charge_back_lines(line_id=line_id)
        if not rows:
            raise NotFoundError("没有这笔供应商扣款")
        return _line(rows[0])

    def line_of_refund(self, refund_id: int) -> LedgerLine | None:
        with UnitOfWork(self._db):
            line_id = store.charge_back_id_of_refund(refund_id)
        return None if line_id is None else self.line(line_id)

    def balances(self) -> list[rules.SupplierBalance]:
        return rules.supplier_balances(self.lines())

    def history(self, line_id: int) -> list[LedgerEvent]:
        with UnitOfWork(self._db):
            entries = store.entries_of("charge_back", line_id)
        return [
            LedgerEvent(str(at), str(actor), ACTION_LABELS.get(str(action), str(action)),
                        _detail(json.loads(payload)))
            for at, actor, action, payload in entries
        ]

    # --- changing a line ----------------------------------------------------------------------

    def change_amount(self, actor: Account, line_id: int, amount: str, reason: str) -> None:
        """A manager's amount for an owed line (the refunded amount until then), with why."""
        _check_permission(actor, LedgerAction.AMOUNT)
        current = self.line(line_id)
        new_amount, why = rules.validate_new_amount(amount, current.amount, reason)
        refusal = rules.amount_refusal(actor.role, new_amount, current.refunded)
        if refusal is not None:
            raise PermissionDeniedError(refusal)
        self._change(actor, line_id, LedgerAction.AMOUNT, "charge_back:amount",
                     {"amount_fen": to_fen(new_amount), "amount_note": why})

    def record_deduction(
        self, actor: Account, line_id: int, reference: str, deducted_on: date | None
    ) -> None:
        """The supplier paid: the deduction slip (or statement, invoice) and its date."""
        _check_permission(actor, LedgerAction.CHARGE)
        current = self.line(line_id)
        deduction = rules.validate_deduction(reference, deducted_on, current.approved_at.date(),
                                             self.now().date())
        self._change(actor, line_id, LedgerAction.CHARGE, "charge_back:charged", {
            "status": ChargeBack.CHARGED.value, "deduction_ref": deduction.reference,
            "deducted_on": deduction.deducted_on, "waive_reason": "",
        })

    def waive(self, actor: Account, line_id: int, reason: str) -> None:
        """Only the store manager, only with the reason (printed on the notice and the report)."""
        _check_permission(actor, LedgerAction.WAIVE)
        why = rules.validate_reason(reason, "免除原因", "waive_reason")
        self._change(actor, line_id, LedgerAction.WAIVE, "charge_back:waived", {
            "status": ChargeBack.WAIVED.value, "waive_reason": why, "deduction_ref": "",
            "deducted_on": None,
        })

    def reopen(self, actor: Account, line_id: int, reason: str) -> None:
        """The store manager undoes a deduction or a waiver entered by mistake: owed again."""
        _check_permission(actor, LedgerAction.REOPEN)
        why = rules.validate_reason(reason, "撤销原因")
        self._change(actor, line_id, LedgerAction.REOPEN, "charge_back:reopened", {
            "status": ChargeBack.PENDING.value, "deduction_ref": "", "deducted_on": None,
            "waive_reason": "",
        }, remarks={"reason": why})

    def _change(
        self,
        actor: Account,
        line_id: int,
        action: LedgerAction,
        entry_action: str,
        changes: dict[str, Any],
        remarks: dict[str, Any] | None = None,
    ) -> None:
        now = self.now()
        with UnitOfWork(self._db) as uow:
            row = store.charge_back_columns(line_id)
            if row is None:
                raise NotFoundError("没有这笔供应商扣款")
            refusal = rules.state_refusal(ChargeBack.of(row["status"]), action)
            if refusal is not None:
                raise ConflictError(refusal)
            changes = {**changes, "decided_by_id": actor.id, "decided_at": now}
            register.change("charge_back", line_id, changes, actor, entry_action, now,
                            before=row, remarks=remarks)
            if "status" in changes:
                _mirror_on_refund(int(row["refund_id"]), changes, actor, now)
            uow.commit()

    # --- the monthly notice -------------------------------------------------------------------

    def notices(self, month: Month) -> list[SupplierNotice]:
        return self._notices(month)[0]

    def _notices(self, month: Month) -> tuple[list[SupplierNotice], str]:
        start, end = _range(month)
        with UnitOfWork(self._db):
            lines = [_line(row) for row in store.charge_back_lines(None, start, end)]
            suppliers = sorted({line.supplier_id for line in lines
                                if line.supplier_id is not None})
            contacts = store.supplier_contacts(suppliers)
            orders = {supplier_id: _notice_orders(supplier_id, month, self.now().date())
                      for supplier_id in suppliers}
            head = self._chain_head()
        return rules.notices(month, lines, contacts, orders), head

    def export_notices(
        self,
        month: Month,
        folder: Path,
        printed_at: datetime,
        supplier_id: int | None = None,
    ) -> list[Path]:
        """One PDF per supplier with lines approved in ``month`` (or only ``supplier_id``'s)."""
        from desktop_app.reports.charge_back_notice import notice_file_name, write_notice

        found, head = self._notices(month)
        chosen = [notice for notice in found
                  if supplier_id is None or notice.supplier_id == supplier_id]
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for notice in chosen:
            path = folder / notice_file_name(notice)
            write_notice(notice, path, self._store_name(), printed_at, head)
            written.append(path)
        return written


def _check_permission(actor: Account, action: LedgerAction) -> None:
    refusal = rules.permission_refusal(actor.role, action)
    if refusal is not None:
        raise PermissionDeniedError(refusal)


def _mirror_on_refund(
    refund_id: int, changes: dict[str, Any], actor: Account, now: datetime
) -> None:
    """The refund's own charge-back columns follow the ledger (same transaction, same actor)."""
    state = ChargeBack.of(str(changes["status"]))
    note = str(changes.get("waive_reason") or "") if state is ChargeBack.WAIVED else ""
    register.change("refund", refund_id, {"charge_back_status": state.value,
                                          "charge_back_note": note},
                    actor, "refund:charge_back", now)


def _notice_orders(supplier_id: int, month: Month, today: date) -> list[NoticeOrder]:
    """The improvement orders a notice reminds the supplier of: every one still open when it is
    printed (it goes out now, whatever month it is for), and those done since the month began."""
    found = []
    for row in store.orders(supplier_id=supplier_id):
        status = OrderStatus.of(str(row[8]))
        due_on = date.fromisoformat(str(row[7]))
        issued = datetime.fromisoformat(str(row[10])).date()
        done_on = None if row[11] is None else date.fromisoformat(str(row[11]))
        if status is OrderStatus.DONE and (done_on is None or done_on < month.start.date()):
            continue
        found.append(NoticeOrder(issued, due_on, str(row[6]),
                                 follow_up_state(status, due_on, today).label))
    return found


def _range(month: Month | None) -> tuple[str | None, str | None]:
    if month is None:
        return None, None
    return canonical(month.start), canonical(month.end)


def _line(row: Sequence[Any]) -> LedgerLine:
    (line_id, refund_id, case_no, receipt_no, supplier_id, supplier, products, created_at,
     refunded_fen, amount_fen, status, amount_note, deduction_ref, deducted_on, waive_reason,
     case_status) = row
    return LedgerLine(
        line_id=int(line_id), refund_id=int(refund_id), case_no=str(case_no),
        receipt_no=str(receipt_no), supplier_id=None if supplier_id is None else int(supplier_id),
        supplier=str(supplier) or NO_SUPPLIER, products=str(products),
        approved_at=datetime.fromisoformat(str(created_at)), refunded=from_fen(int(refunded_fen)),
        amount=from_fen(int(amount_fen)), state=ChargeBack.of(str(status)),
        amount_note=str(amount_note), deduction_ref=str(deduction_ref),
        deducted_on=None if deducted_on is None else date.fromisoformat(str(deducted_on)[:10]),
        waive_reason=str(waive_reason), case_voided=case_status == "voided",
    )


_HIDDEN_IN_DETAIL = frozenset({"refund_id", "supplier_id", "decided_by_id", "decided_at"})


def _detail(payload: dict[str, Any]) -> str:
    """What an entry set, in words: amounts in yuan, states in the ledger's words."""
    parts: list[tuple[str, object]] = []
    for key, value in payload.items():
        if key in _HIDDEN_IN_DETAIL or value in ("", None):
            continue
        if key.startswith("_"):
            parts.append((column_label(key[1:]), value))
        elif key == "amount_fen":
            parts.append(("扣款金额", format_yuan(from_fen(int(value)))))
        elif key == "status":
            parts.append(("状态", rules.state_label(ChargeBack.of(str(value)))))
        else:
            parts.append((column_label(key), value))
    return summary_line(parts)

