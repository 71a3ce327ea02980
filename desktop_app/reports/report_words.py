"""Headings the PDF and the workbook of one monthly report share, typed once so the two
never name a column or a table differently."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from desktop_app.domain.refunds import ChargeBack
from desktop_app.domain.report_figures import ChargeBackTotals

REFUNDS_COUNTED = "笔(退款)"
ITEMS_COUNTED = "件(商品)"
VOIDED = "案件已作废"
BY_CATEGORY = "按原因类别(登记时的案件类别)"
BY_SPECIAL_REASON = "按特殊情况"
OWED = "应扣(已扣+待扣)"
SUPPLIER_TOTALS = "供应商扣款汇总"
WAIVE_REASON = "免除、少扣原因(店长)"
CUT = "少扣"
NO_REASON = "(未写原因)"
# A line's supplier charge-back, in the monthly report's short words.
CHARGE_BACK_STATUS = {
    ChargeBack.PENDING: "待扣", ChargeBack.CHARGED: "已扣", ChargeBack.WAIVED: "已免除",
    ChargeBack.NOT_APPLICABLE: "不适用",
}


def reasons_text(charge: ChargeBackTotals, money: Callable[[Decimal], str]) -> str:
    """Each waiver, then each cut (the ledger charging less than was refunded), with its case
    and the store manager's reason: what is refunded and not owed is always explained."""
    waived = [f"{waiver.case_no} {money(waiver.amount)}:{waiver.note or NO_REASON}"
              for waiver in charge.waivers]
    cut = [f"{line.case_no} {CUT} {money(line.amount)}:{line.note or NO_REASON}"
           for line in charge.cuts]
    return ";".join(waived + cut)


def cut_text(charge: ChargeBackTotals, money: Callable[[Decimal], str]) -> str:
    """``;少扣 ¥x`` after a total's charged, pending and waived amounts; '' without a cut."""
    return f";{CUT} {money(charge.cut)}" if charge.cut else ""
