"""The auth function's handler."""
