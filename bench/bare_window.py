"""Baseline for bench/startup.py: a bare PySide6 window with a table and a few fields."""

import sys
import time

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QLineEdit,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

app = QApplication(sys.argv)
window = QMainWindow()
central = QWidget()
layout = QVBoxLayout(central)
form = QFormLayout()
for label in ("姓名", "电话", "小票号"):
    form.addRow(label, QLineEdit())
layout.addLayout(form)
table = QTableView()
table.setModel(QStandardItemModel(20, 6))
layout.addWidget(table)
window.setCentralWidget(central)
window.resize(1200, 760)
window.show()
app.processEvents()
print(f"main-window-shown-at {time.time():.6f}", flush=True)
