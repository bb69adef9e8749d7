"""zxcvbn's verdict on new passwords (pure)."""

from __future__ import annotations

from chalicelib.domain.password_strength import password_problem


def test_a_password_longer_than_zxcvbn_reads_is_judged_on_its_start() -> None:
    # found by the contract layer: zxcvbn raised on anything past 72 characters (a 500 at sign-up)
    assert password_problem("lantern harbour quietly 7 " * 9, [], 3) is None
    assert password_problem("a" * 200, [], 3) is not None
