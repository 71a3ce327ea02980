"""投诉分析 (分析顾客投诉的类型和缘由), for managers: the twelve months' trend by category, the
products, suppliers and departments most complained about in a period, how fast the desk
answers and closes, and how satisfied customers were. A click on any bar opens the queue on
the cases it counts.

The figures come from ``AnalysisService`` (index counts, a few hundred milliseconds at most on
a million cases); the charts are pyqtgraph (see the README's dependency table).
"""

from __future__ import annotations

import time

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import complaint_analysis as figures
from desktop_app.domain.accounts import Account
from desktop_app.domain.case_selection import CaseSelection
from desktop_app.services.desk import Desk


def visible_to(account: Account) -> bool:
    from desktop_app.services.analysis import AnalysisService

    return AnalysisService.visible_to(account.role)


class AnalysisPage(QWidget):
    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # pyqtgraph and numpy load with the page, not with the window (≈0.3 s, once).
        from desktop_app.ui.bar_chart import BarChart

        self._desk = desk
        self._actor = actor
        self.result: figures.Analysis | None = None
        self.last_draw_ms = 0.0
        self.period = QComboBox()
        self.period.setObjectName("analysis_period")
        for label, back, months in figures.PRESETS:
            self.period.addItem(label, (back, months))
        self.period.setCurrentIndex(1)  # 上月: the last whole month
        self.period.currentIndexChanged.connect(self.refresh)
        self.summary = QLabel()
        self.summary.setObjectName("analysis_summary")
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        self.trend = BarChart("近 12 个月各类投诉(件)")
        self.satisfaction = BarChart("回访满意度(期间结案)")
        self.products = BarChart("投诉最多的商品(期间)", horizontal=True)
        self.suppliers = BarChart("投诉最多的供应商(期间)", horizontal=True)
        self.departments = BarChart("投诉最多的部门(期间)", horizontal=True)
        self.response = BarChart("首次答复用时中位数(小时,按受理月)")
        self.closing = BarChart("结案用时中位数(天,按结案月)")
        self.charts = (self.trend, self.satisfaction, self.products, self.suppliers,
                       self.departments, self.response, self.closing)
        for chart in self.charts:
            chart.bar_clicked.connect(self.open_cases)
        top = QHBoxLayout()
        top.addWidget(QLabel("期间"))
        top.addWidget(self.period)
        top.addWidget(self.summary, 1)
        top.addWidget(QLabel("点击任一柱条可查看其中的案件"))
        top.addWidget(refresh)
        grid = QGridLayout()
        grid.addWidget(self.trend, 0, 0, 1, 4)
        grid.addWidget(self.satisfaction, 0, 4, 1, 2)
        grid.addWidget(self.products, 1, 0, 1, 2)
        grid.addWidget(self.suppliers, 1, 2, 1, 2)
        grid.addWidget(self.departments, 1, 4, 1, 2)
        grid.addWidget(self.response, 2, 0, 1, 3)
        grid.addWidget(self.closing, 2, 3, 1, 3)
        # The rankings carry ten names each: their row gets the most height.
        for row, stretch in enumerate((3, 4, 3)):
            grid.setRowStretch(row, stretch)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        self.refresh()

    def chosen_period(self) -> figures.Period:
        back, months = self.period.currentData()
        return figures.preset(self._desk.clock().date(), int(back), int(months))

    def refresh(self) -> None:
        started = time.perf_counter()
        result = self._desk.analysis.analysis(self.chosen_period())
        self.result = result
        self.trend.show_series(result.category_trend)
        self.satisfaction.show_bars(result.satisfaction, color="#16a085")
        self.products.show_bars(result.top_products, color="#c0392b")
        self.suppliers.show_bars(result.top_suppliers, color="#e67e22")
        self.departments.show_bars(result.top_departments, color="#2980b9")
        self.response.show_bars(result.response_hours, color="#8e44ad")
        self.closing.show_bars(result.closing_days, color="#2c3e50")
        self.last_draw_ms = (time.perf_counter() - started) * 1000
        self.summary.setText(f"{result.period.label}:受理 {result.received} 件(不含作废)")

    def open_cases(self, selection: CaseSelection) -> None:
        from desktop_app.ui.case_list_dialog import open_case_list

        open_case_list(self, self._desk, self._actor, selection)
