"""Refund use cases: request on a case, sign at the desk's PC, head-office sign-off, the queue.

The money controls, by design rather than one by one:
- one receipt, one running total: the tier and the never-more-than-paid ceiling are per receipt
  record (one canonical key), across every case that cites it; refunds without a receipt are
  counted per customer phone over a rolling window, and refused on a case that has a receipt;
- the case's state decides whether a refund may be requested or signed (domain/case_refunds.py),
  checked again at signing time;
- the approver proves who they are at the moment of signing with their own password, which
  must be one they chose themselves; the requester never signs their own request.
Every request, item and decision is an entry in the register.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from desktop_app.domain import refund_policy as policy
from desktop_app.domain.accounts import Account
from desktop_app.domain.cases import NO_SUCH_CASE
from desktop_app.domain.errors import (
    ConflictError,
    DeskError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from desktop_app.domain.money import from_fen, to_fen
from desktop_app.domain.receipts import receipt_identity, receipt_key_or_none
from desktop_app.domain.refunds import (
    COUNTED_STATUSES,
    NO_SUCH_REFUND,
    HeadOfficeSignOff,
    RefundDraft,
    RefundRequest,
    RefundStatus,
    SpecialReason,
    check_signed_after_request,
    validate_head_office,
    validate_refund,
)
from desktop_app.domain.register import canonical
from desktop_app.domain.roles import Role, works_at_the_desk
from desktop_app.domain.text import clean_block
from desktop_app.services import charge_backs, receipts, register
from desktop_app.services.accounts import MUST_CHANGE_TO_SIGN, AccountService, current_account
from desktop_app.services.case_rows import unknown_name
from desktop_app.services.refund_checks import case_receipt, check_ceiling, refuse_on_case_state
from desktop_app.services.refund_views import (
    ApprovalContext,
    RefundLine,
    RequestPreview,
    refund_line,
)
from desktop_app.services.stored_values import as_datetime
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import accounts as account_store
from desktop_app.store import cases as case_store
from desktop_app.store import receipts as receipt_store
from desktop_app.store import refunds as store
from desktop_app.store.engine import is_postgres
from desktop_app.store.receipts import CountedRefund, StoredReceipt

Clock = Callable[[], datetime]
NEED_RECEIPT = "请填写小票号;没有小票请按特殊情况“无购物小票”申请"

__all__ = [
    "HEAD_OFFICE_OWN_SIGNATURE", "NEED_RECEIPT", "ApprovalContext", "RefundLine",
    "RefundService", "RequestPreview",
]

# The reference of a sign-off head office made with its own account (not a paper document).
HEAD_OFFICE_OWN_SIGNATURE = "本人账户签批"


class RefundService:
    def __init__(
        self,
        db: Any,
        clock: Clock,
        accounts: AccountService,
        no_receipt_window_days: Callable[[], int] = lambda: 30,
    ) -> None:
        self._db = db
        self._clock = clock
        self._accounts = accounts
        self._window_days = no_receipt_window_days

    def now(self) -> datetime:
        return self._clock().replace(microsecond=0)

    # --- requesting ---------------------------------------------------------------------------

    def receipt_paid(self, case_id: int) -> Decimal | None:
        with UnitOfWork(self._db):
            fen = case_store.names_for(case_id).paid_fen
        return None if fen is None else from_fen(fen)

    def preview(
        self, case_id: int, amount: Decimal, receipt_text: str = "", no_receipt: bool = False
    ) -> RequestPreview:
        """The running total and tier a request of ``amount`` on this case would have."""
        now = self.now()
        with UnitOfWork(self._db):
            case = self._case(case_id)
            receipt = case_receipt(case)
            if receipt is None and not no_receipt:
                key = receipt_key_or_none(receipt_text)
                receipt = None if key is None else receipt_store.by_key(key)
                earlier = [] if receipt is None else receipt_store.counted_on_receipt(receipt.id)
            else:
                earlier = self._counted(receipt, case, now)
        total = sum((from_fen(line.amount_fen) for line in earlier), Decimal("0")) + amount
        level = policy.approval_level_for(total)
        refunded = sum(
            (from_fen(line.amount_fen) for line in earlier if line.kind != "compensation"),
            Decimal("0"),
        )
        paid = None if receipt is None or receipt.paid_fen is None else from_fen(receipt.paid_fen)
        return RequestPreview(total, level, policy.who_may_sign(level), paid, refunded)

    def request(self, actor: Account, case_id: int, draft: RefundDraft) -> int:
        """Validate, decide the tier on the receipt's running total, and record the request."""
        if not works_at_the_desk(actor.role):
            raise PermissionDeniedError(policy.NOT_AT_THE_DESK)
        request = validate_refund(draft)
        now = self.now()
        with UnitOfWork(self._db) as uow:
            actor = current_account(actor)  # disabled or moved since the session opened
            if not works_at_the_desk(actor.role):
                raise PermissionDeniedError(policy.NOT_AT_THE_DESK)
            case = self._case(case_id)
            refuse_on_case_state(case, request.is_quality, signing=False)
            receipt = self._receipt_for(actor, case, request, now)
            earlier = self._counted(receipt, case, now)
            amounts = [from_fen(line.amount_fen) for line in earlier]
            total = policy.receipt_total(amounts, request.amount)
            level = policy.approval_level_for(total)
            check_ceiling(receipt, earlier, request)
            supplier_id = self._supplier_id(request)
            values = {
                "case_id": case_id, "receipt_id": None if receipt is None else receipt.id,
                "receipt_no": "" if receipt is None else receipt.key,
                "kind": request.kind.value, "amount_fen": to_fen(request.amount),
                "reason": request.reason, "is_quality": request.is_quality,
                "supplier_id": supplier_id, "charge_back_status": request.charge_back.value,
                "is_special": request.is_special,
                "special_reason": request.special_reason.value,
                "special_detail": request.special_detail, "status": RefundStatus.PENDING.value,
                "level_required": int(level), "requested_by_id": actor.id,
                "requested_at": now, "receipt_total_fen": to_fen(total),
            }
            refund_id = register.create("refund", values, actor, "refund:request", now)
            for item in request.items:
                register.create("refund_item", {
                    "refund_id": refund_id, "product_id": None, "barcode": item.barcode,
                    "product_name": item.product_name, "quantity": item.quantity,
                    "amount_fen": to_fen(item.amount), "defect": item.defect,
                }, actor, "refund:item", now)
            uow.commit()
        return refund_id

    def _receipt_for(
        self, actor: Account, case: dict[str, Any], request: RefundRequest, now: datetime
    ) -> StoredReceipt | None:
        """The receipt the refund counts against: the case's own; or one named now, which the
        case then carries; or none, for a special no-receipt return on a case without one."""
        no_receipt = request.special_reason is SpecialReason.NO_RECEIPT
        on_case = case_receipt(case)
        if on_case is not None:
            if no_receipt:
                raise ConflictError(
                    f"这个案件登记了小票 {on_case.key},退款计入这张小票,不能按“无购物小票”申请"
                )
            if request.receipt_no and (
                receipt_identity(request.receipt_no) != receipt_identity(on_case.key)
            ):
                raise ValidationError({"receipt_no": (
                    f"与案件登记的小票号 {on_case.key} 不一致;如案件登记有误,请先更正登记内容"
                )})
            return receipts.attach(on_case.key, request.receipt_paid, actor, now, "receipt_paid")
        if no_receipt:
            if not case["customer_phone"]:
                raise ValidationError({"receipt_no": (
                    "无小票退货按顾客电话累计审批金额:请先在登记内容中补上顾客电话"
                )})
            return None
        if request.receipt_no and store.count_counted(case["id"]) > 0:
            # Its earlier refunds count without a receipt (on the customer's phone): a receipt
            # named now would start a second running total for the same case.
            raise ConflictError(
                "这个案件已有按“无购物小票”计的退款,不能再按小票申请;如确有小票,请先更正登记内容"
            )
        receipt = receipts.attach(request.receipt_no, request.receipt_paid, actor, now,
                                  "receipt_paid")
        if receipt is None:
            raise ValidationError({"receipt_no": NEED_RECEIPT})
        register.change("case", case["id"], {
            "receipt_id": receipt.id, "receipt_no": receipt.key, "updated_at": now,
        }, actor, "receipt_attached", now, before=case)
        return receipt

    def _counted(
        self, receipt: StoredReceipt | None, case: dict[str, Any], now: datetime
    ) -> list[CountedRefund]:
        if receipt is not None:
            return receipt_store.counted_on_receipt(receipt.id)
        since = canonical(now - timedelta(days=self._window_days()))
        return receipt_store.counted_without_receipt(case["customer_phone"], since)

    @staticmethod
    def _supplier_id(request: RefundRequest) -> int | None:
        if not request.is_quality:
            return None
        supplier_id = store.supplier_named(request.supplier_name)
        if supplier_id is None:
            raise unknown_name("supplier_name", "供应商", request.supplier_name)
        return supplier_id

    # --- signing ----------------------------------------------------------------------------

    def approval_context(self, refund_id: int) -> ApprovalContext:
        with UnitOfWork(self._db):
            refund = self._line(refund_id)
            row = store.refund_columns(refund_id)
            assert row is not None
            on_receipt = self._on_receipt(row["receipt_id"], refund.case_id)
            connected = self._head_office_connected()
        if refund.receipt_total is not None:
            total = refund.receipt_total
        else:  # requested before the total was stored: recount the same way
            total = sum(
                (line.amount for line in on_receipt
                 if line.status in COUNTED_STATUSES and line.refund_id <= refund_id),
                Decimal("0"),
            )
        return ApprovalContext(
            refund=refund, on_receipt=on_receipt, receipt_total=total, level=refund.level,
            who_may_sign=policy.who_may_sign(refund.level, connected),
            head_office_signs_here=connected,
        )

    def _head_office_connected(self) -> bool:
        return head_office_connected(self._db)

    def request_refusal(self, case_id: int) -> str | None:
        """Why no refund can be asked for on this case now (its state, whatever the refund),
        or None: said before the request form is filled in."""
        with UnitOfWork(self._db):
            try:
                refuse_on_case_state(self._case(case_id), is_quality=False, signing=False)
            except ConflictError as refusal:
                return str(refusal)
        return None

    def may_sign_now(self, account: Account, refund_id: int) -> bool:
        """Whether ``account`` (the one logged in) would be let sign this pending refund with
        its password: the approval dialog then offers its user name (nothing is decided here;
        signing checks everything again)."""
        with UnitOfWork(self._db):
            try:
                row = self._pending_row(refund_id)
                level = policy.ApprovalLevel(row["level_required"])
                connected = self._head_office_connected()
                if level is policy.ApprovalLevel.HEAD_OFFICE and not connected:
                    return False  # head office's sign-off is recorded, not signed
                self._check_signer(current_account(account), row, level, connected)
            except DeskError:
                return False
        return True

    def decide(
        self, refund_id: int, username: str, password: str, approve: bool, comment: str
    ) -> Account:
        """The approver signs with their own password; approval and rejection are both final."""
        if not approve and not clean_block(comment):
            raise ValidationError({"comment": "驳回须写明理由(将告知顾客)"})
        approver = self._accounts.authenticate(username, password, purpose="sign")
        self.sign_as(approver, refund_id, approve, comment)
        return approver

    def sign_as(self, approver: Account, refund_id: int, approve: bool, comment: str) -> None:
        """Record the decision of an approver whose identity the caller has just proved
        (``decide`` by password; demo data by construction). Authority is still checked."""
        why = clean_block(comment)
        if not approve and not why:
            raise ValidationError({"comment": "驳回须写明理由(将告知顾客)"})
        now = self.now()
        with UnitOfWork(self._db) as uow:
            row = self._pending_row(refund_id)
            refuse_on_case_state(self._case(row["case_id"]), bool(row["is_quality"]), True)
            level = policy.ApprovalLevel(row["level_required"])
            self._check_signer(approver, row, level, self._head_office_connected())
            changes = {
                "status": (RefundStatus.APPROVED if approve else RefundStatus.REJECTED).value,
                "decided_by_id": approver.id, "decided_at": now, "decision_comment": why,
            }
            if level is policy.ApprovalLevel.HEAD_OFFICE:
                # Signed by head office itself: the same columns a recorded sign-off fills.
                changes.update({
                    "head_office_approver": approver.display_name,
                    "head_office_reference": HEAD_OFFICE_OWN_SIGNATURE,
                    "head_office_date": now.date(),
                })
            action = "refund:approve" if approve else "refund:reject"
            register.change("refund", refund_id, changes, approver, action, now, before=row)
            if approve:
                charge_backs.open_for_approved_refund(refund_id, approver, now)
            uow.commit()

    def record_head_office(
        self,
        refund_id: int,
        username: str,
        password: str,
        head_office_approver: str,
        reference: str,
        signed_on: date,
        approve: bool = True,
        comment: str = "",
    ) -> Account:
        """Above 2000 yuan head office decides; the store manager enters its approval or its
        rejection here, with the signer's name, the reference and the date."""
        sign_off = validate_head_office(
            head_office_approver, reference, signed_on, self._clock().date()
        )
        if not approve and not clean_block(comment):
            raise ValidationError({"comment": "请写明集团驳回的理由"})
        recorder = self._accounts.authenticate(username, password, purpose="sign")
        self.record_head_office_as(recorder, refund_id, sign_off, approve, comment)
        return recorder

    def record_head_office_as(
        self,
        recorder: Account,
        refund_id: int,
        sign_off: HeadOfficeSignOff,
        approve: bool = True,
        comment: str = "",
    ) -> None:
        """As ``record_head_office`` once the recorder's identity is proved."""
        why = clean_block(comment)
        if not approve and not why:
            raise ValidationError({"comment": "请写明集团驳回的理由"})
        now = self.now()
        with UnitOfWork(self._db) as uow:
            row = self._pending_row(refund_id)
            refuse_on_case_state(self._case(row["case_id"]), bool(row["is_quality"]), True)
            if policy.ApprovalLevel(row["level_required"]) is not policy.ApprovalLevel.HEAD_OFFICE:
                raise ConflictError("这笔退款不需要集团签批,请直接审批")
            if not policy.may_record_head_office_sign_off(recorder.role):
                raise PermissionDeniedError("集团签批信息只能由店长录入")
            if self._head_office_connected():
                # Head office is on the server: it signs with its own account, and nobody
                # records a sign-off for it.
                raise PermissionDeniedError(
                    f"集团已连接本系统:{policy.ABOVE_STORE_MANAGER}须集团主管营运副总用本人账户签批"
                )
            if recorder.must_change_password:
                raise PermissionDeniedError(MUST_CHANGE_TO_SIGN)
            if recorder.id == row["requested_by_id"]:
                raise PermissionDeniedError("申请人不能为自己的申请录入签批")
            # As for signing (found: the store manager's second 店长 account recorded head
            # office's approval of his own 5,000-yuan request).
            if policy.set_up_by_requester(
                int(row["requested_by_id"]), account_store.set_up_by(recorder.id)
            ):
                raise PermissionDeniedError(policy.SET_UP_BY_REQUESTER)
            check_signed_after_request(sign_off, as_datetime(row["requested_at"]).date())
            verdict = "集团签批" if approve else "集团驳回"
            changes = {
                "status": (RefundStatus.APPROVED if approve else RefundStatus.REJECTED).value,
                "decided_by_id": recorder.id, "decided_at": now,
                "head_office_approver": sign_off.approver,
                "head_office_reference": sign_off.reference,
                "head_office_date": sign_off.signed_on,
                "decision_comment": (
                    f"{verdict}:{sign_off.approver} {sign_off.reference}"
                    + (f";{why}" if why else "")
                ),
            }
            action = "refund:head_office" if approve else "refund:head_office_reject"
            register.change("refund", refund_id, changes, recorder, action, now, before=row)
            if approve:
                charge_backs.open_for_approved_refund(refund_id, recorder, now)
            uow.commit()

    @staticmethod
    def _check_signer(
        approver: Account, row: dict[str, Any], level: policy.ApprovalLevel,
        head_office_connected: bool = False,
    ) -> None:
        if approver.id == row["requested_by_id"]:
            raise PermissionDeniedError("申请人不能审批自己提出的退款")
        if approver.must_change_password:
            raise PermissionDeniedError(MUST_CHANGE_TO_SIGN)
        if policy.set_up_by_requester(
            int(row["requested_by_id"]), account_store.set_up_by(approver.id)
        ):
            raise PermissionDeniedError(policy.SET_UP_BY_REQUESTER)
        if level is policy.ApprovalLevel.HEAD_OFFICE and not policy.may_sign(
            approver.role, level, head_office_connected
        ):
            raise PermissionDeniedError(
                f"{policy.ABOVE_STORE_MANAGER}须集团主管营运副总用本人账户签批"
                if head_office_connected
                else f"{policy.ABOVE_STORE_MANAGER}须集团主管营运副总签批,请店长录入集团签批信息"
            )
        if not policy.may_sign(approver.role, level, head_office_connected):
            raise PermissionDeniedError(
                f"{approver.display_name}({approver.role.label})无权审批此笔退款,"
                f"须由{policy.who_may_sign(level)}审批"
            )

    # --- lists ------------------------------------------------------------------------------

    def refunds_of_case(self, case_id: int) -> list[RefundLine]:
        with UnitOfWork(self._db):
            return [refund_line(row) for row in store.refunds_of_case(case_id)]

    def pending_by_level(self) -> dict[policy.ApprovalLevel, list[RefundLine]]:
        """Refunds awaiting signature, highest level first, so a manager sees what is theirs."""
        with UnitOfWork(self._db):
            lines = [refund_line(row) for row in store.pending_refunds()]
        grouped: dict[policy.ApprovalLevel, list[RefundLine]] = {}
        for line in lines:
            grouped.setdefault(line.level, []).append(line)
        return grouped

    # --- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _case(case_id: int) -> dict[str, Any]:
        case = case_store.case_columns(case_id)
        if case is None:
            raise NotFoundError(NO_SUCH_CASE)
        return case

    @staticmethod
    def _on_receipt(receipt_id: int | None, case_id: int) -> list[RefundLine]:
        return [refund_line(row) for row in store.refunds_on_receipt(receipt_id, case_id)]

    @staticmethod
    def _line(refund_id: int) -> RefundLine:
        rows = store.refund_line(refund_id)
        if not rows:
            raise NotFoundError(NO_SUCH_REFUND)
        return refund_line(rows[0])

    @staticmethod
    def _pending_row(refund_id: int) -> dict[str, Any]:
        row = store.refund_columns(refund_id)
        if row is None:
            raise NotFoundError(NO_SUCH_REFUND)
        if row["status"] != RefundStatus.PENDING.value:
            status = RefundStatus.of(row["status"]).label
            raise ConflictError(f"这笔退款{status},审批结果不能更改")
        return row


def head_office_connected(db: Any) -> bool:
    """Head office signs here where the store is on a server (store.engine) and head office
    has an account on it; until it has one, the store manager records its paper sign-off.
    Call inside a unit of work."""
    if not is_postgres(db):
        return False
    return account_store.count_active_with_roles(frozenset({Role.HEAD_OFFICE})) > 0
