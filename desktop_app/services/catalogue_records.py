"""Adding departments, suppliers and products, each through the register (set-up, demo data,
tests). Existing names and barcodes are left as they are."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from desktop_app.domain.accounts import Account
from desktop_app.services import register
from desktop_app.services.register import Actor
from desktop_app.store import catalog as store


def add_departments(
    names: Iterable[str], actor: Account | Actor | None, now: datetime
) -> dict[str, int]:
    known = store.department_ids()
    for name in names:
        if name not in known:
            known[name] = register.create("department", {"name": name, "active": True},
                                          actor, "created", now)
    return known


def add_suppliers(
    names: Iterable[str], actor: Account | Actor | None, now: datetime
) -> dict[str, int]:
    known = store.supplier_ids()
    for name in names:
        if name not in known:
            known[name] = register.create(
                "supplier", {"name": name, "contact": "", "phone": "", "active": True},
                actor, "created", now,
            )
    return known


def add_products(
    rows: Iterable[tuple[str, str, int, int | None, int]],
    actor: Account | Actor | None,
    now: datetime,
) -> int:
    """Rows of (barcode, name, department_id, supplier_id, price_fen); returns how many new."""
    known = store.product_barcodes()
    added = 0
    for barcode, name, department_id, supplier_id, price_fen in rows:
        if barcode in known:
            continue
        register.create("product", {
            "barcode": barcode, "name": name, "department_id": department_id,
            "supplier_id": supplier_id, "price_fen": price_fen, "active": True,
        }, actor, "created", now)
        known.add(barcode)
        added += 1
    return added
