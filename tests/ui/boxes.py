"""Answering the message boxes a test makes appear, the way a person clicks them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

Yes = QMessageBox.StandardButton.Yes
No = QMessageBox.StandardButton.No


class BoxAnswers:
    """Click ``button`` on each message box that opens; keep what each one said."""

    def __init__(self, button: QMessageBox.StandardButton | None = None) -> None:
        self.button = button
        self.texts: list[str] = []
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._answer)
        self._timer.start()

    def _answer(self) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            return
        self.texts.append(box.text())
        chosen = box.button(self.button) if self.button is not None else None
        if chosen is None:
            chosen = box.defaultButton() or box.buttons()[0]
        chosen.click()

    def stop(self) -> None:
        self._timer.stop()


def when_modal(action: Callable[[QDialog], None]) -> None:
    """Run ``action`` on the next modal dialog as soon as it is shown."""
    timer = QTimer()

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            timer.stop()
            if timer in _RUNNING:
                _RUNNING.remove(timer)
            action(dialog)

    timer.setInterval(10)
    timer.timeout.connect(check)
    timer.start()
    # Keep the timer alive as long as it runs.
    _RUNNING.append(timer)


_RUNNING: list[QTimer] = []


def stop_waiting_for_modals() -> None:
    """Stop every ``when_modal`` still waiting: a test that ends before its dialog appeared
    must not leave an action behind that fires on the next test's dialog (whose widgets the
    action's closure does not know, or after its own widgets were deleted)."""
    while _RUNNING:
        _RUNNING.pop().stop()
