"""Reversible runtime patches of moto: nothing on disk changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_MISSING = object()


@dataclass
class _Applied:
    owner: Any
    name: str
    own: Any
    previous: Any


class Patcher:
    """Replaces attributes of classes or modules and can put every one of them back."""

    def __init__(self) -> None:
        self._applied: list[_Applied] = []

    def replace(self, owner: Any, name: str, value: Any) -> None:
        """Set `owner.name` to `value`, remembering what was there (or that nothing was)."""
        own = vars(owner).get(name, _MISSING)
        self._applied.append(_Applied(owner, name, own, getattr(owner, name, None)))
        setattr(owner, name, value)

    def method(self, owner: type, name: str | None = None) -> Callable[[Any], Any]:
        """Decorator form of `replace` for methods; the function's name is the default."""

        def decorate(function: Any) -> Any:
            self.replace(owner, name or function.__name__, function)
            return function

        return decorate

    def original(self, owner: Any, name: str) -> Any:
        """The attribute as it was before this patcher first replaced it."""
        for applied in self._applied:
            if applied.owner is owner and applied.name == name:
                return applied.previous
        return getattr(owner, name)

    def restore(self) -> None:
        """Undo every replacement, newest first."""
        while self._applied:
            applied = self._applied.pop()
            if applied.own is _MISSING:
                delattr(applied.owner, applied.name)
            else:
                setattr(applied.owner, applied.name, applied.own)

    @property
    def active(self) -> bool:
        """Whether any replacement is in place."""
        return bool(self._applied)


# The one patcher the layer uses, so every correction can find moto's original methods.
patcher = Patcher()
