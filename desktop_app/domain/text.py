"""Cleaning free text typed at the desk.

A register line must print and search the same way it was typed, so control characters that
come from a scanner or a pasted web page are removed, but every printable character (Chinese,
emoji, quotes, SQL-looking text) is kept as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from desktop_app.domain.errors import ValidationError

_KEPT_CONTROLS = {"\n", "\t"}
# Unicode's control characters (category Cc: C0, DEL and C1) and lone surrogates (Cs).
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def strip_controls(text: str, *, multiline: bool = False) -> str:
    """Remove control characters and lone surrogates; newlines and tabs become blanks, except
    in multi-line text, which keeps them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROLS.search(text) is None:
        return text  # nearly every line typed at the desk

    def replacement(found: re.Match[str]) -> str:
        char = found.group()
        if char in _KEPT_CONTROLS:
            return char if multiline else " "
        return ""

    return _CONTROLS.sub(replacement, text)


def clean_line(text: str) -> str:
    """One-line text: no controls, inner runs of blanks folded, ends trimmed."""
    return " ".join(strip_controls(text).split())


def clean_block(text: str) -> str:
    """Multi-line text: no controls except newline and tab, trailing blanks trimmed."""
    lines = [line.rstrip() for line in strip_controls(text, multiline=True).split("\n")]
    return "\n".join(lines).strip()


def checked_length(
    text: str, field: str, label: str, max_length: int, errors: dict[str, str]
) -> str:
    """Record a Chinese message in ``errors`` when ``text`` is too long; return it unchanged."""
    if len(text) > max_length:
        errors[field] = f"{label}太长:最多 {max_length} 个字,现在 {len(text)} 个字"
    return text


def require(text: str, field: str, label: str, errors: dict[str, str]) -> str:
    if not text:
        errors.setdefault(field, f"请填写{label}")
    return text


def raise_if_any(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def summary_line(pairs: Iterable[tuple[str, object]]) -> str:
    """``名称:食品部;电话:1234``: what a history entry set, as every history screen says it."""
    return ";".join(f"{label}:{value}" for label, value in pairs)
