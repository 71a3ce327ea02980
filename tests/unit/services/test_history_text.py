"""修改记录 in words, from audit entries as the trail stores them."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.services.case_audit import HistoryLine
from desktop_app.services.history_text import (
    ACTION_LABELS,
    FIELD_LABELS,
    Names,
    history_row,
    moment_text,
)


def json_objects() -> st.SearchStrategy[str]:
    values = st.one_of(st.text(max_size=10), st.integers(), st.booleans(), st.none())
    keys = st.sampled_from(["amount_fen", "kind", "status", "level_required", "decided_by_id",
                            "head_office_date", "charge_back_status", "nature", "x"])
    return st.dictionaries(keys, values, max_size=5).map(json.dumps)


NAMES = Names(users={3: "刘洋", 5: "赵经理"}, departments={1: "食品部"}, suppliers={2: "伊利乳业"})
ENGLISH_KEYS = ("amount_fen", "decided_by_id", "requested_by_id", "level_required", "_id", "{")


def line(action: str, field: str, old: str = "", new: str = "") -> HistoryLine:
    return HistoryLine("2026-11-24 10:00:00", "刘洋", action, field, old, new)


def test_a_changed_amount_is_shown_in_yuan_under_its_label() -> None:
    row = history_row(line("correct", "amount_paid_fen", "5990", "12350"), NAMES)
    assert (row.field, row.old, row.new) == ("实付金额", "¥59.90", "¥123.50")
    assert row.action == "更正登记内容"


def test_codes_become_labels_and_ids_become_names() -> None:
    assert history_row(line("correct", "category", "other", "product_quality"), NAMES).new == (
        "商品质量"
    )
    assert history_row(line("step:department", "department_id", "", "1"), NAMES).new == "食品部"
    assert history_row(line("correct", "is_major", "0", "1"), NAMES).new == "是"
    unknown = history_row(line("correct", "supplier_id", "", "9"), NAMES).new
    assert unknown == "(供应商编号 9)"


def test_times_are_shown_whole() -> None:
    row = history_row(line("correct", "received_at", "2026-11-24 09:55:00", "2026-11-24T09:50:30"),
                      NAMES)
    assert (row.at, row.old, row.new) == (
        "2026-11-24 10:00:00", "2026-11-24 09:55:00", "2026-11-24 09:50:30",
    )
    assert moment_text("2026-11-23") == "2026-11-23"


def test_a_refund_request_is_a_sentence_without_english_keys() -> None:
    payload = {
        "case_id": "1", "receipt_no": "A20261124-0031", "kind": "return", "amount_fen": "4000",
        "reason": "牛奶变质", "is_quality": "1", "supplier_id": "2",
        "charge_back_status": "pending", "is_special": "0", "special_reason": "",
        "special_detail": "", "status": "pending", "level_required": "1",
        "requested_by_id": "3", "requested_at": "2026-11-24 10:00:00",
    }
    row = history_row(line("refund:request", "refund#7", "", json.dumps(payload)), NAMES)
    assert row.field == "第 7 笔退换货"
    assert row.action == "申请退换货"
    for words in ("退货 ¥40.00", "小票 A20261124-0031", "原因:牛奶变质", "前台经理/助理",
                  "供应商 伊利乳业", "待审批"):
        assert words in row.new
    assert not any(key in row.new for key in ENGLISH_KEYS)


def test_a_decision_names_the_signer_and_head_office() -> None:
    approve = {"status": "approved", "decided_by_id": "5", "decided_at": "2026-11-24 10:05:00",
               "decision_comment": "同意"}
    row = history_row(line("refund:approve", "refund#7", "", json.dumps(approve)), NAMES)
    assert row.new == "已批准;意见:同意;签批人 赵经理"
    head_office = {**approve, "head_office_approver": "周副总",
                   "head_office_reference": "JT-2026-018", "head_office_date": "2026-11-20"}
    text = history_row(line("refund:head_office", "refund#7", "", json.dumps(head_office)),
                       NAMES).new
    assert "集团签批人 周副总,文号 JT-2026-018,日期 2026-11-20" in text


def test_a_charge_back_shows_both_states_in_words() -> None:
    row = history_row(
        line("refund:charge_back", "refund#7", "pending",
             json.dumps({"charge_back_status": "charged"})), NAMES,
    )
    assert (row.old, row.new) == ("待向供应商扣款", "已向供应商扣款")


def test_a_step_entry_shows_what_was_decided() -> None:
    before = {"nature": {"text": "成立", "upheld": True, "at": "2026-11-24 10:00:00",
                         "recorded_by": "刘洋"}}
    after = {**before, "department": {"text": "", "department": "食品部",
                                      "at": "2026-11-24 10:02:00", "recorded_by": "刘洋"}}
    row = history_row(line("step:department", "workflow", json.dumps(before),
                           json.dumps(after)), NAMES)
    assert row.action == "4 确定责任部门"
    assert row.old == ""
    assert row.new == "4 确定责任部门:责任部门:食品部"


def test_the_registration_entry_lists_the_form_in_words() -> None:
    snapshot = {"case_no": "TS-202611-0001", "channel": "phone", "clerk_id": "3",
                "customer_name": "张女士", "amount_paid_fen": "5990", "category": "food_safety",
                "is_major": "0", "workflow": "{}", "status": "registered"}
    row = history_row(line("register", "*", "", json.dumps(snapshot)), NAMES)
    assert row.new == (
        "案件编号:TS-202611-0001;接待方式:电话;接待员:刘洋;顾客姓名:张女士;"
        "实付金额:¥59.90;投诉类别:食品安全"
    )


FIELDS = [*FIELD_LABELS, "refund#1", "unknown"]
ACTIONS = [*ACTION_LABELS, "step:nature", "step:bogus", "unknown"]


@given(field=st.sampled_from(FIELDS), action=st.sampled_from(ACTIONS),
       old=st.text(max_size=30), new=st.one_of(st.text(max_size=30), json_objects()))
def test_any_entry_even_an_odd_one_is_shown_without_failing(
    field: str, action: str, old: str, new: str
) -> None:
    row = history_row(HistoryLine("x", "y", action, field, old, new), NAMES)
    assert isinstance(row.new, str) and isinstance(row.old, str)
    assert row.field and row.action
