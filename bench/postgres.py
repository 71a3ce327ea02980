"""PostgreSQL beside SQLite: the same demo store on both engines, the same operations timed.

Prints:

- ``migrate-to``: the demo file copied onto the server (rows, seconds, both chain heads);
- per engine: the save (one registration, median/p99), the queue's first page with its
  count, four searches (median/p99 each);
- several desks: W writer processes × K cases each (register, judge, assign, confirm, request a
  refund), all at once on one database: cases and refunds lost (must be 0), whether the chain
  verifies and its entries are contiguous, and the per-save latency under that load.

    .venv/bin/python bench/postgres.py [--cases 20000] [--writers 4] [--each 250]
                                       [--saves 200] [--runs 21] [--server postgresql://…]

Without ``--server`` a throwaway server is started in a temporary folder (tests/postgres_server.py,
Debian's ``postgresql`` package; fsync off, as for the tests: the figures are of the engine's
work, not of the disk) and stopped at the end.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
# bench/queue.py would shadow the standard library's queue (multiprocessing needs it).
sys.path = [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from desktop_app.domain import cases as rules  # noqa: E402
from desktop_app.domain.refunds import ItemDraft, RefundDraft, RefundKind  # noqa: E402
from desktop_app.domain.registration import RegistrationDraft  # noqa: E402
from desktop_app.domain.roles import Role  # noqa: E402
from desktop_app.domain.workflow import StepAnswer  # noqa: E402
from desktop_app.services.cases import QueueQuery  # noqa: E402
from desktop_app.services.database import (  # noqa: E402
    copy_file_to_server,
    open_desk_database,
    open_desk_server,
)
from desktop_app.services.desk import Desk, build_desk  # noqa: E402
from desktop_app.store.connection import close_database, database  # noqa: E402

TODAY = date(2026, 11, 24)
PAGE = 200
WORK = Path(tempfile.gettempdir()) / "desk-bench-postgres"


def median_p99(times: list[float]) -> str:
    p99 = statistics.quantiles(times, n=100, method="inclusive")[98] if len(times) > 1 else 0
    return f"median {statistics.median(times):7.2f} ms  p99 {p99:7.2f} ms"


def timings(action: Callable[[], object], runs: int) -> list[float]:
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def a_draft(now: datetime, number: int) -> RegistrationDraft:
    return RegistrationDraft(
        received_at=now, channel=rules.Channel.AT_DESK, customer_name="测试女士",
        customer_phone="13812345678", subject=rules.Subject.PRODUCT, product_barcode="",
        product_name="纯牛奶", department_name="", supplier_name="", staff_name="",
        receipt_no=f"BENCH-{os.getpid()}-{number}", purchase_date="", amount_paid="100.00",
        account="基准测试", demand=rules.Demand.REFUND,
        category=rules.Category.PRODUCT_QUALITY, kind=rules.Kind.COMPLAINT, is_major=False,
        promised_reply_date="",
    )


def a_refund(receipt_no: str) -> RefundDraft:
    return RefundDraft(kind=RefundKind.RETURN, amount="12.50", reason="变质",
                       items=(ItemDraft("纯牛奶", "", "1", "12.50"),), receipt_no=receipt_no)


# --- the server ------------------------------------------------------------------------------

@contextmanager
def a_server(given: str | None) -> Iterator[str]:
    if given:
        yield given.rstrip("/")
        return
    from tests import postgres_server

    folder = Path(tempfile.mkdtemp(prefix="desk-bench-pg-"))
    folder.chmod(0o755)
    try:
        yield postgres_server.start(folder / "server")
    finally:
        postgres_server.stop(folder / "server")
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(server: str, name: str) -> str:
    import psycopg2

    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    admin.close()
    return f"{server}/{name}"


# --- one engine's desk -----------------------------------------------------------------------

def open_engine(target: str, now: datetime) -> Desk:
    """A desk on ``target`` (a server URL or a SQLite file)."""
    if target.startswith("postgresql://"):
        stand_in = WORK / "anchors" / target.rsplit("/", 1)[1] / "desk.server"
        opened = open_desk_server(target, stand_in, now)
        return build_desk(opened.db, stand_in)
    path = Path(target)
    opened = open_desk_database(path, now, daily_backup=False)
    return build_desk(opened.db, path)


def clerk_of(desk: Desk) -> Any:
    return next(a for a in desk.accounts.list_accounts() if a.role is Role.CLERK)


def a_department() -> str:
    return str(database.execute_sql("SELECT name FROM department ORDER BY id LIMIT 1")
               .fetchone()[0])


def measure_engine(label: str, target: str, saves: int, runs: int) -> None:
    desk = open_engine(target, datetime(2026, 11, 24, 9, 0))
    try:
        clerk = clerk_of(desk)
        middle = desk.cases.queue_page(QueueQuery(), TODAY, 500, 1)[0]
        searches = {
            "search 2 characters (美丽)": "美丽",
            "search a phone's digits (1381234)": "1381234",
            "search a case number": str(middle.case_no),
            "search a product (牛奶)": "牛奶",
        }
        print(f"\n{label}")
        for name, query in [("queue: first page + count", QueueQuery()),
                            ("queue: open cases", QueueQuery(open_only=True))]:
            times = timings(lambda q=query: (desk.cases.queue_page(q, TODAY, 0, PAGE),
                                             desk.cases.queue_count(q, TODAY)), runs)
            print(f"  {name:38} {median_p99(times)}")
        for name, text in searches.items():
            query = QueueQuery(search=text)
            times = timings(lambda q=query: (desk.cases.queue_page(q, TODAY, 0, PAGE),
                                             desk.cases.queue_count(q, TODAY)), runs)
            print(f"  {name:38} {median_p99(times)}")
        times = []
        for number in range(saves):
            # The desk's clock is the real one: a reception time long past needs a manager.
            draft = a_draft(datetime.now().replace(microsecond=0), number)
            began = time.perf_counter()
            desk.cases.register(clerk, draft)
            times.append((time.perf_counter() - began) * 1000)
        print(f"  {'save (one registration), ' + str(saves) + ' in a row':38} {median_p99(times)}")
    finally:
        close_database()


# --- several desks ---------------------------------------------------------------------------

def one_writer(target: str, number: int, each: int, results: Any) -> None:
    desk = open_engine(target, datetime(2026, 11, 24, 9, 0))
    try:
        clerk = clerk_of(desk)
        department = a_department()
        saves: list[float] = []
        errors = made = requested = 0
        for index in range(each):
            draft = a_draft(datetime.now().replace(microsecond=0), number * 1_000_000 + index)
            try:
                began = time.perf_counter()
                case_id = desk.cases.register(clerk, draft).case_id
                saves.append((time.perf_counter() - began) * 1000)
                made += 1
                desk.cases.record_step(clerk, case_id, rules.Step.NATURE,
                                       StepAnswer(upheld=True))
                detail = desk.cases.record_step(clerk, case_id, rules.Step.DEPARTMENT,
                                                StepAnswer(department_name=department))
                if detail.status is rules.CaseStatus.AWAITING_CONFIRMATION:
                    desk.cases.record_step(clerk, case_id, rules.Step.CONFIRMATION,
                                           StepAnswer(leader_name="李班长", text="确认"))
                desk.refunds.request(clerk, case_id, a_refund(draft.receipt_no))
                requested += 1
            except Exception as error:
                errors += 1
                print(f"writer {number}: {error}", file=sys.stderr)
        results.put((saves, errors, made, requested))
    finally:
        close_database()


def counts() -> tuple[int, int, int, bool]:
    cases = int(database.execute_sql('SELECT count(*) FROM "case"').fetchone()[0])
    refunds = int(database.execute_sql("SELECT count(*) FROM refund").fetchone()[0])
    entries, lowest, highest = database.execute_sql(
        "SELECT count(*), min(seq), max(seq) FROM register_entry").fetchone()
    return cases, refunds, int(entries), int(highest) - int(lowest) + 1 == int(entries)


def several_desks(label: str, target: str, writers: int, each: int) -> None:
    desk = open_engine(target, datetime(2026, 11, 24, 9, 0))
    before = counts()
    close_database()
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    started = time.perf_counter()
    processes = [context.Process(target=one_writer, args=(target, number, each, results))
                 for number in range(writers)]
    for process in processes:
        process.start()
    gathered = [results.get() for _ in processes]
    for process in processes:
        process.join()
    took = time.perf_counter() - started
    desk = open_engine(target, datetime(2026, 11, 24, 9, 0))
    try:
        after = counts()
        report = desk.register.verify()
    finally:
        close_database()
    saves = [time for result in gathered for time in result[0]]
    errors = sum(result[1] for result in gathered)
    made = sum(result[2] for result in gathered)
    requested = sum(result[3] for result in gathered)
    expected = writers * each
    print(f"\n{label}: {writers} writers × {each} cases with a refund, all at once "
          f"({took:,.1f} s, {expected / took:,.0f} cases/s)")
    # A write that waited longer than the engine's lock timeout raises to its desk (which
    # says so and can save again); a write reported done but missing would be a lost write.
    print(f"  saved {made} cases and {requested} refunds; in the database "
          f"{after[0] - before[0]} and {after[1] - before[1]} (lost: "
          f"{made - (after[0] - before[0]) + requested - (after[1] - before[1])}); "
          f"refused with an error: {errors}; chain contiguous {after[3]}, "
          f"verifies {report.ok}")
    print(f"  per-save latency under load           {median_p99(saves)}")


# --- main ------------------------------------------------------------------------------------

def demo_file(cases: int) -> Path:
    from desktop_app.services.demo_data import fill_demo_database

    path = WORK / f"demo-{cases}.sqlite3"
    if not path.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        print(f"building a {cases:,}-case demo store at {path} (once)…", flush=True)
        started = time.perf_counter()
        fill_demo_database(path, cases=cases, seed=1)
        close_database()
        print(f"  built in {time.perf_counter() - started:,.0f} s")
    else:  # built by an older version: brought to this schema first
        open_desk_database(path, datetime.now(), daily_backup=False)
        close_database()
    return path


def a_copy(source: Path, name: str) -> Path:
    target = WORK / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def migrate(source: Path, url: str) -> None:
    from desktop_app.services.register_service import RegisterService
    from desktop_app.store.migrations import SCHEMA_VERSION
    from desktop_app.store.readonly import open_read_only

    db = open_read_only(source, SCHEMA_VERSION)
    source_head = RegisterService(db, source).head_code()
    close_database()
    started = time.perf_counter()
    db, copied = copy_file_to_server(source, url)
    took = time.perf_counter() - started
    try:
        server_head = RegisterService(db, WORK / "anchors" / "copy").head_code()
    finally:
        close_database()
    print(f"migrate-to: {sum(copied.values()):,} rows in {len(copied)} tables copied in "
          f"{took:,.1f} s; heads {source_head} (file) / {server_head} (server) "
          f"{'equal' if source_head == server_head else 'DIFFER'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--each", type=int, default=250)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--server", help="postgresql://user@host:port (no database name)")
    args = parser.parse_args()
    source = demo_file(args.cases)
    with a_server(args.server) as server:
        url = fresh_database(server, f"bench_{args.cases}")
        migrate(source, url)
        measure_engine(f"SQLite ({args.cases:,} cases)", str(a_copy(source, "sqlite.sqlite3")),
                       args.saves, args.runs)
        measure_engine(f"PostgreSQL ({args.cases:,} cases)", url, args.saves, args.runs)
        several_desks("SQLite, one file", str(a_copy(source, "desks.sqlite3")),
                      args.writers, args.each)
        several_desks("PostgreSQL, one database", url, args.writers, args.each)


if __name__ == "__main__":
    main()
