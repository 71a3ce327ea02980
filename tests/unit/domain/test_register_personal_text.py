"""The plain personal text kept beside an entry (for the history screen, outside the hash) is
held to what the entry committed to: verify's ``first_unfaithful_personal``."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.domain import register as rules

SALT = "5a1t"


def registered(name: str = "王女士", phone: str = "13812345678") -> tuple[dict[str, Any], dict]:
    recorded = rules.record_of(rules.CASE, {"customer_name": name, "customer_phone": phone,
                                            "status": "registered"}, salt=SALT, created=True)
    return recorded.payload, dict(recorded.personal)


def corrected(phone: str) -> tuple[dict[str, Any], dict]:
    recorded = rules.record_of(rules.CASE, {"customer_phone": phone}, salt=SALT)
    return recorded.payload, dict(recorded.personal)


def first_bad(entries: list[tuple[dict[str, Any] | None, dict | None]], salt: str = SALT,
              row: dict[str, Any] | None = None) -> int | None:
    payloads = [payload for payload, _ in entries]
    state = rules.replay(rules.CASE, [rules.encode_payload(p) for p in payloads if p is not None])
    row = row if row is not None else {"customer_name": "王女士", "customer_phone": "13812345678"}
    return rules.first_unfaithful_personal(
        rules.CASE, row, salt, state, payloads, [personal for _, personal in entries]
    )


def test_the_text_the_app_wrote_is_faithful() -> None:
    assert first_bad([registered()]) is None


def test_an_older_value_is_checked_against_its_own_commitment() -> None:
    row = {"customer_name": "王女士", "customer_phone": "13900000000"}
    assert first_bad([registered(), corrected("13900000000")], row=row) is None


@pytest.mark.parametrize("personal", [
    {"customer_name": "王女士", "customer_phone": "13900000000"},  # another phone
    {"customer_name": "李先生", "customer_phone": "13812345678"},  # another name
    {"customer_name": "王女士"},  # the phone's text taken away
    {"customer_name": "王女士", "customer_phone": "13812345678", "note": "x"},  # a key added
    {"customer_name": "王女士", "customer_phone": 13812345678},  # not text
    {},  # blanked while the case keeps its salt: only an erasure blanks, and it takes the salt
    None,  # not a JSON object
])
def test_any_other_text_is_not(personal: dict | None) -> None:
    payload, _ = registered()
    assert first_bad([(payload, personal)]) == 0


def test_the_second_entry_is_named_when_it_is_the_one_changed() -> None:
    row = {"customer_name": "王女士", "customer_phone": "13900000000"}
    payload, _ = corrected("13900000000")
    entries = [registered(), (payload, {"customer_phone": "13700000000"})]
    assert first_bad(entries, row=row) == 1


def test_after_an_erasure_every_text_is_blank() -> None:
    payload, _ = registered()
    erased = {"customer_name": rules.ERASED, "customer_phone": rules.ERASED}
    row = {"customer_name": rules.ERASED, "customer_phone": rules.ERASED}
    assert first_bad([(payload, {}), (erased, {})], salt="", row=row) is None
    assert first_bad([(payload, {"customer_phone": "13812345678"}), (erased, {})], salt="",
                     row=row) == 0


def test_an_empty_value_is_written_plainly_on_both_sides() -> None:
    payload, personal = corrected("")
    assert payload["customer_phone"] == "" and personal == {"customer_phone": ""}
    row = {"customer_name": "王女士", "customer_phone": ""}
    assert first_bad([registered(), (payload, personal)], row=row) is None
    assert first_bad([registered(), (payload, {})], row=row) == 1


def test_an_unreadable_payload_is_not_faithful() -> None:
    assert first_bad([(None, {})]) == 0
