"""desktop_app/reports takes plain data: it never imports Qt, peewee or the app's other layers."""

from __future__ import annotations

import ast
from pathlib import Path

import desktop_app.reports

# The domain imports only the standard library, so its figures and money rules are plain data.
ALLOWED_APP_MODULES = ("desktop_app.paths", "desktop_app.domain", "desktop_app.reports")
FORBIDDEN_PACKAGES = ("PySide6", "PyQt5", "PyQt6", "peewee", "playhouse")


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            modules.add(node.module)
    return modules


def test_reports_import_neither_qt_nor_peewee_nor_the_other_layers() -> None:
    package = Path(desktop_app.reports.__file__).parent
    sources = sorted(package.glob("*.py"))
    assert len(sources) > 3
    for source in sources:
        for module in imported_modules(source):
            top = module.split(".")[0]
            assert top not in FORBIDDEN_PACKAGES, f"{source.name} imports {module}"
            if top == "desktop_app":
                assert module.startswith(ALLOWED_APP_MODULES), f"{source.name} imports {module}"
