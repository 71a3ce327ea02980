"""Which store a register belongs to: its store code, printed beside the store's name on every
case sheet and report, so head office reading several stores' databases never mixes them up.

A code is given once (by the installer's settings file, desk.toml) and then belongs to the
database: a PC set up for one store refuses to open another store's database.
"""

from __future__ import annotations

import re

STORE_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,15}")


def store_code_problem(code: str) -> str | None:
    """Why ``code`` cannot be a store code, or ``None``."""
    if not STORE_CODE.fullmatch(code):
        return f"门店编号“{code}”无效:应为 1–16 位字母、数字、- 或 _,以字母或数字开头"
    return None


def store_label(name: str, code: str) -> str:
    """The store as printed: its name, with its code when it has one."""
    if not code:
        return name
    return f"{name}(门店编号 {code})" if name else f"门店编号 {code}"


def code_mismatch(database_code: str, configured_code: str) -> str | None:
    """Why a PC configured for ``configured_code`` must not open a database of
    ``database_code`` (``None`` when either is unset or they agree)."""
    if not database_code or not configured_code or database_code == configured_code:
        return None
    return (
        f"这个数据库属于门店 {database_code},本机设置文件(desk.toml)写的是门店 "
        f"{configured_code}:请检查设置文件中的数据库地址"
    )
