"""The early-warning rules without a database: settings, which rules a case is checked
against, the window, the clerk's notice and how a warning is worked."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain import complaint_analysis as analysis
from desktop_app.domain import warning_rules as rules
from desktop_app.domain.cases import Category, Subject
from desktop_app.domain.errors import ConflictError, ValidationError
from desktop_app.domain.warning_rules import (
    NewCase,
    Threshold,
    WarningAction,
    WarningRule,
    WarningSettings,
    WarningStatus,
)

NOW = datetime(2026, 11, 24, 10, 0)


def a_case(**changes: object) -> NewCase:
    fields: dict[str, object] = {
        "case_id": 7, "received_at": NOW, "subject": Subject.PRODUCT,
        "category": Category.PRODUCT_QUALITY, "product_barcode": "6900000000017",
        "product_name": "伊利纯牛奶 250ml", "supplier_id": 2, "supplier_name": "伊利乳业",
        "department_id": 1, "department_name": "食品部", "customer_phone": "13812345678",
        "receipt_id": 5, "receipt_no": "A2026-0031",
    }
    fields.update(changes)
    return NewCase(**fields)  # type: ignore[arg-type]


def test_a_product_case_is_checked_against_every_rule_that_applies() -> None:
    probes = rules.probes(a_case(), WarningSettings())
    assert [p.rule for p in probes] == [
        WarningRule.PRODUCT, WarningRule.SUPPLIER, WarningRule.DEPARTMENT, WarningRule.CATEGORY,
        WarningRule.REPEAT_PHONE, WarningRule.REPEAT_RECEIPT,
    ]
    product = probes[0]
    assert (product.subject_key, product.barcode, product.name_key) == (
        "b:6900000000017", "6900000000017", "伊利纯牛奶250ml")
    assert product.threshold == Threshold(3, 7)
    phone = next(p for p in probes if p.rule is WarningRule.REPEAT_PHONE)
    assert phone.subject_key == "" and phone.subject == ""  # never the number itself


def test_a_name_without_barcode_counts_under_the_catalogue_product_it_names() -> None:
    named = rules.probes(a_case(product_barcode="", catalogue_barcode="6900000000017"),
                         WarningSettings())[0]
    assert named.subject_key == "b:6900000000017"
    unknown = rules.probes(a_case(product_barcode="", product_name="散装 花生 500G"),
                           WarningSettings())[0]
    assert (unknown.subject_key, unknown.barcode, unknown.name_key) == (
        "n:散装花生500g", "", "散装花生500g")


def test_food_safety_warns_at_once_unless_switched_off_and_staff_only_in_service() -> None:
    food = a_case(category=Category.FOOD_SAFETY)
    first = rules.probes(food, WarningSettings())[0]
    assert first.rule is WarningRule.FOOD_SAFETY and first.threshold == Threshold(1, 1)
    assert WarningRule.FOOD_SAFETY not in {
        p.rule for p in rules.probes(food, WarningSettings(food_safety=False))}
    service = a_case(subject=Subject.SERVICE, product_barcode="", product_name="",
                     staff_name="周红", supplier_id=None, category=Category.SERVICE_ATTITUDE)
    staff = next(p for p in rules.probes(service, WarningSettings())
                 if p.rule is WarningRule.STAFF)
    assert (staff.subject_key, staff.threshold) == ("p:周红", Threshold(2, 30))
    assert WarningRule.STAFF not in {
        p.rule for p in rules.probes(a_case(staff_name="周红"), WarningSettings())}


def test_settings_read_back_as_written_and_bad_values_keep_defaults() -> None:
    chosen = WarningSettings(product=Threshold(4, 10), claimant=Threshold(2, 60),
                             food_safety=False)
    assert rules.settings_from(rules.settings_values(chosen)) == chosen
    assert rules.settings_from({}) == WarningSettings()
    broken = {"warn_product_count": "x", "warn_product_days": "0", "warn_staff_count": "500"}
    assert rules.settings_from(broken) == WarningSettings()


@pytest.mark.parametrize(("field", "threshold"), [
    ("warn_product_count", Threshold(0, 7)), ("warn_product_days", Threshold(3, 367)),
    ("warn_product_count", Threshold(100, 7)),
])
def test_thresholds_out_of_range_are_refused(field: str, threshold: Threshold) -> None:
    with pytest.raises(ValidationError) as refused:
        rules.validate_settings(WarningSettings(product=threshold))
    assert field in refused.value.field_errors


def test_the_window_starts_at_the_later_of_its_days_and_the_last_closing() -> None:
    assert rules.window_start(NOW, 7, None) == NOW - timedelta(days=7)
    closed = NOW - timedelta(days=2)
    assert rules.window_start(NOW, 7, closed) == closed
    assert rules.window_start(NOW, 7, NOW - timedelta(days=30)) == NOW - timedelta(days=7)


def test_the_clerk_reads_which_case_it_is_and_in_how_many_days() -> None:
    assert rules.notice_text(3, "伊利纯牛奶 250ml", 7) == "第 3 起:伊利纯牛奶 250ml,7 天内"
    first = NOW - timedelta(days=9, hours=2)
    assert rules.span_days(first, NOW, 7) == 10
    assert rules.span_days(NOW - timedelta(days=1), NOW, 7) == 7


def test_a_warning_moves_raised_acknowledged_closed() -> None:
    answer = rules.acknowledgement(WarningStatus.RAISED, WarningAction.SHELF_CHECK, " 下架 ")
    assert answer.note == "下架"
    assert rules.status_after_acknowledgement(answer.action) is WarningStatus.ACKNOWLEDGED
    assert rules.status_after_acknowledgement(WarningAction.NONE) is WarningStatus.CLOSED
    with pytest.raises(ValidationError):
        rules.acknowledgement(WarningStatus.RAISED, WarningAction.NONE, "  ")
    with pytest.raises(ConflictError):
        rules.acknowledgement(WarningStatus.ACKNOWLEDGED, WarningAction.SHELF_CHECK, "")
    with pytest.raises(ConflictError):
        rules.closing_note(WarningStatus.RAISED, "done")
    with pytest.raises(ConflictError):
        rules.closing_note(WarningStatus.CLOSED, "done")
    with pytest.raises(ValidationError):
        rules.closing_note(WarningStatus.ACKNOWLEDGED, "")
    assert rules.closing_note(WarningStatus.ACKNOWLEDGED, "已下架") == "已下架"
    assert all(action in rules.WarningAction for action in rules.SUGGESTED_ACTION.values())
    assert set(rules.SUGGESTED_ACTION) == set(WarningRule)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_the_name_key_is_the_one_sqlite_indexes(name: str) -> None:
    """domain.product_name_key and the index expression lower(replace(name, ' ', '')) agree
    for any text: cases named without a barcode are found by the key the domain computes."""
    connection = sqlite3.connect(":memory:")
    try:
        (indexed,) = connection.execute("SELECT lower(replace(?, ' ', ''))", (name,)).fetchone()
    finally:
        connection.close()
    assert rules.product_name_key(name) == indexed


@given(st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=40))
def test_the_median_from_the_middle_values_is_the_median(values: list[int]) -> None:
    import statistics
    from decimal import Decimal

    ordered = sorted(values)
    offset, how_many = analysis.middle_positions(len(ordered))
    middle = analysis.median_of_middle(ordered[offset:offset + how_many])
    assert middle == Decimal(str(statistics.median(ordered)))
