"""What the two ledgers' services share: the monthly papers they print carry the store's name
and the register's head (read in the same transaction as the lines printed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

Clock = Callable[[], datetime]


class LedgerPapers:
    def __init__(
        self,
        db: Any,
        clock: Clock,
        store_name: Callable[[], str] = lambda: "",
        chain_head: Callable[[], str] = lambda: "",
    ) -> None:
        self._db = db
        self._clock = clock
        self._store_name = store_name
        self._chain_head = chain_head

    def now(self) -> datetime:
        return self._clock().replace(microsecond=0)
