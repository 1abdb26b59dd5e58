"""Cognito's custom message trigger: every email and SMS Cognito sends, in the member's language."""
