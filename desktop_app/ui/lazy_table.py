"""A read-only table model that fetches rows page by page, so a million cases open instantly.

The rows come from a ``fetch(offset, limit)`` callable (a service call returning plain tuples);
Qt asks for more through ``canFetchMore``/``fetchMore`` as the user scrolls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from desktop_app.ui.table_model import HeaderedTableModel, ModelIndex

Fetch = Callable[[int, int], Sequence[Any]]
Cell = Callable[[Any, int, int], Any]

PAGE_SIZE = 200


class LazyTableModel(HeaderedTableModel):
    def __init__(
        self,
        headers: Sequence[str],
        cell: Cell,
        parent: Any = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(headers, parent)
        self._cell = cell
        self._page_size = page_size
        self._fetch: Fetch | None = None
        self._exhausted = True

    def reload(self, fetch: Fetch) -> None:
        """Start over with a new query; only the first page is read now."""
        self.beginResetModel()
        self._fetch = fetch
        self._rows = list(fetch(0, self._page_size))
        self._exhausted = len(self._rows) < self._page_size
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self._cell(self._rows[index.row()], index.column(), role)

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._exhausted and self._fetch is not None

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid() or self._fetch is None or self._exhausted:
            return
        more = list(self._fetch(len(self._rows), self._page_size))
        self._exhausted = len(more) < self._page_size
        if not more:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()
