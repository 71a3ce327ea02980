"""``python main.py rebuild-tally --db PATH``: the analysis tally (投诉分析's monthly counts)
computed again from the case rows, for when ``main.py verify`` reports that it disagrees with
the cases. The tally is derived data kept by every save in the same transaction, so this is
only needed after the file was changed behind the app's back. Close the app first (the file
is locked while it is open). Exit 0 rebuilt, 2 refused (file in use, missing or damaged).
"""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.db_target import DB_HELP, DatabaseTarget


def add_tally_command(subparsers: Any) -> None:
    command = subparsers.add_parser("rebuild-tally", help="按案件重新计算投诉分析的月度统计")
    command.add_argument("--db", dest="command_db", metavar="PATH|URL", help=DB_HELP)


def run_rebuild_tally(args: argparse.Namespace, target: DatabaseTarget) -> int:
    """A file is locked against the app for the rebuild; on a server, where other desks work
    meanwhile, the rebuild is one unit of work, which holds the write lock, so no save
    interleaves with it."""
    del args
    from desktop_app.cli_open import with_the_file_locked

    return with_the_file_locked(target, lambda: _rebuild(target))


def _rebuild(target: DatabaseTarget) -> int:
    from desktop_app.cli_open import on_the_desk
    from desktop_app.services import case_tally
    from desktop_app.services.unit_of_work import UnitOfWork

    def rebuild(desk: Any) -> int:
        with UnitOfWork(desk.db) as uow:
            entries = case_tally.rebuild()
            uow.commit()
        print(f"投诉分析的月度统计已按案件重新计算:{entries} 条")
        return 0

    return on_the_desk(target, rebuild)
