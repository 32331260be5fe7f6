"""Support's admin, one module per area of work."""

from . import catalog, scheduled_calls, tickets  # noqa: F401  (registers the ModelAdmins)
