"""The register's rules: hashing, walking the chain, anchors, replay and commitments."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain import register as rules
from desktop_app.domain.register import CASE, Anchor, ChainWalk, Entry


def chain(payloads: list[str]) -> list[Entry]:
    entries, prev = [], rules.GENESIS_HASH
    for seq, payload in enumerate(payloads, start=1):
        prev = rules.entry_hash(prev, seq, "2026-11-24 10:00:00", 1, "王", "case", seq,
                                "register", payload)
        entries.append(Entry(seq, "2026-11-24 10:00:00", 1, "王", "case", seq, "register",
                             payload, prev))
    return entries


def walk(entries: list[Entry], anchors: list[Anchor] | None = None) -> ChainWalk:
    walker = ChainWalk(anchors or [])
    for entry in entries:
        if not walker.add(entry):
            break
    walker.finish()
    return walker


PAYLOADS = st.lists(st.dictionaries(st.sampled_from(["a", "b", "名"]), st.text(max_size=5))
                    .map(rules.encode_payload), min_size=1, max_size=8)


@given(PAYLOADS)
def test_an_untouched_chain_walks_to_its_head(payloads: list[str]) -> None:
    entries = chain(payloads)
    walker = walk(entries)
    assert walker.finding is None
    assert walker.head == rules.Head(len(entries), entries[-1].entry_hash)


@given(PAYLOADS, st.data())
def test_any_edited_field_of_any_entry_is_found(payloads: list[str], data: st.DataObject) -> None:
    entries = chain(payloads)
    index = data.draw(st.integers(0, len(entries) - 1))
    field = data.draw(st.sampled_from(["at", "actor_id", "actor", "entity_id", "action",
                                       "payload"]))
    original = entries[index]
    changed = {"at": "2026-11-24 10:00:01", "actor_id": 2, "actor": "李",
               "entity_id": original.entity_id + 100, "action": "x",
               "payload": original.payload + " "}[field]
    entries[index] = Entry(**{**original.__dict__, field: changed})
    walker = walk(entries)
    assert walker.finding is not None and walker.finding.seq == index + 1


def test_a_removed_or_reordered_entry_is_found() -> None:
    entries = chain(['{"a":"1"}', '{"a":"2"}', '{"a":"3"}'])
    assert walk([entries[0], entries[2]]).finding is not None
    assert walk([entries[1], entries[0], entries[2]]).finding is not None


def test_an_anchor_catches_a_rewrite_and_a_cut_tail() -> None:
    entries = chain(['{"a":"1"}', '{"a":"2"}', '{"a":"3"}'])
    good = Anchor.parse(f"2:{entries[1].entry_hash[:16]}", "报表")
    assert walk(entries, [good]).finding is None
    rewritten = chain(['{"a":"1"}', '{"a":"X"}', '{"a":"3"}'])
    assert "报表" in walk(rewritten, [good]).finding.message  # type: ignore[union-attr]
    cut = walk(entries[:1], [good]).finding
    assert cut is not None and "末尾被删除" in cut.message


@pytest.mark.parametrize("text", ["12:abcdef01", " 12 : ABCDEF0123456789 ", "12：abcdef01"])
def test_an_anchor_is_read_as_printed(text: str) -> None:
    assert Anchor.parse(text).seq == 12


@pytest.mark.parametrize("text", ["12", "12:abc", "x:abcdef01", "12:ghijklmn"])
def test_a_malformed_anchor_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Anchor.parse(text)


def test_personal_values_enter_the_chain_only_as_salted_commitments() -> None:
    recorded = rules.record_of(CASE, {"customer_name": "王美丽", "customer_phone": "13812345678",
                                      "status": "registered"}, salt="s1")
    text = rules.encode_payload(recorded.payload)
    assert "王美丽" not in text and "13812345678" not in text
    assert recorded.personal == {"customer_name": "王美丽", "customer_phone": "13812345678"}
    other_salt = rules.record_of(CASE, {"customer_name": "王美丽"}, salt="s2")
    assert other_salt.payload["customer_name"] != recorded.payload["customer_name"]


def test_a_row_is_checked_against_its_commitments_and_an_erased_person_still_verifies() -> None:
    recorded = rules.record_of(CASE, {"customer_name": "王美丽", "status": "registered"},
                               salt="s1")
    state = rules.replay(CASE, [rules.encode_payload(recorded.payload)])
    row = {column: default for column, default in CASE.columns.items()}
    row.update(customer_name="王美丽", status="registered")
    assert rules.row_mismatch(CASE, row, state, salt="s1") is None
    assert rules.row_mismatch(CASE, {**row, "customer_name": "王美"}, state, "s1") is not None
    erase = rules.encode_payload({"customer_name": rules.ERASED})
    erased = rules.replay(CASE, [rules.encode_payload(recorded.payload), erase])
    assert rules.row_mismatch(CASE, {**row, "customer_name": rules.ERASED}, erased, "") is None


def test_workflow_answers_are_patched_step_by_step() -> None:
    state = rules.replay(CASE, [
        json.dumps({"workflow": {"nature": {"upheld": True}}}),
        json.dumps({"workflow": {"cause": {"text": "变质"}}, "_reason": "说明"}),
    ])
    assert state == {"workflow": {"nature": {"upheld": True}, "cause": {"text": "变质"}}}


def test_only_changed_columns_and_keys_are_recorded() -> None:
    before = {"status": "registered", "workflow": '{"nature": {"upheld": true}}'}
    after = {"status": "registered", "updated_at": "x",
             "workflow": {"nature": {"upheld": True}, "cause": {"text": "t"}}}
    assert rules.changed_columns(CASE, before, after) == {"workflow": {"cause": {"text": "t"}}}


def test_a_password_hash_is_chained_as_a_digest_and_never_printed() -> None:
    recorded = rules.record_of(rules.USER, {"password_hash": "scrypt$secret"})
    assert "secret" not in recorded.payload["password_hash"]
    row = {**rules.USER.columns, "password_hash": "scrypt$other"}
    message = rules.row_mismatch(rules.USER, row, recorded.payload) or ""
    assert "密码" in message and "other" not in message


def test_canonical_values_compare_as_stored() -> None:
    from datetime import date, datetime

    assert rules.canonical(datetime(2026, 11, 24, 10, 0, 0, 123)) == "2026-11-24 10:00:00"
    assert rules.canonical(date(2026, 11, 24)) == "2026-11-24"
    assert rules.canonical(True) == "1" and rules.canonical(None) == ""
    assert rules.canonical({"b": 1, "a": "甲"}) == '{"a":"甲","b":1}'


# --- what verify relies on to go fast ---------------------------------------------------------

HEADER_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=8)
HEADER_FIELD = st.one_of(st.none(), st.integers(-(2**70), 2**70), HEADER_TEXT, st.booleans(),
                         st.floats(allow_nan=False))


@given(st.lists(HEADER_FIELD, min_size=7, max_size=7))
def test_the_header_is_exactly_the_json_array(fields: list[object]) -> None:
    expected = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    assert rules.header_text(*fields) == expected


@given(HEADER_TEXT, st.sampled_from([1, True, 1.0, None, 0, False]))
def test_a_header_is_right_whatever_header_came_before(at: str, actor_id: object) -> None:
    """Equal actor ids of other types (1, True, 1.0) never share a cached header part."""
    for first in (1, True, 1.0, None):
        rules.header_text(5, at, first, "王", "case", 7, "register")
        expected = json.dumps([5, at, actor_id, "王", "case", 7, "register"],
                              ensure_ascii=False, separators=(",", ":"))
        assert rules.header_text(5, at, actor_id, "王", "case", 7, "register") == expected


@given(PAYLOADS)
def test_hashing_the_stored_bytes_gives_the_entry_hash(payloads: list[str]) -> None:
    for entry in chain(payloads):
        header = rules.header_text(entry.seq, entry.at, entry.actor_id, entry.actor,
                                   entry.entity, entry.entity_id, entry.action)
        prev = rules.GENESIS_HASH if entry.seq == 1 else chain(payloads)[entry.seq - 2].entry_hash
        assert rules.hash_of_stored(prev, header, entry.payload.encode()) == entry.entry_hash


@given(PAYLOADS, st.data())
def test_walking_in_stretches_finds_what_one_walk_finds(
    payloads: list[str], data: st.DataObject
) -> None:
    """Each stretch starts from the hash stored before it: together they check the chain."""
    entries = chain(payloads)
    if data.draw(st.booleans()):
        index = data.draw(st.integers(0, len(entries) - 1))
        entries[index] = Entry(**{**entries[index].__dict__, "payload": "{}"})
    one = walk(entries).finding
    cut = data.draw(st.integers(0, len(entries)))
    first_break = None
    for after, last in ((0, cut), (cut, len(entries))):
        prev = rules.GENESIS_HASH if after == 0 else entries[after - 1].entry_hash
        stretch = ChainWalk(after=after, prev_hash=prev)
        for entry in entries[after:last]:
            if not stretch.add(entry):
                break
        stretch.expect_end(last)
        if stretch.finding is not None and first_break is None:
            first_break = stretch.finding.seq
    assert (one.seq if one else None) == first_break


@given(PAYLOADS, st.data())
def test_walking_a_batch_finds_what_walking_one_by_one_finds(
    payloads: list[str], data: st.DataObject
) -> None:
    """``add_all_headed`` (verify's loop) stops where ``add`` stops, with the same finding."""
    entries = chain(payloads)
    index = data.draw(st.integers(0, len(entries) - 1))
    damage = data.draw(st.sampled_from(["none", "payload", "hash", "cut", "twice", "anchor"]))
    anchors = []
    if damage == "payload":
        entries[index] = Entry(**{**entries[index].__dict__, "payload": "{}"})
    elif damage == "hash":
        entries[index] = Entry(**{**entries[index].__dict__, "entry_hash": "0" * 64})
    elif damage == "cut":
        del entries[index]
    elif damage == "twice":
        entries.insert(index, entries[index])
    elif damage == "anchor":
        prefix = data.draw(st.sampled_from(["0000", entries[index].entry_hash[:8]]))
        anchors = [Anchor(index + 1, prefix)]
    one_by_one = walk(entries, anchors)
    fields = {e.seq: (e.seq, e.at, e.actor_id, e.actor, e.entity, e.entity_id, e.action,
                      e.payload.encode(), e.entry_hash) for e in reversed(entries)}
    # A header written some other way (as a database might) only sends its entry to the
    # fields: the same finding either way.
    spaced = data.draw(st.sets(st.integers(1, len(entries) + 1)))
    unwritten = data.draw(st.sets(st.integers(1, len(entries) + 1)))  # no header (a blob)
    headed = [(e.seq, None if e.seq in unwritten else header(e, spaced), e.payload.encode(),
               e.entry_hash) for e in entries]
    batch = ChainWalk(anchors)
    followed = batch.add_all_headed(headed, fields.get)
    batch.finish()
    assert followed is (one_by_one.finding is None or one_by_one.finding.seq > len(entries))
    assert batch.finding == one_by_one.finding
    assert batch.head == one_by_one.head


def header(entry: Entry, spaced: set[int]) -> str:
    fields = [entry.seq, entry.at, entry.actor_id, entry.actor, entry.entity, entry.entity_id,
              entry.action]
    if entry.seq in spaced:
        return json.dumps(fields, ensure_ascii=False)
    return rules.header_text(*fields)


ROW_VALUE = st.one_of(st.none(), st.sampled_from(["", "0", "1", "{}", "x", "王"]),
                      st.integers(-2, 2))


@given(st.data())
def test_the_quick_row_check_agrees_with_the_described_one(data: st.DataObject) -> None:
    columns = list(CASE.columns)
    row = {column: data.draw(ROW_VALUE) for column in columns}
    row["workflow"] = data.draw(st.sampled_from(["{}", '{"a":1}', "", "{", '{"a":2}']))
    recorded: dict[str, object] = {}
    for column in data.draw(st.lists(st.sampled_from(columns), max_size=8, unique=True)):
        if column == "workflow":
            recorded[column] = data.draw(st.sampled_from([{}, {"a": 1}]))
        elif CASE.kind(column) is rules.ColumnKind.PERSONAL:
            stored = rules.canonical(row[column])
            recorded[column] = data.draw(st.sampled_from(
                ["", rules.ERASED, rules.commitment("s", column, stored),
                 rules.commitment("s", column, "别的")]))
        else:
            recorded[column] = data.draw(st.sampled_from(
                [rules.canonical(row[column]), "x", CASE.columns[column]]))
    expected = rules.row_mismatch(CASE, row, recorded, salt="s") is None
    assert rules.row_agrees(CASE, row, recorded, salt="s") is expected
    # As verify reads a row: the plain columns' texts and the workflow's UTF-8 bytes made by
    # SQLite (None where it could not say exactly: that row goes to the full comparison).
    shape = rules.row_shape(CASE)
    plain_texts = [database_text(row[name]) for name in shape.plain_names]
    if None not in plain_texts:
        workflow = row["workflow"].encode()
        others = {name: row[name] for name in columns if name not in shape.plain_names}
        assert rules.row_agrees(
            CASE, others, recorded, "s", encode=lambda value: rules.encode_payload(value).encode(),
            plain_texts=plain_texts, merged_utf8=[workflow],
        ) is expected


def database_text(value: object) -> str | None:
    """The text ``store.rows_for_checking`` has SQLite make of a plain column."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int) else None


def test_a_created_entry_leaves_out_what_replay_assumes() -> None:
    values = {column: default for column, default in CASE.columns.items()}
    values.update(case_no="TS-202611-0001", status="registered", customer_name="王女士",
                  is_major=False, workflow={}, purchase_date=None)
    created = rules.record_of(CASE, values, salt="s", created=True)
    assert set(created.payload) == {"case_no", "status", "customer_name"}
    full = rules.record_of(CASE, values, salt="s")
    row = {**values, "workflow": "{}", "is_major": 0}
    for recorded in (created, full):
        state = rules.replay(CASE, [rules.encode_payload(recorded.payload)])
        assert rules.row_mismatch(CASE, row, state, salt="s") is None
    changed = rules.record_of(CASE, {"promised_reply_date": ""}, salt="s")
    assert changed.payload == {"promised_reply_date": ""}  # a change back to empty is said
