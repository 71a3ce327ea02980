"""``python main.py catalog import|export``: the store's catalogue without the window.

python main.py catalog import --db PATH FILE [--dry-run] [--barcode-column 货号 ...]
python main.py catalog export --db PATH FILE.xlsx

Exit codes: 0 done (refused rows are listed, not an error); 2 the file or the database cannot
be read (a Chinese message on stderr). Heavy imports wait until a command runs, so ``main.py``
starts as fast with these commands registered as without.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from desktop_app.db_target import DB_HELP, DatabaseTarget

# Field value → option name; kept here (not imported from the domain) so parsing stays light.
COLUMN_OPTIONS = {
    "barcode": "条码",
    "name": "商品名称",
    "department": "部门",
    "supplier": "供应商",
    "price": "售价",
    "status": "状态",
}
SHOWN_REFUSALS = 50


def add_catalog_commands(subparsers: Any) -> None:
    """Register ``catalog import`` and ``catalog export`` on the app's sub-command parser."""
    catalog = subparsers.add_parser("catalog", help="门店商品资料:从 Excel/CSV 导入,或导出为 Excel")
    actions = catalog.add_subparsers(dest="catalog_command", required=True)

    importing = actions.add_parser("import", help="导入商品资料(.xlsx 或 .csv,UTF-8 或 GBK)")
    importing.add_argument("--db", dest="command_db", metavar="PATH|URL", help=DB_HELP)
    importing.add_argument("file", type=Path, help="商品资料文件")
    importing.add_argument("--dry-run", action="store_true", help="只显示将会怎样导入,不写入")
    for value, label in COLUMN_OPTIONS.items():
        importing.add_argument(
            f"--{value}-column", dest=f"{value}_column", metavar="列",
            help=f"“{label}”所在的列:表头名称、列字母(C)或列号(3)",
        )

    exporting = actions.add_parser("export", help="导出商品、部门、供应商、员工为一个 .xlsx")
    exporting.add_argument("--db", dest="command_db", metavar="PATH|URL", help=DB_HELP)
    exporting.add_argument("file", type=Path, help="导出的 .xlsx 文件")


def run_catalog(args: argparse.Namespace, target: DatabaseTarget) -> int:
    if args.catalog_command == "import":
        return run_import(args, target)
    return run_export(target, args.file)


def run_import(args: argparse.Namespace, target: DatabaseTarget) -> int:
    from desktop_app.domain.catalog_import import CatalogField, RowAction, column_named
    from desktop_app.domain.errors import DeskError
    from desktop_app.services.catalog import COMMAND_LINE, read_import_file

    started = time.perf_counter()
    try:
        # The file first: an unreadable file leaves no new database behind.
        preview = read_import_file(args.file)
        desk, close = _open(target, create=True)
    except DeskError as error:
        return _fail(str(error))
    try:
        preview = desk.catalog.classified(preview)
        chosen: dict[CatalogField, int | None] = {}
        for catalog_field in CatalogField:
            given = getattr(args, f"{catalog_field.value}_column")
            if given:
                try:
                    chosen[catalog_field] = column_named(preview.mapping.headers, given)
                except ValueError as error:
                    return _fail(str(error))
        if chosen:
            preview = desk.catalog.with_columns(preview, chosen)
        print(f"读取 {args.file}({preview.source})")
        print(f"列:{preview.mapping.describe()}")
        if preview.plan is None:
            return _fail(preview.problem.replace("在下面", "用 --barcode-column 等选项"))
        if args.dry_run:
            plan = preview.plan
            _print_refusals(plan.of(RowAction.REFUSE))
            print(f"(试运行,未写入)将{plan.summary()}")
            return 0
        result = desk.catalog.import_catalog(COMMAND_LINE, preview)
    except DeskError as error:
        return _fail(str(error))
    finally:
        close()
    _print_refusals(result.plan.of(RowAction.REFUSE))
    if result.new_departments:
        print(f"新建部门:{'、'.join(result.new_departments)}")
    if result.new_suppliers:
        shown = "、".join(result.new_suppliers[:20])
        more = f" 等 {len(result.new_suppliers)} 个" if len(result.new_suppliers) > 20 else ""
        print(f"新建供应商:{shown}{more}")
    took = time.perf_counter() - started
    print(f"已导入 {target.label()}:{result.summary()}(用时 {took:.1f} 秒)")
    print(f"added={result.added} updated={result.updated} unchanged={result.unchanged} "
          f"refused={result.refused}")
    return 0


def _print_refusals(refused: list[Any]) -> None:
    for row in refused[:SHOWN_REFUSALS]:
        print(f"拒绝 第 {row.line} 行 {row.barcode}:{row.note}", file=sys.stderr)
    if len(refused) > SHOWN_REFUSALS:
        print(f"……另有 {len(refused) - SHOWN_REFUSALS} 行被拒绝", file=sys.stderr)


def run_export(source: DatabaseTarget, target: Path) -> int:
    from desktop_app.domain.errors import DeskError

    if not source.exists():
        return _fail(f"没有找到数据库 {source.label()}")
    if target.suffix.lower() != ".xlsx":
        return _fail(f"导出文件应以 .xlsx 结尾:{target}")
    try:
        desk, close = _open(source, create=False)
    except DeskError as error:
        return _fail(str(error))
    try:
        written = desk.catalog.export_catalog(target)
    except OSError as error:
        return _fail(f"无法写入 {target}:{error.strerror or error}")
    finally:
        close()
    print(f"已导出 {written} 行到 {target}(商品、部门、供应商、员工各一张工作表)")
    return 0


def _open(target: DatabaseTarget, create: bool) -> tuple[Any, Any]:
    from desktop_app.cli_open import open_desk

    if create and not target.exists():
        print(f"数据库 {target.path} 不存在,新建一个", file=sys.stderr)
    return open_desk(target)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2
