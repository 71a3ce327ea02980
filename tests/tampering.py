"""Changing a register file behind the app's back, as an attacker with the file would."""

from __future__ import annotations

from pathlib import Path

from tests.engines import raw_connect


def raw_sql(db_path: Path, *statements: str) -> None:
    """Run ``statements`` in one transaction on a connection of their own (no app, no triggers
    but those in the file); on PostgreSQL on the desk fixture's database (tests/engines.py)."""
    raw = raw_connect(db_path)
    try:
        with raw:
            for statement in statements:
                raw.execute(statement)
    finally:
        raw.close()
