"""Tooltips with a cell's whole text, on the cells too narrow to show it (and only on those).

Install on any item view: ``show_cut_text(view)``. A tooltip the model gives itself wins.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

ModelIndex = QModelIndex | QPersistentModelIndex
# The padding a style puts around a cell's text, on both sides together.
TEXT_MARGIN = 8


def text_fits(text: str, metrics: QFontMetrics, rect: QRect, word_wrap: bool = False) -> bool:
    """Whether ``text`` shows whole in ``rect`` (a wrapped cell may use several lines)."""
    width = rect.width() - TEXT_MARGIN
    lines = text.split("\n")
    if not word_wrap:
        return (
            max(metrics.horizontalAdvance(line) for line in lines) <= width
            and len(lines) * metrics.lineSpacing() <= rect.height()
        )
    needed = metrics.boundingRect(
        QRect(0, 0, max(width, 1), 100_000), Qt.TextFlag.TextWordWrap, text
    )
    return needed.height() <= rect.height()


class FullTextTooltips(QStyledItemDelegate):
    def helpEvent(  # noqa: N802
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: ModelIndex,
    ) -> bool:
        if event is None or event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        if index.data(Qt.ItemDataRole.ToolTipRole):
            return super().helpEvent(event, view, option, index)
        text = cut_text(view, index)
        if text:
            QToolTip.showText(event.globalPos(), text, view.viewport(), view.visualRect(index))
        else:
            QToolTip.hideText()
            event.ignore()
        return True


def cut_text(view: QAbstractItemView, index: ModelIndex) -> str:
    """The cell's whole text when the view cuts it off, else ""."""
    text = index.data(Qt.ItemDataRole.DisplayRole)
    if not isinstance(text, str) or not text:
        return ""
    font = index.data(Qt.ItemDataRole.FontRole)
    metrics = QFontMetrics(font) if font is not None else view.fontMetrics()
    rect = view.visualRect(index)
    # A tree's visualRect already leaves out the indentation.
    word_wrap = bool(getattr(view, "wordWrap", lambda: False)())
    return "" if text_fits(text, metrics, rect, word_wrap) else text


def show_cut_text(view: QAbstractItemView) -> FullTextTooltips:
    delegate = FullTextTooltips(view)
    view.setItemDelegate(delegate)
    return delegate
