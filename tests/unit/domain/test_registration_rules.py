"""Validation of the 《顾客接待登记表》: every field, full-width input and hostile text."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain import cases as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.registration import (
    MAX_ACCOUNT,
    normalise_phone,
    parse_date,
    validate_registration,
)
from tests.builders import a_draft

NOW = datetime(2026, 11, 24, 10, 0)


def problems(**changes: object) -> dict[str, str]:
    try:
        validate_registration(a_draft(**changes), NOW)
    except ValidationError as error:
        return error.field_errors
    return {}


def test_the_example_draft_is_valid() -> None:
    case = validate_registration(a_draft(), NOW)
    assert case.amount_paid == Decimal("59.90")
    assert case.purchase_date == date(2026, 11, 23)
    assert case.receipt_no == "A20261124-0031"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("010-12345678", "01012345678"),
        ("0755-8765432", "07558765432"),
        ("(021)12345678", "02112345678"),
        ("87654321", "87654321"),
        # Found: a mobile with the trunk 0 (or 86 without the plus) was another customer, so
        # their refunds without a receipt started a second running total.
        ("013812345678", "13812345678"),
        ("0 138 1234 5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0086-138-1234-5678", "13812345678"),
        ("0755-12345678", "075512345678"),
    ],
)
def test_phone_numbers_in_the_ways_people_write_them(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["123", "12812345678", "1381234567", "138123456789", "abc", "13812345678x", "110"]
)
def test_wrong_phone_numbers_are_refused(typed: str) -> None:
    assert "customer_phone" in problems(customer_phone=typed)


def test_a_complaint_needs_a_phone_an_opinion_does_not() -> None:
    assert "customer_phone" in problems(customer_phone="")
    assert problems(customer_phone="", kind=rules.Kind.OPINION) == {}


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("１２３．５", Decimal("123.5")),
        ("123。5", Decimal("123.5")),
        ("￥59.90", Decimal("59.90")),
        ("0", Decimal("0")),
        ("1,299.00", Decimal("1299.00")),
    ],
)
def test_amounts_typed_with_a_chinese_input_method(typed: str, value: Decimal) -> None:
    assert validate_registration(a_draft(amount_paid=typed), NOW).amount_paid == value


@pytest.mark.parametrize("typed", ["-1", "1.234", "abc", "1e3", "NaN", "2000000", "12.3.4"])
def test_bad_amounts_are_refused(typed: str) -> None:
    assert "amount_paid" in problems(amount_paid=typed)


def test_an_empty_amount_means_unknown() -> None:
    assert validate_registration(a_draft(amount_paid=""), NOW).amount_paid is None


@pytest.mark.parametrize(
    "typed",
    ["2026-11-20", "2026/11/20", "2026.11.20", "20261120", "2026年11月20日", "２０２６-１１-２０"],
)
def test_dates_in_the_ways_people_write_them(typed: str) -> None:
    assert parse_date(typed) == date(2026, 11, 20)


def test_dates_in_the_future_are_refused() -> None:
    assert "purchase_date" in problems(purchase_date="2026-11-25")
    assert "received_at" in problems(received_at=NOW + timedelta(minutes=6))
    assert problems(received_at=NOW + timedelta(minutes=4)) == {}


def test_a_purchase_after_the_visit_is_refused() -> None:
    assert "purchase_date" in problems(
        received_at=datetime(2026, 11, 20, 9), purchase_date="2026-11-21"
    )


def test_a_wrong_date_is_explained() -> None:
    assert "2026-11-20" in problems(purchase_date="昨天")["purchase_date"]


def test_a_promised_reply_date_cannot_be_in_the_past_or_far_away() -> None:
    assert "promised_reply_date" in problems(promised_reply_date="2026-11-23")
    assert "promised_reply_date" in problems(promised_reply_date="2027-06-01")
    case = validate_registration(a_draft(promised_reply_date="2026-11-26"), NOW)
    assert case.promised_reply_date == date(2026, 11, 26)


@pytest.mark.parametrize(
    ("typed", "stored"), [("a2026-001", "A2026-001"), ("Ａ１２３４５", "A12345"), ("", "")]
)
def test_receipt_numbers_are_folded_to_ascii_upper_case(typed: str, stored: str) -> None:
    assert validate_registration(a_draft(receipt_no=typed), NOW).receipt_no == stored


@pytest.mark.parametrize("typed", ["12", "A 1;DROP", "小票123", "x" * 31])
def test_wrong_receipt_numbers_are_refused(typed: str) -> None:
    assert "receipt_no" in problems(receipt_no=typed)


def test_required_fields_are_all_reported_at_once() -> None:
    found = problems(customer_name=" ", account="\n", product_name="", customer_phone="")
    assert set(found) == {"customer_name", "account", "product_name", "customer_phone"}


def test_a_service_complaint_names_a_department_or_staff() -> None:
    service = {"subject": rules.Subject.SERVICE, "product_name": ""}
    assert "department_name" in problems(**service)
    assert problems(**service, staff_name="收银员小王") == {}


def test_barcodes_are_digits_only() -> None:
    assert "product_barcode" in problems(product_barcode="69ABC")
    case = validate_registration(a_draft(product_barcode="６９０００００００００１７"), NOW)
    assert case.product_barcode == "6900000000017"


@pytest.mark.parametrize(
    ("field", "limit"), [("customer_name", 30), ("account", MAX_ACCOUNT), ("product_name", 100)]
)
def test_text_length_limits(field: str, limit: int) -> None:
    assert field not in problems(**{field: "字" * limit})
    assert str(limit) in problems(**{field: "字" * (limit + 1)})[field]


def test_control_characters_are_removed_newlines_kept_in_the_account() -> None:
    case = validate_registration(
        a_draft(customer_name="张\x00女士\x1b", account="第一行\r\n第二行\x07"), NOW
    )
    assert case.customer_name == "张女士"
    assert case.account == "第一行\n第二行"


@given(st.text(max_size=300))
def test_any_text_in_any_field_is_accepted_or_refused_cleanly(text: str) -> None:
    for field in ("customer_name", "customer_phone", "receipt_no", "amount_paid",
                  "purchase_date", "account", "product_barcode", "promised_reply_date"):
        try:
            case = validate_registration(a_draft(**{field: text}), NOW)
        except ValidationError as error:
            assert error.field_errors
            continue
        stored = getattr(case, field)
        if isinstance(stored, str):
            assert "\x00" not in stored
