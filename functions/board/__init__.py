"""The board function's handler."""
