"""The board's rules and use cases. Qt-free; the app and the command line both call these.

Every function takes the session and the acting user (``Actor``); each change it
makes writes its audit entries in the same transaction (see ``audit``).
"""
from .context import SYSTEM, Actor, Perm, can, chair_status, require, resolve_actor

__all__ = ["SYSTEM", "Actor", "Perm", "can", "chair_status", "require", "resolve_actor"]
