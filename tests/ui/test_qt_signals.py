"""The Qt binding itself: a long session emits signals from Python thousands of times.

PySide6 6.12.0 dropped a reference to ``True`` at every ``SignalInstance.emit()``; the app's
progress signals (a backup of a large register emits hundreds) then aborted the process with
"Fatal Python error: bool_dealloc". pyproject.toml excludes that version; this keeps it out.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    progress = Signal(str, int, int)
    done = Signal()


def test_emitting_a_signal_leaves_reference_counts_alone() -> None:
    emitter = Emitter()
    received: list[int] = []
    emitter.progress.connect(lambda _what, done, _total: received.append(done))
    true_before, false_before = sys.getrefcount(True), sys.getrefcount(False)
    for number in range(200):
        emitter.progress.emit("正在备份数据库", number, 200)
        emitter.done.emit()
    assert received == list(range(200))
    assert sys.getrefcount(True) >= true_before - 5
    assert sys.getrefcount(False) >= false_before - 5
