"""``python main.py migrate-to --db SQLITE_FILE --to postgresql://…``: move a store onto a server.

The file is checked first (verify, read-only); the target must be an empty database. The copy
is made in one transaction and then verified on the server against the file's head, so the
copy holds the same register (the same chain head) or the command says it does not.

Exit codes: 0 copied and verified, same head; 2 refused (no file, target not empty, cannot
connect, file not a register of this version); 3 the file does not verify, or the copy's head
or verification differs from the file's.
"""

from __future__ import annotations

import sys
import time

from desktop_app.db_target import DatabaseTarget, is_server_url, server_stand_in


def run_migrate_to(source: DatabaseTarget, url: str) -> int:
    if source.on_server:
        return _fail("--db 应为要复制的 SQLite 数据库文件")
    if not is_server_url(url):
        return _fail("--to 应为 postgresql://用户@主机:端口/库名")
    if not source.path.exists():
        return _fail(f"没有找到数据库 {source.path}")
    from desktop_app.domain.errors import DeskError

    try:
        source_head = _check_source(source)
        if source_head is None:
            return 3
        started = time.perf_counter()
        copied, target_head, report = _copy(source, url, source_head)
    except DeskError as error:
        return _fail(str(error))
    took = time.perf_counter() - started
    total = sum(copied.values())
    print(f"已复制 {len(copied)} 张表共 {total} 行,用时 {took:.1f} 秒")
    print(f"源文件登记簿校验码:{source_head}")
    print(f"服务器登记簿校验码:{target_head}")
    print(report)
    if target_head != source_head:
        print("两个校验码不一致:复制的登记簿与源文件不同", file=sys.stderr)
        return 3
    return 0 if report.startswith("✓") else 3


def _check_source(source: DatabaseTarget) -> str | None:
    """The file's head code after it verified; None (and the report printed) when it does
    not verify: a register that was changed behind the app is not carried onto a server."""
    from desktop_app.cli_open import open_for_reading
    from desktop_app.domain.errors import DeskError
    from desktop_app.services.register_service import RegisterService
    from desktop_app.store.connection import close_database
    from desktop_app.store.readonly import UnreadableRegisterError

    try:
        db = open_for_reading(source)
    except UnreadableRegisterError as error:
        raise DeskError(str(error)) from error
    try:
        service = RegisterService(db, source.path)
        report = service.verify()
        head = service.head_code()
    finally:
        close_database()
    if not report.ok:
        print(report.message, file=sys.stderr)
        print("源文件未通过校验,不复制", file=sys.stderr)
        return None
    return head


def _copy(source: DatabaseTarget, url: str, source_head: str) -> tuple[dict[str, int], str, str]:
    from desktop_app.services.database import copy_file_to_server
    from desktop_app.services.register_service import RegisterService
    from desktop_app.store.connection import close_database

    stand_in = server_stand_in(url)
    db, copied = copy_file_to_server(source.path, url, _progress)
    print(file=sys.stderr)
    try:
        from desktop_app.domain.register import Anchor

        service = RegisterService(db, stand_in)
        anchor = [] if source_head.startswith("0:") else [Anchor.parse(source_head, "源文件")]
        report = service.verify(anchor)
        return copied, service.head_code(), _report_line(report.ok, report.message)
    finally:
        close_database()


def _report_line(ok: bool, message: str) -> str:
    return f"{'✓' if ok else '✗'} 服务器上的副本:{message}"


def _progress(table: str, rows: int) -> None:
    print(f"\r{table}: {rows}          ", end="", file=sys.stderr, flush=True)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2
