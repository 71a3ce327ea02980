"""The register's payloads are written by orjson: the very text the standard json module
writes (what ``domain.register.encode_payload`` defines), so a payload is the same bytes
whichever wrote it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain import register as rules
from desktop_app.services.register import payload_text

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
LEAF = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**64), TEXT)
VALUE = st.recursive(
    LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=12,
)


@given(st.dictionaries(TEXT, VALUE, max_size=8))
def test_a_payload_is_the_same_text_json_writes(payload: dict[str, Any]) -> None:
    assert payload_text(payload) == rules.encode_payload(payload)


class Kind(enum.StrEnum):
    RETURN = "return"


def test_what_orjson_would_write_its_own_way_goes_to_json() -> None:
    for payload in ({"k": Kind.RETURN}, {"n": 2**70}, {"_k": {1: "a"}}):
        assert payload_text(payload) == rules.encode_payload(payload)


def test_a_value_json_refuses_is_still_refused() -> None:
    with pytest.raises(TypeError):
        payload_text({"at": datetime(2026, 1, 1)})
