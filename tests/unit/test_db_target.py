"""Which database the app opens: ``--db`` (file or server URL), else the settings file
``desk.toml``, else the user's data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.db_target import (
    SETTINGS_VARIABLE,
    SettingsError,
    read_settings,
    resolve_target,
    server_stand_in,
)
from desktop_app.paths import default_database_path

URL = "postgresql://desk@192.168.1.10:5432/store_0101"


@pytest.fixture(autouse=True)
def nowhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No settings file but the ones a test writes; data and config folders in tmp."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(SETTINGS_VARIABLE, raising=False)
    monkeypatch.setattr("desktop_app.db_target.settings_candidates",
                        lambda: [tmp_path / "config" / "desk.toml"])


def settings(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "desk.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr("desktop_app.db_target.settings_candidates", lambda: [path])
    return path


def test_without_db_or_settings_the_file_in_the_data_folder() -> None:
    target = resolve_target(None)
    assert target.url is None and target.path == default_database_path()
    assert target.store_code == ""


def test_a_server_url_on_the_command_line(tmp_path: Path) -> None:
    target = resolve_target(URL)
    assert target.on_server and target.url == URL and target.exists()
    assert target.path == server_stand_in(URL)
    assert target.path.is_relative_to(tmp_path / "data")
    assert target.label() == URL


def test_a_password_never_shows_in_the_label() -> None:
    target = resolve_target("postgresql://desk:geheim@db.local/store_0101")
    assert "geheim" not in target.label() and "geheim" not in str(target.path)


def test_the_settings_file_chooses_the_server_and_the_store_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings(tmp_path, f'[database]\nurl = "{URL}"\n[store]\ncode = "0101"\n', monkeypatch)
    target = resolve_target(None)
    assert target.url == URL and target.store_code == "0101"
    # --db still wins, the store code stays.
    given = resolve_target(str(tmp_path / "other.sqlite3"))
    assert given.url is None and given.path == tmp_path / "other.sqlite3"
    assert given.store_code == "0101"


def test_the_settings_file_may_name_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings(tmp_path, '[database]\npath = "D:/desk/desk.sqlite3"\n', monkeypatch)
    assert resolve_target(None).path == Path("D:/desk/desk.sqlite3")


@pytest.mark.parametrize("text", [
    "[database\nurl = 1",
    "[database]\nurl = 5432\n",
    '[database]\nurl = "mysql://x"\n',
    '[store]\ncode = ""\n',
])
def test_a_broken_settings_file_is_refused_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    path = settings(tmp_path, text, monkeypatch)
    with pytest.raises(SettingsError, match="设置文件"):
        read_settings(path)
    with pytest.raises(SettingsError):
        resolve_target(None)


def test_a_settings_file_named_by_the_variable_must_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app import db_target

    monkeypatch.undo()
    monkeypatch.setenv(SETTINGS_VARIABLE, str(tmp_path / "missing.toml"))
    assert db_target.settings_candidates() == [tmp_path / "missing.toml"]
    with pytest.raises(SettingsError, match="没有找到设置文件"):
        resolve_target(None)
