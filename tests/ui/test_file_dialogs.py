"""The file and folder choosers: Chinese labels (Qt's own dialog kept "Look in:" and "Files of
type:" in English, found on a real X server) and what each returns, driven as a person would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from desktop_app.ui import file_dialogs

Seen = list[dict[str, str]]


def answer(seen: Seen, choose: Path | None) -> None:
    """When the chooser is up: note its labels, then pick ``choose`` (or cancel)."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QFileDialog)
        seen.append({label.name: dialog.labelText(label) for label in file_dialogs.LABELS})
        if choose is None:
            dialog.reject()
            return
        dialog.selectFile(str(choose))
        dialog.accept()

    QTimer.singleShot(0, act)


CHOOSERS: list[tuple[str, Callable[[Path], str]]] = [
    ("folder", lambda folder: file_dialogs.existing_folder(None, "选择文件夹", str(folder))),
    ("open", lambda folder: file_dialogs.file_to_open(None, "选择文件", str(folder),
                                                      "商品资料 (*.xlsx)")),
    ("save", lambda folder: file_dialogs.file_to_save(None, "保存 PDF", str(folder / "a.pdf"),
                                                      "PDF 文件 (*.pdf)")),
]


@pytest.mark.parametrize(("kind", "choose"), CHOOSERS, ids=[kind for kind, _ in CHOOSERS])
def test_each_chooser_speaks_chinese_and_returns_the_choice(
    qtbot: QtBot, tmp_path: Path, kind: str, choose: Callable[[Path], str]
) -> None:
    (tmp_path / "inside").mkdir()
    (tmp_path / "商品资料.xlsx").write_bytes(b"")
    target = {"folder": tmp_path / "inside", "open": tmp_path / "商品资料.xlsx",
              "save": tmp_path / "报表.pdf"}[kind]
    seen: Seen = []
    answer(seen, target)
    assert Path(choose(tmp_path)) == target
    assert seen == [{"LookIn": "查找范围:", "FileType": "文件类型:"}]
    answer(seen, None)
    assert choose(tmp_path) == ""


def test_a_folder_not_made_yet_opens_the_chooser_at_the_nearest_one_that_exists(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The reports' 月报 folder before the first export: the chooser opened in the program's
    own folder (found on a real X server)."""
    opened_at: list[str] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QFileDialog)
        opened_at.append(dialog.directory().absolutePath())
        dialog.reject()

    QTimer.singleShot(0, act)
    assert file_dialogs.existing_folder(None, "选择文件夹", str(tmp_path / "月报" / "2026")) == ""
    assert opened_at == [str(tmp_path)]
