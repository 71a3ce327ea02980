"""Where things live: bundled resources and the user's data directory."""

from __future__ import annotations

import sys
from pathlib import Path

from platformdirs import user_data_path

from desktop_app import APP_NAME

DB_FILE_NAME = "desk.sqlite3"


def resource_dir() -> Path:
    """``resources/`` beside the package, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def font_path() -> Path:
    return resource_dir() / "fonts" / "wqy-microhei.ttc"


def default_database_path() -> Path:
    """The database lives in the user's data directory, never in the install folder."""
    return user_data_path(APP_NAME, appauthor=False) / DB_FILE_NAME


def demo_database_path() -> Path:
    return user_data_path(APP_NAME, appauthor=False) / "demo" / DB_FILE_NAME
