"""Helpers the test suites share: API Gateway events and a moto-backed portal."""
