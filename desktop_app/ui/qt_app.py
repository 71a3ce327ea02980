"""The QApplication: Chinese font shipped with the app, Chinese Qt dialogs, one style."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop_app import APP_NAME, APP_TITLE, __version__
from desktop_app.paths import font_path

UI_FONT_POINT_SIZE = 11


def create_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    install_chinese_translations(app)
    use_bundled_font(app)
    return app


def install_chinese_translations(app: QApplication) -> None:
    """Without this, OK/Cancel in Qt's own dialogs stay English."""
    if getattr(app, "_desk_translator", None) is not None:
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)
        app._desk_translator = translator  # type: ignore[attr-defined]


def use_bundled_font(app: QApplication) -> None:
    """The same font on every PC, whatever Chinese fonts Windows happens to have."""
    font_id = QFontDatabase.addApplicationFont(str(font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        app.setFont(QFont(families[0], UI_FONT_POINT_SIZE))
