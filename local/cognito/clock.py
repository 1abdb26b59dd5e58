"""The layer's clock, which tests freeze and move instead of sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """Wall-clock time that a test can freeze at an instant and move forward."""

    def __init__(self) -> None:
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        return self._frozen if self._frozen is not None else datetime.now(UTC)

    def timestamp(self) -> float:
        """The current instant as seconds since the epoch."""
        return self.now().timestamp()

    def freeze(self, at: datetime | None = None) -> datetime:
        """Stop the clock at `at` (default: now) and return that instant."""
        self._frozen = (at or datetime.now(UTC)).astimezone(UTC)
        return self._frozen

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move a frozen clock forward by `delta` or by timedelta keyword arguments."""
        if self._frozen is None:
            self.freeze()
        assert self._frozen is not None  # noqa: S101 - narrowed for the type checker
        self._frozen += delta if delta is not None else timedelta(**kwargs)
        return self._frozen

    def unfreeze(self) -> None:
        """Let the clock follow real time again."""
        self._frozen = None


clock = Clock()
