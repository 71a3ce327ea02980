"""Printing a PDF the app wrote (register sheet, monthly reports) on a real printer.

Qt cannot print a PDF file by itself, so each page is rendered to an image with PDFium (through
``pypdfium2``) and painted on a ``QPrinter``: the page as it is in the PDF, scaled to the paper.
The user sees Qt's print preview first; its print button opens the system's print dialog.

    print_pdf(path, parent)   preview, then print; False when nothing was printed
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    import pypdfium2

# Enough for sharp text on any office printer, and a page image stays near 35 MB (A4, RGBX).
MAX_DPI = 300
POINTS_PER_INCH = 72


class UnreadablePdfError(Exception):
    """The file is not a PDF PDFium can read (missing, damaged, or still being written)."""


def open_pdf(path: Path) -> pypdfium2.PdfDocument:
    import pypdfium2  # ~20 ms and a native library: loaded when something is printed

    try:
        return pypdfium2.PdfDocument(str(path))
    except (pypdfium2.PdfiumError, OSError) as error:
        raise UnreadablePdfError(f"无法读取 {path}:{error}") from error


def page_image(document: pypdfium2.PdfDocument, number: int, dpi: int) -> QImage:
    """Page ``number`` (0-based) as an image at ``dpi`` dots per inch, white behind."""
    page = document[number]
    try:
        bitmap = page.render(
            scale=min(dpi, MAX_DPI) / POINTS_PER_INCH, rev_byteorder=True, prefer_bgrx=True
        )
        image = QImage(
            bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
            QImage.Format.Format_RGBX8888,
        )
        # The bitmap's memory belongs to PDFium and goes when the bitmap does: keep a copy.
        return image.copy()
    finally:
        page.close()


def page_layout_of(document: pypdfium2.PdfDocument) -> QPageLayout:
    """The first page's paper and orientation, so a landscape report prints landscape."""
    width, height = document[0].get_size()
    upright = QSizeF(min(width, height), max(width, height))
    paper = QPageSize(upright, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = (
        QPageLayout.Orientation.Landscape if width > height else QPageLayout.Orientation.Portrait
    )
    return QPageLayout(paper, orientation, QMarginsF())


def paint_pdf(document: pypdfium2.PdfDocument, printer: QPrinter) -> int:
    """Paint the pages the printer asks for (all, or its from–to range); returns how many."""
    count = len(document)
    first, last = printer.fromPage(), printer.toPage()
    numbers = range(count) if first == 0 else range(first - 1, min(last, count))
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    painted = 0
    try:
        for number in numbers:
            if painted:
                printer.newPage()
            image = page_image(document, number, printer.resolution())
            target = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
            painter.drawImage(_fitted(image, target), image)
            painted += 1
    finally:
        painter.end()
    return painted


def _fitted(image: QImage, target: QRectF) -> QRectF:
    """``target`` shrunk to the image's proportions, centred."""
    scale = min(target.width() / image.width(), target.height() / image.height())
    size = QSizeF(image.width() * scale, image.height() * scale)
    left = target.left() + (target.width() - size.width()) / 2
    top = target.top() + (target.height() - size.height()) / 2
    return QRectF(left, top, size.width(), size.height())


def printer_for(document: pypdfium2.PdfDocument, name: str) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(name)
    # The PDF carries its own margins: paint on the whole sheet, not inside the printer's.
    printer.setFullPage(True)
    printer.setPageLayout(page_layout_of(document))
    printer.setFromTo(1, len(document))
    return printer


class PrintJob:
    """A PDF, the printer it goes to and Qt's preview of it, kept alive together: the preview
    does not own its printer, and it paints from the document until it closes."""

    def __init__(self, path: Path, parent: QWidget | None) -> None:
        self.document = open_pdf(path)
        self.printer = printer_for(self.document, path.name)
        self.preview = QPrintPreviewDialog(self.printer, parent)
        self.preview.setWindowTitle(f"打印预览 — {path.name}")
        self.preview.setWindowState(Qt.WindowState.WindowMaximized)
        self.preview.paintRequested.connect(self.paint)

    def paint(self, printer: QPrinter) -> int:
        return paint_pdf(self.document, printer)

    def run(self) -> bool:
        """Show the preview; True when the user printed from it."""
        return self.preview.exec() == QPrintPreviewDialog.DialogCode.Accepted


def print_pdf(path: Path, parent: QWidget | None) -> bool:
    """Preview the PDF at ``path`` and print it; says so in Chinese when it cannot."""
    try:
        job = PrintJob(path, parent)
    except UnreadablePdfError as error:
        QMessageBox.warning(parent, "不能打印", str(error))
        return False
    return job.run()
