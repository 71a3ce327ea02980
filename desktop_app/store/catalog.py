"""Departments, suppliers, products and staff: what a complaint can be about and whom it names.

Plain SQL on the shared connection; the caller holds the transaction (a unit of work). Bulk
writes use ``executemany`` on one cursor: 100,000 products in well under a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from desktop_app.store import dialect
from desktop_app.store.connection import database
from desktop_app.store.raw import row_as_dict, update_row

# --- seeding (tests and demo data) ----------------------------------------------------------


def department_ids() -> dict[str, int]:
    rows = database.execute_sql("SELECT id, name FROM department")
    return {str(name): int(row_id) for row_id, name in rows}


def supplier_ids() -> dict[str, int]:
    rows = database.execute_sql("SELECT id, name FROM supplier")
    return {str(name): int(row_id) for row_id, name in rows}


def product_barcodes() -> set[str]:
    return {str(row[0]) for row in database.execute_sql("SELECT barcode FROM product")}


def department_names(active_only: bool = True) -> list[str]:
    where = "WHERE active = 1 " if active_only else ""
    sql = f"SELECT name FROM department {where}ORDER BY id"
    return [str(row[0]) for row in database.execute_sql(sql)]


# --- shared helpers --------------------------------------------------------------------------


def _insert(table: str, values: dict[str, Any]) -> int:
    columns = list(values)
    sql = (
        f'INSERT INTO "{table}" ({", ".join(columns)}) '
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    return dialect.insert_returning_id(sql, tuple(values[c] for c in columns))


def _contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filters(
    search: str, include_inactive: bool, columns: Sequence[str], active_column: str
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if not include_inactive:
        clauses.append(f"{active_column} = 1")
    text = search.strip()
    if text:
        clauses.append(
            "(" + " OR ".join(f"{column} LIKE ? ESCAPE '\\'" for column in columns) + ")"
        )
        params.extend(_contains(text) for _ in columns)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def names_to_ids(table: str) -> dict[str, int]:
    """Every name of ``table`` (department or supplier), disabled ones too, → id."""
    rows = database.execute_sql(f'SELECT name, id FROM "{table}"').fetchall()
    return {str(name): int(row_id) for name, row_id in rows}


def active_names(table: str) -> set[str]:
    rows = database.execute_sql(f'SELECT name FROM "{table}" WHERE active = 1').fetchall()
    return {str(name) for (name,) in rows}


def id_named(table: str, name: str) -> int | None:
    row = database.execute_sql(f'SELECT id FROM "{table}" WHERE name = ?', (name,)).fetchone()
    return None if row is None else int(row[0])


def row_of(table: str, row_id: int) -> dict[str, Any] | None:
    return row_as_dict(f'SELECT * FROM "{table}" WHERE id = ?', (row_id,))


def update(table: str, row_id: int, values: dict[str, Any]) -> None:
    update_row(table, row_id, values)


# --- departments -----------------------------------------------------------------------------


def department_rows(search: str = "", include_inactive: bool = False) -> list[tuple[Any, ...]]:
    """(id, name, leaders, phone, active, product count), in the order they were created."""
    where, params = _filters(search, include_inactive, ("d.name", "d.leaders"), "d.active")
    sql = (
        "SELECT d.id, d.name, d.leaders, d.phone, d.active, "
        "(SELECT count(*) FROM product p WHERE p.department_id = d.id AND p.active = 1) "
        f"FROM department d {where} ORDER BY d.id"
    )
    return list(database.execute_sql(sql, params).fetchall())


def insert_department(name: str, leaders: str, phone: str) -> int:
    return _insert("department", {"name": name, "leaders": leaders, "phone": phone, "active": 1})


def insert_departments(names: Sequence[str]) -> None:
    database.cursor().executemany(
        "INSERT INTO department (name, leaders, phone, active) VALUES (?, '', '', 1)",
        [(name,) for name in names],
    )


# --- suppliers -------------------------------------------------------------------------------


def supplier_rows(search: str = "", include_inactive: bool = False) -> list[tuple[Any, ...]]:
    """(id, name, contact, phone, active, product count), by name."""
    where, params = _filters(search, include_inactive, ("s.name", "s.contact"), "s.active")
    sql = (
        "SELECT s.id, s.name, s.contact, s.phone, s.active, "
        "(SELECT count(*) FROM product p WHERE p.supplier_id = s.id AND p.active = 1) "
        f"FROM supplier s {where} ORDER BY s.name"
    )
    return list(database.execute_sql(sql, params).fetchall())


def insert_supplier(name: str, contact: str, phone: str) -> int:
    return _insert("supplier", {"name": name, "contact": contact, "phone": phone, "active": 1})


def insert_suppliers(names: Sequence[str]) -> None:
    database.cursor().executemany(
        "INSERT INTO supplier (name, contact, phone, active) VALUES (?, '', '', 1)",
        [(name,) for name in names],
    )


# --- products --------------------------------------------------------------------------------

_PRODUCT_COLUMNS = (
    "p.id, p.barcode, p.name, d.name, COALESCE(s.name, ''), p.price_fen, p.active"
)
_PRODUCT_FROM = (
    "FROM product p JOIN department d ON d.id = p.department_id "
    "LEFT JOIN supplier s ON s.id = p.supplier_id"
)


def product_page(
    search: str, include_inactive: bool, offset: int, limit: int
) -> list[tuple[Any, ...]]:
    """(id, barcode, name, department, supplier, price_fen, active), in barcode order."""
    where, params = _filters(search, include_inactive, ("p.barcode", "p.name"), "p.active")
    sql = (
        f"SELECT {_PRODUCT_COLUMNS} {_PRODUCT_FROM} {where} "
        "ORDER BY p.barcode LIMIT ? OFFSET ?"
    )
    return list(database.execute_sql(sql, (*params, limit, offset)).fetchall())


def product_count(search: str, include_inactive: bool) -> int:
    where, params = _filters(search, include_inactive, ("p.barcode", "p.name"), "p.active")
    sql = f"SELECT count(*) FROM product p {where}"
    return int(database.execute_sql(sql, params).fetchone()[0])


def product_line(product_id: int) -> tuple[Any, ...] | None:
    sql = f"SELECT {_PRODUCT_COLUMNS} {_PRODUCT_FROM} WHERE p.id = ?"
    row = database.execute_sql(sql, (product_id,)).fetchone()
    return None if row is None else tuple(row)


def product_id_by_barcode(barcode: str) -> int | None:
    return id_named_column("product", "barcode", barcode)


def id_named_column(table: str, column: str, value: str) -> int | None:
    row = database.execute_sql(
        f'SELECT id FROM "{table}" WHERE {column} = ?', (value,)
    ).fetchone()
    return None if row is None else int(row[0])


def insert_product(
    barcode: str, name: str, department_id: int, supplier_id: int | None, price_fen: int
) -> int:
    return _insert("product", {
        "barcode": barcode, "name": name, "department_id": department_id,
        "supplier_id": supplier_id, "price_fen": price_fen, "active": 1,
    })


def product_index() -> dict[str, tuple[int, str, str, str, int, bool]]:
    """Every product by barcode: (id, name, department, supplier, price_fen, active)."""
    sql = (
        "SELECT p.barcode, p.id, p.name, d.name, COALESCE(s.name, ''), p.price_fen, p.active "
        f"{_PRODUCT_FROM}"
    )
    return {
        barcode: (product_id, name, department, supplier, price, bool(active))
        for barcode, product_id, name, department, supplier, price, active
        in database.execute_sql(sql)
    }


def max_product_id() -> int:
    return int(database.execute_sql("SELECT COALESCE(MAX(id), 0) FROM product").fetchone()[0])


def bulk_insert_products(rows: Sequence[tuple[str, str, int, int | None, int, bool]]) -> None:
    """(barcode, name, department_id, supplier_id, price_fen, active) rows, one statement."""
    database.cursor().executemany(
        "INSERT INTO product (barcode, name, department_id, supplier_id, price_fen, active) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def product_ids_after(last_id: int) -> dict[str, int]:
    """Barcode → id of the products inserted after ``last_id`` (ids only grow)."""
    rows = database.execute_sql("SELECT barcode, id FROM product WHERE id > ?", (last_id,))
    return {str(barcode): int(product_id) for barcode, product_id in rows}


def bulk_update_products(rows: Sequence[tuple[str, int, int | None, int, bool, int]]) -> None:
    """(name, department_id, supplier_id, price_fen, active, id) rows."""
    database.cursor().executemany(
        "UPDATE product SET name = ?, department_id = ?, supplier_id = ?, price_fen = ?, "
        "active = ? WHERE id = ?",
        rows,
    )


def product_counts() -> tuple[int, int]:
    """(active, all) products."""
    row = database.execute_sql(
        "SELECT COALESCE(SUM(active), 0), count(*) FROM product"
    ).fetchone()
    return int(row[0]), int(row[1])


# --- staff -----------------------------------------------------------------------------------


def staff_rows(search: str = "", include_inactive: bool = False) -> list[tuple[Any, ...]]:
    """(id, name, department, account user name, active, department_id, user_id), by name."""
    where, params = _filters(search, include_inactive, ("t.name", "d.name"), "t.active")
    sql = (
        "SELECT t.id, t.name, COALESCE(d.name, ''), COALESCE(u.username, ''), t.active, "
        "t.department_id, t.user_id FROM staff t "
        "LEFT JOIN department d ON d.id = t.department_id "
        f'LEFT JOIN "user" u ON u.id = t.user_id {where} ORDER BY t.name, t.id'
    )
    return list(database.execute_sql(sql, params).fetchall())


def insert_staff(name: str, department_id: int | None, user_id: int | None) -> int:
    return _insert("staff", {
        "name": name, "department_id": department_id, "user_id": user_id, "active": 1,
    })


def staff_in_department(name: str, department_id: int | None) -> int | None:
    row = database.execute_sql(
        f"SELECT id FROM staff WHERE name = ? AND {dialect.same_as('department_id')}",
        (name, department_id),
    ).fetchone()
    return None if row is None else int(row[0])


def staff_of_user(user_id: int) -> int | None:
    row = database.execute_sql("SELECT id FROM staff WHERE user_id = ?", (user_id,)).fetchone()
    return None if row is None else int(row[0])


def staff_names() -> list[str]:
    rows = database.execute_sql("SELECT DISTINCT name FROM staff WHERE active = 1 ORDER BY name")
    return [str(name) for (name,) in rows]


def account_choices() -> list[tuple[int, str]]:
    """(id, "姓名(用户名)") of the active login accounts, for linking a staff entry."""
    rows = database.execute_sql(
        'SELECT id, display_name, username FROM "user" WHERE active = 1 ORDER BY id'
    )
    return [(int(user_id), f"{name}({username})") for user_id, name, username in rows]


def editors(roles: Iterable[str]) -> list[tuple[str, str]]:
    """(role, display name) of the active accounts with one of ``roles``."""
    wanted = list(roles)
    sql = (
        'SELECT role, display_name FROM "user" WHERE active = 1 '
        f"AND role IN ({', '.join('?' * len(wanted))}) ORDER BY id"
    )
    return [(str(role), str(name)) for role, name in database.execute_sql(sql, wanted)]


# --- the change trail ------------------------------------------------------------------------


def events_for(entity: str, entity_id: int) -> list[tuple[str, str, str, str]]:
    """(at, actor, action, payload) of one entry's register entries, oldest first."""
    rows = database.execute_sql(
        "SELECT at, actor, action, payload FROM register_entry "
        "WHERE entity = ? AND entity_id = ? ORDER BY seq",
        (entity, entity_id),
    )
    return [(str(a), str(b), str(c), str(d)) for a, b, c, d in rows]


def catalog_version() -> tuple[int, ...]:
    """Changes whenever the lists change: every write appends to the register, and seeding
    outside the service adds rows. Cheap (four index look-ups)."""
    row = database.execute_sql(
        "SELECT (SELECT COALESCE(MAX(seq), 0) FROM register_entry), "
        "(SELECT COALESCE(MAX(id), 0) FROM product), "
        "(SELECT COALESCE(MAX(id), 0) FROM department), "
        "(SELECT COALESCE(MAX(id), 0) FROM supplier)"
    ).fetchone()
    return tuple(int(value) for value in row)


def count_events() -> int:
    return int(database.execute_sql(
        "SELECT count(*) FROM register_entry "
        "WHERE entity IN ('department', 'supplier', 'product', 'staff')"
    ).fetchone()[0])


# --- export ----------------------------------------------------------------------------------


def export_products() -> Iterable[tuple[Any, ...]]:
    """(barcode, name, department, supplier, price_fen, active) of every product."""
    sql = (
        "SELECT p.barcode, p.name, d.name, COALESCE(s.name, ''), p.price_fen, p.active "
        f"{_PRODUCT_FROM} ORDER BY p.barcode"
    )
    rows: Iterable[tuple[Any, ...]] = database.execute_sql(sql)
    return rows
