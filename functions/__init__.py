"""The portal's Lambda handlers, one package per capability."""
