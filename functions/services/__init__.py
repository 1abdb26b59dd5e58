"""The services function's handler."""
