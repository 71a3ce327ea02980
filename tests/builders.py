"""Builders for test data: a valid registration draft and a small store catalogue."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from desktop_app.domain import cases as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.refunds import ItemDraft, RefundDraft, RefundKind
from desktop_app.domain.registration import RegistrationDraft
from desktop_app.domain.roles import Role
from desktop_app.domain.workflow import StepAnswer
from desktop_app.services import catalogue_records as catalog
from desktop_app.services.desk import Desk
from desktop_app.services.unit_of_work import UnitOfWork

MILK_BARCODE = "6900000000017"


def a_draft(**changes: Any) -> RegistrationDraft:
    draft = RegistrationDraft(
        received_at=datetime(2026, 11, 24, 9, 55),
        channel=rules.Channel.AT_DESK,
        customer_name="张女士",
        customer_phone="13812345678",
        subject=rules.Subject.PRODUCT,
        product_barcode="",
        product_name="伊利纯牛奶 250ml",
        department_name="",
        supplier_name="",
        staff_name="",
        receipt_no="A20261124-0031",
        purchase_date="2026-11-23",
        amount_paid="59.90",
        account="牛奶有异味,要求退货",
        demand=rules.Demand.REFUND,
        category=rules.Category.PRODUCT_QUALITY,
        kind=rules.Kind.COMPLAINT,
        is_major=False,
        promised_reply_date="",
    )
    return replace(draft, **changes)


def stock_catalogue(desk: Desk) -> dict[str, int]:
    """Three departments, two suppliers, one milk product; returns department ids by name."""
    now = desk.clock()
    with UnitOfWork(desk.db) as uow:
        departments = catalog.add_departments(["食品部", "生鲜部", "收银部"], None, now)
        suppliers = catalog.add_suppliers(["伊利乳业", "鲜丰农产品有限公司"], None, now)
        catalog.add_products(
            [(MILK_BARCODE, "伊利纯牛奶 250ml", departments["食品部"], suppliers["伊利乳业"], 350)],
            None, now,
        )
        uow.commit()
    return departments


FIRST_PASSWORD = "first12"


class Staff:
    """One account per role, created by the store manager of a fresh database; each has since
    logged in and chosen their own password ``pass123`` (needed before anyone signs)."""

    def __init__(self, desk: Desk) -> None:
        self.boss = desk.accounts.create_first_store_manager(
            "测试店", "boss", "王店长", "secret1", "secret1"
        )
        self.clerk = self._add(desk, "clerk", "刘洋", Role.CLERK)
        self.other_clerk = self._add(desk, "clerk2", "陈静", Role.CLERK)
        self.front_desk = self._add(desk, "front", "赵经理", Role.FRONT_DESK_MANAGER)
        self.deputy = self._add(desk, "deputy", "孙副店长", Role.DEPUTY_STORE_MANAGER)

    def _add(self, desk: Desk, username: str, name: str, role: Role) -> Account:
        created = desk.accounts.create_account(
            self.boss, username, name, role, FIRST_PASSWORD, FIRST_PASSWORD
        )
        return desk.accounts.change_own_password(created, FIRST_PASSWORD, "pass123", "pass123")


def a_worked_case(desk: Desk, staff: Staff, **changes: Any) -> int:
    """A registered case judged upheld and given to its department (confirmed by the team
    leader when it needs it): the state in which a refund may be requested."""
    case_id = desk.cases.register(staff.clerk, a_draft(**changes)).case_id
    desk.cases.record_step(staff.clerk, case_id, rules.Step.NATURE, StepAnswer(upheld=True))
    detail = desk.cases.record_step(
        staff.clerk, case_id, rules.Step.DEPARTMENT, StepAnswer(department_name="食品部")
    )
    if detail.status is rules.CaseStatus.AWAITING_CONFIRMATION:
        desk.cases.record_step(
            staff.clerk, case_id, rules.Step.CONFIRMATION,
            StepAnswer(leader_name="李班长", text="确认变质"),
        )
    return case_id


def a_refund(amount: str = "40.00", **changes: Any) -> RefundDraft:
    draft = RefundDraft(
        kind=RefundKind.RETURN,
        amount=amount,
        reason="牛奶变质",
        items=(ItemDraft("伊利纯牛奶 250ml", MILK_BARCODE, "1", amount),),
        receipt_no="A20261124-0031",
    )
    return replace(draft, **changes)


def cashiers(desk: Desk, staff: Staff, *names: str) -> dict[str, int]:
    """Staff entries of 收银部 (the people a service complaint can make responsible), by name."""
    from desktop_app.domain.catalog import StaffDraft

    return {name: desk.catalog.add_staff(staff.boss, StaffDraft(name, "收银部"))
            for name in names}


def a_service_compensation(
    desk: Desk, staff: Staff, amount: str = "20.00", step_8: bool = True, **changes: Any
) -> tuple[int, int]:
    """A service-attitude case with step 8 recorded (unless ``step_8`` is False) and an approved
    compensation on it: (case id, refund id)."""
    draft_changes: dict[str, Any] = {
        "subject": rules.Subject.SERVICE, "category": rules.Category.SERVICE_ATTITUDE,
        "product_name": "", "staff_name": "周红", "demand": rules.Demand.COMPENSATION,
        "account": "收银员态度恶劣,把商品扔在台面上", **changes,
    }
    case_id = a_worked_case(desk, staff, **draft_changes)
    if step_8:
        desk.cases.record_step(staff.clerk, case_id, rules.Step.RESPONSIBILITY, StepAnswer(
            text="收银员周红态度恶劣,承担赔偿六成,罚款 20 元", responsible="收银员周红"))
    refund_id = desk.refunds.request(staff.clerk, case_id, a_refund(
        amount, receipt_no="", kind=RefundKind.COMPENSATION, reason="服务态度赔偿",
        items=(ItemDraft("服务赔偿", "", "1", amount),)))
    signer = staff.boss if Decimal(amount) > 200 else (
        staff.deputy if Decimal(amount) > 50 else staff.front_desk)
    desk.refunds.sign_as(signer, refund_id, True, "同意")
    return case_id, refund_id


def server_url(desk: Desk) -> str:
    """The PostgreSQL URL of the desk's database ('' on SQLite), for a second process."""
    database = desk.db.database
    return str(database) if str(database).startswith("postgresql://") else ""
