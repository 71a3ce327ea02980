"""Keeps the analysis tally (domain.case_tally) current: every write of a case goes through
services.register, which calls these in the same transaction as the write, so the tally never
disagrees with the committed cases.

A change reads the case's entries before and after (two lookups by id) and writes only what
moved; a change that touches no tallied column (a name, an erasure, a printed remark) costs
nothing. A load that writes cases without the services calls ``rebuild`` afterwards.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager

from desktop_app.domain import case_tally as rules
from desktop_app.store import case_tally as store

ENTITY = "case"


def added(entity: str, ids: Sequence[int]) -> None:
    """Cases just inserted (one, or a bulk load's batch) join the tally."""
    if entity != ENTITY or not ids or not store.present():
        return
    if len(ids) > 1 and list(ids) == list(range(ids[0], ids[-1] + 1)):
        # A bulk load's batch: counted by SQLite, a few hundred entries come back.
        store.add(store.recount(ids[0], ids[-1]))
    else:
        store.add(rules.tally(store.inputs_of(ids)))


@contextmanager
def following(entity: str, entity_id: int, columns: Collection[str]) -> Iterator[None]:
    """Around the update of ``columns`` of a row: moves the case's entries in the tally."""
    if entity != ENTITY or rules.TALLIED_COLUMNS.isdisjoint(columns) or not store.present():
        yield
        return
    before = _entries(entity_id)
    yield
    store.add(rules.delta(before, _entries(entity_id)))


def _entries(case_id: int) -> list[rules.Entry]:
    return [entry for case in store.inputs_of([case_id]) for entry in rules.entries(case)]


def disagreement() -> str | None:
    """A finding for ``main.py verify`` when the kept tally is not what the case rows give
    (only reads: verify opens the file read-only)."""
    kept = store.contents() if store.present() else {}
    return rules.disagreement(kept, store.recount())


def rebuild() -> int:
    """The tally again from the case rows (after a load that bypassed the services); call
    inside a unit of work. Returns how many entries it holds."""
    return store.rebuild()
