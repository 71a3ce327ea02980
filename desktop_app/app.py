"""Start-up: parse the command line, open the database, run the window or a command.

python main.py [--db PATH]               the app, on the default or given database
python main.py --demo                    the app on a fresh demo database
python main.py demo-data --db PATH ...   fill a database with synthetic data
python main.py restore --db PATH --from BACKUP
python main.py backups --db PATH         list the backups of a database
python main.py verify --db PATH          check the register's hash chain (exit 3 if tampered)
python main.py report {summary,returns,special,quality,stats,all} --month YYYY-MM --db PATH
                                         --out FOLDER
python main.py warnings --db PATH        list the open early warnings, one a line
python main.py report chargebacks --month YYYY-MM --db PATH --out FOLDER
                                         one 《供应商质量扣款通知单》 per supplier with lines
python main.py privacy --db PATH [--erase-due | --erase-phone PHONE --reason TEXT]
python main.py rebuild-tally --db PATH    the analysis tally again from the cases (see verify)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from desktop_app import APP_TITLE, __version__, error_log
from desktop_app.cli_catalog import add_catalog_commands, run_catalog
from desktop_app.cli_privacy import add_privacy_command, run_privacy
from desktop_app.cli_tally import add_tally_command, run_rebuild_tally
from desktop_app.cli_warnings import add_warnings_command, run_warnings
from desktop_app.paths import default_database_path, demo_database_path, log_dir

# Not one of the month-end package's reports (kinds.py): one file per supplier, for suppliers.
CHARGE_BACK_NOTICES = "chargebacks"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description=APP_TITLE)
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("--db", type=Path, help="数据库文件(默认在用户数据目录)")
    parser.add_argument("--demo", action="store_true", help="打开一个新建的演示数据库")
    parser.add_argument("--smoke-test", action="store_true", help="打开数据库和主窗口后立即退出")
    # For bench/startup.py: log in as USER:PASSWORD, show the window, print the time, quit.
    parser.add_argument("--bench-login", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command")

    demo = commands.add_parser("demo-data", help="生成可重复的演示数据")
    demo.add_argument("--db", type=Path, required=True, dest="command_db")
    demo.add_argument("--cases", type=int, default=2000)
    demo.add_argument("--seed", type=int, default=1)

    restore = commands.add_parser("restore", help="用备份恢复数据库(先关闭程序)")
    restore.add_argument("--db", type=Path, dest="command_db")
    restore.add_argument("--from", type=Path, required=True, dest="source")

    listing = commands.add_parser("backups", help="列出数据库的备份")
    listing.add_argument("--db", type=Path, dest="command_db")

    verify = commands.add_parser("verify", help="校验登记簿是否被改动(只读,不改动文件)")
    verify.add_argument("--db", type=Path, dest="command_db")
    verify.add_argument(
        "--head", action="append", default=[], metavar="N:HEX",
        help="报表或登记表上印的登记簿校验码(可多次给出)",
    )
    verify.add_argument(
        "--since-last", action="store_true",
        help="只校验上次校验通过以来的新记录及其涉及的案件(没有上次记录时校验全部)",
    )

    from desktop_app.reports.kinds import REPORT_KINDS

    report = commands.add_parser(
        "report", help="生成月度报表(PDF 和 Excel)",
        description="; ".join(f"{kind.key}: {kind.title}" for kind in REPORT_KINDS)
        + "; all: 全部报表(汇总在前)和 Excel 工作簿"
        + f"; {CHARGE_BACK_NOTICES}: 每个供应商一份《供应商质量扣款通知单》(该月有质量退货的)",
    )
    report.add_argument(
        "which", choices=[*(kind.key for kind in REPORT_KINDS), "all", CHARGE_BACK_NOTICES]
    )
    report.add_argument("--month", help="报表月份 YYYY-MM(默认上个月)")
    report.add_argument("--db", type=Path, dest="command_db")
    report.add_argument("--out", type=Path, required=True, help="输出文件夹")
    add_catalog_commands(commands)
    add_warnings_command(commands)
    add_privacy_command(commands)
    add_tally_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Before anything else, so that no error anywhere goes unrecorded (the GUI adds its box).
    error_log.install(error_log.logging_handler(error_log.ErrorLog(log_dir)))
    args = build_parser().parse_args(argv)
    if args.command == "demo-data":
        return run_demo_data(args.command_db, args.cases, args.seed)
    if args.command == "restore":
        db_path = args.command_db or args.db
        return run_restore(db_path or default_database_path(), args.source, db_path is None)
    if args.command == "backups":
        return run_list_backups(args.command_db or args.db or default_database_path())
    if args.command == "verify":
        return run_verify(
            args.command_db or args.db or default_database_path(), args.head, args.since_last
        )
    if args.command == "report":
        db_path = args.command_db or args.db or default_database_path()
        return run_report(db_path, args.which, args.month, args.out)
    if args.command == "catalog":
        return run_catalog(args, args.command_db or args.db or default_database_path())
    if args.command == "warnings":
        return run_warnings(args, args.command_db or args.db or default_database_path())
    if args.command == "privacy":
        return run_privacy(args, args.command_db or args.db or default_database_path())
    if args.command == "rebuild-tally":
        return run_rebuild_tally(args, args.command_db or args.db or default_database_path())
    return run_gui(args)


def run_demo_data(path: Path, cases: int, seed: int) -> int:
    from desktop_app.domain.errors import DeskError
    from desktop_app.services.database_file import IN_USE_MESSAGE, take_lock
    from desktop_app.services.demo_data import fill_demo_database

    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        lock = take_lock(path, IN_USE_MESSAGE)
    except DeskError as error:
        print(error, file=sys.stderr)
        return 2
    bar = ProgressBar("生成演示数据")
    with lock:
        summary = fill_demo_database(path, cases=cases, seed=seed, progress=bar.show)
    bar.close()
    print(f"演示数据已写入 {path}")
    print(summary)
    return 0




def run_restore(db_path: Path, source: Path, is_default: bool = False) -> int:
    """Exit 0 restored, 2 refused (nothing changed): bad backup, app still open, bad folder."""
    from desktop_app.domain.errors import DeskError
    from desktop_app.services.database_file import restore_database

    try:
        safety = restore_database(source, db_path, datetime.now(), create_folder=is_default)
    except DeskError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"已用 {source} 恢复 {db_path}")
    if safety is not None:
        print(f"恢复前的数据库另存为 {safety}")
    return 0


def run_list_backups(db_path: Path) -> int:
    from desktop_app.store.backup import list_backups

    for backup in list_backups(db_path):
        print(backup)
    return 0


def run_verify(db_path: Path, heads: Sequence[str] = (), since_last: bool = False) -> int:
    """0 when the register is intact, 3 when it was changed behind the app's back, 2 when the
    file cannot be read as a register. Opens the file read-only; the mark of a clean check goes
    beside the anchor file, never into the database."""
    from desktop_app.domain.register import Anchor
    from desktop_app.services.register_service import RegisterService
    from desktop_app.store.connection import close_database
    from desktop_app.store.migrations import SCHEMA_VERSION
    from desktop_app.store.readonly import UnreadableRegisterError, open_read_only

    try:
        anchors = [Anchor.parse(text, "校验码") for text in heads]
    except ValueError as error:
        print(f"校验码格式应为「条目编号:十六进制」,如 1234:0f3a9c2b7d41e588;收到 {error}",
              file=sys.stderr)
        return 2
    try:
        db = open_read_only(db_path, SCHEMA_VERSION)
    except UnreadableRegisterError as error:
        print(error, file=sys.stderr)
        return 2
    bar = ProgressBar("校验登记簿")
    try:
        service = RegisterService(db, db_path)
        if since_last:
            report = service.verify_since_last(anchors, bar.show)
        else:
            report = service.verify(anchors, bar.show)
    finally:
        close_database()
    bar.close()
    print(report.message)
    return 0 if report.ok else 3


class ProgressBar:
    """A one-line bar on standard error: ``校验登记簿 [#####.....]  52%  8.1 s``."""

    WIDTH = 30

    def __init__(self, label: str) -> None:
        import time

        self._label = label
        self._started = time.perf_counter()
        self._shown = False

    def show(self, done: int, total: int) -> None:
        import time

        share = done / total if total else 1.0
        filled = int(share * self.WIDTH)
        seconds = time.perf_counter() - self._started
        print(
            f"\r{self._label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {share:4.0%}"
            f"  {done:,}/{total:,}  {seconds:.1f} s",
            end="", file=sys.stderr, flush=True,
        )
        self._shown = True

    def close(self) -> None:
        if self._shown:
            print(file=sys.stderr)


def run_report(db_path: Path, which: str, month_text: str | None, out: Path) -> int:
    """Month-end reports without the window, for a scheduled task."""
    from desktop_app.domain.errors import DeskError
    from desktop_app.domain.report_figures import Month
    from desktop_app.services.database import open_desk_database
    from desktop_app.services.desk import build_desk
    from desktop_app.services.reports import REPORT_KINDS
    from desktop_app.store.connection import close_database

    if not db_path.exists():
        print(f"没有找到数据库 {db_path}", file=sys.stderr)
        return 2
    now = datetime.now()
    try:
        month = Month.parse(month_text) if month_text else Month.before(now.date())
        opened = open_desk_database(db_path, now, daily_backup=False)
    except DeskError as error:
        print(error, file=sys.stderr)
        return 2
    kinds = [kind.key for kind in REPORT_KINDS] if which == "all" else [which]
    try:
        desk = build_desk(opened.db, db_path)
        if which == CHARGE_BACK_NOTICES:
            written = desk.charge_backs.export_notices(month, out, now)
        else:
            written = desk.reports.export(month, kinds, out, now, workbook=which == "all")
        from desktop_app.services.privacy import COMMAND_LINE

        desk.privacy.record_export(COMMAND_LINE, f"月度报表 {month.label}", written)
    finally:
        close_database()
    if which == CHARGE_BACK_NOTICES and not written:
        print(f"{month.label}没有质量退货扣款,未生成通知单", file=sys.stderr)
    for path in written:
        print(path)
    return 0


def run_gui(args: argparse.Namespace) -> int:
    """Claim the file and start a small file's page check before Qt is even imported."""
    from desktop_app.domain.errors import DeskError
    from desktop_app.services.database_file import PageCheck, claim_database

    db_path = args.db or default_database_path()
    try:
        if args.demo:
            db_path = prepare_demo_database(args.db)
        # Only the default data folder is made on demand (and a fresh folder for the packaged
        # build's smoke test); a --db into a folder that does not exist is a typo to report.
        made_here = args.db is None or args.demo or args.smoke_test
        claimed = claim_database(db_path, create_folder=made_here)
    except DeskError as error:
        from desktop_app.ui.controller import refuse

        return refuse(str(error), smoke_test=args.smoke_test)
    try:
        # SQLite reads the pages with the GIL released: the check overlaps loading Qt.
        smoke_check = args.smoke_test and claimed.found is not None
        check = PageCheck(db_path) if claimed.check_before_login or smoke_check else None
        from desktop_app.ui.controller import run_application

        return run_application(
            claimed,
            check,
            smoke_test=args.smoke_test,
            bench_login=args.bench_login,
        )
    finally:
        claimed.release()


# About a year of complaints at one store's desk: enough to look alive, quick to build.
DEMO_DESK_CASES = 1000


def prepare_demo_database(path: Path | None) -> Path:
    """A fresh demo database each time, so a newcomer always sees the same living desk."""
    from desktop_app.services.database_file import IN_USE_MESSAGE, take_lock
    from desktop_app.services.demo_data import fill_demo_database

    target = path or demo_database_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Never pull the file from under a demo window that is still open.
    with take_lock(target, IN_USE_MESSAGE):
        for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        fill_demo_database(target, cases=DEMO_DESK_CASES, seed=1)
    return target
