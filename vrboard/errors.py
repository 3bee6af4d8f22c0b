"""Errors a user can be shown as they are: each names the problem in plain words."""
from __future__ import annotations


class VrboardError(Exception):
    """Base of every error meant for the user. ``str(err)`` is the message."""

    exit_code = 1


class NotFound(VrboardError):
    pass


class ValidationError(VrboardError):
    """A value was refused; ``field`` names it when known."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(VrboardError):
    """The acting user may not do this; the message says who may."""


class ConflictError(VrboardError):
    """Someone else saved the same record first; nothing was overwritten."""

    def __init__(self, message: str, entity: str = "", entity_id: int | None = None) -> None:
        super().__init__(message)
        self.entity = entity
        self.entity_id = entity_id


class RuleViolation(VrboardError):
    """A board rule forbids the change (e.g. editing signed minutes)."""


class DatabaseError(VrboardError):
    """The database cannot be opened or used (newer schema, unreachable server...)."""
