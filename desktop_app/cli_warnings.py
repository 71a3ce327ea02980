"""``python main.py warnings --db PATH``: the open early warnings, one a line, for a scheduled
check (a task that mails or prints them each morning).

Each line: ``#id raised-at rule:subject,N 天内 M 起 [state·action]``, oldest first. Exit 0
whether or not there are any (a note goes to stderr when there are none); 2 when the file
cannot be read as a register. The file is opened read-only, so the check runs beside the app.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop_app.db_target import DB_HELP, DatabaseTarget


def add_warnings_command(subparsers: Any) -> None:
    command = subparsers.add_parser("warnings", help="列出未关闭的预警(每行一条,供定时检查)")
    command.add_argument("--db", dest="command_db", metavar="PATH|URL", help=DB_HELP)


def run_warnings(args: argparse.Namespace, target: DatabaseTarget) -> int:
    del args
    from desktop_app.cli_open import open_for_reading
    from desktop_app.services.warnings import WarningService
    from desktop_app.store.connection import close_database
    from desktop_app.store.readonly import UnreadableRegisterError

    try:
        db = open_for_reading(target)
    except UnreadableRegisterError as error:
        print(error, file=sys.stderr)
        return 2
    try:
        lines = WarningService(db).open_lines()
    finally:
        close_database()
    for line in lines:
        print(line)
    if not lines:
        print("没有未关闭的预警", file=sys.stderr)
    return 0
