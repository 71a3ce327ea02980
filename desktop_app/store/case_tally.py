"""The analysis tally's table ``case_tally`` (see domain.case_tally and migrations.V_TALLY):
reading what the tally needs of cases, adding changes to it, and rebuilding it.

What a case contributes is computed by the same SQL expressions the analysis's indexes are
built on (seconds to answer and to close, the satisfaction score), so a band in the tally and
a range of its index always hold the same cases. The writes are plain SQL (an upsert and a
delete), the same on any database the app may run on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from desktop_app.domain import case_tally as rules
from desktop_app.domain.case_tally import Entry, TallyInputs
from desktop_app.store.connection import database
from desktop_app.store.migrations import (
    CLOSING_SECONDS_SQL,
    RESPONSE_SECONDS_SQL,
    SATISFACTION_SQL,
)

_INPUTS = (
    "SELECT status, substr(received_at, 1, 7), category, product_barcode, product_name, "
    "supplier_id, department_id, first_response_at IS NOT NULL, "
    f"{RESPONSE_SECONDS_SQL}, substr(closed_at, 1, 7), {CLOSING_SECONDS_SQL}, "
    f'{SATISFACTION_SQL} FROM "case"'
)
# Parameters in one ``IN (…)``: well below every SQLite build's limit.
_CHUNK = 500
_REBUILD_BATCH = 20_000

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


def inputs_of(case_ids: Sequence[int]) -> list[TallyInputs]:
    found: list[TallyInputs] = []
    if len(case_ids) > 1 and list(case_ids) == list(range(case_ids[0], case_ids[-1] + 1)):
        # A bulk load's batch: one range read by the primary key.
        sql = f"{_INPUTS} WHERE id BETWEEN ? AND ?"
        return [_inputs(row) for row in database.execute_sql(sql, (case_ids[0], case_ids[-1]))]
    for start in range(0, len(case_ids), _CHUNK):
        chunk = case_ids[start:start + _CHUNK]
        sql = f"{_INPUTS} WHERE id IN ({', '.join('?' * len(chunk))})"
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
    counts = rules.tally(every_case(db))
    db.cursor().executemany(
        "INSERT INTO case_tally (measure, month, item, cases) VALUES (?, ?, ?, ?)",
        [(*entry, cases) for entry, cases in counts.items()],
    )
    return len(counts)


def every_case(db: Any = database) -> Iterator[TallyInputs]:
    """What the tally reads of every case, in batches by id (a million cases: seconds)."""
    last = 0
    while True:
        rows = db.execute_sql(
            f"{_INPUTS.replace('SELECT ', 'SELECT id, ', 1)} WHERE id > ? ORDER BY id LIMIT ?",
            (last, _REBUILD_BATCH),
        ).fetchall()
        if not rows:
            return
        for row in rows:
            yield _inputs(row[1:])
        last = int(rows[-1][0])


def contents(db: Any = database) -> dict[Entry, int]:
    """Every entry and its count (tests compare the kept tally with a rebuilt one)."""
    rows: Iterable[Sequence[Any]] = db.execute_sql(
        "SELECT measure, month, item, cases FROM case_tally"
    )
    return {(str(m), str(month), str(item)): int(cases) for m, month, item, cases in rows}
