"""Unit of work: everything done inside commits together, or not at all.

Nothing is committed unless ``commit()`` is called, so a service that returns early or raises
leaves the database exactly as it was.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from desktop_app.store.connection import transaction


class UnitOfWork:
    def __init__(self, db: Any) -> None:
        self._db = db
        self._context: Any = None
        self._transaction: Any = None
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self._committed = False
        self._context = transaction(self._db)
        self._transaction = self._context.__enter__()
        return self

    def commit(self) -> None:
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None and not self._committed:
            # Undo everything, then let the (now empty) transaction close normally.
            self._transaction.rollback()
        self._context.__exit__(exc_type, exc, traceback)
