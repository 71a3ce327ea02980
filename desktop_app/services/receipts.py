"""A receipt is a record of its own: one canonical key, what was paid recorded once.

``attach`` is used inside the unit of work of a registration or a refund request; a paid
amount, once recorded, is changed only by a manager with a reason (``ReceiptService``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from desktop_app.domain.money import format_yuan, from_fen, parse_amount, to_fen
from desktop_app.domain.receipts import receipt_key
from desktop_app.domain.roles import MANAGER_ROLES
from desktop_app.domain.text import clean_block
from desktop_app.services import register
from desktop_app.services.accounts import current_account
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import receipts as store
from desktop_app.store.receipts import StoredReceipt


def attach(
    key: str,
    paid: Decimal | None,
    actor: Account,
    now: datetime,
    field: str = "amount_paid",
) -> StoredReceipt | None:
    """The receipt with ``key`` (created on first sight), with ``paid`` recorded if it had none;
    a different paid amount is refused, never silently replaced."""
    if not key:
        return None
    found = store.by_key(key)
    if found is None:
        values = {
            "receipt_key": key, "paid_fen": None if paid is None else to_fen(paid),
            "created_at": now,
        }
        receipt_id = register.create("receipt", values, actor, "created", now)
        return store.by_id(receipt_id)
    if paid is None or found.paid_fen == to_fen(paid):
        return found
    if found.paid_fen is None:
        register.change("receipt", found.id, {"paid_fen": to_fen(paid)}, actor, "paid_recorded",
                        now, before={"paid_fen": None})
        return store.by_id(found.id)
    raise _paid_conflict(found, key, field)


def check_paid(key: str, paid: Decimal | None, field: str = "amount_paid") -> None:
    """``attach``'s refusal of a different paid amount, without writing anything."""
    found = store.by_key(key) if key else None
    if found is None or paid is None or found.paid_fen in (None, to_fen(paid)):
        return
    raise _paid_conflict(found, key, field)


def _paid_conflict(found: StoredReceipt, key: str, field: str) -> ValidationError:
    assert found.paid_fen is not None
    return ValidationError({
        field: f"小票 {key} 已登记实付 {format_yuan(from_fen(found.paid_fen))},"
        "与填写的不一致;如登记有误,请经理在「更正小票实付」中更正"
    })


class ReceiptService:
    def __init__(self, db: Any, clock: Callable[[], datetime]) -> None:
        self._db = db
        self._clock = clock

    def correct_paid(
        self, actor: Account, receipt_text: str, paid_text: str, reason: str
    ) -> StoredReceipt:
        """A manager corrects what was paid on a receipt, with a reason kept in the register."""
        if actor.role not in MANAGER_ROLES:
            raise PermissionDeniedError("只有前台经理及以上可以更正小票实付金额")
        key = receipt_key(receipt_text)
        paid = parse_amount(paid_text, "paid", "实付金额")
        why = clean_block(reason)
        if not why:
            raise ValidationError({"reason": "请写明更正原因"})
        now = self._clock().replace(microsecond=0)
        with UnitOfWork(self._db) as uow:
            if current_account(actor).role not in MANAGER_ROLES:  # demoted since login
                raise PermissionDeniedError("只有前台经理及以上可以更正小票实付金额")
            found = store.by_key(key) if key else None
            if found is None:
                raise NotFoundError(f"没有登记过小票 {key}")
            refunded = sum(
                line.amount_fen for line in store.counted_on_receipt(found.id)
                if line.kind != "compensation"
            )
            if to_fen(paid) < refunded:
                raise ValidationError({"paid": (
                    f"这张小票已退 {format_yuan(from_fen(refunded))},实付不能少于已退金额"
                )})
            register.change(
                "receipt", found.id, {"paid_fen": to_fen(paid)}, actor, "paid_corrected", now,
                before={"paid_fen": found.paid_fen}, remarks={"reason": why},
            )
            uow.commit()
            corrected = store.by_id(found.id)
        assert corrected is not None
        return corrected
