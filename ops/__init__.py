"""Operator commands: run from a checkout with the project's virtual environment."""
