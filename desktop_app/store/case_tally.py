"""The analysis tally's table ``case_tally`` (see domain.case_tally and migrations.V_TALLY):
reading what the tally needs of cases, adding changes to it, and rebuilding it.

Two ways to the same entries: one case's are worked out by domain.case_tally.entries from its
row (a save); many cases' are counted by SQLite in one query, ``recount`` (a bulk load's batch,
the rebuild, verify), which returns a few hundred counts instead of a million rows. The tests
hold the two together, and both against plain queries of the analysis's figures.

What a case contributes is computed by the same SQL expressions the analysis's indexes are
built on (seconds to answer and to close, the satisfaction score), so a band in the tally and
a range of its index always hold the same cases. The writes are plain SQL (an upsert and a
delete), the same on any database the app may run on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from desktop_app.domain import case_tally as rules
from desktop_app.domain.case_tally import Entry, TallyInputs
from desktop_app.store.connection import database
from desktop_app.store.dialect import (
    indexed_by,
    indexed_expression,
    no_limit,
    not_indexed,
    table_exists,
)
from desktop_app.store.migrations import (
    CLOSING_SECONDS_SQL,
    COUNTED,
    RESPONSE_SECONDS_SQL,
    SATISFACTION_SQL,
)


def _inputs_sql() -> str:
    return (
        "SELECT status, substr(received_at, 1, 7), category, product_barcode, product_name, "
        "supplier_id, department_id, first_response_at IS NOT NULL, "
        f"{indexed_expression(RESPONSE_SECONDS_SQL)}, substr(closed_at, 1, 7), "
        f"{indexed_expression(CLOSING_SECONDS_SQL)}, "
        f'{indexed_expression(SATISFACTION_SQL)} FROM "case"'
    )
# Parameters in one ``IN (…)``: well below every SQLite build's limit.
_CHUNK = 500

_ADD = (
    "INSERT INTO case_tally (measure, month, item, cases) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (measure, month, item) DO UPDATE SET cases = case_tally.cases + excluded.cases"
)
_DROP_EMPTY = "DELETE FROM case_tally WHERE measure = ? AND month = ? AND item = ? AND cases = 0"


def _inputs(row: Sequence[Any]) -> TallyInputs:
    return TallyInputs(
        status=str(row[0]), received_month=row[1], category=str(row[2]),
        product_barcode=row[3], product_name=row[4], supplier_id=row[5],
        department_id=row[6], answered=bool(row[7]), response_seconds=row[8],
        closed_month=row[9], closing_seconds=row[10], satisfaction=row[11],
    )


def present() -> bool:
    """Whether the file has the tally yet: a register at an older schema (tests that work on
    one) has none, and the migration that brings it counts every case then."""
    return table_exists("case_tally")


def inputs_of(case_ids: Sequence[int]) -> list[TallyInputs]:
    found: list[TallyInputs] = []
    for start in range(0, len(case_ids), _CHUNK):
        chunk = case_ids[start:start + _CHUNK]
        sql = f"{_inputs_sql()} WHERE id IN ({', '.join('?' * len(chunk))})"
        found.extend(_inputs(row) for row in database.execute_sql(sql, tuple(chunk)))
    return found


def add(change: Mapping[Entry, int], db: Any = database) -> None:
    """Add ``change`` (entry → how many cases more, or fewer) to the tally; an entry that
    drops to no case goes, so the table holds exactly what a rebuild would write."""
    if not change:
        return
    cursor = db.cursor()
    cursor.executemany(_ADD, [(*entry, cases) for entry, cases in change.items()])
    fewer = [entry for entry, cases in change.items() if cases < 0]
    if fewer:
        cursor.executemany(_DROP_EMPTY, fewer)


def rebuild(db: Any = database) -> int:
    """The tally again from every case row; returns how many entries it holds. Call inside a
    transaction (a migration's, or after a bulk load that wrote cases by raw SQL)."""
    db.execute_sql("DELETE FROM case_tally")
    counts = recount(db=db)
    db.cursor().executemany(
        "INSERT INTO case_tally (measure, month, item, cases) VALUES (?, ?, ?, ?)",
        [(*entry, cases) for entry, cases in counts.items()],
    )
    return len(counts)


# What each measure counts, as in domain.case_tally.entries: (measure, the partial index of
# migrations.V_WARNINGS holding exactly the cases it counts, the column giving the month, the
# value giving the item, the index's condition). A count over every case reads the index alone
# (SQLite takes an indexed expression's value from the index); a bulk batch reads its rows.
_MEASURES = (
    (rules.CATEGORY, "case_counted_category", "received_at", "category", COUNTED),
    (rules.BARCODE, "case_counted_barcode", "received_at", "product_barcode",
     f"{COUNTED} AND product_barcode <> ''"),
    (rules.PRODUCT_NAME, "case_counted_product_name", "received_at", "product_name",
     f"{COUNTED} AND product_barcode = '' AND product_name <> ''"),
    (rules.SUPPLIER, "case_counted_supplier", "received_at", "supplier_id",
     f"{COUNTED} AND supplier_id IS NOT NULL"),
    (rules.DEPARTMENT, "case_counted_department", "received_at", "department_id",
     f"{COUNTED} AND department_id IS NOT NULL"),
    (rules.RESPONSE, "case_counted_response", "received_at", RESPONSE_SECONDS_SQL,
     f"{COUNTED} AND first_response_at IS NOT NULL"),
    (rules.CLOSING, "case_closing", "closed_at", CLOSING_SECONDS_SQL,
     "status IN ('closed', 'not_upheld')"),
    (rules.SATISFACTION, "case_satisfaction", "closed_at", SATISFACTION_SQL, "status = 'closed'"),
)


def recount(low: int | None = None, high: int | None = None, db: Any = database
            ) -> dict[Entry, int]:
    """The tally of the cases with ids ``low`` to ``high`` (default: every case), grouped by
    SQLite: the same entries as domain.case_tally.entries (tests hold the two together), at a
    fraction of the cost for many cases (a bulk load's batch, a rebuild, verify: ≈ 2 s at
    1,000,000 cases). Times are grouped by the second and put into bands here."""
    counts: Counter[Entry] = Counter()
    parameters: tuple[int, ...] = ()
    for measure, index, month, value, condition in _MEASURES:
        if low is None or high is None:
            source, where = indexed_by(index, db), condition
        else:  # a range of ids: its rows by the primary key, not a whole index
            source, where = not_indexed(db), f"id BETWEEN ? AND ? AND {condition}"
            parameters = (low, high)
        # LIMIT -1 keeps the inner query apart (not flattened), so its values come from the
        # index; grouping them directly made SQLite compute them again from every row.
        rows = db.execute_sql(
            f"SELECT month, item, count(*) FROM (SELECT substr({month}, 1, 7) AS month, "
            f'{indexed_expression(value, db)} AS item FROM "case" {source} WHERE {where} '
            f"{no_limit(db)}) AS counted GROUP BY 1, 2",
            parameters,
        )
        for month_key, item, cases in rows:
            key = _item_key(measure, item)
            if month_key is not None and key is not None:
                counts[(measure, str(month_key), key)] += int(cases)
    return dict(counts)


def _item_key(measure: str, item: Any) -> str | None:
    if measure in (rules.RESPONSE, rules.CLOSING):
        return rules.band_key(item)
    if measure == rules.SATISFACTION:
        score = rules.satisfaction_score(item)
        return None if score is None else str(score)
    return str(item)


def contents(db: Any = database) -> dict[Entry, int]:
    """Every entry and its count (tests compare the kept tally with a rebuilt one)."""
    rows: Iterable[Sequence[Any]] = db.execute_sql(
        "SELECT measure, month, item, cases FROM case_tally"
    )
    return {(str(m), str(month), str(item)): int(cases) for m, month, item, cases in rows}
