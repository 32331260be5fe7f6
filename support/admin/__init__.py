"""Support's admin, one module per area of work."""

from . import callbacks, catalog, tickets  # noqa: F401  (registers the ModelAdmins)
