"""The hash chain: any edit, removal, insertion or reordering is found at its first entry."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.audit_chain import (
    GENESIS_HASH,
    AuditEntry,
    compute_hash,
    verify_chain,
)
from desktop_app.domain.case_numbers import format_case_number, parse_case_number


def chain(values: list[str]) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    prev = GENESIS_HASH
    for seq, value in enumerate(values, start=1):
        at = f"2026-11-24 10:{seq % 60:02d}:00"
        digest = compute_hash(seq, 1, at, "刘洋#2", "step", "status", "", value, prev)
        entries.append(AuditEntry(seq, 1, at, "刘洋#2", "step", "status", "", value, prev, digest))
        prev = digest
    return entries


values_strategy = st.lists(st.text(max_size=20), min_size=2, max_size=30)


@given(values_strategy)
def test_an_untouched_chain_verifies(values: list[str]) -> None:
    assert verify_chain(chain(values)) is None


@given(values_strategy, st.data())
def test_an_edited_value_is_found_at_its_entry(values: list[str], data: st.DataObject) -> None:
    entries = chain(values)
    index = data.draw(st.integers(0, len(entries) - 1))
    new_value = data.draw(st.text(max_size=20).filter(lambda v: v != entries[index].new_value))
    entries[index] = replace(entries[index], new_value=new_value)
    broken = verify_chain(entries)
    assert broken is not None
    assert broken.seq == index + 1


@given(values_strategy, st.data())
def test_a_removed_entry_is_found(values: list[str], data: st.DataObject) -> None:
    entries = chain(values)
    index = data.draw(st.integers(0, len(entries) - 2))
    del entries[index]
    broken = verify_chain(entries)
    assert broken is not None
    assert broken.seq == index + 1


def test_swapped_entries_are_found() -> None:
    entries = chain(["a", "b", "c"])
    entries[0], entries[1] = entries[1], entries[0]
    assert verify_chain(entries) is not None


def test_a_rehashed_entry_still_breaks_the_link_to_the_next() -> None:
    entries = chain(["a", "b", "c"])
    forged = replace(entries[1], new_value="x")
    forged = replace(forged, entry_hash=compute_hash(
        2, 1, forged.at, forged.actor, forged.action, forged.field, "", "x", forged.prev_hash
    ))
    entries[1] = forged
    broken = verify_chain(entries)
    assert broken is not None
    assert broken.seq == 3


def test_field_boundaries_matter_to_the_hash() -> None:
    one = compute_hash(1, 1, "t", "a", "b", "c", "de", "f", GENESIS_HASH)
    two = compute_hash(1, 1, "t", "a", "b", "c", "d", "ef", GENESIS_HASH)
    assert one != two


def test_case_numbers_read_back() -> None:
    assert format_case_number(2026, 11, 7) == "TS-202611-0007"
    assert format_case_number(2026, 1, 12345) == "TS-202601-12345"
    assert parse_case_number(" ts-202611-0007 ") == (2026, 11, 7)
    assert parse_case_number("TS-202613-0001") is None
    assert parse_case_number("TS-202611-0000") is None
