"""Customers' personal data: the retention rule, the masked phone, what an erasure records."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain import privacy
from desktop_app.domain import register as rules
from desktop_app.domain.cases import CaseStatus, Category, Subject
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.register import CASE, ERASED
from desktop_app.domain.roles import Role

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
months = st.integers(min_value=-240, max_value=240)
policies = st.builds(
    privacy.RetentionPolicy,
    st.integers(*privacy.RETENTION_MONTHS_RANGE),
    st.integers(*privacy.SHELF_LIFE_MONTHS_RANGE),
)
subjects = st.sampled_from(list(Subject))
categories = st.sampled_from(list(Category))


# --- calendar months ---------------------------------------------------------------------------


def test_month_ends_are_clamped_and_years_roll_over() -> None:
    assert privacy.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert privacy.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert privacy.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert privacy.add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert privacy.add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)
    assert privacy.add_months(date(2026, 3, 31), -13) == date(2025, 2, 28)


@given(days, months)
def test_adding_months_moves_the_month_and_never_the_day_upwards(day: date, count: int) -> None:
    moved = privacy.add_months(day, count)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == count
    assert moved.day <= day.day
    assert moved.day == day.day or moved.day >= 28


@given(days, days, st.integers(0, 240))
def test_adding_months_keeps_the_order_of_days(first: date, second: date, count: int) -> None:
    low, high = sorted((first, second))
    assert privacy.add_months(low, count) <= privacy.add_months(high, count)


# --- the retention period ----------------------------------------------------------------------


def test_the_defaults_keep_two_years_and_product_or_food_cases_thirty_months() -> None:
    policy = privacy.RetentionPolicy()
    assert policy.months == 24
    assert policy.food_months == 30
    closed = date(2024, 3, 10)
    service = policy.erase_on(closed, Subject.SERVICE, Category.SERVICE_ATTITUDE)
    product = policy.erase_on(closed, Subject.PRODUCT, Category.PRICE_BILLING)
    food = policy.erase_on(closed, Subject.OTHER, Category.FOOD_SAFETY)
    assert service == date(2026, 3, 10)
    assert product == food == date(2026, 9, 10)


def test_a_long_general_period_is_never_shortened_for_food() -> None:
    policy = privacy.RetentionPolicy(months=60, food_shelf_life_months=12)
    assert policy.food_months == 60


def test_only_closed_cases_are_ever_due() -> None:
    policy = privacy.RetentionPolicy()
    long_ago = date(2000, 1, 1)
    for status in CaseStatus:
        due = policy.is_due(status, long_ago, Subject.SERVICE, Category.OTHER, date(2026, 1, 1))
        assert due is (status in (CaseStatus.CLOSED, CaseStatus.NOT_UPHELD, CaseStatus.VOIDED))
    assert not policy.is_due(CaseStatus.CLOSED, None, Subject.SERVICE, Category.OTHER,
                             date(2026, 1, 1))


@given(policies, days, subjects, categories)
def test_a_case_is_due_from_its_day_on_and_not_a_day_before(
    policy: privacy.RetentionPolicy, closed: date, subject: Subject, category: Category
) -> None:
    erase_on = policy.erase_on(closed, subject, category)
    assert policy.is_due(CaseStatus.CLOSED, closed, subject, category, erase_on)
    assert not policy.is_due(
        CaseStatus.CLOSED, closed, subject, category, erase_on - timedelta(days=1)
    )
    assert erase_on >= privacy.add_months(closed, policy.months) > closed


@given(policies, days, days, subjects, categories)
def test_the_store_bound_never_hides_a_due_case(
    policy: privacy.RetentionPolicy, closed: date, today: date, subject: Subject,
    category: Category,
) -> None:
    if policy.is_due(CaseStatus.CLOSED, closed, subject, category, today):
        assert closed < policy.candidates_closed_before(today)


def test_settings_are_checked_and_fall_back_to_the_defaults() -> None:
    with pytest.raises(ValidationError) as raised:
        privacy.validated_policy(3, 61)
    assert set(raised.value.field_errors) == {"retention_months", "food_shelf_life_months"}
    assert privacy.validated_policy(36, 0) == privacy.RetentionPolicy(36, 0)
    stored = {privacy.RETENTION_KEY: "36", privacy.SHELF_LIFE_KEY: "abc"}
    assert privacy.policy_from_settings(stored) == privacy.RetentionPolicy(36, 24)
    assert privacy.policy_from_settings({privacy.RETENTION_KEY: "999"}).months == 24


# --- erasing -----------------------------------------------------------------------------------


def test_an_erasure_writes_the_marker_where_there_was_a_value_and_removes_the_salt() -> None:
    assert privacy.erased_values("王美丽", "13812345678") == {
        "customer_name": ERASED, "customer_phone": ERASED, "personal_salt": "",
    }
    assert privacy.erased_values("王美丽", "")["customer_phone"] == ""
    assert privacy.is_erased("", ERASED, "")
    assert not privacy.is_erased("salt", ERASED, ERASED)
    assert not privacy.is_erased("", "王美丽", ERASED)


def test_the_chain_records_the_marker_itself_not_a_commitment_to_it() -> None:
    recorded = rules.record_of(CASE, {"customer_name": ERASED, "customer_phone": ""}, salt="s")
    assert recorded.payload == {"customer_name": ERASED, "customer_phone": ""}
    assert recorded.personal == {"customer_phone": ""}
    registered = rules.record_of(CASE, {"customer_name": "王美丽", "status": "closed"}, salt="s")
    state = rules.replay(CASE, [rules.encode_payload(registered.payload),
                                rules.encode_payload(recorded.payload)])
    row = {**dict(CASE.columns), "customer_name": ERASED, "status": "closed"}
    assert rules.row_mismatch(CASE, row, state, salt="") is None
    assert rules.row_mismatch(CASE, {**row, "customer_name": "王美丽"}, state, "") is not None


def test_a_request_needs_a_reason_of_reasonable_length() -> None:
    assert privacy.erasure_reason("  顾客书面申请 2026-015 ") == "顾客书面申请 2026-015"
    for text in ("", "   ", "很" * (privacy.MAX_REASON + 1)):
        with pytest.raises(ValidationError):
            privacy.erasure_reason(text)


def test_managers_erase_on_request_and_see_the_full_phone_in_the_queue() -> None:
    allowed = {Role.FRONT_DESK_MANAGER, Role.DEPUTY_STORE_MANAGER, Role.STORE_MANAGER}
    for role in Role:
        assert privacy.may_erase_on_request(role) is (role in allowed)
        assert privacy.may_see_full_phone(role) is (role in allowed)


def test_free_text_naming_the_customer_or_holding_their_phone_is_found() -> None:
    assert privacy.mentions("王美丽说牛奶坏了", "王美丽", "13812345678")
    assert privacy.mentions("回电 13812345678", "王美丽", "13812345678")
    assert not privacy.mentions("牛奶坏了", "王美丽", "13812345678")
    # One character is a surname, not a person; the marker is no one.
    assert not privacy.mentions("王说牛奶坏了", "王", "")
    assert not privacy.mentions(f"{ERASED}", ERASED, ERASED)


# --- masking -----------------------------------------------------------------------------------


def test_phones_are_masked_as_the_desk_writes_them() -> None:
    assert privacy.mask_phone("13812345678") == "138****5678"
    assert privacy.mask_phone("01012345678") == "010****5678"
    assert privacy.mask_phone("010-12345678") == "010-****5678"
    assert privacy.mask_phone("12345678") == "123*5678"
    assert privacy.mask_phone("2345678") == "***5678"
    assert privacy.mask_phone("1234") == "****"
    assert privacy.mask_phone("") == ""
    assert privacy.mask_phone(ERASED) == ERASED


@given(st.from_regex(r"\A[0-9]{5,12}\Z"))
def test_a_masked_phone_keeps_its_length_and_last_four_digits_only(phone: str) -> None:
    masked = privacy.mask_phone(phone)
    assert len(masked) == len(phone)
    assert masked[-4:] == phone[-4:]
    hidden = masked.count("*")
    assert hidden >= len(phone) - 7
    assert hidden >= 1
    shown = [char for char in masked if char != "*"]
    assert len(shown) <= 7


def test_phones_in_free_text_are_masked_and_longer_numbers_left_alone() -> None:
    text = "顾客电话13812345678,座机010-87654321;小票A2026112413812345678,金额12345678901234"
    masked = privacy.mask_phones_in_text(text)
    assert "电话138****5678," in masked
    assert "010-****4321" in masked
    assert "A2026112413812345678" in masked
    assert "12345678901234" in masked


@given(st.from_regex(r"\A1[3-9][0-9]{9}\Z"), st.text(alphabet="顾客说请回电", max_size=8))
def test_no_mobile_number_survives_in_printed_text(phone: str, words: str) -> None:
    masked = privacy.mask_phones_in_text(f"{words}{phone}{words}")
    assert phone not in masked
    assert re.search(r"1[3-9]\d\*{4}\d{4}", masked)
