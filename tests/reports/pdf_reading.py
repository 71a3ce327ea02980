"""Reading back what a test printed: the text of each page and the fonts the PDF names."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader

PAGE_LABEL = re.compile(r"第 (\d+) 页 / 共 (\d+) 页")


def page_texts(source: Path | bytes) -> list[str]:
    """The text of every page, one string a page (pypdf puts each drawn line on its own line)."""
    reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source)
    return [page.extract_text() for page in reader.pages]


def body_text(pages: list[str], *footer_marks: str) -> str:
    """All pages' text with the page footers and line breaks removed, so text that wrapped or
    continued on the next page reads as one string."""
    kept = [
        line
        for page in pages
        for line in page.split("\n")
        if not PAGE_LABEL.search(line) and not any(mark in line for mark in footer_marks)
    ]
    return "".join(kept)


def fonts_without_embedded_file(path: Path) -> list[str]:
    """Names of the fonts a page uses that carry no embedded TrueType (/FontFile2) program."""
    missing = []
    for page in PdfReader(path).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for reference in fonts.values():
            font = reference.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None or "/FontFile2" not in descriptor.get_object():
                missing.append(str(font.get("/BaseFont")))
    return missing


def pdffonts_rows(path: Path) -> list[str] | None:
    """poppler's ``pdffonts`` table rows, or None when poppler-utils is not installed."""
    if shutil.which("pdffonts") is None:
        return None
    result = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return result.stdout.splitlines()[2:]
