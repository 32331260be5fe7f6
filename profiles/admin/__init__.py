"""Profiles' admin, one module per feature."""
from ..preferences import admin as preferences_admin  # noqa: F401
from ..preferences import admin_sync as preferences_admin_sync  # noqa: F401
from . import connected  # noqa: F401
