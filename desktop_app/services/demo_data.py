"""Reproducible synthetic data so a newcomer sees a living desk and benchmarks have a store.

The same ``seed`` always gives the same database. Demo passwords are listed in the README.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import random
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.catalog import DepartmentDraft, StaffDraft, SupplierDraft
from desktop_app.domain.errors import DeskError
from desktop_app.domain.passwords import hash_password
from desktop_app.domain.roles import Role
from desktop_app.paths import resource_dir
from desktop_app.services import demo_cases, demo_ledgers, register
from desktop_app.services.catalog import CatalogService
from desktop_app.services.database import open_desk_database
from desktop_app.services.settings import DEFAULT_CONFIRMATION_MINUTES, SettingsService
from desktop_app.services.store_setup import StoreSetupService
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import accounts as account_store
from desktop_app.store import cases as cases_store
from desktop_app.store import catalog, readonly, search_index
from desktop_app.store import register as register_store
from desktop_app.store.connection import close_database, fast_unsafe_writes

Progress = Callable[[int, int], None]

DEMO_PASSWORD = "demo1234"
DEMO_STORE_NAME = "惠民生活超市(演示门店)"
DEMO_USERS: list[tuple[str, str, Role]] = [
    ("dianzhang", "王建国", Role.STORE_MANAGER),
    ("fudianzhang", "李秀英", Role.DEPUTY_STORE_MANAGER),
    ("qiantaijingli", "张丽", Role.FRONT_DESK_MANAGER),
    ("qiantaizhuli", "陈静", Role.FRONT_DESK_MANAGER),
    ("jiedai1", "刘洋", Role.CLERK),
    ("jiedai2", "赵敏", Role.CLERK),
    ("admin", "系统管理员", Role.ADMINISTRATOR),
]
# The store's catalogue as its POS exports it (GBK CSV, title line, extra columns): the demo
# imports it through the same path a new store uses, so the import is exercised every time.
DEMO_CATALOGUE = ("demo", "catalogue-gbk.csv")
# Departments that sell nothing but receive complaints (service, billing, parking ...).
SERVICE_DEPARTMENTS: list[tuple[str, str, str]] = [
    ("收银部", "周红、吴丽", "8001"),
    ("客服部", "张丽", "8000"),
    ("物流部", "郑强", "8005"),
    ("防损部", "孙伟", "8008"),
]
# Team leaders who come to the desk to confirm a quality problem, and their extension.
DEPARTMENT_LEADERS: dict[str, tuple[str, str]] = {
    "生鲜部": ("李明、王芳", "8021"),
    "食品部": ("赵刚、钱丽", "8022"),
    "冷冻部": ("孙涛", "8023"),
    "日化部": ("周敏", "8024"),
    "家电部": ("吴军、郑华", "8025"),
    "百货部": ("冯雪", "8026"),
    "服装部": ("陈静怡", "8027"),
}
SUPPLIER_CONTACTS: dict[str, tuple[str, str]] = {
    "伊利乳业": ("马经理", "0471-3350000"),
    "蒙牛乳业": ("高经理", "0471-7389999"),
    "鲜丰农产品有限公司": ("胡老板", "13905710001"),
    "双汇食品": ("刘经理", "0395-2676666"),
    "美的电器": ("售后 何工", "400-889-9315"),
    "苏泊尔": ("售后 陆工", "400-655-6555"),
}
# People a service complaint names; the desk's own staff are linked to their login accounts.
DEMO_STAFF: list[tuple[str, str, str | None]] = [
    ("周红", "收银部", None), ("吴丽", "收银部", None), ("马超", "收银部", None),
    ("林小燕", "收银部", None), ("黄磊", "收银部", None), ("郑强", "物流部", None),
    ("孙伟", "防损部", None), ("何佳", "生鲜部", None), ("罗斌", "家电部", None),
    ("谢婷", "服装部", None), ("韩梅", "日化部", None),
    ("刘洋", "客服部", "jiedai1"), ("赵敏", "客服部", "jiedai2"),
    ("张丽", "客服部", "qiantaijingli"), ("陈静", "客服部", "qiantaizhuli"),
]


def fill_demo_database(
    path: Path,
    cases: int,
    seed: int,
    progress: Progress | None = None,
    step_by_step_limit: int | None = None,
) -> str:
    """Create (or top up) a demo database at ``path``; return a one-line summary."""
    refuse_a_real_store(path)
    rng = random.Random(seed)
    now = datetime(2026, 11, 24, 9, 0, 0)
    opened = open_desk_database(path, now, daily_backup=False)
    try:
        # Synthetic data can be rebuilt at will; skipping fsync makes it minutes faster.
        fast_unsafe_writes(opened.db)
        with UnitOfWork(opened.db) as uow:
            register.write_settings({"store_name": DEMO_STORE_NAME}, None, now)
            _add_users(now)
            uow.commit()
        products = _add_catalog(opened.db, now)
        limit = STEP_BY_STEP_LIMIT if step_by_step_limit is None else step_by_step_limit
        written = _add_cases(opened.db, rng, cases, now, progress, limit)
        if cases <= limit:  # bulk registers (benchmarks) carry no refunds to follow
            demo_ledgers.work_ledgers(opened.db, seed, now)
    finally:
        close_database()
    return (
        f"门店 {DEMO_STORE_NAME}:{len(DEMO_USERS)} 个账户,{products} 种商品,{written} 个案件"
    )


def refuse_a_real_store(path: Path) -> None:
    """Demo data goes only into a new file or a demo store: into a store's own register it
    would add accounts whose password is printed in the README (and --demo would replace the
    file outright)."""
    found = readonly.store_of_file(path)
    if found is None:
        return
    name, accounts = found
    if accounts and name != DEMO_STORE_NAME:
        raise DeskError(
            f"{path} 是门店「{name or '未命名'}」的登记簿,不是演示数据库,没有做任何改动:"
            "演示数据只写入新文件或演示门店的数据库"
        )


# Up to this many cases are worked step by step through the service (full audit trail).
STEP_BY_STEP_LIMIT = 5000
# SQLite's page cache during a bulk load: at 1,000,000 cases the indexes a new case goes into
# (about 400 MiB) stay in memory instead of being read back for every insert.
BULK_CACHE_MIB = 1024
# Below this many cases, starting worker processes costs more than it saves.
BULK_PROCESSES_FROM = 50_000


def _add_cases(
    db: Any,
    rng: random.Random,
    count: int,
    now: datetime,
    progress: Progress | None,
    step_by_step_limit: int,
) -> int:
    if count <= 0:
        return 0
    with UnitOfWork(db):
        clerks = [
            account for account in account_store.list_accounts()
            if account.role in (Role.CLERK, Role.FRONT_DESK_MANAGER)
        ]
        catalogue = demo_cases.Catalogue(
            products=cases_store.all_products(), departments=catalog.department_names(),
            leaders={row[1]: [name for name in row[2].split("、") if name]
                     for row in catalog.department_rows()},
            staff=[(row[1], row[2]) for row in catalog.staff_rows()],
        )
        department_ids = dict((name, id_) for id_, name in cases_store.departments())
        counters = register_store.case_counters()
    if count <= step_by_step_limit:
        plans = demo_cases.plan_cases(rng, count, clerks, catalogue, now)
        return demo_cases.write_through_service(db, plans, count, progress)
    jobs = demo_cases.bulk_jobs(rng, count, clerks, catalogue, now, department_ids, counters)
    written = 0
    # Indexed once at the end: row by row, the search index made a large load quadratic.
    with search_index.suspended_indexing(), register_store.larger_cache(BULK_CACHE_MIB):
        for built in _built_rows(jobs, count):
            with UnitOfWork(db) as uow:
                written += demo_cases.write_in_bulk(built)
                uow.commit()
            if progress is not None:
                progress(written, count)
    return written


def _built_rows(
    jobs: Iterator[demo_cases.BulkJob], count: int
) -> Iterator[list[demo_cases.BuiltRow]]:
    """Each job's rows in order: built in worker processes (one per processor) while this
    process chains and writes the rows before them; in this process for a small load."""
    workers = os.cpu_count() or 1
    if count < BULK_PROCESSES_FROM or workers < 2:
        yield from map(demo_cases.build_bulk_rows, jobs)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=gc.disable) as pool:
        ahead: deque[Future[list[demo_cases.BuiltRow]]] = deque()
        for job in jobs:
            ahead.append(pool.submit(demo_cases.build_bulk_rows, job))
            # A few jobs ahead keeps every worker busy without holding the whole load.
            if len(ahead) > 2 * workers:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()


def _add_users(now: datetime) -> None:
    """Demo accounts sign at once: their shared demo password counts as their own choice."""
    password_hash = hash_password(DEMO_PASSWORD)
    for username, name, role in DEMO_USERS:
        if account_store.find_by_username(username) is None:
            register.create("user", {
                "username": username, "display_name": name, "role": role.value,
                "password_hash": password_hash, "active": True, "failed_logins": 0,
                "locked_until": None, "created_at": now, "must_change_password": False,
            }, None, "created", now)


def _add_catalog(db: Any, now: datetime) -> int:
    """The shipped POS export, imported by the store manager; then the details a store adds
    by hand in 门店资料. Topping up an existing demo database changes nothing here."""
    service = CatalogService(db, lambda: now)
    with UnitOfWork(db):
        manager = next(a for a in account_store.list_accounts() if a.username == "dianzhang")
        users = {a.username: a.id for a in account_store.list_accounts()}
    preview = service.preview_import(resource_dir().joinpath(*DEMO_CATALOGUE))
    service.import_catalog(manager, preview)
    known = {line.name for line in service.departments(include_inactive=True)}
    for name, leaders, phone in SERVICE_DEPARTMENTS:
        if name not in known:
            service.add_department(manager, DepartmentDraft(name, leaders, phone))
    for line in service.departments():
        leaders, phone = DEPARTMENT_LEADERS.get(line.name, (line.leaders, line.phone))
        if (leaders, phone) != (line.leaders, line.phone):
            service.update_department(manager, line.department_id,
                                      DepartmentDraft(line.name, leaders, phone))
    for supplier in service.suppliers():
        contact, phone = SUPPLIER_CONTACTS.get(supplier.name, (supplier.contact, supplier.phone))
        if (contact, phone) != (supplier.contact, supplier.phone):
            service.update_supplier(manager, supplier.supplier_id,
                                    SupplierDraft(supplier.name, contact, phone))
    # The demo store has been open a year: its set-up is done.
    setup = StoreSetupService(db, SettingsService(db))
    setup.confirm_deadline(manager, DEFAULT_CONFIRMATION_MINUTES)
    setup.finish(manager)
    if not service.staff(include_inactive=True):
        for name, department, username in DEMO_STAFF:
            account = users.get(username) if username else None
            service.add_staff(manager, StaffDraft(name, department, account))
    return service.product_count()
