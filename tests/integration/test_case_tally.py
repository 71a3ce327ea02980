"""The analysis tally kept by the saves (services.case_tally) against a straightforward
recount: after registrations, steps, corrections, voiding, erasure of personal data and bulk
loads, the kept table equals one rebuilt from the case rows, and the analysis of every period
it offers equals the figures computed from plain queries of the case table (no tally, no
index chosen, every value of a month sorted in Python for its median)."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from peewee import SqliteDatabase

from desktop_app.domain import case_tally as rules
from desktop_app.domain import complaint_analysis as figures
from desktop_app.domain.case_numbers import format_case_number
from desktop_app.domain.cases import Category, Step, Subject
from desktop_app.domain.errors import ConflictError, DeskError
from desktop_app.domain.registration import RegistrationDraft
from desktop_app.domain.workflow import SATISFACTION_LABELS, StepAnswer
from desktop_app.services import case_tally, register
from desktop_app.services.database import open_desk_database
from desktop_app.services.demo_data import fill_demo_database
from desktop_app.services.desk import Desk, build_desk
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import case_tally as tally_store
from desktop_app.store import cases as cases_store
from desktop_app.store import migrations
from desktop_app.store import register as register_store
from desktop_app.store.connection import close_database, database
from desktop_app.store.dialect import indexed_expression
from desktop_app.store.migrations import (
    CLOSING_SECONDS_SQL,
    COUNTED,
    PRODUCT_NAME_KEY_SQL,
    RESPONSE_SECONDS_SQL,
    SATISFACTION_SQL,
)
from tests.builders import MILK_BARCODE, Staff, a_draft
from tests.conftest import FakeClock

TODAY = datetime(2026, 11, 24, 10, 0)


# --- the straightforward recount --------------------------------------------------------------


def recount(period: figures.Period) -> figures.Analysis:
    """The page's figures from plain GROUP BY queries of the case table."""
    start, end = f"{period.start}", f"{period.end}"
    months = period.trend_months
    categories = [
        figures.CategoryCount(str(month), Category.of(str(category)), int(cases))
        for month, category, cases in _sql(
            "SELECT substr(received_at, 1, 7), category, count(*) FROM \"case\" "
            f"WHERE {COUNTED} AND received_at >= ? AND received_at < ? GROUP BY 1, 2",
            f"{months[0].start.date()}", end)
    ]
    products = [
        figures.ProductCount(str(barcode), str(name or barcode), "", int(cases))
        for barcode, name, cases in _sql(
            "SELECT g.barcode, COALESCE(p.name, (SELECT product_name FROM \"case\" "
            "WHERE product_barcode = g.barcode LIMIT 1)), g.cases FROM ("
            'SELECT product_barcode AS barcode, count(*) AS cases FROM "case" '
            f"WHERE {COUNTED} AND product_barcode <> '' AND received_at >= ? "
            "AND received_at < ? GROUP BY product_barcode) g "
            "LEFT JOIN product p ON p.barcode = g.barcode", start, end)
    ] + [
        figures.ProductCount("", str(name), str(key), int(cases))
        for key, name, cases in _sql(
            f"SELECT {PRODUCT_NAME_KEY_SQL}, min(product_name), count(*) FROM \"case\" "
            f"WHERE {COUNTED} AND product_barcode = '' AND product_name <> '' "
            f"AND received_at >= ? AND received_at < ? GROUP BY 1", start, end)
    ]
    named = {
        kind: [figures.NamedCount(int(key), str(name), int(cases)) for key, name, cases in _sql(
            f"SELECT c.{kind}_id, t.name, count(*) FROM \"case\" c JOIN {kind} t "
            f"ON t.id = c.{kind}_id WHERE c.{COUNTED} AND c.received_at >= ? "
            f"AND c.received_at < ? GROUP BY c.{kind}_id, t.name", start, end)]
        for kind in ("supplier", "department")
    }
    response = _middles(months, indexed_expression(RESPONSE_SECONDS_SQL), "received_at",
                        f"{COUNTED} AND first_response_at IS NOT NULL")
    closing = _middles(months, indexed_expression(CLOSING_SECONDS_SQL), "closed_at",
                       "status IN ('closed', 'not_upheld')")
    satisfaction = [
        (score, int(_sql(
            "SELECT count(*) FROM \"case\" WHERE status = 'closed' "
            f"AND {indexed_expression(SATISFACTION_SQL)} = ? "
            "AND closed_at >= ? AND closed_at < ?", score, start, end)[0][0]))
        for score in SATISFACTION_LABELS
    ]
    return figures.analysis(period, categories, products, named["supplier"],
                            named["department"], response, closing, satisfaction)


def _middles(
    months: tuple[figures.Month, ...], value: str, month_column: str, condition: str
) -> list[figures.MiddleValues]:
    found = []
    for month in months:
        values = sorted(int(row[0]) for row in _sql(
            f'SELECT {value} FROM "case" WHERE {condition} '
            f"AND {month_column} >= ? AND {month_column} < ?",
            f"{month.start.date()}", f"{month.end.date()}"))
        offset, how_many = figures.middle_positions(len(values))
        found.append(figures.MiddleValues(
            month.key, len(values), tuple(values[offset:offset + how_many])))
    return found


def _sql(sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
    with UnitOfWork(database.obj):
        return list(database.execute_sql(sql, parameters).fetchall())


def rebuilt() -> dict[rules.Entry, int]:
    """What a rebuild from the case rows writes (computed without touching the table)."""
    with UnitOfWork(database.obj):
        ids = [int(row[0]) for row in database.execute_sql('SELECT id FROM "case"')]
        return dict(rules.tally(tally_store.inputs_of(ids)))


def kept() -> dict[rules.Entry, int]:
    with UnitOfWork(database.obj):
        return tally_store.contents()


def counted_by_sqlite() -> dict[rules.Entry, int]:
    """What the rebuild, verify and a bulk load count with one query (store.case_tally)."""
    with UnitOfWork(database.obj):
        return tally_store.recount()


def assert_fast_path_equals_recount(desk: Desk) -> None:
    assert kept() == rebuilt() == counted_by_sqlite()
    for _label, back, months in figures.PRESETS:
        period = figures.preset(TODAY.date(), back, months)
        assert desk.analysis.analysis(period) == recount(period), period.label


# --- the writes -------------------------------------------------------------------------------


def register_at(desk: Desk, staff: Staff, clock: FakeClock, at: datetime, **draft: Any) -> int:
    """A case received at ``at`` (a manager's back-dated registration), saved at ``at``."""
    clock.now = at
    return desk.cases.register(staff.boss, draft_at(at, **draft),
                               received_at_reason="补录纸质登记表").case_id


def draft_at(at: datetime, **changes: Any) -> RegistrationDraft:
    """The builders' draft received at ``at``, bought the day before (a purchase may not
    follow the reception)."""
    changes.setdefault("purchase_date", f"{(at - timedelta(days=1)).date()}")
    return a_draft(received_at=at, **changes)


def work_and_close(desk: Desk, staff: Staff, case_id: int, satisfaction: int) -> None:
    step = desk.cases.record_step
    step(staff.clerk, case_id, Step.NATURE, StepAnswer(text="成立"))
    step(staff.clerk, case_id, Step.DEPARTMENT, StepAnswer(department_name="食品部"))
    if desk.cases.case(case_id).status.value == "awaiting_confirmation":
        step(staff.clerk, case_id, Step.CONFIRMATION, StepAnswer(leader_name="李班长", text="确认"))
    step(staff.clerk, case_id, Step.CAUSE, StepAnswer(text="冷柜温度过高"))
    step(staff.clerk, case_id, Step.SOLUTION, StepAnswer(text="退货"))
    step(staff.clerk, case_id, Step.NOTIFY, StepAnswer(text="电话告知"))
    step(staff.clerk, case_id, Step.RESPONSIBILITY,
         StepAnswer(responsible="供应商", text="供应商承担"))
    step(staff.clerk, case_id, Step.IMPROVEMENT, StepAnswer(text="巡检冷柜"))
    step(staff.clerk, case_id, Step.FOLLOW_UP, StepAnswer(satisfaction=satisfaction, text="回访"))
    step(staff.clerk, case_id, Step.CLOSE, StepAnswer())


SERVICE = {"subject": Subject.SERVICE, "category": Category.SERVICE_ATTITUDE, "product_name": "",
           "department_name": "收银部", "staff_name": "周红", "receipt_no": "",
           "amount_paid": "", "purchase_date": ""}


def test_the_tally_follows_every_kind_of_write_and_equals_a_recount(
    desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    assert_fast_path_equals_recount(desk)  # nothing yet: an empty tally and empty figures

    # Registrations over three months: by barcode, by the catalogue's name, by a name the
    # catalogue does not know (twice, typed differently), service complaints, food safety.
    days = [datetime(2026, 9, 3, 9), datetime(2026, 10, 8, 11), datetime(2026, 10, 30, 16),
            datetime(2026, 11, 2, 10), datetime(2026, 11, 20, 15)]
    made: dict[str, list[int]] = {"barcode": [], "name": [], "loose": [], "service": []}
    for n, day in enumerate(days):
        made["barcode"].append(register_at(desk, staff, clock, day, product_barcode=MILK_BARCODE,
                                           product_name="", customer_phone=f"1381234{n:04d}"))
        made["name"].append(register_at(desk, staff, clock, day + timedelta(minutes=5),
                                        category=Category.FOOD_SAFETY))
        made["loose"].append(register_at(
            desk, staff, clock, day + timedelta(minutes=10),
            product_name="散装花生 500g" if n % 2 else "散装花生500G",
            department_name="生鲜部", supplier_name="鲜丰农产品有限公司"))
        made["service"].append(register_at(desk, staff, clock, day + timedelta(minutes=15),
                                           **SERVICE))
    assert_fast_path_equals_recount(desk)

    # Steps: cases answered and closed with every satisfaction score, one not upheld, one
    # answered and left open; each later than its registration by hours or days.
    for n, case_id in enumerate(made["barcode"]):
        clock.now = days[n] + timedelta(hours=3 + n, minutes=7 * n)
        work_and_close(desk, staff, case_id, satisfaction=5 - n)
    clock.now = days[1] + timedelta(days=2, hours=1)
    desk.cases.record_step(staff.clerk, made["name"][1], Step.NATURE,
                           StepAnswer(upheld=False, text="已过保质期后食用"))
    clock.now = days[3] + timedelta(hours=5)
    desk.cases.record_step(staff.clerk, made["service"][3], Step.NATURE, StepAnswer(text="成立"))
    desk.cases.record_step(staff.clerk, made["service"][3], Step.DEPARTMENT,
                           StepAnswer(department_name="收银部"))
    desk.cases.record_step(staff.clerk, made["service"][3], Step.CAUSE,
                           StepAnswer(text="收银员态度生硬"))
    desk.cases.record_step(staff.clerk, made["service"][3], Step.SOLUTION,
                           StepAnswer(text="当面致歉"))
    desk.cases.record_step(staff.clerk, made["service"][3], Step.NOTIFY,
                           StepAnswer(text="电话致歉"))
    clock.now = TODAY
    assert_fast_path_equals_recount(desk)

    # Corrections: another category, a barcode given to a case named by name only,
    # the reception moved into another month, another department.
    desk.cases.correct(staff.boss, made["loose"][0], draft_at(
        days[0] + timedelta(minutes=10), category=Category.PRICE_BILLING,
        product_name="散装花生500G", department_name="生鲜部",
        supplier_name="鲜丰农产品有限公司"), "类别登记错了")
    desk.cases.correct(staff.boss, made["name"][3], draft_at(
        datetime(2026, 10, 31, 18), category=Category.FOOD_SAFETY,
        product_barcode=MILK_BARCODE, product_name=""), "日期和条码补正")
    desk.cases.correct(staff.boss, made["service"][1], draft_at(
        days[1] + timedelta(minutes=15), **{**SERVICE, "department_name": "食品部"}),
        "部门登记错了")
    assert_fast_path_equals_recount(desk)

    # Voiding: an open case, and a closed one (its closing and satisfaction leave too).
    desk.cases.void(staff.boss, made["loose"][4], "重复登记")
    desk.cases.void(staff.boss, made["barcode"][2], "登记错了顾客")
    assert_fast_path_equals_recount(desk)

    # Erasure of the customer's personal data: the case keeps counting exactly as before.
    before = kept()
    result = desk.privacy.erase_on_request(staff.boss, made["barcode"][0], "顾客书面申请删除")
    assert result.erased
    assert kept() == before
    assert_fast_path_equals_recount(desk)

    # A bulk load (imports, demo registers): rows with their own ids through create_many.
    bulk_load(desk, count=40)
    assert_fast_path_equals_recount(desk)
    assert desk.register.verify().ok


def bulk_load(desk: Desk, count: int, seed: int = 0) -> None:
    """``count`` copies of case 1 written as a bulk load does (rows with their own ids and
    numbers through ``register.create_many``), received over the last two months, some
    answered, closed, not upheld or voided."""
    rng = random.Random(seed)
    with UnitOfWork(desk.db) as uow:
        template = register_store.row("case", 1)
        assert template is not None
        next_id = register_store.max_id("case") + 1
        sequences = register_store.case_counters()
        rows = []
        for n in range(count):
            at = datetime(2026, 10, 1, 8) + timedelta(minutes=rng.randrange(80_000))
            month = f"{at:%Y%m}"
            sequences[month] = sequences.get(month, 0) + 1
            answered = at + timedelta(minutes=rng.randrange(1, 9000))
            status = rng.choice(["registered", "in_progress", "closed", "closed",
                                 "not_upheld", "voided"])
            barcode = rng.random() < 0.3
            rows.append({
                **template, "id": next_id + n,
                "case_no": format_case_number(at.year, at.month, sequences[month]),
                "received_at": at, "updated_at": at, "category": rng.choice(list(Category)).value,
                "product_barcode": MILK_BARCODE if barcode else "",
                "product_name": "" if barcode else rng.choice(["伊利纯牛奶 250ml", "散装花生",
                                                               "散装 花生", ""]),
                "status": status,
                "first_response_at": None if status == "registered" else answered,
                "closed_at": (answered + timedelta(hours=rng.randrange(200))
                              if status in ("closed", "not_upheld", "voided") else None),
                "workflow": {"follow_up": {"reached": True,
                                           "satisfaction": rng.choice([1, 2, 3, 4, 5, "5"])}},
            })
        register.create_many("case", rows, [register.SYSTEM] * count, "register",
                             [row["updated_at"] for row in rows])
        cases_store.set_case_sequences(sequences)
        uow.commit()


def test_a_change_of_untallied_columns_reads_nothing_of_the_tally(
    desk: Desk, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    read: list[list[int]] = []
    real = tally_store.inputs_of
    monkeypatch.setattr(tally_store, "inputs_of", lambda ids: read.append(list(ids)) or real(ids))
    with UnitOfWork(desk.db) as uow:
        register.change("case", case_id, {"account": "更正的陈述", "updated_at": TODAY},
                        staff.boss, "correct", TODAY)
        uow.commit()
    assert read == []
    desk.cases.void(staff.boss, case_id, "重复登记")
    assert read == [[case_id], [case_id]]
    assert kept() == rebuilt() == {}


def test_rebuild_after_a_raw_load_and_it_is_idempotent(desk: Desk, staff: Staff) -> None:
    for n in range(3):
        desk.cases.register(staff.clerk, a_draft(customer_phone=f"1391234000{n}"))
    with UnitOfWork(desk.db) as uow:  # a load that bypasses the services
        database.execute_sql(
            'INSERT INTO "case" (case_no, received_at, channel, clerk_id, subject, account, '
            "demand, category, kind, status, updated_at, product_name) SELECT "
            "'TS-202610-' || substr('000' || id, length('000' || id) - 3), "
            "'2026-10-0' || id || ' 09:00:00', channel, "
            "clerk_id, subject, account, demand, 'facilities', kind, status, updated_at, "
            "'散装花生' FROM \"case\"")
        uow.commit()
    assert kept() != rebuilt()
    with UnitOfWork(desk.db) as uow:
        assert case_tally.rebuild() == len(rebuilt())
        uow.commit()
    assert kept() == rebuilt()
    assert ("category", "2026-10", "facilities") in kept()
    assert_fast_path_equals_recount(desk)
    with UnitOfWork(desk.db) as uow:
        case_tally.rebuild()
        uow.commit()
    assert kept() == rebuilt()


def test_the_migration_fills_the_tally_from_the_cases_already_registered(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db = SqliteDatabase(str(db_path))
    db.connect()
    migrations.migrate(db, target=migrations.TALLY_VERSION - 1)
    db.execute_sql(
        'INSERT INTO "user" (id, username, display_name, role, password_hash, created_at) '
        "VALUES (1, 'boss', '王店长', 'store_manager', 'x', '2026-01-01 08:00:00')")
    for n, (status, category) in enumerate([("closed", "product_quality"),
                                            ("voided", "other"), ("in_progress", "other")]):
        db.execute_sql(
            'INSERT INTO "case" (case_no, received_at, channel, clerk_id, subject, account, '
            "demand, category, kind, status, updated_at, first_response_at, closed_at, "
            "workflow, product_barcode) VALUES (?, ?, 'at_desk', 1, 'product', 'x', 'refund', "
            "?, 'complaint', ?, ?, ?, ?, ?, '690001')",
            (f"TS-202610-000{n}", "2026-10-03 10:00:00", category, status,
             "2026-10-03 10:00:00", "2026-10-03 12:30:00",
             "2026-11-05 10:00:00" if status == "closed" else None,
             '{"follow_up": {"reached": true, "satisfaction": 4}}'))
    migrations.migrate(db)
    found = {(m, month, item): cases for m, month, item, cases in db.execute_sql(
        "SELECT measure, month, item, cases FROM case_tally")}
    assert found == {
        ("category", "2026-10", "product_quality"): 1, ("category", "2026-10", "other"): 1,
        ("barcode", "2026-10", "690001"): 2,
        ("response", "2026-10", str(rules.band_floor(9000))): 2,
        ("closing", "2026-11", str(rules.band_floor(33 * 86400))): 1,
        ("satisfaction", "2026-11", "4"): 1,
    }
    db.close()


# --- any sequence of writes -------------------------------------------------------------------

# How a randomly registered case names what it is about.
PRODUCTS: dict[str, dict[str, Any]] = {
    "barcode": {"product_barcode": MILK_BARCODE, "product_name": ""},
    "catalogue name": {},
    "loose name": {"product_name": "散装花生 500g", "department_name": "生鲜部",
                   "supplier_name": "鲜丰农产品有限公司"},
    "loose name typed otherwise": {"product_name": "散装花生500G"},
    "service": SERVICE,
}
# The procedure in order; a step the case's state refuses is passed over (a confirmation
# only quality cases need; a not-upheld case stops after its answer).
PROCEDURE = (Step.NATURE, Step.DEPARTMENT, Step.CONFIRMATION, Step.CAUSE, Step.SOLUTION,
             Step.NOTIFY, Step.RESPONSIBILITY, Step.IMPROVEMENT, Step.FOLLOW_UP, Step.CLOSE)
ANSWERS = {
    Step.NATURE: StepAnswer(text="成立"), Step.DEPARTMENT: StepAnswer(department_name="食品部"),
    Step.CONFIRMATION: StepAnswer(leader_name="李班长", text="确认"),
    Step.CAUSE: StepAnswer(text="原因"), Step.SOLUTION: StepAnswer(text="办法"),
    Step.NOTIFY: StepAnswer(text="电话告知"),
    Step.RESPONSIBILITY: StepAnswer(responsible="供应商", text="承担"),
    Step.IMPROVEMENT: StepAnswer(text="改进"), Step.CLOSE: StepAnswer(),
}

moments = st.builds(
    lambda back, day, minute: datetime(2026, 11, 1) - timedelta(days=30 * back - day,
                                                                 minutes=-minute),
    st.integers(0, 13), st.integers(0, 22), st.integers(0, 24 * 60 - 1))
operations = st.lists(st.one_of(
    st.tuples(st.just("register"), moments, st.sampled_from(sorted(PRODUCTS)),
              st.sampled_from(list(Category))),
    st.tuples(st.just("advance"), st.integers(0, 10**6), st.integers(1, 10),
              st.integers(0, 30 * 24 * 60), st.sampled_from([*SATISFACTION_LABELS, None]),
              st.booleans()),
    st.tuples(st.just("correct"), st.integers(0, 10**6), moments,
              st.sampled_from(sorted(PRODUCTS)), st.sampled_from(list(Category))),
    st.tuples(st.just("void"), st.integers(0, 10**6)),
    st.tuples(st.just("erase"), st.integers(0, 10**6)),
    st.tuples(st.just("bulk"), st.integers(1, 30), st.integers(0, 99)),
), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=operations)
def test_after_any_sequence_of_writes_the_tally_equals_a_group_by_of_the_cases(
    desk: Desk, staff: Staff, clock: FakeClock, steps: list[tuple[Any, ...]]
) -> None:
    """Registrations, steps, corrections, voids, erasures and bulk loads in any order (the
    register grows over the examples): after each, the kept tally equals a rebuild; at the
    end the page's figures of every period equal plain GROUP BY queries of the cases."""
    progress: dict[int, int] = {}
    for operation in steps:
        try:
            apply(desk, staff, clock, progress, operation)
            event(f"{operation[0]} written")
        except DeskError as refused:  # an erased case corrected, a voided one voided…
            event(f"{operation[0]} refused: {type(refused).__name__}")
        assert kept() == rebuilt(), operation
    clock.now = TODAY
    assert_fast_path_equals_recount(desk)
    for (status,) in _sql('SELECT DISTINCT status FROM "case"'):
        event(f"the register so far holds {status} cases")


def apply(desk: Desk, staff: Staff, clock: FakeClock, progress: dict[int, int],
          operation: tuple[Any, ...]) -> None:
    kind, *values = operation
    with UnitOfWork(desk.db):
        ids = [int(row[0]) for row in database.execute_sql('SELECT id FROM "case" ORDER BY id')]
    if kind == "register":
        at, product, category = values
        made = register_at(desk, staff, clock, at, **{**PRODUCTS[product], "category": category})
        progress[made] = 0
    elif kind == "bulk":
        if ids:
            bulk_load(desk, *values)
    elif ids:
        # Steps and corrections go to the cases registered here (a bulk row has no steps).
        among = sorted(progress) if kind in ("advance", "correct") and progress else ids
        case_id = among[values[0] % len(among)]
        received = desk.cases.case(case_id).received_at
        if kind == "advance":
            advance(desk, staff, clock, progress, case_id, received, *values[1:])
        elif kind == "correct":
            at, product, category = values[1:]
            clock.now = max(at, received) + timedelta(hours=1)
            desk.cases.correct(staff.boss, case_id, draft_at(
                at, **{**PRODUCTS[product], "category": category}), "更正")
        elif kind == "void":
            desk.cases.void(staff.boss, case_id, "作废")
        else:
            desk.privacy.erase_on_request(staff.boss, case_id, "顾客书面申请删除")


def advance(desk: Desk, staff: Staff, clock: FakeClock, progress: dict[int, int], case_id: int,
            received: datetime, how_many: int, minutes: int, satisfaction: int | None,
            upheld: bool) -> None:
    """The next ``how_many`` steps of the procedure, ``minutes`` after the reception."""
    clock.now = received + timedelta(minutes=minutes)
    done = 0
    while done < how_many and progress.get(case_id, 0) < len(PROCEDURE):
        step = PROCEDURE[progress.get(case_id, 0)]
        progress[case_id] = progress.get(case_id, 0) + 1
        answer = ANSWERS.get(step) or StepAnswer(satisfaction=satisfaction, text="回访")
        if step is Step.NATURE:
            answer = StepAnswer(upheld=upheld, text="成立" if upheld else "不成立")
        try:
            detail = desk.cases.record_step(staff.clerk, case_id, step, answer)
        except ConflictError:
            continue
        event(f"a step left a case {detail.status.value}")
        done += 1


# --- demo loads, verify and the repair --------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def main_py(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *arguments],
                          capture_output=True, text=True, check=False)


@pytest.mark.parametrize("step_by_step_limit", [10_000, 0], ids=["step-by-step", "bulk"])
def test_a_demo_register_has_the_tally_of_its_cases(
    tmp_path: Path, step_by_step_limit: int
) -> None:
    """The demo's bulk load (services.demo_cases.write_in_bulk, benchmarks' registers) and
    its step-by-step load leave a tally equal to the cases, and the page's figures equal to
    the plain queries."""
    path = tmp_path / "demo.sqlite3"
    fill_demo_database(path, cases=400, seed=5, step_by_step_limit=step_by_step_limit)
    opened = open_desk_database(path, TODAY, daily_backup=False)
    try:
        assert kept() == rebuilt()
        assert len(kept()) > 100  # every measure, over twelve months
        # Every measure but names without a barcode (the demo's products all have one).
        assert {measure for measure, _, _ in kept()} >= set(rules.MEASURES) - {rules.PRODUCT_NAME}
        assert_fast_path_equals_recount(build_desk(opened.db, path, lambda: TODAY))
    finally:
        close_database()


def test_verify_reports_a_tally_changed_behind_the_apps_back_and_rebuild_repairs_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "demo.sqlite3"
    fill_demo_database(path, cases=60, seed=1)
    assert main_py("verify", "--db", str(path)).returncode == 0
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE case_tally SET cases = cases + 7 WHERE rowid = "
                    "(SELECT min(rowid) FROM case_tally WHERE measure = 'category')")
        raw.execute("DELETE FROM case_tally WHERE rowid = "
                    "(SELECT min(rowid) FROM case_tally WHERE measure = 'satisfaction')")
    raw.close()
    result = main_py("verify", "--db", str(path))
    assert result.returncode == 3
    assert "投诉分析的月度统计有 2 处与案件不符" in result.stdout
    assert "rebuild-tally" in result.stdout
    assert "案件 TS-" not in result.stdout  # the cases themselves are untouched

    repaired = main_py("rebuild-tally", "--db", str(path))
    assert repaired.returncode == 0, repaired.stderr
    assert "重新计算" in repaired.stdout
    result = main_py("verify", "--db", str(path))
    assert result.returncode == 0, result.stdout


def test_rebuild_tally_refuses_a_missing_file(tmp_path: Path) -> None:
    result = main_py("rebuild-tally", "--db", str(tmp_path / "nothing.sqlite3"))
    assert result.returncode == 2
    assert not (tmp_path / "nothing.sqlite3").exists()
