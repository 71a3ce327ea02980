"""``python main.py head-office-account --db URL --username NAME --name 显示名``: head office's
own account (集团主管营运副总), created, or given a new password when it exists, by head
office's administrator on the server. No account of the store may create, change or reset one
(roles.HEAD_OFFICE_PROVISIONED): the store manager who could would sign above 2000 yuan with it.
The password is asked twice, not echoed, and belongs to head office's signer (no change is
demanded at first login). Exit 0 done, 2 refused.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from desktop_app.db_target import DB_HELP, DatabaseTarget


def add_head_office_command(subparsers: Any) -> None:
    command = subparsers.add_parser(
        "head-office-account", help="集团:开立集团主管营运副总的账户,或重设其密码(门店不能)"
    )
    command.add_argument("--db", dest="command_db", metavar="PATH|URL", help=DB_HELP)
    command.add_argument("--username", required=True, help="登录用户名")
    command.add_argument("--name", required=True, help="显示名,如 钱副总")


def run_head_office_account(args: argparse.Namespace, target: DatabaseTarget) -> int:
    from desktop_app.cli_open import with_the_file_locked

    password = getpass.getpass("集团账户的密码:")
    confirm = getpass.getpass("再输入一次:")
    return with_the_file_locked(target, lambda: _provision(args, target, password, confirm))


def _provision(
    args: argparse.Namespace, target: DatabaseTarget, password: str, confirm: str
) -> int:
    from desktop_app.cli_open import on_the_desk
    from desktop_app.domain.errors import DeskError, ValidationError

    def provision(desk: Any) -> int:
        try:
            account = desk.accounts.provision_head_office(
                args.username, args.name, password, confirm)
        except ValidationError as error:
            print(";".join(error.field_errors.values()) or str(error), file=sys.stderr)
            return 2
        except DeskError as error:
            print(error, file=sys.stderr)
            return 2
        print(f"集团账户 {account.username}({account.display_name})已就绪,"
              "可在连接本服务器的电脑上签批")
        return 0

    return on_the_desk(target, provision)
