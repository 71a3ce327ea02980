"""Synthetic complaints for the demo database: twelve months of cases in every state.

A small demo (the ``--demo`` desk) is written through ``CaseService`` step by step, so each case
has the same audit trail a real one would. A large one (benchmarks: 100,000 or 1,000,000 cases)
is written in bulk, as an import of old paper registers would be: one registration entry per
case holding its final state, chained exactly like any other entry.

What a store should recognise in it: every complaint about goods names a product of the
catalogue with a defect that fits it (milk turns sour, a kettle stops heating, a shirt comes
apart at the seams); what was paid on the receipt is quantity × unit price plus the rest of the
shopping; some returns carry two or three items of the same supplier; the refund's reason, the
cause found and the solution agree with the complaint's category; the desk works while the
store is open (8:00–22:00), and head office signs a day or two after the request.

The plan of each case is in ``demo_plan`` (its words in ``demo_vocabulary``, its steps and
hours in ``demo_workflow``); this module writes the plans.
"""
from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any

from desktop_app.domain import cases as rules
from desktop_app.domain import refund_policy as policy
from desktop_app.domain import workflow as steps
from desktop_app.domain.accounts import Account
from desktop_app.domain.case_numbers import case_number_for, counter_key, month_and_sequence
from desktop_app.domain.errors import ConflictError, ValidationError
from desktop_app.domain.money import to_fen
from desktop_app.domain.refunds import HeadOfficeSignOff
from desktop_app.domain.register import canonical
from desktop_app.domain.registration import validate_registration
from desktop_app.services import demo_clusters, register
from desktop_app.services.accounts import AccountService
from desktop_app.services.case_rows import confirmation_deadline, registration_row
from desktop_app.services.cases import CaseService
from desktop_app.services.demo_plan import Catalogue, PlannedCase, plan_at, plan_cases
from desktop_app.services.demo_workflow import after_in_opening_hours, reception_moments
from desktop_app.services.refunds import RefundService
from desktop_app.services.settings import DEFAULT_CONFIRMATION_MINUTES
from desktop_app.store import cases as store
from desktop_app.store import register as register_store

Progress = Callable[[int, int], None]
Step = rules.Step


__all__ = [
    "BULK_JOB", "BuiltRow", "BulkJob", "BulkPlanError", "Catalogue", "PlannedCase",
    "SteppingClock", "build_bulk_rows", "bulk_jobs", "plan_cases", "workflow_steps",
    "write_in_bulk", "write_through_service",
]

# --- writing them ----------------------------------------------------------------------------


class SteppingClock:
    def __init__(self) -> None:
        self.now = datetime(2000, 1, 1)

    def __call__(self) -> datetime:
        return self.now


def write_through_service(
    db: Any, plans: Iterator[PlannedCase], total: int, progress: Progress | None
) -> int:
    """Every case registered and worked exactly as at the desk, one transaction per change;
    a refund is asked for once the solution is recorded, and decided before the customer is
    told."""
    clock = SteppingClock()
    service = CaseService(db, clock, lambda: DEFAULT_CONFIRMATION_MINUTES)
    accounts = AccountService(db, clock)
    refunds = RefundService(db, clock, accounts)
    signers = sorted(
        (a for a in accounts.list_accounts() if a.role.rank > 0), key=lambda a: a.role.rank
    )
    written = 0
    managers = demo_clusters.WarningDesk(db, clock)
    managers.manager(signers)
    for plan in plans:
        managers.work(plan.draft.received_at, lambda moment: setattr(clock, "now", moment))
        clock.now = plan.draft.received_at + timedelta(minutes=1)
        case_id = service.register(plan.clerk, plan.draft).case_id
        for step, answer, delay in plan.steps:
            # The same moment as planned, unless a refund decision came in between.
            clock.now = after_in_opening_hours(clock.now, delay)
            service.record_step(plan.clerk, case_id, step, answer)
            if plan.refund is not None and step is plan.refund_after:
                _write_refund(refunds, signers, plan, case_id, clock)
        written += 1
        if progress is not None and written % 200 == 0:
            progress(written, total)
    return written


def _write_refund(
    refunds: RefundService, signers: list[Account], plan: PlannedCase, case_id: int,
    clock: SteppingClock,
) -> None:
    """Request, then sign a little later (head office: a day or two later); the clock ends at
    the decision, so the steps after it come later still."""
    assert plan.refund is not None
    rng = random.Random(case_id)
    clock.now = after_in_opening_hours(clock.now, timedelta(minutes=rng.randrange(5, 20)))
    try:
        refund_id = refunds.request(plan.clerk, case_id, plan.refund.draft)
    except (ValidationError, ConflictError):
        return  # e.g. more than was paid on a receipt shared with an earlier demo case
    if plan.refund.outcome == "pending":
        return
    clock.now += timedelta(minutes=20)
    level = refunds.approval_context(refund_id).level
    approve = plan.refund.outcome == "approve"
    if level is policy.ApprovalLevel.HEAD_OFFICE:
        manager = next(a for a in signers if policy.may_record_head_office_sign_off(a.role))
        signed_on = clock.now.date() + timedelta(days=rng.randint(1, 2))
        clock.now = datetime.combine(signed_on, time(rng.randint(9, 11), rng.randrange(60)))
        sign_off = HeadOfficeSignOff("周国平", f"集团营运签〔{signed_on.year}〕{refund_id:03d}号",
                                     signed_on)
        refunds.record_head_office_as(manager, refund_id, sign_off, approve,
                                      "" if approve else "不符合集团退货规定")
        return
    clock.now = after_in_opening_hours(clock.now, timedelta(minutes=rng.randrange(5, 60)))
    approver = next(
        a for a in signers if policy.may_sign(a.role, level) and a.id != plan.clerk.id
    )
    comment = "同意" if approve else "经核实为人为损坏,不符合退货规定"
    refunds.sign_as(approver, refund_id, approve, comment)


# --- bulk loads: rows built in worker processes, chained and written here --------------------

# Cases per job of a bulk load: each job is planned with its own random generator (seeded from
# the demo's seed and the job's number), so any number of processes builds the same rows.
BULK_JOB = 10_000


@dataclass(frozen=True)
class BulkJob:
    """Everything one worker needs to build the final rows of cases ``start`` onwards."""

    seed: int
    start: int
    count: int
    moments: tuple[datetime, ...]
    sequences: dict[str, int]  # each month's last case number before this job's first case
    clerks: tuple[Account, ...]
    catalogue: Catalogue
    department_ids: dict[str, int]
    now: datetime


BuiltRow = tuple[dict[str, Any], register.Actor]


def bulk_jobs(
    rng: random.Random, count: int, clerks: list[Account], catalogue: Catalogue, now: datetime,
    department_ids: dict[str, int], sequences: dict[str, int],
) -> Iterator[BulkJob]:
    """The jobs of a bulk load of ``count`` cases after ``sequences`` (the months' counters)."""
    moments = reception_moments(rng, count, now)
    seed = rng.getrandbits(64)
    counters = dict(sequences)
    for start in range(0, count, BULK_JOB):
        chunk = tuple(moments[start:start + BULK_JOB])
        yield BulkJob(seed + start, start, count, chunk, dict(counters), tuple(clerks),
                      catalogue, department_ids, now)
        for moment in chunk:
            month = counter_key(moment)
            counters[month] = counters.get(month, 0) + 1


def build_bulk_rows(job: BulkJob) -> list[BuiltRow]:
    """One job's final rows, each with who registered it (runs in a worker process)."""
    rng = random.Random(job.seed)
    products = {p["barcode"]: p for p in job.catalogue.products}
    sequences = dict(job.sequences)
    clerks = list(job.clerks)
    built = []
    for offset, received in enumerate(job.moments):
        plan = plan_at(rng, job.start + offset, job.count, received, clerks, job.catalogue,
                        job.now)
        try:
            row = _final_row(plan, products, job.department_ids, sequences)
        except (ValidationError, ConflictError) as error:
            # The rules refused a planned case: say which (a plain exception, so it crosses
            # back from a worker process as it is).
            raise BulkPlanError(f"第 {job.start + offset + 1} 个演示案件: {error}") from None
        built.append((row, register.actor_of(plan.clerk)))
    return built


class BulkPlanError(Exception):
    """A planned demo case the registration rules refuse (a fault of the demo's plan)."""


def write_in_bulk(built: list[BuiltRow], batch: int = 5000) -> int:
    """Final rows, each with one registration entry holding its final state, chained like any
    other entry (``register.create_many``); ``batch`` rows per statement. Call inside a unit
    of work."""
    next_id = register_store.max_id("case") + 1
    sequences: dict[str, int] = {}
    for start in range(0, len(built), batch):
        rows, actors = [], []
        for row, actor in built[start:start + batch]:
            row["id"] = next_id
            next_id += 1
            rows.append(row)
            actors.append(actor)
            month, sequence = month_and_sequence(str(row["case_no"]))
            sequences[month] = max(sequences.get(month, 0), sequence)
        _write_bulk_rows(rows, actors)
    store.set_case_sequences(sequences)
    return len(built)


def _write_bulk_rows(rows: list[dict[str, Any]], actors: list[register.Actor]) -> None:
    if not rows:
        return
    # Every row gives up its paid_fen (the receipt holds it), also those without a receipt:
    # the statement's columns come from the first row.
    paid = [(row["receipt_no"], row.pop("paid_fen")) for row in rows]
    receipts = register.bulk_receipts(
        {key: fen for key, fen in paid if key}, actors[0], rows[0]["updated_at"],
    )
    for row in rows:
        row["receipt_id"] = receipts.get(row["receipt_no"])
    with register_store.replace_guards_lifted("case"):
        register.create_many(
            "case", rows, actors, "register", [row["updated_at"] for row in rows]
        )


# The rules below are pure, and a demo store's answers repeat (a few hundred texts, seven
# statuses): in a bulk load each answer is validated, and each move of a status worked out,
# once — by the same functions a save at the desk calls.
@lru_cache(maxsize=65_536)
def _validated(step: Step, answer: steps.StepAnswer, late: bool) -> dict[str, Any]:
    return steps.validate_answer(step, answer, desk_decides=late)


@lru_cache(maxsize=65_536)
def _status_after(
    status: rules.CaseStatus, step: Step, done: frozenset[Step], upheld: bool, needs: bool
) -> rules.CaseStatus:
    return rules.status_after(status, step, done, upheld=upheld, needs_confirmation=needs)


def _final_row(
    plan: PlannedCase, products: dict[str, dict[str, Any]], department_ids: dict[str, int],
    sequences: dict[str, int],
) -> dict[str, Any]:
    """The row the desk would hold once ``plan``'s steps are recorded: the registration row the
    desk builds (``registration_row``), then each step as ``CaseService.record_step`` moves it."""
    new = validate_registration(plan.draft, plan.draft.received_at + timedelta(minutes=1))
    month = counter_key(new.received_at)
    sequences[month] = sequences.get(month, 0) + 1
    now = new.received_at + timedelta(minutes=1)
    named = department_ids.get(new.department_name) if new.department_name else None
    row = registration_row(new, plan.clerk.id, now, products.get(new.product_barcode), named,
                           None)
    status = rules.CaseStatus.REGISTERED
    workflow: dict[str, Any] = {}
    deadline = None
    first_response = closed = None
    needs = bool(row["needs_confirmation"])
    done: frozenset[Step] = frozenset()  # the steps in ``workflow`` so far
    for step, answer, delay in plan.steps:
        now += delay
        if step is Step.DEPARTMENT:
            row["department_id"] = department_ids[answer.department_name]
            deadline = confirmation_deadline(now, DEFAULT_CONFIRMATION_MINUTES) if needs else None
        late = steps.desk_decides(deadline, now)
        stored = _validated(step, answer, late)
        status = _status_after(status, step, done, answer.upheld, needs)
        workflow[step.value] = {**stored, "at": canonical(now),
                                "recorded_by": plan.clerk.display_name}
        done = done | {step}
        if step is Step.NOTIFY or status is rules.CaseStatus.NOT_UPHELD:
            first_response = first_response or now
        if not rules.is_open(status):
            closed = now
    return {
        **row,
        "case_no": case_number_for(new.received_at, sequences[month]),
        "paid_fen": None if new.amount_paid is None else to_fen(new.amount_paid),
        "personal_salt": register.new_salt(),
        "status": status.value, "confirmation_deadline": deadline, "workflow": workflow,
        "first_response_at": first_response, "closed_at": closed,
        "major_acknowledged_at": None, "major_acknowledged_by_id": None, "updated_at": now,
    }


def workflow_steps(workflow: dict[str, Any]) -> set[Step]:
    return set(steps.done_steps(workflow))
