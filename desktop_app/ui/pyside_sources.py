"""PySide's look at every imported module, without keeping every module's source in memory.

PySide6's feature switch (``from __feature__ import snake_case``) asks of each module imported
after PySide6 whether its source mentions "PySide6", through ``inspect.getsource(module)``.
That reads the file through ``linecache``, which then keeps every line of every module the app
imports for as long as it runs: 6.7 MiB of the queue's 96 (issue 18), and clearing the cache
later gives nothing back, the lines being scattered among Python's other small objects.
``answer_without_caching`` gives PySide the same answer read from the file's bytes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

_FEATURE_MODULE = "shibokensupport.feature"
_QUESTION = "_mod_uses_pyside"


def answer_without_caching() -> None:
    """Replace PySide's check once PySide6 is imported; leave it be if PySide changed it."""
    feature = sys.modules.get(_FEATURE_MODULE)
    original = getattr(feature, _QUESTION, None)
    if feature is None or not callable(original) or getattr(original, "reads_bytes", False):
        return
    setattr(feature, _QUESTION, _reading_bytes(original))


def _reading_bytes(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)  # compiled, built-in or zipped: PySide's own way
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    marked: Any = uses_pyside
    marked.reads_bytes = True
    return uses_pyside
