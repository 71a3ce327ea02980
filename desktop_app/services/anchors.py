"""The register's head, kept outside the file: each day's head is appended to an anchor file
beside the backups, and verify checks the chain still holds every head written there.

What this proves: the entries up to each recorded head are unchanged and none was cut from
the end. What it does not: someone who can rewrite both the file and the anchor file can hide a
rewrite from it — the head printed on paper (reports, register sheets) is the stronger proof.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from pathlib import Path

from desktop_app.domain.register import Anchor, Head

ANCHOR_SOURCE = "校验码文件"


def anchor_file(db_path: Path) -> Path:
    return db_path.parent / "backups" / f"{db_path.stem}-anchors.txt"


def read_anchors(db_path: Path) -> list[Anchor]:
    path = anchor_file(db_path)
    if not path.exists():
        return []
    anchors = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if not parts:
            continue
        with contextlib.suppress(ValueError):
            dated = " ".join(parts[:2])
            anchors.append(Anchor.parse(parts[-1], f"{ANCHOR_SOURCE}({dated})"))
    return anchors


def record_daily(db_path: Path, head: Head | None, now: datetime) -> bool:
    """Append today's head unless today already has one; True when a line was written."""
    lines = _lines(db_path)
    if head is None or (lines and lines[-1].startswith(f"{now:%Y-%m-%d}")):
        return False
    _append(db_path, head, now)
    return True


def record_head(db_path: Path, head: Head | None, now: datetime) -> bool:
    """Append ``head`` (a clean check's, the end of a session's) unless the last line holds it
    already; True when a line was written. The day's first head alone let a restore of that
    morning's backup, or a tail cut since, lose the day's work unseen (found in review)."""
    lines = _lines(db_path)
    if head is None or (lines and lines[-1].endswith(f" {head.seq}:{head.entry_hash}")):
        return False
    _append(db_path, head, now)
    return True


def _lines(db_path: Path) -> list[str]:
    path = anchor_file(db_path)
    if not path.exists():
        return []
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def _append(db_path: Path, head: Head, now: datetime) -> None:
    path = anchor_file(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"{now:%Y-%m-%d %H:%M:%S} {head.seq}:{head.entry_hash}\n")


# --- the mark of the last clean check ---------------------------------------------------------
# Not an anchor: it says how far the last check that found nothing went, so the next one may
# start there. Anyone able to edit it can only make the daily check look at less; the full
# check (menu, command line) never reads it.


def checked_mark_file(db_path: Path) -> Path:
    return db_path.parent / "backups" / f"{db_path.stem}-checked.txt"


def read_checked_mark(db_path: Path) -> Head | None:
    path = checked_mark_file(db_path)
    try:
        words = path.read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return None
    if not words:
        return None
    seq, _, digest = words[-1].partition(":")
    if not seq.isdigit() or len(digest) != 64:
        return None
    return Head(int(seq), digest.lower())


def record_checked_mark(db_path: Path, head: Head, now: datetime) -> None:
    path = checked_mark_file(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{now:%Y-%m-%d %H:%M:%S} {head.seq}:{head.entry_hash}\n", encoding="utf-8")


def forget_checked_mark(db_path: Path) -> None:
    checked_mark_file(db_path).unlink(missing_ok=True)


# --- the last clean full check ----------------------------------------------------------------
# The day's check looks only at what is new: an old row changed behind the app's back is left
# to the full check. Found in review: with the full check never run, thirty daily checks said
# "intact" while every kept backup came to hold the change and the last clean one was pruned.
# So the app runs the full check itself once this long has passed since the last clean one,
# and the newest backup that clean check vouches for is kept out of pruning.

FULL_CHECK_EVERY = timedelta(days=7)


def full_check_file(db_path: Path) -> Path:
    return db_path.parent / "backups" / f"{db_path.stem}-full-check.txt"


def record_full_check(db_path: Path, now: datetime, vouched: Path | None) -> None:
    """A clean full check at ``now``; ``vouched``: the newest backup made before it."""
    path = full_check_file(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    name = vouched.name if vouched is not None else "-"
    path.write_text(f"{now:%Y-%m-%d %H:%M:%S} {name}\n", encoding="utf-8")


def _last_full_check(db_path: Path) -> tuple[datetime, str] | None:
    try:
        words = full_check_file(db_path).read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return None
    if len(words) != 3:
        return None
    try:
        return datetime.fromisoformat(f"{words[0]} {words[1]}"), words[2]
    except ValueError:
        return None


def full_check_due(db_path: Path, now: datetime) -> bool:
    last = _last_full_check(db_path)
    return last is None or not last[0] <= now < last[0] + FULL_CHECK_EVERY


def vouched_backup(db_path: Path) -> Path | None:
    """The backup the last clean full check vouches for, if it is still there."""
    last = _last_full_check(db_path)
    if last is None or "/" in last[1] or "\\" in last[1] or not last[1].endswith(".sqlite3"):
        return None
    path = full_check_file(db_path).parent / last[1]
    return path if path.is_file() else None
