"""The case queue: one page of cases and how many there are, for any filters and search text.

Search finds the typed text anywhere in the case number, customer name, phone, receipt
number, product name or the customer's own account, through the trigram index
``case_search`` (see ``migrations.V_SUBSTRING_SEARCH``):

- 2 characters: every indexed trigram that starts with them (the index closes each column
  with U+001F, so every pair of characters starts one), read from the index's term list;
- 3 characters: that trigram;
- 4 or more: the few rarest of its trigrams narrow the cases down, then the case row itself
  is checked for the whole text (the index keeps no positions, to stay small);
- 1 character: the customers whose name starts with it (a surname), through their index.

Matches come newest registered first, straight from the index in id order, so a search that
matches half the register costs no more than one that matches ten cases. With a narrow filter
(open cases, overdue, major, a date range) the count is driven by the filter's index instead.

On PostgreSQL the same six columns carry one GIN trigram index (pg_trgm, store.pg_schema) and
any text of two or more characters is one ``ILIKE`` over them, which the index answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from desktop_app.domain.case_selection import CaseSelection
from desktop_app.store import dialect
from desktop_app.store.case_selection import selection_clauses
from desktop_app.store.connection import database
from desktop_app.store.migrations import OPEN_CASE_CONDITION, SEARCH_COLUMNS

QUEUE_COLUMNS = (
    "c.id", "c.case_no", "c.received_at", "c.customer_name", "c.customer_phone",
    "c.category", "c.kind", "c.status", "d.name", "c.product_name", "c.receipt_no",
    "c.is_major", "c.promised_reply_date", "c.needs_confirmation", "c.confirmation_deadline",
    "u.display_name",
)
SORTABLE = {
    "received_at": "c.received_at",
    "case_no": "c.case_no",
    "status": "c.status",
    "category": "c.category",
    "promised_reply_date": "c.promised_reply_date",
}


# Exactly the partial indexes' condition (migrations.OPEN_CASE_CONDITION), so SQLite uses them.
OPEN_CASE_SQL = "c." + OPEN_CASE_CONDITION


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[str, ...] = ()
    category: str | None = None
    department_id: int | None = None
    received_from: date | None = None
    received_until: date | None = None  # inclusive
    major_only: bool = False
    open_only: bool = False
    overdue_on: date | None = None  # open cases whose promised reply date is before this day
    clerk_id: int | None = None
    search: str = ""
    sort: str = "received_at"
    descending: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
    selection: CaseSelection | None = None  # the cases behind a chart's bar or a warning


# --- search ---------------------------------------------------------------------------------

# Characters the index never holds between two others (U+001F closes each column) and that a
# scanner or a paste may bring along.
_DROPPED = {chr(code) for code in range(32)} | {"\x7f"}
# Full-width forms an input method produces for digits and Latin letters: phone, receipt and
# case numbers are stored in ASCII.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# Trigrams checked against the index for how common they are before choosing which to use.
RARE_PROBE_LIMIT = 2000
# A long text is narrowed down by this many of its trigrams, the rarest first.
NARROWING_TRIGRAMS = 3


def search_text(raw: str) -> str:
    """What the box holds, as the index sees it: no control characters, full-width digits and
    letters as ASCII, blanks at either end trimmed and inner runs folded to one."""
    kept = "".join(" " if char in _DROPPED else char for char in raw)
    return " ".join(kept.translate(_FULL_WIDTH).split())


@dataclass(frozen=True)
class SearchPlan:
    """How one search text is answered.

    ``match`` is an FTS5 expression over ``case_search``; when there is one, its rowids drive
    the query, newest first. ``condition`` is SQL every matching case row ``c`` must also meet,
    with its ``parameters``. ``alone_count`` counts the matches up to a cap (its last
    parameter) without reading case rows, for when no other filter is set. ``nothing``: no
    case can match."""

    match: str | None = None
    condition: str | None = None
    parameters: tuple[Any, ...] = ()
    alone_count: str | None = None
    alone_parameters: tuple[Any, ...] = ()
    nothing: bool = False


_COUNT_MATCHES = (
    "SELECT count(*) FROM (SELECT 1 FROM case_search WHERE case_search MATCH ? LIMIT ?)"
)


class _LastPlan:
    """The last plan, reused by the page and count queries (and later pages) of the same
    search: planning reads the index's term list, which only a write can change. The key holds
    the connection itself, so a plan never outlives the database it was made for."""

    key: tuple[Any, ...] | None = None
    plan: SearchPlan | None = None


def plan_search(raw: str) -> SearchPlan | None:
    """``None`` when there is nothing to search for."""
    if dialect.server():
        # Nothing is read to plan a search there, and other desks write at any moment.
        return _plan(raw)
    connection = database.connection()
    data_version = database.execute_sql("PRAGMA data_version").fetchone()[0]
    key = (connection, raw, connection.total_changes, data_version)
    if _LastPlan.key != key:
        _LastPlan.plan = _plan(raw)
        _LastPlan.key = key
    return _LastPlan.plan


def _plan(raw: str) -> SearchPlan | None:
    text = search_text(raw)
    if not text:
        return None
    if len(text) == 1:
        return _surname_plan(text)
    if dialect.server():
        return _trigram_plan(text)
    folded = _fold(text)
    if len(text) == 2:
        terms = _trigrams_starting(folded)
        if not terms:
            return SearchPlan(nothing=True)
        return _index_plan(" OR ".join(_quoted(term) for term in terms))
    if len(text) == 3:
        return _index_plan(_quoted(folded))
    grams = _narrowing_trigrams(folded)
    # The index holds no positions: the case row shows whether the trigrams make up the text.
    return SearchPlan(
        match=" AND ".join(_quoted(gram) for gram in grams),
        condition=" OR ".join(f"c.{column} LIKE ? ESCAPE '\\'" for column in SEARCH_COLUMNS),
        parameters=(_like_pattern(text),) * len(SEARCH_COLUMNS),
    )


def _trigram_plan(text: str) -> SearchPlan:
    from desktop_app.store.pg_schema import search_expression

    # LIKE's case rule as on SQLite: ASCII letters in either case (the columns compare as "C").
    condition = f"{search_expression('c')} ILIKE ? ESCAPE '\\'"
    pattern = (_like_pattern(text),)
    return SearchPlan(
        condition=condition,
        parameters=pattern,
        alone_count=(
            f'SELECT count(*) FROM (SELECT 1 FROM "case" c WHERE {condition} LIMIT ?) AS found'
        ),
        alone_parameters=pattern,
    )


def _index_plan(match: str) -> SearchPlan:
    # Each term is a whole trigram of the text: the index alone decides.
    return SearchPlan(match=match, alone_count=_COUNT_MATCHES, alone_parameters=(match,))


def _surname_plan(text: str) -> SearchPlan:
    # One character says too little to look for anywhere; at a desk it is a surname. The
    # name index lists the matching ids, which are then read newest first.
    bounds = (text, text + "\U0010ffff")
    return SearchPlan(
        condition=(
            'c.id IN (SELECT id FROM "case" WHERE customer_name >= ? AND customer_name < ?)'
        ),
        parameters=bounds,
        alone_count=(
            'SELECT count(*) FROM (SELECT 1 FROM "case" '
            "WHERE customer_name >= ? AND customer_name < ? LIMIT ?) AS found"
        ),
        alone_parameters=bounds,
    )


def _fold(text: str) -> str:
    # The trigram tokenizer folds case; its terms are what the index holds.
    return text.lower()


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


# Every distinct trigram in the index beginning with a pair (?1), one index seek each: the
# term after T is the first one from T followed by the smallest character the index can hold
# (terms are three characters long and compared byte by byte). ?2 is past the last one.
_TRIGRAMS_STARTING = """WITH RECURSIVE found(term) AS (
        SELECT (SELECT term FROM case_search_terms WHERE term >= ?1 AND term < ?2 LIMIT 1)
        UNION ALL
        SELECT (SELECT term FROM case_search_terms
                WHERE term >= found.term || char(1) AND term < ?2 LIMIT 1)
        FROM found WHERE found.term IS NOT NULL
    )
    SELECT term FROM found WHERE term IS NOT NULL"""


def _trigrams_starting(pair: str) -> list[str]:
    rows = database.execute_sql(_TRIGRAMS_STARTING, (pair, pair + "\U0010ffff")).fetchall()
    return [term for (term,) in rows]


def _narrowing_trigrams(folded: str) -> list[str]:
    """The rarest few of the text's trigrams: enough to narrow a million cases to a handful,
    without walking the long lists of trigrams every case has (a date's 202, 026)."""
    grams = list(dict.fromkeys(folded[i : i + 3] for i in range(len(folded) - 2)))
    if len(grams) <= NARROWING_TRIGRAMS:
        return grams
    sql = (
        "SELECT count(*) FROM (SELECT 1 FROM case_search WHERE case_search MATCH ? LIMIT ?)"
    )
    frequency = {
        gram: int(database.execute_sql(sql, (_quoted(gram), RARE_PROBE_LIMIT)).fetchone()[0])
        for gram in grams
    }
    if 0 in frequency.values():
        return [min(grams, key=frequency.__getitem__)]
    # Ties (all common) keep the text's order reversed: the end of a number varies most.
    ranked = sorted(reversed(grams), key=frequency.__getitem__)
    return ranked[:NARROWING_TRIGRAMS]


def _like_pattern(text: str) -> str:
    """``text`` anywhere, for LIKE with ESCAPE '\\': like the index, LIKE matches ASCII letters
    in either case and every other character as it is."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# --- the queue ------------------------------------------------------------------------------


def _where(query_filter: QueueFilter) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query_filter.statuses:
        clauses.append(f"c.status IN ({', '.join('?' * len(query_filter.statuses))})")
        params.extend(query_filter.statuses)
    if query_filter.category:
        clauses.append("c.category = ?")
        params.append(query_filter.category)
    if query_filter.department_id is not None:
        clauses.append("c.department_id = ?")
        params.append(query_filter.department_id)
    if query_filter.received_from is not None:
        clauses.append("c.received_at >= ?")
        params.append(f"{query_filter.received_from:%Y-%m-%d}")
    if query_filter.received_until is not None:
        clauses.append("c.received_at < ?")
        params.append(f"{query_filter.received_until + timedelta(days=1):%Y-%m-%d}")
    if query_filter.major_only:
        clauses.append("c.is_major = 1")
    if query_filter.open_only or query_filter.overdue_on is not None:
        clauses.append(OPEN_CASE_SQL)
    if query_filter.overdue_on is not None:
        # The hint says few open cases are overdue, so SQLite counts them off the partial
        # promised-date index instead of walking every open case.
        clauses.append(dialect.unlikely("c.promised_reply_date < ?"))
        params.append(f"{query_filter.overdue_on:%Y-%m-%d}")
    if query_filter.clerk_id is not None:
        clauses.append("c.clerk_id = ?")
        params.append(query_filter.clerk_id)
    if query_filter.selection is not None:
        selected, values = selection_clauses(query_filter.selection)
        clauses += selected
        params += values
    return clauses, params


@dataclass(frozen=True)
class _Query:
    """One queue query: the filters' conditions on the case row ``c`` and the search."""

    clauses: tuple[str, ...]
    parameters: tuple[Any, ...]
    search: SearchPlan | None

    @property
    def match(self) -> str | None:
        return None if self.search is None else self.search.match

    def source(self, with_names: bool) -> str:
        # CROSS JOIN fixes the loop order. With the index outermost the matches come newest
        # first and each is joined to its case row; without it the case table is outermost,
        # or with statistics SQLite would start from the few users and sort a million cases.
        names = (
            f' {dialect.fixed_join()} "user" u ON u.id = c.clerk_id '
            "LEFT JOIN department d ON d.id = c.department_id"
        ) if with_names else ""
        if self.match is None:
            return f'FROM "case" c{names}'
        return f'FROM case_search s CROSS JOIN "case" c ON c.id = s.rowid{names}'

    def where(self) -> tuple[str, tuple[Any, ...]]:
        clauses, parameters = list(self.clauses), list(self.parameters)
        if self.search is not None:
            if self.search.condition is not None:
                clauses.insert(0, f"({self.search.condition})")
                parameters[:0] = self.search.parameters
            if self.search.match is not None:
                clauses.insert(0, "s.case_search MATCH ?")
                parameters.insert(0, self.search.match)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return where, tuple(parameters)


def _query(query_filter: QueueFilter) -> _Query | None:
    """``None`` when the search text can match no case at all."""
    clauses, params = _where(query_filter)
    plan = plan_search(query_filter.search)
    if plan is not None and plan.nothing:
        return None
    return _Query(tuple(clauses), tuple(params), plan)


def queue_page(query_filter: QueueFilter, offset: int, limit: int) -> list[tuple[Any, ...]]:
    query = _query(query_filter)
    if query is None:
        return []
    where, parameters = query.where()
    direction = "DESC" if query_filter.descending else "ASC"
    sql = (
        f"SELECT {', '.join(QUEUE_COLUMNS)} {query.source(with_names=True)} {where} "
        f"ORDER BY {_order(query_filter, query, direction)} LIMIT ? OFFSET ?"
    )
    return list(database.execute_sql(sql, (*parameters, limit, offset)).fetchall())


def _order(query_filter: QueueFilter, query: _Query, direction: str) -> str:
    order_column = SORTABLE.get(query_filter.sort, "c.received_at")
    if query.search is not None and order_column == "c.received_at":
        # Search results come newest registered first, in id order, as the index delivers
        # them: sorting every match by time to show the first page cost 30× as much.
        return f"{'c.id' if query.match is None else 's.rowid'} {direction}"
    # Ties broken by time then id: the (column, received_at) indexes deliver that order.
    order = f"{order_column} {direction}"
    if order_column != "c.received_at":
        order += f", c.received_at {direction}"
    return f"{order}, c.id {direction}"


def queue_count(query_filter: QueueFilter, cap: int = 10_000) -> int:
    """How many cases match, counted up to ``cap`` so a broad filter never scans a million rows."""
    query = _query(query_filter)
    if query is None:
        return 0
    search = query.search
    if search is not None and search.alone_count is not None and not query.clauses:
        sql, parameters = search.alone_count, search.alone_parameters
    elif search is not None and search.match is not None and _narrow(query_filter):
        sql, parameters = _count_within_filter(query, search)
    else:
        where, parameters = query.where()
        sql = (
            f"SELECT count(*) FROM (SELECT 1 {query.source(with_names=False)} {where} LIMIT ?) "
            "AS found"
        )
    return int(database.execute_sql(sql, (*parameters, cap)).fetchone()[0])


def _narrow(query_filter: QueueFilter) -> bool:
    """Filters whose own index leaves a few percent of the register (open, overdue, major,
    a date range)."""
    return (
        query_filter.open_only or query_filter.overdue_on is not None
        or query_filter.major_only or query_filter.received_from is not None
        or query_filter.received_until is not None
    )


def _count_within_filter(query: _Query, search: SearchPlan) -> tuple[str, tuple[Any, ...]]:
    """The filter's index drives the count and each case is looked up in the search's list of
    matches. Counted the other way round, a search matching a fifth of a million cases with
    "open cases" took 0.2–0.5 s; this way 20–50 ms for page and count (bench/queue.py)."""
    # The + keeps SQLite from driving the count off the list of matches itself.
    clauses = [*query.clauses, "+c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)"]
    parameters = [*query.parameters, search.match]
    if search.condition is not None:
        clauses.append(f"({search.condition})")
        parameters.extend(search.parameters)
    sql = f'SELECT count(*) FROM (SELECT 1 FROM "case" c WHERE {" AND ".join(clauses)} LIMIT ?)'
    return sql, tuple(parameters)
