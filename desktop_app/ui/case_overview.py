"""The case at a glance: the customer's statement, the registered facts in a labelled grid, and
the ten steps as a timeline (done with who and when, the next one, the department's deadline)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.case_text import registration_fields
from desktop_app.services.case_timeline import State, TimelineEntry
from desktop_app.services.case_views import CaseDetail
from desktop_app.ui.forms import FittedLabel

FACT_COLUMNS = 3
# Shown in the dialog's own header line, not again in the grid.
HEADER_FIELDS = frozenset({"案件编号", "状态"})
STATEMENT_STYLE = (
    "QTextBrowser { background: #fffbe6; border: 1px solid #e0c060; border-radius: 4px; "
    "padding: 4px; }"
)
MARKS = {
    State.DONE: ("✔", "#1b7a1b"),
    State.NEXT: ("▶", "#0b57d0"),
    State.OPEN: ("◇", "#0b57d0"),
    State.LATER: ("○", "#888888"),
    State.NOT_NEEDED: ("–", "#aaaaaa"),
}


class FactLabel(FittedLabel):
    """A fact that wraps at spaces; one with nothing to wrap at (a receipt or case number)
    that is wider than its column is cut in the middle with "…", never clipped silently
    (found: "0101-20261124-004" shown with its last digit cut off); the tooltip has it whole."""

    def fitted(self, text: str, metrics: QFontMetrics, width: int) -> str:
        if _wraps(text) or metrics.horizontalAdvance(text) <= width:
            return text
        return metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width)


def _wraps(text: str) -> bool:
    """Whether a line can break inside ``text``: at a space, or between Chinese characters
    (found in review: a product name without spaces was cut instead of wrapped)."""
    return any(character.isspace() or character >= "\u2e80" for character in text)


class CaseFacts(QWidget):
    """The statement in the customer's words on top, larger; the other fields beneath it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.statement = QTextBrowser()
        self.statement.setObjectName("statement")
        self.statement.setStyleSheet(STATEMENT_STYLE)
        font = self.statement.font()
        font.setPointSizeF(font.pointSizeF() + 2)
        self.statement.setFont(font)
        lines = self.statement.fontMetrics().lineSpacing()
        # Prominent, yet a long statement scrolls instead of pushing the facts off the screen.
        self.statement.setMinimumHeight(lines * 3 + 16)
        self.statement.setMaximumHeight(lines * 8 + 16)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(4)
        self.values: dict[str, FactLabel] = {}
        statement_box = QVBoxLayout()
        title = QLabel("<b>顾客陈述</b>")
        statement_box.addWidget(title)
        statement_box.addWidget(self.statement, 1)
        facts = QGroupBox("登记内容")
        facts.setLayout(self.grid)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(statement_box)
        layout.addWidget(facts)
        layout.addStretch(1)

    def show_case(self, case: CaseDetail) -> None:
        self.statement.setPlainText(case.account)
        fields = [(label, value) for label, value in registration_fields(case)
                  if label not in HEADER_FIELDS]
        if not self.values:
            self._build_grid([label for label, _ in fields])
        for label, value in fields:
            shown = value or "—"
            self.values[label].set_whole(shown)
            self.values[label].setToolTip(value)

    def _build_grid(self, labels: list[str]) -> None:
        for position, label in enumerate(labels):
            row, column = divmod(position, FACT_COLUMNS)
            name = QLabel(f"{label}:")
            name.setStyleSheet("color: #555;")
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            value = FactLabel()
            value.setObjectName(f"fact_{position}")
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.grid.addWidget(name, row, column * 2)
            self.grid.addWidget(value, row, column * 2 + 1)
            self.grid.setColumnStretch(column * 2 + 1, 1)
            self.values[label] = value

    def fact(self, label: str) -> str:
        return self.values[label].whole()


class TimelineView(QScrollArea):
    """The ten steps top to bottom; each row says what was done, by whom, when, or what is due."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.entries: list[TimelineEntry] = []
        self.rows: list[QLabel] = []
        holder = QWidget()
        self._layout = QVBoxLayout(holder)
        self._layout.setContentsMargins(6, 6, 6, 6)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)
        self.setWidget(holder)

    def show_entries(self, entries: list[TimelineEntry]) -> None:
        self.entries = entries
        while len(self.rows) < len(entries):
            row = QLabel()
            row.setWordWrap(True)
            row.setTextFormat(Qt.TextFormat.RichText)
            row.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._layout.insertWidget(len(self.rows), row)
            self.rows.append(row)
        for row, entry in zip(self.rows, entries, strict=False):
            row.setText(entry_html(entry))
            row.show()
        for row in self.rows[len(entries):]:
            row.hide()

    def text(self) -> str:
        """Everything the timeline says, as plain text (one line per step)."""
        return "\n".join(entry_text(entry) for entry in self.entries)


def entry_text(entry: TimelineEntry) -> str:
    mark, _ = MARKS[entry.state]
    parts = [f"{mark} {entry.title}", entry.when, entry.who, entry.detail.replace("\n", ";")]
    if entry.state is State.NEXT:
        parts.append("下一步")
    return "  ".join(part for part in parts if part)


def entry_html(entry: TimelineEntry) -> str:
    mark, colour = MARKS[entry.state]
    title = escape(entry.title)
    if entry.state in (State.NEXT, State.DONE):
        title = f"<b>{title}</b>"
    if entry.state is State.NOT_NEEDED:
        title = f"<s>{title}</s>"
    head = f'<span style="color:{colour}">{mark}</span> {title}'
    if entry.when or entry.who:
        head += f'  <span style="color:#666">{escape(entry.when)} {escape(entry.who)}</span>'
    if entry.state is State.NEXT:
        head += '  <span style="color:#0b57d0">← 下一步</span>'
    detail = escape(entry.detail).replace("\n", "<br>")
    if detail:
        shade = "#b00020" if "已过" in entry.detail else "#333"
        head += f'<br><span style="color:{shade}">{detail}</span>'
    return head
