"""法律参考: beside the customer's demand (the case screen and the refund request), the statutory
remedies that fit the case with this case's figures, and the 增值服务 floor (price + the
customer's cost of complaining). A reference for the desk, not legal advice: it decides nothing.

The price basis starts from the goods concerned (the case's returns, else the catalogue price,
else the receipt) and the desk may correct it; the customer's loss and cost are typed when known.
In the refund request the amount being requested is compared with the floor as it is typed.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import legal_remedies as law
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import format_yuan, from_fen, parse_amount
from desktop_app.domain.refunds import COUNTED_STATUSES, RefundKind
from desktop_app.services.case_views import CaseDetail
from desktop_app.services.desk import Desk

TEXT = {
    "title": "法律参考(不是法律意见)",
    "demand": "顾客诉求:{demand}    投诉类别:{category}",
    "price": "价款(元)",
    "price_hint": "顾客为所涉商品支付的金额",
    "loss": "顾客损失(元)",
    "loss_hint": "选填:医疗、误工等",
    "cost": "投诉成本(元)",
    "cost_hint": "选填:交通、时间等",
    "offer_covers": "本次申请 {offer}:已达到 V1 + C = {floor}",
    "offer_short": "本次申请 {offer}:低于 V1 + C = {floor},差 {gap}",
    "not_applicable": "(本案不适用)",
}


class LegalRemedyPanel(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legal_remedy_panel")
        self._desk = desk
        self._case: CaseDetail | None = None
        self._offer: Decimal | None = None
        self.heading = QLabel()
        self.heading.setObjectName("legal_demand")
        self.heading.setWordWrap(True)
        disclaimer = QLabel(law.DISCLAIMER)
        disclaimer.setWordWrap(True)
        disclaimer.setStyleSheet("color: #555555;")
        self.price = self._amount_edit("legal_price", TEXT["price_hint"])
        self.loss = self._amount_edit("legal_loss", TEXT["loss_hint"])
        self.cost = self._amount_edit("legal_cost", TEXT["cost_hint"])
        inputs = QFormLayout()
        inputs.addRow(TEXT["price"], self.price)
        inputs.addRow(TEXT["loss"], self.loss)
        inputs.addRow(TEXT["cost"], self.cost)
        self.remedies = QTextBrowser()
        self.remedies.setObjectName("legal_remedies")
        self.remedies.setOpenLinks(False)
        title = QLabel(f"<b>{TEXT['title']}</b>")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.heading)
        layout.addWidget(disclaimer)
        layout.addLayout(inputs)
        layout.addWidget(self.remedies, 1)

    def _amount_edit(self, name: str, hint: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(hint)
        edit.textChanged.connect(self.refresh)
        return edit

    # --- what it is shown -------------------------------------------------------------------

    def show_case(self, case: CaseDetail) -> None:
        """The case's facts, and a price basis from what it knows (the desk may correct it)."""
        self._case = case
        self.heading.setText(TEXT["demand"].format(demand=case.demand.label,
                                                   category=case.category.label))
        refunded = [line.amount for line in self._desk.refunds.refunds_of_case(case.case_id)
                    if line.kind is not RefundKind.COMPENSATION
                    and line.status in COUNTED_STATUSES]
        product = (self._desk.cases.product_by_barcode(case.product_barcode)
                   if case.product_barcode else None)
        catalogue = None if product is None else from_fen(int(product["price_fen"]))
        price = law.default_price(refunded, catalogue, case.amount_paid)
        self.price.blockSignals(True)
        self.price.setText("" if price is None else str(price))
        self.price.blockSignals(False)
        self.refresh()

    def follow_request(self, amount: QLineEdit, kind: QComboBox) -> None:
        """In the refund request: the amount typed is what the customer is offered; for a
        return or an exchange it is also the price of the goods concerned."""

        def update() -> None:
            typed = _amount_or_none(amount.text())
            if typed is not None and kind.currentData() is not RefundKind.COMPENSATION:
                self.price.setText(f"{typed:.2f}")
            self.set_offer(typed)

        amount.textChanged.connect(update)
        kind.currentIndexChanged.connect(update)

    def set_offer(self, offer: Decimal | None) -> None:
        self._offer = offer
        self.refresh()

    def facts(self) -> law.RemedyFacts | None:
        if self._case is None:
            return None
        case = self._case
        return law.RemedyFacts(
            category=case.category, demand=case.demand, purchase_date=case.purchase_date,
            asked_on=case.received_at.date(), price=_amount_or_none(self.price.text()),
            loss=_amount_or_none(self.loss.text()), cost=_amount_or_none(self.cost.text()),
        )

    def refresh(self) -> None:
        facts = self.facts()
        if facts is None:
            self.remedies.clear()
            return
        parts = [_remedy_html(remedy) for remedy in law.remedies(facts)]
        offer = self.offer_text(facts)
        if offer:
            parts.append(f"<p><b>{escape(offer)}</b></p>")
        self.remedies.setHtml("".join(parts))

    def offer_text(self, facts: law.RemedyFacts) -> str:
        if self._offer is None or facts.price is None:
            return ""
        floor = law.value_added_floor(facts.price, facts.cost)
        if law.covers_value_added(self._offer, facts.price, facts.cost):
            return TEXT["offer_covers"].format(offer=format_yuan(self._offer),
                                               floor=format_yuan(floor))
        return TEXT["offer_short"].format(offer=format_yuan(self._offer), floor=format_yuan(floor),
                                          gap=format_yuan(floor - self._offer))

    def plain_text(self) -> str:
        return self.remedies.toPlainText()


def _amount_or_none(text: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        return parse_amount(text)
    except ValidationError:
        return None


def _remedy_html(remedy: law.Remedy) -> str:
    colour = "#000000" if remedy.applies else "#777777"
    note = "" if remedy.applies else f" {TEXT['not_applicable']}"
    quotes = "<br>".join(
        f"{escape(provision.citation)}:“{escape(provision.quote)}”"
        for provision in remedy.provisions
    )
    return (
        f"<p style='color:{colour}'><b>{escape(remedy.title)}</b>{escape(note)}<br>"
        f"适用条件:{escape(remedy.condition)}<br>"
        f"本案:<b>{escape(remedy.outcome)}</b><br>"
        f"<span style='color:#666666; font-size:small'>{quotes}</span></p>"
    )
