"""The errors a user can cause. The CLI turns each into one line on stderr and exit code 2."""

from __future__ import annotations


class FactcheckError(Exception):
    """Base class: a problem the user can fix. ``str(error)`` is the one-line message."""

    exit_code = 2


class InputError(FactcheckError):
    """A claim, draft or source file that cannot be read or used."""


class ConfigError(FactcheckError):
    """A bad option or configuration value."""


class IndexStateError(FactcheckError):
    """A missing, corrupt, stale or foreign index."""


class IndexLockedError(FactcheckError):
    """Another process holds the index lock for longer than we may wait."""


class ModelError(FactcheckError):
    """A shipped model file that is missing or damaged."""
