"""The inbound HTTP adapter: resolver, error responses and the caller, shared by every handler."""
