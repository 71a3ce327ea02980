"""Password hashes: scrypt at the production cost, verified by the cost stored in each hash."""

from __future__ import annotations

from desktop_app.domain import passwords
from tests.conftest import PRODUCTION_SCRYPT_N


def test_the_app_hashes_at_a_cost_that_resists_guessing() -> None:
    assert PRODUCTION_SCRYPT_N == 2**14


def test_a_hash_carries_its_own_cost_so_older_hashes_still_verify() -> None:
    cheap = passwords.hash_password("secret1")
    assert cheap.split("$")[1] == str(passwords.SCRYPT_N)
    assert passwords.verify_password("secret1", cheap)
    assert not passwords.verify_password("secret2", cheap)


def test_a_malformed_hash_never_matches() -> None:
    for stored in ("", "scrypt$x$8$1$AA$AA", "md5$1$2$3$4$5", "plain"):
        assert not passwords.verify_password("secret1", stored)
