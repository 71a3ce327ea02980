"""A short list held whole as rows of text (a ledger's lines, a supplier's balances), with a
background colour per row and numbers aligned right."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop_app.ui.table_model import HeaderedTableModel, ModelIndex

ALERT = QColor("#f8d7da")  # overdue, as the case queue shades it
WARNING = QColor("#fff3cd")  # due today or soon
QUIET = QColor("#eeeeee")  # done, waived, cancelled


class RowsTableModel(HeaderedTableModel):
    """Rows of text under ``headers``; ``right`` lists the columns aligned right (money)."""

    def __init__(
        self, headers: Sequence[str], right: Sequence[int] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(headers, parent)
        self._right = frozenset(right)
        self._colours: list[QColor | None] = []
        self._keys: list[Any] = []

    def set_rows(
        self,
        rows: Sequence[Sequence[str]],
        keys: Sequence[Any],
        colours: Sequence[QColor | None] | None = None,
    ) -> None:
        """``keys`` (an id per row) is what the page acts on when a row is chosen."""
        self.beginResetModel()
        self._rows = list(rows)
        self._keys = list(keys)
        self._colours = list(colours) if colours is not None else [None] * len(rows)
        self.endResetModel()

    def key_at(self, row: int) -> Any:
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def row_of(self, key: Any) -> int:
        return self._keys.index(key) if key in self._keys else -1

    def text_at(self, row: int, column: int) -> str:
        return str(self._rows[row][column])

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return str(self._rows[index.row()][index.column()])
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = self._colours[index.row()]
            return None if colour is None else QBrush(colour)
        return None


def rows_view(model: RowsTableModel, name: str) -> QTableView:
    """A read-only, whole-row-selecting view of ``model``."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(False)
    # Fitted to what they hold whenever the rows change (found: case and receipt numbers and
    # states cut to "TS-202611-…" at 100 px, in the lists the store manager reconciles).
    model.modelReset.connect(view.resizeColumnsToContents)
    return view


def selected_key(view: QTableView, model: RowsTableModel) -> Any:
    index = view.currentIndex()
    return model.key_at(index.row()) if index.isValid() else None
