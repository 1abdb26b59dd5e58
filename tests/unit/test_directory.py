"""Temporary passwords the portal chooses for Cognito."""

from __future__ import annotations

import string

from shared.adapters.directory import temporary_password


def test_temporary_passwords_survive_html_email_and_meet_any_policy() -> None:
    for _ in range(200):
        password = temporary_password()

        assert len(password) == 20
        assert not set(password) & set("<>&\"' ")
        for group in (string.ascii_lowercase, string.ascii_uppercase, string.digits):
            assert set(password) & set(group)
