"""UI tests: remembered views go to the test's own settings file, never the user's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from tests.ui.boxes import BoxAnswers, stop_waiting_for_modals


@pytest.fixture(autouse=True)
def own_settings_file(tmp_path: Path) -> Path:
    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def no_modal_action_outlives_its_test() -> Iterator[None]:
    yield
    stop_waiting_for_modals()


@pytest.fixture
def answer_boxes() -> Iterator[Callable[[QMessageBox.StandardButton | None], BoxAnswers]]:
    """``answer_boxes(No)`` clicks No on every message box from now on and records its text."""
    started: list[BoxAnswers] = []

    def start(button: QMessageBox.StandardButton | None = None) -> BoxAnswers:
        for earlier in started:
            earlier.stop()
        answers = BoxAnswers(button)
        started.append(answers)
        return answers

    yield start
    for answers in started:
        answers.stop()
