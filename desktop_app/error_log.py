"""Nothing fails silently: every unhandled exception is written to a rotating log file.

The windowed Windows build has no console (``sys.stderr`` is None there), so without this a
crash in a slot or a worker thread would leave no trace at all. ``install`` puts one handler
behind ``sys.excepthook`` (the main thread, and every Qt slot: PySide calls it for exceptions
that escape into Qt) and ``threading.excepthook`` (worker threads). The ui layer adds the
Chinese message box on top; this module is standard library only and imports ``logging``
only when there is something to write, so it costs nothing at start-up.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import logging

LOG_FILE_NAME = "errors.log"
# Five files of 1 MB: months of rare errors, and a loop of errors cannot fill the disk.
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
# (exception info, where it happened: "主线程" or the thread's name)
Handler = Callable[[ExcInfo, str], None]


class ErrorLog:
    """A rotating log file, opened on the first thing written to it."""

    def __init__(self, folder: Callable[[], Path], max_bytes: int = MAX_BYTES) -> None:
        self._folder = folder
        self._max_bytes = max_bytes
        self._logger: logging.Logger | None = None
        self._guard = threading.Lock()

    @property
    def path(self) -> Path:
        return self._folder() / LOG_FILE_NAME

    def record(self, info: ExcInfo, where: str) -> Path | None:
        """Write the traceback; return the log's path, or None if even that failed."""
        return self._write(f"未处理的异常({where})", info)

    def note(self, message: str) -> Path | None:
        """A problem the user was shown that is not an exception (e.g. a failed backup)."""
        return self._write(message, None)

    def _write(self, message: str, info: ExcInfo | None) -> Path | None:
        try:
            logger = self._open()
            if info is None:
                logger.warning(message)
            else:
                logger.error(message, exc_info=info)
            for handler in logger.handlers:
                handler.flush()
        except Exception:  # the error handler itself must never raise
            return None
        return self.path

    def _open(self) -> logging.Logger:
        with self._guard:
            if self._logger is None:
                import logging
                from logging.handlers import RotatingFileHandler

                self.path.parent.mkdir(parents=True, exist_ok=True)
                handler = RotatingFileHandler(
                    self.path,
                    maxBytes=self._max_bytes,
                    backupCount=BACKUP_COUNT,
                    encoding="utf-8",
                )
                handler.setFormatter(
                    logging.Formatter("%(asctime)s %(levelname)s [%(threadName)s] %(message)s")
                )
                logger = logging.getLogger(f"desktop_app.errors.{id(self)}")
                logger.propagate = False
                logger.setLevel(logging.INFO)
                logger.addHandler(handler)
                self._logger = logger
            return self._logger

    def close(self) -> None:
        with self._guard:
            if self._logger is not None:
                for handler in list(self._logger.handlers):
                    handler.close()
                    self._logger.removeHandler(handler)
                self._logger = None


def install(handler: Handler) -> None:
    """Route the main thread's and worker threads' unhandled exceptions to ``handler``.

    Ctrl+C and ``SystemExit`` keep Python's own behaviour."""

    def main_hook(
        exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        where = "主线程" if threading.current_thread() is threading.main_thread() else (
            f"线程 {threading.current_thread().name}"
        )
        handler((exc_type, exc, tb), where)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "?"
        handler((args.exc_type, args.exc_value, args.exc_traceback), f"线程 {name}")

    sys.excepthook = main_hook
    threading.excepthook = thread_hook


def print_to_console(info: ExcInfo) -> None:
    """Also print the traceback where there is a console; the windowed build has none."""
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            traceback.print_exception(info[0], info[1], info[2], file=sys.stderr)


def logging_handler(log: ErrorLog) -> Handler:
    """The handler for command-line runs: the log file, and the console when there is one."""

    def handle(info: ExcInfo, where: str) -> None:
        path = log.record(info, where)
        print_to_console(info)
        if path is not None and sys.stderr is not None:
            print(f"错误已记录到 {path}", file=sys.stderr)

    return handle
