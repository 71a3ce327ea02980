"""A bar chart (pyqtgraph) whose every bar opens the cases it counts.

Vertical bars (months along the bottom), optionally stacked by series with a legend, or
horizontal bars for a ranking (names down the left). Positions and heights are plot
coordinates in floats (counts and durations, never money: see ``_number``). Each bar keeps
the selection of its cases; a click on it emits ``bar_clicked``.

Signals:
    bar_clicked(object): the ``CaseSelection`` of the bar clicked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.domain.case_selection import CaseSelection
from desktop_app.domain.complaint_analysis import Bar, Series

PALETTE = ("#c0392b", "#e67e22", "#2980b9", "#8e44ad", "#16a085", "#7f8c8d", "#2c3e50")
LABEL_CHARS = 12
BAR_WIDTH = 0.7
# A ranking puts ten names down the left of a chart about 130 px high at 1366×768: the
# names need a smaller type than the window's, or each one overlaps the next.
RANKING_LABEL_PIXELS = 11


@dataclass(frozen=True)
class Drawn:
    """One drawn bar: its rectangle in the plot's coordinates and what it stands for."""

    left: float
    bottom: float
    right: float
    top: float
    bar: Bar
    series: str

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.bottom <= y <= self.top


class BarChart(QWidget):
    bar_clicked = Signal(object)

    def __init__(self, title: str, horizontal: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self.drawn: list[Drawn] = []
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setTitle(title, color="#222", size="11pt")
        self.plot.showGrid(x=horizontal, y=not horizontal, alpha=0.2)
        self.plot.scene().sigMouseClicked.connect(self.on_scene_clicked)
        if horizontal:
            names = QFont(self.font())
            names.setPixelSize(RANKING_LABEL_PIXELS)
            self.plot.getAxis("left").setTickFont(names)
        self.legend = QLabel()
        self.legend.setObjectName("chart_legend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend)

    def show_series(self, series: Sequence[Series]) -> None:
        """Stacked vertical bars: one bar per label, one segment per series; the legend is a
        line of coloured names under the chart, so it never covers a bar."""
        self.plot.clear()
        self.drawn = []
        self.legend.setText("  ".join(
            f'<span style="color:{PALETTE[index % len(PALETTE)]}">■</span> {one.name}'
            for index, one in enumerate(series)))
        self.legend.setVisible(bool(series))
        if not series:
            return
        labels = [bar.label for bar in series[0].bars]
        base = np.zeros(len(labels))
        for index, one in enumerate(series):
            heights = np.array([_number(bar.value) for bar in one.bars], dtype=float)
            color = PALETTE[index % len(PALETTE)]
            item = pg.BarGraphItem(x=np.arange(len(labels)), height=heights, y0=base,
                                   width=BAR_WIDTH, brush=color, pen=pg.mkPen(None))
            self.plot.addItem(item)
            for position, bar in enumerate(one.bars):
                self.drawn.append(Drawn(position - BAR_WIDTH / 2, float(base[position]),
                                        position + BAR_WIDTH / 2,
                                        float(base[position] + heights[position]), bar,
                                        one.name))
            base = base + heights
        self._ticks(labels)
        self.plot.setXRange(-0.6, len(labels) - 0.4, padding=0)
        self.plot.setYRange(0, max(1.0, float(base.max()) * 1.08), padding=0)

    def show_bars(self, bars: Sequence[Bar], color: str = PALETTE[2]) -> None:
        """One series: vertical bars, or horizontal ones for a ranking (largest on top)."""
        self.plot.clear()
        self.drawn = []
        values = np.array([_number(bar.value) for bar in bars], dtype=float)
        positions = np.arange(len(bars), dtype=float)
        if self.horizontal:
            positions = positions[::-1]  # the first (largest) at the top
            item = pg.BarGraphItem(x0=0, y=positions, height=BAR_WIDTH, width=values,
                                   brush=color, pen=pg.mkPen(None))
        else:
            item = pg.BarGraphItem(x=positions, height=values, width=BAR_WIDTH, brush=color,
                                   pen=pg.mkPen(None))
        self.plot.addItem(item)
        for position, bar, value in zip(positions, bars, values, strict=True):
            if self.horizontal:
                self.drawn.append(Drawn(0.0, position - BAR_WIDTH / 2, max(value, 0.0),
                                        position + BAR_WIDTH / 2, bar, ""))
            else:
                self.drawn.append(Drawn(position - BAR_WIDTH / 2, 0.0,
                                        position + BAR_WIDTH / 2, value, bar, ""))
            if bar.value is not None:
                self._value_label(bar, float(position), float(value))
        self._ticks([bar.label for bar in bars], list(positions))
        # Room above the longest bar for its value label: a short chart needs more of it.
        headroom = 1.15 if self.horizontal else 1.3
        top = max(1.0, float(values.max()) * headroom) if len(bars) else 1.0
        if self.horizontal:
            self.plot.setXRange(0, top, padding=0)
            self.plot.setYRange(-0.6, max(len(bars), 1) - 0.4, padding=0)
        else:
            self.plot.setXRange(-0.6, max(len(bars), 1) - 0.4, padding=0)
            self.plot.setYRange(0, top, padding=0)

    def _value_label(self, bar: Bar, position: float, value: float) -> None:
        text = pg.TextItem(f"{bar.value}", color="#333",
                           anchor=(0, 0.5) if self.horizontal else (0.5, 1))
        text.setPos(value, position) if self.horizontal else text.setPos(position, value)
        self.plot.addItem(text)

    def _ticks(self, labels: Sequence[str], positions: Sequence[float] | None = None) -> None:
        places = positions if positions is not None else range(len(labels))
        ticks = [(float(place), _short(label)) for place, label in zip(places, labels,
                                                                        strict=True)]
        axis = self.plot.getAxis("left" if self.horizontal else "bottom")
        # A narrow chart of many months labels every other one (the rest stay as ticks).
        major = ticks if self.horizontal or len(ticks) <= 8 else ticks[::2]
        minor = [] if major is ticks else [(place, "") for place, _ in ticks[1::2]]
        axis.setTicks([major, minor])

    # --- clicking a bar -----------------------------------------------------------------------

    def bar_at(self, x: float, y: float) -> Drawn | None:
        return next((drawn for drawn in self.drawn if drawn.contains(x, y)), None)

    def on_scene_clicked(self, event: object) -> None:
        position = event.scenePos()  # type: ignore[attr-defined]
        point = self.plot.getPlotItem().vb.mapSceneToView(position)
        self.open_at(point)

    def open_at(self, point: QPointF) -> CaseSelection | None:
        found = self.bar_at(point.x(), point.y())
        if found is None or found.bar.cases == 0:
            return None
        self.bar_clicked.emit(found.bar.selection)
        return found.bar.selection

    def scene_point_of(self, drawn: Drawn) -> QPoint:
        """Where a bar's middle is on the plot widget (tests click there)."""
        view = self.plot.getPlotItem().vb
        middle = QPointF((drawn.left + drawn.right) / 2, (drawn.bottom + drawn.top) / 2)
        scene = view.mapViewToScene(middle)
        return self.plot.mapFromScene(scene)


def _number(value: object) -> float:
    """A bar's height as a plot coordinate. pyqtgraph draws in floats; what the charts count
    are cases and durations (hours, days), never money, and the label printed on a bar is
    the value itself (``bar.value``), not this coordinate."""
    return 0.0 if value is None else float(str(value))


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
