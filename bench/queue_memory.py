"""Memory of the case queue on a 1,000,000-case register, beside a bare lazy table (issue 18).

Each side runs in a process of its own, on the same register file, one after the other:

  app    the main window of a clerk, on the queue (the page the desk opens on), its rows
         read page by page as the clerk scrolls down ``--rows`` rows
  bare   a QMainWindow with a QTableView over a minimal lazy model (canFetchMore /
         fetchMore, 200 rows a page) reading the same ten columns of the same cases, newest
         first, with the standard library's sqlite3: no peewee, no services, no other page

Both print their resident memory (VmRSS) once the window is shown and once the rows are read,
and their peak (VmHWM). Target: the app's resident memory ≤ 1.5× the bare table's.

    .venv/bin/python bench/queue_memory.py --db REGISTER [--rows 2000] [--runs 3]

The register is opened as it is (no backup, no page check: those are measured in
bench/backup.py); nothing is written to it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE = 200
# The ten columns the queue shows, as the bare table reads them (names and labels joined in).
BARE_SQL = (
    'SELECT c.case_no, c.received_at, c.customer_name, c.customer_phone, c.category, c.kind, '
    'c.status, COALESCE(d.name, \'\'), c.product_name, c.promised_reply_date '
    'FROM "case" c LEFT JOIN department d ON d.id = c.department_id '
    "ORDER BY c.received_at DESC, c.id DESC LIMIT ? OFFSET ?"
)


def memory_mib() -> dict[str, float]:
    """VmRSS and VmHWM of this process, MiB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found


def scroll_down(app: Any, view: Any, model: Any, rows: int) -> int:
    """Scroll ``view`` to its end until ``rows`` rows are read (Qt fetches more on the way)."""
    while model.rowCount() < rows and model.canFetchMore():
        view.scrollToBottom()
        app.processEvents()
        if model.canFetchMore():
            model.fetchMore()
    return int(model.rowCount())


def app_child(db: Path, rows: int) -> dict[str, Any]:
    import importlib
    from datetime import datetime

    # As the app starts: its Qt package first (it sets up PySide's import hook), then Qt.
    importlib.import_module("desktop_app.ui")
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from desktop_app.domain.roles import Role
    from desktop_app.services.database import open_desk_database
    from desktop_app.services.desk import build_desk
    from desktop_app.ui.main_window import MainWindow

    opened = open_desk_database(db, datetime.now(), daily_backup=False, check_pages=False)
    desk = build_desk(opened.db, db)
    clerk = next(a for a in desk.accounts.list_accounts() if a.role is Role.CLERK)
    window = MainWindow(desk, clerk)
    window.resize(1280, 760)
    window.show()
    page = window.show_page("案件队列")
    for _ in range(20):
        app.processEvents()
    shown = memory_mib()
    read = scroll_down(app, page.table, page.model, rows)
    return {"shown": shown, "read": memory_mib(), "rows": read}


def bare_child(db: Path, rows: int) -> dict[str, Any]:
    import sqlite3

    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    class LazyModel(QAbstractTableModel):
        def __init__(self, connection: sqlite3.Connection) -> None:
            super().__init__()
            self._connection = connection
            self._rows: list[tuple[Any, ...]] = []
            self._done = False
            self._rows = self._page()

        def _page(self) -> list[tuple[Any, ...]]:
            got = self._connection.execute(BARE_SQL, (PAGE, len(self._rows))).fetchall()
            self._done = len(got) < PAGE
            return got

        def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802
            return 0 if parent.isValid() else len(self._rows)

        def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802
            return 10

        def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            if role != Qt.ItemDataRole.DisplayRole:
                return None
            return self._rows[index.row()][index.column()]

        def canFetchMore(self, parent: Any = QModelIndex()) -> bool:  # noqa: B008, N802
            return not self._done

        def fetchMore(self, parent: Any = QModelIndex()) -> None:  # noqa: B008, N802
            more = self._page()
            if more:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
                self._rows.extend(more)
                self.endInsertRows()

    app = QApplication([])
    connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    window = QMainWindow()
    view = QTableView()
    model = LazyModel(connection)
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1280, 760)
    window.show()
    for _ in range(20):
        app.processEvents()
    shown = memory_mib()
    read = scroll_down(app, view, model, rows)
    return {"shown": shown, "read": memory_mib(), "rows": read}


def run_child(side: str, db: Path, rows: int) -> dict[str, Any]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    result = subprocess.run(
        [sys.executable, __file__, "--child", side, "--db", str(db), "--rows", str(rows)],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{side} failed:\n{result.stdout}\n{result.stderr}")
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=("app", "bare"))
    arguments = parser.parse_args()
    if arguments.child:
        child = app_child if arguments.child == "app" else bare_child
        print(json.dumps(child(arguments.db, arguments.rows)))
        return
    runs: dict[str, list[dict[str, Any]]] = {"app": [], "bare": []}
    for _ in range(arguments.runs):
        for side in ("bare", "app"):
            runs[side].append(run_child(side, arguments.db, arguments.rows))

    def median(side: str, moment: str, key: str) -> float:
        return statistics.median(run[moment][key] for run in runs[side])

    print(f"register: {arguments.db} ({arguments.db.stat().st_size / 2**20:,.0f} MiB), "
          f"median of {arguments.runs} runs; rows read: app {runs['app'][0]['rows']:,}, "
          f"bare {runs['bare'][0]['rows']:,}")
    print(f"\n{'resident memory, MiB':<44} {'app':>8} {'bare':>8} {'ratio':>7} {'target':>8}")
    for label, moment, key in (("queue shown", "shown", "VmRSS"),
                               (f"after scrolling {arguments.rows:,} rows", "read", "VmRSS"),
                               ("peak (VmHWM)", "read", "VmHWM")):
        app, bare = median("app", moment, key), median("bare", moment, key)
        print(f"{label:<44} {app:8.1f} {bare:8.1f} {app / bare:6.2f}× {'≤ 1.5×':>8}")


if __name__ == "__main__":
    main()
