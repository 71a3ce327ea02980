"""``python main.py stores --month YYYY-MM --db URL_OR_FILE --db …``: head office's monthly view of
several stores, one line each, read from each store's own database (one database per store on
the group's server, or the stores' files), never mixed: each line carries the store code the
database holds and the register's head it was read at.

    门店编号  门店            登记  重大  不成立  退款笔数  退款金额    集团签批  登记簿校验码
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from desktop_app.db_target import target_of


def add_stores_command(subparsers: Any) -> None:
    command = subparsers.add_parser(
        "stores", help="集团:多个门店的月度汇总(每个门店一行,各读各的数据库)"
    )
    command.add_argument("--month", help="月份 YYYY-MM(默认上个月)")
    command.add_argument(
        "--db", dest="store_dbs", action="append", required=True, metavar="PATH|URL", type=str,
        help="一个门店的数据库(可多次给出)",
    )


HEADER = ("门店编号", "门店", "登记", "重大", "不成立", "退款笔数", "退款金额", "集团签批",
          "登记簿校验码")


def run_stores(args: argparse.Namespace) -> int:
    from desktop_app.domain.errors import DeskError
    from desktop_app.domain.report_figures import Month

    try:
        month = Month.parse(args.month) if args.month else Month.before(date.today())
    except (DeskError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    rows: list[tuple[str, ...]] = []
    failed = 0
    for given in args.store_dbs:
        try:
            rows.append(_store_line(given, month))
        except DeskError as error:
            print(f"{target_of(given).label()}:{error}", file=sys.stderr)
            failed += 1
    print(f"{month.label} 各门店汇总")
    print("\t".join(HEADER))
    for row in rows:
        print("\t".join(row))
    if len(rows) > 1:
        print(_total_line(rows))
    return 2 if failed else 0


def _store_line(given: str, month: Any) -> tuple[str, ...]:
    from desktop_app.cli_open import open_desk

    target = target_of(given)
    if not target.exists():
        from desktop_app.domain.errors import DeskError

        raise DeskError("没有找到数据库")
    desk, close = open_desk(target)
    try:
        figures = desk.reports.figures(month)
        code = desk.settings.store_code() or "(未设)"
        name = desk.settings.store_name()
    finally:
        close()
    stats = figures.stats.current
    returns = figures.refunds.returns
    return (
        code, name, str(stats.received), str(stats.major), str(stats.not_upheld),
        str(returns.total.refunds), f"{returns.total.amount:.2f}",
        str(returns.head_office.refunds), figures.chain_head,
    )


def _total_line(rows: list[tuple[str, ...]]) -> str:
    from decimal import Decimal

    def whole(index: int) -> str:
        return str(sum(int(row[index]) for row in rows))

    amount = sum((Decimal(row[6]) for row in rows), Decimal("0"))
    return "\t".join(("合计", f"{len(rows)} 个门店", whole(2), whole(3), whole(4), whole(5),
                      f"{amount:.2f}", whole(7), ""))
