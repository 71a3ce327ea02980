"""Headings the PDF and the workbook of one monthly report share, typed once so the two
never name a column or a table differently."""

from __future__ import annotations

from desktop_app.domain.refunds import ChargeBack

REFUNDS_COUNTED = "笔(退款)"
ITEMS_COUNTED = "件(商品)"
VOIDED = "案件已作废"
BY_CATEGORY = "按原因类别(登记时的案件类别)"
BY_SPECIAL_REASON = "按特殊情况"
OWED = "应扣(已扣+待扣)"
SUPPLIER_TOTALS = "供应商扣款汇总"
WAIVE_REASON = "免除原因(店长)"
# A line's supplier charge-back, in the monthly report's short words.
CHARGE_BACK_STATUS = {
    ChargeBack.PENDING: "待扣", ChargeBack.CHARGED: "已扣", ChargeBack.WAIVED: "已免除",
    ChargeBack.NOT_APPLICABLE: "不适用",
}
