"""What a start reads before the login dialog shows (issue 18: the dialog within 1.3× of a bare
Qt window). The service layer, peewee and the drivers load while the dialog waits for the
password; a top-level import that pulls them in front of it once doubled the time to the
dialog. This holds the line without timing anything."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Loaded by the desk loader after the dialog is on screen, or by commands that need them.
NOT_BEFORE_THE_DIALOG = (
    "peewee", "psycopg2", "desktop_app.services.desk", "desktop_app.services.register",
    "desktop_app.store.connection", "reportlab", "openpyxl", "orjson", "multiprocessing",
    "asyncio", "tomllib", "desktop_app.domain.report_figures", "desktop_app.ui.main_window",
    # 13 ms: the anchors' module brought it in front of the dialog through the backups' care.
    "desktop_app.domain.register",
)


def test_nothing_heavy_is_read_before_the_login_dialog() -> None:
    # What run_gui has imported when it calls run_application: main.py's module, the command
    # line parsed, the database claimed, the controller (login dialog, loader) imported.
    code = (
        "import json, sys\n"
        "sys.argv = ['main.py']\n"
        "import desktop_app.app as app\n"
        "app.build_parser().parse_args([])\n"
        "import desktop_app.services.database_file, desktop_app.ui.controller\n"
        f"loaded = [m for m in {list(NOT_BEFORE_THE_DIALOG)!r} if m in sys.modules]\n"
        # PySide builds its whole Qt namespace (~11 ms) the first time ``Qt`` is touched.
        "import PySide6.QtCore\n"
        "print(json.dumps(loaded + (['Qt'] if 'Qt' in vars(PySide6.QtCore) else [])))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert json.loads(result.stdout) == []
