"""The members function's handler."""
