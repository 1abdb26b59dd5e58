"""The portal's messages to members, in English and Welsh, rendered from template files."""

from shared.messages.renderer import (
    FOOTER_LANGUAGES,
    KINDS,
    Message,
    language_for,
    render,
    template_path,
)

__all__ = ["FOOTER_LANGUAGES", "KINDS", "Message", "language_for", "render", "template_path"]
