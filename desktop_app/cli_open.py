"""How the command-line tools open their database: a SQLite file or a PostgreSQL server
(``--db postgresql://…`` or the settings file, desktop_app.db_target)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any

from desktop_app.db_target import DatabaseTarget


def open_for_reading(target: DatabaseTarget) -> Any:
    """The register opened so that nothing can be written (verify, warnings); raises
    ``UnreadableRegisterError`` with a Chinese message."""
    from desktop_app.store.migrations import SCHEMA_VERSION
    from desktop_app.store.readonly import open_read_only, open_server_read_only

    if target.url is not None:
        return open_server_read_only(target.url, SCHEMA_VERSION)
    return open_read_only(target.path, SCHEMA_VERSION)


def open_desk(target: DatabaseTarget, now: datetime | None = None) -> tuple[Any, Any]:
    """(desk, close) on the target, migrated; no daily backup (a command is not the day's
    first opening). Raises ``DeskError``."""
    from desktop_app.services.database import open_desk_database, open_desk_server
    from desktop_app.services.desk import build_desk
    from desktop_app.store.connection import close_database

    moment = now or datetime.now()
    if target.url is not None:
        opened = open_desk_server(target.url, target.path, moment)
    else:
        opened = open_desk_database(target.path, moment, daily_backup=False)
    desk = build_desk(opened.db, target.path)
    try:
        desk.settings.claim_store_code(target.store_code)
    except BaseException:
        close_database()
        raise
    return desk, close_database


def on_the_desk(target: DatabaseTarget, work: Callable[[Any], int]) -> int:
    """``work(desk)`` on the target's desk, closed afterwards; a desk that cannot be opened is
    its Chinese message on stderr and exit code 2."""
    from desktop_app.domain.errors import DeskError

    try:
        desk, close = open_desk(target)
    except DeskError as error:
        print(error, file=sys.stderr)
        return 2
    try:
        return work(desk)
    finally:
        close()


def with_the_file_locked(target: DatabaseTarget, run: Callable[[], int]) -> int:
    """``run`` with a SQLite file locked against the app (the file must exist); on a server,
    where other desks work meanwhile, as it is (a unit of work holds the write lock). Exit
    code 2 when the file is missing or in use."""
    from desktop_app.domain.errors import DeskError
    from desktop_app.services.database_file import IN_USE_MESSAGE, take_lock

    if target.on_server:
        return run()
    if not target.path.exists():
        print(f"没有找到数据库 {target.path}", file=sys.stderr)
        return 2
    try:
        lock = take_lock(target.path, IN_USE_MESSAGE)
    except DeskError as error:
        print(error, file=sys.stderr)
        return 2
    with lock:
        return run()
