"""What the search index should hold, worked out from the case rows, and what it does hold.

The index holds, for every case, each trigram of its six searched columns joined and closed by
U+001F (migrations.V_SUBSTRING_SEARCH). Comparing the two sets finds a stale token (text a case
no longer has) as well as a missing one.
"""

from __future__ import annotations

from desktop_app.store.connection import database
from desktop_app.store.engine import is_postgres
from desktop_app.store.migrations import SEARCH_COLUMNS


def expected_trigrams() -> set[tuple[str, int]]:
    sql = f'SELECT id, {", ".join(SEARCH_COLUMNS)} FROM "case"'
    expected: set[tuple[str, int]] = set()
    for case_id, *columns in database.execute_sql(sql).fetchall():
        body = "".join(f"{column}\x1f" for column in columns).lower()
        expected |= {(body[i : i + 3], case_id) for i in range(len(body) - 2)}
    return expected


def indexed_trigrams() -> set[tuple[str, int]]:
    rows = database.execute_sql("SELECT term, doc FROM case_search_terms").fetchall()
    return {(term, doc) for term, doc in rows}


def assert_index_matches_cases() -> None:
    if is_postgres(database):
        # The server's GIN index is an index on the columns themselves (no rows of its own
        # to go stale); the tests' search results check it.
        return
    expected, indexed = expected_trigrams(), indexed_trigrams()
    stale = sorted(indexed - expected)[:10]
    missing = sorted(expected - indexed)[:10]
    assert not stale and not missing, f"stale: {stale}, missing: {missing}"
