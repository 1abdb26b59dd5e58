"""The account function's handler."""
