"""Phone numbers in a profile: normalised to E.164, impossible numbers refused."""

from __future__ import annotations

import pytest

from shared.domain.errors import InvalidPhone
from shared.domain.profile import normalise_phone


@pytest.mark.parametrize(
    ("number", "country_code", "e164"),
    [
        ("07911 123456", None, "+447911123456"),
        ("7911 123456", "+44", "+447911123456"),
        ("07911-123-456", "44", "+447911123456"),
        ("029 2026 5000", "GB", "+442920265000"),
        ("+353 1 234 5678", None, "+35312345678"),
        ("01 234 5678", "+353", "+35312345678"),
    ],
)
def test_numbers_are_normalised_to_e164(number: str, country_code: str | None, e164: str) -> None:
    assert normalise_phone(number, country_code) == e164


@pytest.mark.parametrize(
    ("number", "country_code"),
    [("123", None), ("not a number", None), ("+44 123", None), ("07911", "+44"), ("12345", "999")],
)
def test_impossible_numbers_are_refused(number: str, country_code: str | None) -> None:
    with pytest.raises(InvalidPhone):
        normalise_phone(number, country_code)
