"""The only package that imports PySide6."""

import PySide6

from desktop_app.ui.pyside_sources import answer_without_caching

# Before any other module is imported after PySide6 (the controller's own imports included).
answer_without_caching()
del PySide6
