"""The register's head, kept outside the file: each day's head is appended to an anchor file
beside the backups, and verify checks the chain still holds every head written there.

What this proves: the entries up to each recorded head are unchanged and none was cut from
the end. What it does not: someone who can rewrite both the file and the anchor file can hide a
rewrite from it — the head printed on paper (reports, register sheets) is the stronger proof.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
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
    if head is None:
        return False
    path = anchor_file(db_path)
    today = f"{now:%Y-%m-%d}"
    if path.exists():
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        if lines and lines[-1].startswith(today):
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"{now:%Y-%m-%d %H:%M:%S} {head.seq}:{head.entry_hash}\n")
    return True


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
