"""The queue's search box as a clerk uses it: Chinese typed through an input method, results as
the typing pauses; and the search index merged in the app's quiet moments."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pytestqt.qtbot import QtBot

from desktop_app.services.desk import Desk
from desktop_app.store import search_index
from desktop_app.ui.case_queue_page import CaseQueuePage
from desktop_app.ui.search_upkeep import QUIET_INTERVAL_MS, SearchIndexUpkeep
from tests.builders import Staff, a_draft
from tests.conftest import FakeClock
from tests.ui.typing import show, type_text


def shown(queue: CaseQueuePage, column: int) -> list[str]:
    model = queue.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def register(desk: Desk, staff: Staff, clock: FakeClock, **changes: Any) -> None:
    clock.now += timedelta(minutes=1)
    desk.cases.register(staff.clerk, a_draft(received_at=clock.now, **changes))


def test_typing_two_characters_of_a_name_finds_the_customer(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    register(desk, staff, clock, customer_name="王美丽", customer_phone="13911112222")
    register(desk, staff, clock, customer_name="张先生", customer_phone="13655556666")
    register(desk, staff, clock, customer_name="李美丽", customer_phone="18700001234")
    queue = CaseQueuePage(desk, staff.clerk)
    show(qtbot, queue)
    assert len(shown(queue, 2)) == 3

    type_text(qtbot, queue.search, "美丽")
    # Results come when the typing pauses, without Enter.
    qtbot.waitUntil(lambda: shown(queue, 2) == ["李美丽", "王美丽"])
    assert queue.count_label.text() == "共 2 件"

    queue.search.clear()
    type_text(qtbot, queue.search, "5666")
    qtbot.waitUntil(lambda: shown(queue, 2) == ["张先生"])
    queue.search.clear()
    type_text(qtbot, queue.search, "异味")
    qtbot.waitUntil(lambda: len(shown(queue, 2)) == 3)


def test_the_idle_timer_merges_what_the_saves_left(
    qtbot: QtBot, desk: Desk, staff: Staff, clock: FakeClock
) -> None:
    for _ in range(12):
        register(desk, staff, clock)
    assert search_index.segment_count() >= 12
    upkeep = SearchIndexUpkeep(desk)
    with qtbot.waitSignal(upkeep.stepped, timeout=10_000, check_params_cb=lambda more: not more):
        upkeep.start()
    assert search_index.segment_count() < 4
    # Nothing left to merge: the timer only looks in now and then.
    assert upkeep.timer.interval() == QUIET_INTERVAL_MS
    upkeep.timer.stop()
