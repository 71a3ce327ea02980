"""Which database the app opens: ``--db`` (a SQLite file or ``postgresql://…``), else the
settings file the installer writes, else the SQLite file in the user's data folder.

The settings file is ``desk.toml``, looked for in this order (the first found wins):

1. the file named by the environment variable ``DESK_SETTINGS``;
2. beside the program (the installed ``.exe``, or the project folder when run from source);
3. the user's configuration folder (Linux ``~/.config/ComplaintDesk``, Windows
   ``%LOCALAPPDATA%\\ComplaintDesk``).

    [database]
    url = "postgresql://desk@192.168.1.10:5432/store_0101"   # a server shared by several PCs
    # path = "D:/投诉台/desk.sqlite3"                         # or one SQLite file

    [store]
    code = "0101"        # this store's code, printed on every case and report

Standard library only (tomllib): it is read before anything heavy is imported.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from desktop_app import APP_NAME
from desktop_app.paths import data_dir, default_database_path

SETTINGS_FILE_NAME = "desk.toml"
SETTINGS_VARIABLE = "DESK_SETTINGS"
SERVER_SCHEMES = ("postgresql://", "postgres://")
DB_HELP = "数据库文件,或服务器 postgresql://用户@主机:端口/库名(默认见设置文件 desk.toml)"


class SettingsError(ValueError):
    """The settings file cannot be used; the message says why, in Chinese."""


@dataclass(frozen=True)
class DatabaseTarget:
    """A SQLite file (``url`` None) or a PostgreSQL database.

    For a server, ``path`` is this PC's stand-in for the file: its folder keeps the register
    heads this PC has seen (anchors) and what it exports; nothing else is written there."""

    path: Path
    url: str | None = None
    store_code: str = ""

    @property
    def on_server(self) -> bool:
        return self.url is not None

    def exists(self) -> bool:
        """A server's database is there by definition (connecting says otherwise)."""
        return self.on_server or self.path.exists()

    def label(self) -> str:
        if self.url is None:
            return str(self.path)
        parts = urlsplit(self.url)
        port = f":{parts.port}" if parts.port else ""
        user = f"{parts.username}@" if parts.username else ""
        return f"postgresql://{user}{parts.hostname or 'localhost'}{port}{parts.path}"


def is_server_url(text: str) -> bool:
    return text.startswith(SERVER_SCHEMES)


def server_stand_in(url: str) -> Path:
    """This PC's folder for a server database (anchors), one per server and database."""
    parts = urlsplit(url)
    name = f"{parts.hostname or 'localhost'}_{parts.port or 5432}_{parts.path.strip('/')}"
    return data_dir() / "servers" / re.sub(r"[^\w.-]", "_", name) / "desk.server"


def settings_candidates() -> list[Path]:
    named = os.environ.get(SETTINGS_VARIABLE)
    if named:
        return [Path(named)]
    if getattr(sys, "frozen", False):
        beside = Path(sys.executable).resolve().parent
    else:
        beside = Path(__file__).resolve().parent.parent
    from platformdirs import user_config_path

    return [beside / SETTINGS_FILE_NAME, user_config_path(APP_NAME, appauthor=False)
            / SETTINGS_FILE_NAME]


def read_settings(path: Path) -> dict[str, str]:
    """``database.url``, ``database.path`` and ``store.code`` of a settings file (those set)."""
    import tomllib  # only where a settings file exists: most desks have none

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(f"设置文件 {path} 无法读取:{error}") from error
    found: dict[str, str] = {}
    for section, key in (("database", "url"), ("database", "path"), ("store", "code")):
        value = data.get(section, {}).get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise SettingsError(f"设置文件 {path} 中 [{section}] {key} 应为非空文本")
        found[f"{section}.{key}"] = value.strip()
    url = found.get("database.url")
    if url is not None and not is_server_url(url):
        raise SettingsError(f"设置文件 {path} 中 [database] url 应以 postgresql:// 开头")
    return found


def find_settings() -> tuple[Path | None, dict[str, str]]:
    for candidate in settings_candidates():
        if candidate.is_file():
            return candidate, read_settings(candidate)
    if os.environ.get(SETTINGS_VARIABLE):
        raise SettingsError(f"没有找到设置文件 {os.environ[SETTINGS_VARIABLE]}")
    return None, {}


def target_of(text: str, store_code: str = "") -> DatabaseTarget:
    """``--db``'s value: a server URL or a file path."""
    if is_server_url(text):
        return DatabaseTarget(server_stand_in(text), text, store_code)
    return DatabaseTarget(Path(text), None, store_code)


def resolve_target(given: str | None) -> DatabaseTarget:
    """``--db`` when given, else the settings file's database, else the default file; the
    store code always from the settings file."""
    _where, settings = find_settings()
    code = settings.get("store.code", "")
    if given:
        return target_of(given, code)
    if "database.url" in settings:
        return target_of(settings["database.url"], code)
    if "database.path" in settings:
        return target_of(settings["database.path"], code)
    return DatabaseTarget(default_database_path(), None, code)
