"""Where things live: bundled resources and the user's data directory."""

from __future__ import annotations

import sys
from pathlib import Path

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


def data_dir() -> Path:
    """The user's data folder (Linux ~/.local/share/ComplaintDesk, Windows %LOCALAPPDATA%).

    platformdirs is imported here, not at start-up: a run with --db never needs it."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    """The database lives in the user's data directory, never in the install folder."""
    return data_dir() / DB_FILE_NAME


def demo_database_path() -> Path:
    return data_dir() / "demo" / DB_FILE_NAME


def log_dir() -> Path:
    """Unhandled errors are logged here, whichever database is open."""
    return data_dir() / "logs"
