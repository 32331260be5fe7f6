"""Profiles' admin, one module per feature."""
from . import connected  # noqa: F401
