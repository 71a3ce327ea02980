"""``python main.py privacy``: customers' personal data without the window.

python main.py privacy --db PATH                                what is due, what was erased
python main.py privacy --db PATH --erase-due                    erase what is past its period
python main.py privacy --db PATH --erase-phone PHONE --reason TEXT
                                                                erase one customer on request

Erasing needs the database to itself (close the app first; the app also erases what is due at
every start). After an erasure the backups are scrubbed and those older than the period removed.
Exit codes: 0 done; 2 nothing changed or not everything asked could be done (a Chinese message
on stderr: no such database, the app has it open, a bad phone, no reason, no such customer,
cases still open). Heavy imports wait until the command runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop_app.cli_open import on_the_desk
from desktop_app.db_target import DB_HELP, DatabaseTarget

SHOWN = 200
IN_USE = (
    "服务台程序正在使用这个数据库,现在不能删除:\n{path}\n\n"
    "请先退出程序(所有窗口)再运行;程序每天启动时也会自动删除保留期已过的个人信息。"
)


def add_privacy_command(subparsers: Any) -> None:
    """Register ``privacy`` on the app's sub-command parser."""
    command = subparsers.add_parser(
        "privacy", help="顾客个人信息:列出到期和已删除的,删除到期的,按顾客申请删除"
    )
    command.add_argument("--db", dest="command_db", metavar="PATH|URL", help=DB_HELP)
    what = command.add_mutually_exclusive_group()
    what.add_argument("--erase-due", action="store_true", help="删除保留期限已过的顾客姓名和电话")
    what.add_argument("--erase-phone", metavar="PHONE", help="按顾客申请删除该电话的全部已结案案件")
    command.add_argument("--reason", default="", help="按申请删除的原因(如书面申请的编号和日期)")


def run_privacy(args: argparse.Namespace, target: DatabaseTarget) -> int:
    if not target.exists():
        return _fail(f"没有找到数据库 {target.label()}")
    if args.erase_phone is not None and not args.reason.strip():
        return _fail("请用 --reason 写明删除原因(如顾客书面申请的编号和日期)")
    if not (args.erase_due or args.erase_phone is not None):
        return _listing(target)
    if target.on_server:
        # The server serialises writers itself (every unit of work takes its write lock).
        return _erase(args, target)
    from desktop_app.domain.errors import DeskError
    from desktop_app.services.database_file import take_lock

    try:
        lock = take_lock(target.path, IN_USE)
    except DeskError as error:
        return _fail(str(error))
    with lock:
        return _erase(args, target)


def _listing(target: DatabaseTarget) -> int:
    return on_the_desk(target, _list)


def _list(desk: Any) -> int:
    print(f"个人信息保留期限:{desk.privacy.policy().describe()}")
    due = desk.privacy.due()
    print(f"到期待删除:{len(due)} 个案件")
    for case in due[:SHOWN]:
        kind = "商品/食品" if case.food else "其他"
        print(f"  {case.case_no}  结案 {case.closed_on}  {kind}  应于 {case.erase_on} 删除")
    _more(len(due))
    erased = desk.privacy.erased()
    print(f"已删除:{len(erased)} 个案件")
    for item in erased[-SHOWN:]:
        print(f"  {item.at}  {item.actor}  {item.case_no}  {item.basis}  {item.reason}")
    _more(len(erased))
    if desk.privacy.free_space_cleanup_due():
        print("数据库文件的空闲空间可能仍留有早先版本写入的旧记录碎片;"
              "运行 --erase-due 时会整理文件(VACUUM)。")
    return 0


def _erase(args: argparse.Namespace, target: DatabaseTarget) -> int:
    return on_the_desk(target, lambda desk: _erase_on(args, desk))


def _erase_on(args: argparse.Namespace, desk: Any) -> int:
    from desktop_app.domain.errors import DeskError
    from desktop_app.services.privacy import COMMAND_LINE

    try:
        if args.erase_due:
            result = desk.privacy.erase_due(COMMAND_LINE)
        else:
            result = desk.privacy.erase_phone(COMMAND_LINE, args.erase_phone, args.reason)
        if desk.privacy.clean_free_space():
            print("已整理数据库文件,空闲空间中不再留有旧记录")
        care = desk.privacy.care_for_backups()
    except DeskError as error:
        return _fail(str(error))
    for line in result.lines():
        print(line)
    for path, count in care.scrubbed:
        print(f"已清除备份 {path.name} 中 {count} 个案件的顾客姓名和电话")
    for path in care.removed:
        print(f"已删除过期或无法清除的备份 {path.name}")
    for path, problem in care.problems:
        print(f"未能清除备份 {path.name}:{problem}", file=sys.stderr)
    if result.not_erased or care.problems:
        return 2
    return 0


def _more(count: int) -> None:
    if count > SHOWN:
        print(f"  ……共 {count} 个,只列出 {SHOWN} 个")


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2
