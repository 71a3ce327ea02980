"""接待时间 on the registration form: when the clerk started this registration.

While the form is empty the time runs with the desk's clock; the first key typed into the form
fixes it, and from then on the form shows how long the registration has taken. A clerk may move
the start back a few minutes (the customer waited while the previous one was served); a manager
may set any time, with a reason that goes into the case's audit trail.

Signals:
    changed(): the time was set by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.registration import CLOCK_TOLERANCE
from desktop_app.services.reception_time import CLERK_BACKDATE, may_change_received_at
from desktop_app.ui.forms import ERROR_STYLE, datetime_of, qdatetime
from desktop_app.ui.unsaved import GuardedDialog

Clock = Callable[[], datetime]
TICK_MS = 1000


@dataclass(frozen=True)
class ChosenTime:
    at: datetime
    reason: str


class ReceptionClock(QWidget):
    changed = Signal()

    def __init__(self, clock: Clock, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._actor = actor
        self.started_at: datetime | None = None
        self.chosen: ChosenTime | None = None
        self.time_label = QLabel()
        self.time_label.setObjectName("received_at")
        self.time_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.elapsed_label = QLabel()
        self.elapsed_label.setObjectName("received_elapsed")
        self.elapsed_label.setStyleSheet("color: #555;")
        self.change_button = QPushButton("修改(&J)…")
        self.change_button.setObjectName("change_received_at")
        # Out of the Tab chain: the paper form starts at the customer; Alt+J reaches it.
        self.change_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.change_button.clicked.connect(self.on_change_clicked)
        small = self.elapsed_label.font()
        small.setPointSizeF(max(small.pointSizeF() - 1.5, 8.0))
        self.elapsed_label.setFont(small)
        line = QHBoxLayout()
        line.addWidget(self.time_label, 1)
        line.addWidget(self.change_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(line)
        layout.addWidget(self.elapsed_label)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.show_time)
        self._timer.start()
        self.show_time()

    def now(self) -> datetime:
        return self._clock().replace(microsecond=0)

    def start(self) -> None:
        """The first key in the empty form: from now on the time stays."""
        if self.started_at is None:
            self.started_at = self.now()
            self.show_time()

    def reset(self) -> None:
        self.started_at = None
        self.chosen = None
        self.show_time()

    def received_at(self) -> datetime:
        if self.chosen is not None:
            return self.chosen.at
        return self.started_at or self.now()

    def reason(self) -> str:
        return "" if self.chosen is None else self.chosen.reason

    def show_time(self) -> None:
        at = self.received_at()
        self.time_label.setText(f"{at:%Y-%m-%d %H:%M:%S}")
        if self.chosen is not None and self.chosen.reason:
            self.elapsed_label.setText(f"经理已修改:{self.chosen.reason}")
        elif self.started_at is None:
            self.elapsed_label.setText("开始填写时固定为当时的时间")
        else:
            seconds = max(int((self.now() - at).total_seconds()), 0)
            self.elapsed_label.setText(f"已用 {seconds // 60} 分 {seconds % 60:02d} 秒")

    def on_change_clicked(self) -> None:
        self.start()
        assert self.started_at is not None
        chosen = ReceptionTimeDialog.ask(self, self._actor, self.received_at(), self.started_at,
                                         self.now())
        if chosen is not None:
            self.chosen = chosen
            self.show_time()
            self.changed.emit()


class ReceptionTimeDialog(GuardedDialog):
    """Set 接待时间 by hand: a clerk within a few minutes before the start, a manager anything
    up to now, with a reason."""

    def __init__(
        self,
        parent: QWidget | None,
        actor: Account,
        current: datetime,
        started: datetime,
        now: datetime,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("修改接待时间")
        self.manager = may_change_received_at(actor)
        self.chosen: ChosenTime | None = None
        self.when = QDateTimeEdit(qdatetime(current))
        self.when.setObjectName("received_at_edit")
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.when.setCalendarPopup(True)
        self.when.setMaximumDateTime(qdatetime(now + CLOCK_TOLERANCE))
        if not self.manager:
            self.when.setMinimumDateTime(qdatetime(started - CLERK_BACKDATE))
            self.when.setMaximumDateTime(qdatetime(started))
        self.reason = QLineEdit()
        self.reason.setObjectName("received_at_reason")
        self.reason.setPlaceholderText("如:顾客来信于昨日收到")
        self.problem = QLabel()
        self.problem.setObjectName("received_at_problem")
        self.problem.setStyleSheet(ERROR_STYLE)
        minutes = int(CLERK_BACKDATE.total_seconds() // 60)
        hint = QLabel(
            "经理可以改为任何时间,须写明原因(记入登记簿)。" if self.manager
            else f"接待员最多可以提前 {minutes} 分钟(顾客排队等候);更早的时间请经理修改。"
        )
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("接待时间(&T)", self.when)
        if self.manager:
            form.addRow("修改原因(&R)", self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.mark_clean()

    def on_ok(self) -> None:
        at = datetime_of(self.when.dateTime())
        reason = " ".join(self.reason.text().split())
        if self.manager and not reason:
            self.problem.setText("请写明修改原因")
            self.reason.setFocus()
            return
        self.chosen = ChosenTime(at, reason if self.manager else "")
        self.accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        actor: Account,
        current: datetime,
        started: datetime,
        now: datetime,
    ) -> ChosenTime | None:
        dialog = cls(parent, actor, current, started, now)
        dialog.exec()
        return dialog.chosen
