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
python main.py head-office-account --db URL --username NAME --name 显示名
                                         head office's own account (only head office makes it)
python main.py migrate-to --db SQLITE_FILE --to postgresql://user@host:port/dbname
                                         copy a store's register onto a server, check the head
python main.py stores --month YYYY-MM --db URL --db URL ...
                                         head office: one line per store, each from its own
                                         database

Every --db takes a SQLite file or postgresql://user@host:port/dbname; without --db the
settings file desk.toml chooses (desktop_app/db_target.py), else the user's data folder.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from desktop_app import APP_TITLE, __version__, error_log
from desktop_app.cli_catalog import add_catalog_commands, run_catalog
from desktop_app.cli_head_office import add_head_office_command, run_head_office_account
from desktop_app.cli_privacy import add_privacy_command, run_privacy
from desktop_app.cli_stores import add_stores_command, run_stores
from desktop_app.cli_tally import add_tally_command, run_rebuild_tally
from desktop_app.cli_warnings import add_warnings_command, run_warnings
from desktop_app.db_target import DB_HELP, DatabaseTarget, SettingsError, resolve_target
from desktop_app.paths import demo_database_path, log_dir

# Not one of the month-end package's reports (kinds.py): one file per supplier, for suppliers.
CHARGE_BACK_NOTICES = "chargebacks"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description=APP_TITLE)
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("--db", help=DB_HELP)
    parser.add_argument("--demo", action="store_true", help="打开一个新建的演示数据库")
    parser.add_argument("--smoke-test", action="store_true", help="打开数据库和主窗口后立即退出")
    # For bench/startup.py: log in as USER:PASSWORD, show the window, print the time, quit.
    parser.add_argument("--bench-login", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command")

    demo = commands.add_parser("demo-data", help="生成可重复的演示数据")
    demo.add_argument("--db", required=True, dest="command_db", help=DB_HELP)
    demo.add_argument("--cases", type=int, default=2000)
    demo.add_argument("--seed", type=int, default=1)

    restore = commands.add_parser("restore", help="用备份恢复数据库(先关闭程序)")
    restore.add_argument("--db", dest="command_db", help=DB_HELP)
    restore.add_argument("--from", type=Path, required=True, dest="source")

    listing = commands.add_parser("backups", help="列出数据库的备份")
    listing.add_argument("--db", dest="command_db", help=DB_HELP)

    verify = commands.add_parser("verify", help="校验登记簿是否被改动(只读,不改动文件)")
    verify.add_argument("--db", dest="command_db", help=DB_HELP)
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
    report.add_argument("--db", dest="command_db", help=DB_HELP)
    report.add_argument("--out", type=Path, required=True, help="输出文件夹")
    add_catalog_commands(commands)
    add_warnings_command(commands)
    add_privacy_command(commands)
    add_tally_command(commands)
    add_head_office_command(commands)
    add_stores_command(commands)
    copy = commands.add_parser(
        "migrate-to", help="把门店的 SQLite 登记簿复制到 PostgreSQL 服务器并核对校验码"
    )
    copy.add_argument("--db", dest="command_db", required=True, help="SQLite 数据库文件")
    copy.add_argument("--to", required=True, help="postgresql://用户@主机:端口/库名(须为空库)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Before anything else, so that no error anywhere goes unrecorded (the GUI adds its box).
    error_log.install(error_log.logging_handler(error_log.ErrorLog(log_dir)))
    args = build_parser().parse_args(argv)
    if args.command == "stores":
        return run_stores(args)
    # Callers of main() may pass Path objects; argparse then keeps them as they are.
    given = str(getattr(args, "command_db", None) or args.db or "") or None
    try:
        target = resolve_target(given)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    if args.command == "migrate-to":
        from desktop_app.cli_migrate import run_migrate_to

        return run_migrate_to(target, args.to)
    if args.command in ("demo-data", "restore", "backups") and target.on_server:
        print("服务器上的数据库由服务器管理员备份和恢复(pg_dump / pg_restore);"
              "演示数据请写入 SQLite 文件", file=sys.stderr)
        return 2
    if args.command == "demo-data":
        return run_demo_data(target.path, args.cases, args.seed)
    if args.command == "restore":
        return run_restore(target.path, args.source, given is None)
    if args.command == "backups":
        return run_list_backups(target.path)
    if args.command == "verify":
        return run_verify(target, args.head, args.since_last)
    if args.command == "report":
        return run_report(target, args.which, args.month, args.out)
    if args.command == "catalog":
        return run_catalog(args, target)
    if args.command == "warnings":
        return run_warnings(args, target)
    if args.command == "privacy":
        return run_privacy(args, target)
    if args.command == "rebuild-tally":
        return run_rebuild_tally(args, target)
    if args.command == "head-office-account":
        return run_head_office_account(args, target)
    return run_gui(args, target)


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
        try:
            summary = fill_demo_database(path, cases=cases, seed=seed, progress=bar.show)
        except DeskError as error:
            print(error, file=sys.stderr)
            return 2
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


def run_verify(target: DatabaseTarget, heads: Sequence[str] = (), since_last: bool = False) -> int:
    """0 when the register is intact, 3 when it was changed behind the app's back, 2 when the
    file cannot be read as a register. Opens the file (or the server's database) read-only; the
    mark of a clean check goes beside the anchor file, never into the database."""
    from desktop_app.cli_open import open_for_reading
    from desktop_app.domain.register import Anchor
    from desktop_app.services.register_service import RegisterService
    from desktop_app.store.connection import close_database
    from desktop_app.store.readonly import DAMAGED_WHILE_READING, UnreadableRegisterError

    try:
        anchors = [Anchor.parse(text, "校验码") for text in heads]
    except ValueError as error:
        print(f"校验码格式应为「条目编号:十六进制」,如 1234:0f3a9c2b7d41e588;收到 {error}",
              file=sys.stderr)
        return 2
    try:
        db = open_for_reading(target)
    except UnreadableRegisterError as error:
        print(error, file=sys.stderr)
        return 2
    bar = ProgressBar("校验登记簿")
    try:
        service = RegisterService(db, target.path)
        if since_last:
            report = service.verify_since_last(anchors, bar.show)
        else:
            report = service.verify(anchors, bar.show)
    except DAMAGED_WHILE_READING as error:
        # A page damaged inside the file shows only when it is read.
        bar.close()
        print(f"{target.path} 读到一半出错,文件已损坏:{error}。请从备份恢复(main.py restore)",
              file=sys.stderr)
        return 2
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


def run_report(target: DatabaseTarget, which: str, month_text: str | None, out: Path) -> int:
    """Month-end reports without the window, for a scheduled task."""
    from desktop_app.cli_open import open_desk
    from desktop_app.domain.errors import DeskError
    from desktop_app.domain.report_figures import Month
    from desktop_app.services.reports import REPORT_KINDS

    if not target.exists():
        print(f"没有找到数据库 {target.path}", file=sys.stderr)
        return 2
    now = datetime.now()
    try:
        month = Month.parse(month_text) if month_text else Month.before(now.date())
        desk, close = open_desk(target, now)
    except DeskError as error:
        print(error, file=sys.stderr)
        return 2
    kinds = [kind.key for kind in REPORT_KINDS] if which == "all" else [which]
    try:
        if which == CHARGE_BACK_NOTICES:
            written = desk.charge_backs.export_notices(month, out, now)
        else:
            written = desk.reports.export(month, kinds, out, now, workbook=which == "all")
        from desktop_app.services.privacy import COMMAND_LINE

        desk.privacy.record_export(COMMAND_LINE, f"月度报表 {month.label}", written)
    finally:
        close()
    if which == CHARGE_BACK_NOTICES and not written:
        print(f"{month.label}没有质量退货扣款,未生成通知单", file=sys.stderr)
    for path in written:
        print(path)
    return 0


def run_gui(args: argparse.Namespace, target: DatabaseTarget) -> int:
    """Claim the file and start a small file's page check before Qt is even imported."""
    from desktop_app.domain.errors import DeskError
    from desktop_app.paths import default_database_path
    from desktop_app.services.database_file import PageCheck, claim_database, claim_server

    db_path = target.path
    try:
        if args.demo:
            db_path = prepare_demo_database(Path(args.db) if args.db else None)
        # Only the default data folder is made on demand (and a fresh folder for the packaged
        # build's smoke test); a --db into a folder that does not exist is a typo to report.
        made_here = db_path == default_database_path() or args.demo or args.smoke_test
        if target.url is not None and not args.demo:
            claimed = claim_server(target.url, target.path)
        else:
            claimed = claim_database(db_path, create_folder=made_here)
        claimed.store_code = target.store_code
    except DeskError as error:
        from desktop_app.ui.controller import refuse

        return refuse(str(error), smoke_test=args.smoke_test)
    try:
        # SQLite reads the pages with the GIL released: the check overlaps loading Qt.
        smoke_check = args.smoke_test and claimed.found is not None and claimed.url is None
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
    from desktop_app.services.demo_data import fill_demo_database, refuse_a_real_store

    target = path or demo_database_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Never pull the file from under a demo window that is still open, nor a store's own
    # register from under the store (--demo --db with the wrong path).
    with take_lock(target, IN_USE_MESSAGE):
        refuse_a_real_store(target)
        for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        fill_demo_database(target, cases=DEMO_DESK_CASES, seed=1)
    return target
