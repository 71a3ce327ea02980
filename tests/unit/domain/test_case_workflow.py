"""The case workflow tables, checked over every status and every step."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain import cases as rules
from desktop_app.domain import workflow
from desktop_app.domain.errors import ConflictError, ValidationError

Status = rules.CaseStatus
Step = rules.Step
ALL_STEPS = frozenset(Step)

EXPECTED_TRANSITIONS = {
    Status.REGISTERED: {Status.ACCEPTED, Status.NOT_UPHELD, Status.VOIDED},
    Status.ACCEPTED: {Status.AWAITING_CONFIRMATION, Status.IN_PROGRESS, Status.VOIDED},
    Status.AWAITING_CONFIRMATION: {Status.IN_PROGRESS, Status.VOIDED},
    Status.IN_PROGRESS: {Status.CUSTOMER_NOTIFIED, Status.VOIDED},
    Status.CUSTOMER_NOTIFIED: {Status.FOLLOWED_UP, Status.VOIDED},
    Status.FOLLOWED_UP: {Status.CLOSED, Status.VOIDED},
    Status.CLOSED: {Status.VOIDED},
    Status.NOT_UPHELD: {Status.VOIDED},
    Status.VOIDED: set(),
}


def test_the_transition_table_is_exactly_the_procedure() -> None:
    assert {k: set(v) for k, v in rules.transitions().items()} == EXPECTED_TRANSITIONS


@pytest.mark.parametrize(("old", "new"), list(product(Status, Status)))
def test_check_transition_agrees_with_the_table(old: Status, new: Status) -> None:
    if new is old or new in EXPECTED_TRANSITIONS[old]:
        rules.check_transition(old, new)
    else:
        with pytest.raises(ConflictError):
            rules.check_transition(old, new)


@pytest.mark.parametrize(("status", "step"), list(product(Status, Step)))
def test_a_step_is_offered_exactly_when_it_may_be_recorded(status: Status, step: Step) -> None:
    offered = step in rules.allowed_steps(status, ALL_STEPS)
    if offered:
        rules.status_after(status, step, ALL_STEPS)
    else:
        with pytest.raises(ConflictError) as refused:
            rules.status_after(status, step, ALL_STEPS)
        assert str(refused.value)  # a Chinese reason for the screen


def test_nothing_may_be_done_to_a_voided_case() -> None:
    assert rules.allowed_steps(Status.VOIDED, ALL_STEPS) == []


def test_closed_cases_can_only_be_voided() -> None:
    for status in (Status.CLOSED, Status.NOT_UPHELD):
        assert rules.allowed_steps(status, ALL_STEPS) == [Step.VOID]


def test_the_customer_is_notified_only_after_cause_and_solution() -> None:
    assert Step.NOTIFY not in rules.allowed_steps(Status.IN_PROGRESS, frozenset())
    assert Step.SOLUTION not in rules.allowed_steps(Status.IN_PROGRESS, frozenset())
    with pytest.raises(ConflictError, match="请先记录"):
        rules.status_after(Status.IN_PROGRESS, Step.NOTIFY, frozenset({Step.CAUSE}))
    assert Step.NOTIFY in rules.allowed_steps(
        Status.IN_PROGRESS, frozenset({Step.CAUSE, Step.SOLUTION})
    )


def test_judging_the_nature_decides_whether_the_case_goes_on() -> None:
    assert rules.status_after(Status.REGISTERED, Step.NATURE, frozenset()) is Status.ACCEPTED
    assert (
        rules.status_after(Status.REGISTERED, Step.NATURE, frozenset(), upheld=False)
        is Status.NOT_UPHELD
    )


def test_a_quality_department_must_confirm_others_go_straight_to_work() -> None:
    assert (
        rules.status_after(Status.ACCEPTED, Step.DEPARTMENT, frozenset(), needs_confirmation=True)
        is Status.AWAITING_CONFIRMATION
    )
    assert rules.status_after(Status.ACCEPTED, Step.DEPARTMENT, frozenset()) is Status.IN_PROGRESS


@pytest.mark.parametrize("category", list(rules.Category))
def test_only_quality_and_food_safety_need_the_department(category: rules.Category) -> None:
    assert category.needs_department_confirmation == (
        category in (rules.Category.PRODUCT_QUALITY, rules.Category.FOOD_SAFETY)
    )


@given(st.lists(st.sampled_from(list(Step)), max_size=30), st.booleans(), st.booleans())
def test_any_sequence_of_steps_only_follows_allowed_transitions(
    sequence: list[Step], upheld: bool, confirm: bool
) -> None:
    status, done = Status.REGISTERED, frozenset[Step]()
    for step in sequence:
        try:
            after = rules.status_after(
                status, step, done, upheld=upheld, needs_confirmation=confirm
            )
        except ConflictError:
            continue
        rules.check_transition(status, after)
        status, done = after, done | {step}
    if status is Status.CLOSED:
        assert {Step.NATURE, Step.DEPARTMENT, Step.NOTIFY, Step.FOLLOW_UP} <= done


def test_every_label_is_chinese_and_unique() -> None:
    for enum_type in (
        rules.Channel, rules.Subject, rules.Demand, rules.Category, rules.Kind, Status, Step
    ):
        labels = [member.label for member in enum_type]
        assert len(set(labels)) == len(labels)
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in labels)


def test_stored_values_come_back_as_their_members() -> None:
    for member in Status:
        assert Status.of(member.value) is member
    with pytest.raises(ValueError, match="nonsense"):
        Status.of("nonsense")


# --- step answers and the confirmation deadline ----------------------------------------------

NOW = datetime(2026, 11, 24, 10, 0)
DEADLINE = NOW + timedelta(minutes=15)


@pytest.mark.parametrize(
    "step", [s for s, (_, required) in workflow.STEP_TEXT.items() if required]
)
def test_steps_that_need_text_refuse_a_blank_answer(step: Step) -> None:
    with pytest.raises(ValidationError) as raised:
        workflow.validate_answer(step, workflow.StepAnswer(text=" \n "), desk_decides=True)
    assert "text" in raised.value.field_errors


def test_a_department_confirmation_names_the_team_leader() -> None:
    with pytest.raises(ValidationError) as raised:
        workflow.validate_answer(Step.CONFIRMATION, workflow.StepAnswer(text="确认"))
    assert "leader_name" in raised.value.field_errors
    stored = workflow.validate_answer(
        Step.CONFIRMATION, workflow.StepAnswer(text="确认", leader_name=" 李班长 ")
    )
    assert stored == {"text": "确认", "by": "department", "leader": "李班长"}


@pytest.mark.parametrize(("score", "valid"), [(0, False), (1, True), (5, True), (6, False)])
def test_satisfaction_is_one_to_five(score: int, valid: bool) -> None:
    answer = workflow.StepAnswer(satisfaction=score)
    if valid:
        assert workflow.validate_answer(Step.FOLLOW_UP, answer)["satisfaction"] == score
    else:
        with pytest.raises(ValidationError):
            workflow.validate_answer(Step.FOLLOW_UP, answer)


def test_a_customer_who_could_not_be_reached_has_no_score() -> None:
    stored = workflow.validate_answer(
        Step.FOLLOW_UP, workflow.StepAnswer(reached=False, text="三次未接")
    )
    assert stored["reached"] is False
    assert stored["satisfaction"] is None


def test_step_text_is_limited() -> None:
    with pytest.raises(ValidationError, match="1000"):
        workflow.validate_answer(Step.CAUSE, workflow.StepAnswer(text="因" * 1001))


@pytest.mark.parametrize(
    ("moment", "by_department", "allowed"),
    [
        (DEADLINE, True, True),
        (DEADLINE, False, False),
        (DEADLINE + timedelta(seconds=1), True, False),
        (DEADLINE + timedelta(seconds=1), False, True),
    ],
)
def test_the_deadline_decides_who_may_confirm(
    moment: datetime, by_department: bool, allowed: bool
) -> None:
    def check() -> None:
        workflow.check_confirmation_entry(
            Status.AWAITING_CONFIRMATION, {}, DEADLINE, moment, by_department
        )

    if allowed:
        check()
    else:
        with pytest.raises(ConflictError):
            check()


def test_a_desk_decision_is_locked_against_the_department() -> None:
    recorded = {"confirmation": {"by": "desk", "at": "2026-11-24 10:16:00"}}
    with pytest.raises(ConflictError, match="部门无权改变处理结果"):
        workflow.check_confirmation_entry(
            Status.IN_PROGRESS, recorded, DEADLINE, DEADLINE + timedelta(hours=1), True
        )


def test_each_subject_starts_the_form_at_choices_that_fit_it() -> None:
    # The form opens at the first category and demand offered: the product's usual ones.
    assert rules.usual_choices(rules.Subject.PRODUCT) == (
        next(iter(rules.Category)), next(iter(rules.Demand)))
    for subject in rules.Subject:
        category, _ = rules.usual_choices(subject)
        # Only a product complaint starts as one the department must come to confirm.
        assert category.needs_department_confirmation is (subject is rules.Subject.PRODUCT)
