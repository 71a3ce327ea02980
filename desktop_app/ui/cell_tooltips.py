"""Tooltips with a cell's whole text, on the cells too narrow to show it (and only on those).

Install on any item view: ``show_cut_text(view)``. A tooltip the model gives itself wins.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from desktop_app.ui.table_model import ModelIndex


def text_fits(text: str, metrics: QFontMetrics, rect: QRect, word_wrap: bool = False) -> bool:
    """Whether ``text`` shows whole in ``rect`` (a wrapped cell may use several lines)."""
    width = rect.width()
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
    option, rect = _text_area(view, index)
    word_wrap = bool(option.features & QStyleOptionViewItem.ViewItemFeature.WrapText)
    return "" if text_fits(text, option.fontMetrics, rect, word_wrap) else text


def missing_width(view: QAbstractItemView, index: ModelIndex) -> int:
    """How many pixels the cell's column lacks to show its text on one line (0 if none)."""
    text = index.data(Qt.ItemDataRole.DisplayRole)
    if not isinstance(text, str) or not text:
        return 0
    option, rect = _text_area(view, index)
    widest = max(option.fontMetrics.horizontalAdvance(line) for line in text.split("\n"))
    return max(widest - rect.width(), 0)


def _text_area(view: QAbstractItemView, index: ModelIndex) -> tuple[QStyleOptionViewItem, QRect]:
    """The cell's style option and the rectangle the style draws its text in, less the
    text margins, with the cell's own font."""
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    delegate = view.itemDelegateForIndex(index)
    if isinstance(delegate, QStyledItemDelegate):
        delegate.initStyleOption(option, index)
    style = view.style()
    rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    rect.adjust(margin, 0, -margin, 0)
    return option, rect


def show_cut_text(view: QAbstractItemView) -> FullTextTooltips:
    delegate = FullTextTooltips(view)
    view.setItemDelegate(delegate)
    return delegate
