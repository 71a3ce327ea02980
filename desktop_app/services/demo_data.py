"""Reproducible synthetic data so a newcomer sees a living desk and benchmarks have a store.

The same ``seed`` always gives the same database. Demo passwords are listed in the README.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.barcodes import make_ean13
from desktop_app.domain.passwords import hash_password
from desktop_app.domain.roles import Role
from desktop_app.services import catalogue_records, demo_cases, register
from desktop_app.services.database import open_desk_database
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import accounts as account_store
from desktop_app.store import cases as cases_store
from desktop_app.store import catalog, search_index
from desktop_app.store.connection import close_database

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
DEPARTMENTS = [
    "生鲜部",
    "食品部",
    "日化部",
    "百货部",
    "家电部",
    "服装部",
    "收银部",
    "物流部",
    "防损部",
]
SUPPLIERS = [
    "鲜丰农产品有限公司",
    "康师傅控股",
    "伊利乳业",
    "蒙牛乳业",
    "宝洁(中国)",
    "联合利华",
    "美的电器",
    "苏泊尔",
    "双汇食品",
    "金龙鱼粮油",
    "恒安集团",
    "海天味业",
    "农夫山泉",
    "三只松鼠",
    "安踏体育",
]
# (department, supplier, product names, price range in fen)
PRODUCT_LINES: list[tuple[str, str, list[str], tuple[int, int]]] = [
    (
        "生鲜部",
        "鲜丰农产品有限公司",
        ["红富士苹果", "香蕉", "散装鸡蛋", "猪里脊肉", "活鲫鱼", "西红柿"],
        (300, 4000),
    ),
    ("生鲜部", "双汇食品", ["双汇火腿肠", "冷鲜五花肉", "鸡胸肉"], (500, 5000)),
    ("食品部", "康师傅控股", ["红烧牛肉面", "冰红茶 500ml", "老坛酸菜面"], (250, 2500)),
    ("食品部", "伊利乳业", ["纯牛奶 250ml×24", "安慕希酸奶", "金典有机奶"], (500, 9000)),
    ("食品部", "蒙牛乳业", ["特仑苏 250ml×12", "蒙牛纯甄", "真果粒"], (500, 8000)),
    ("食品部", "金龙鱼粮油", ["金龙鱼调和油 5L", "东北大米 10kg", "高筋面粉"], (2000, 12000)),
    ("食品部", "海天味业", ["海天生抽", "海天蚝油", "黄豆酱"], (500, 3000)),
    ("食品部", "三只松鼠", ["每日坚果", "碧根果", "芒果干"], (1500, 12000)),
    ("食品部", "农夫山泉", ["农夫山泉 550ml", "东方树叶", "NFC橙汁"], (200, 1500)),
    (
        "日化部",
        "宝洁(中国)",
        ["海飞丝洗发水", "汰渍洗衣粉", "佳洁士牙膏", "帮宝适纸尿裤"],
        (1000, 15000),
    ),
    ("日化部", "联合利华", ["多芬沐浴露", "奥妙洗衣液", "中华牙膏"], (800, 8000)),
    ("日化部", "恒安集团", ["心相印抽纸", "七度空间卫生巾"], (1000, 6000)),
    (
        "家电部",
        "美的电器",
        ["美的电饭煲", "美的电水壶", "美的电风扇", "美的微波炉"],
        (9900, 259900),
    ),
    ("百货部", "苏泊尔", ["苏泊尔炒锅", "苏泊尔保温杯", "苏泊尔菜刀"], (3900, 39900)),
    ("服装部", "安踏体育", ["安踏运动鞋", "安踏运动裤", "安踏T恤"], (5900, 49900)),
]


def fill_demo_database(
    path: Path,
    cases: int,
    seed: int,
    progress: Progress | None = None,
    step_by_step_limit: int | None = None,
) -> str:
    """Create (or top up) a demo database at ``path``; return a one-line summary."""
    rng = random.Random(seed)
    now = datetime(2026, 11, 24, 9, 0, 0)
    opened = open_desk_database(path, now, daily_backup=False)
    try:
        # Synthetic data can be rebuilt at will; skipping fsync makes it minutes faster.
        opened.db.execute_sql("PRAGMA synchronous = OFF")
        with UnitOfWork(opened.db) as uow:
            register.write_settings({"store_name": DEMO_STORE_NAME}, None, now)
            _add_users(now)
            products = _add_catalog(rng, now)
            uow.commit()
        limit = STEP_BY_STEP_LIMIT if step_by_step_limit is None else step_by_step_limit
        written = _add_cases(opened.db, rng, cases, now, progress, limit)
    finally:
        close_database()
    return (
        f"门店 {DEMO_STORE_NAME}:{len(DEMO_USERS)} 个账户,{products} 种商品,{written} 个案件"
    )


# Up to this many cases are worked step by step through the service (full audit trail).
STEP_BY_STEP_LIMIT = 5000
BULK_CHUNK = 50_000


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
            products=cases_store.all_products(), departments=catalog.department_names()
        )
        department_ids = dict((name, id_) for id_, name in cases_store.departments())
    plans = demo_cases.plan_cases(rng, count, clerks, catalogue, now)
    if count <= step_by_step_limit:
        return demo_cases.write_through_service(db, plans, count, progress)
    written = 0
    sequences: dict[str, int] = {}
    # Indexed once at the end: row by row, the search index made a large load quadratic.
    with search_index.suspended_indexing():
        while written < count:
            chunk = list(itertools.islice(plans, BULK_CHUNK))
            with UnitOfWork(db) as uow:
                written += demo_cases.write_in_bulk(chunk, catalogue, department_ids, sequences)
                uow.commit()
            if progress is not None:
                progress(written, count)
    return written


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


def _add_catalog(rng: random.Random, now: datetime) -> int:
    departments = catalogue_records.add_departments(DEPARTMENTS, None, now)
    suppliers = catalogue_records.add_suppliers(SUPPLIERS, None, now)
    rows = []
    for serial, (department, supplier, names, (low, high)) in enumerate(_product_rows()):
        barcode = make_ean13(f"69{serial:010d}")
        price = rng.randint(low, high)
        rows.append((barcode, names, departments[department], suppliers[supplier], price))
    return catalogue_records.add_products(rows, None, now)


def _product_rows() -> list[tuple[str, str, str, tuple[int, int]]]:
    return [
        (department, supplier, name, prices)
        for department, supplier, names, prices in PRODUCT_LINES
        for name in names
    ]
