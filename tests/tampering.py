"""Changing a register file behind the app's back, as an attacker with the file would."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def raw_sql(db_path: Path, *statements: str) -> None:
    """Run ``statements`` in one transaction on a connection of their own (no app, no triggers
    but those in the file)."""
    raw = sqlite3.connect(db_path)
    try:
        with raw:
            for statement in statements:
                raw.execute(statement)
    finally:
        raw.close()
