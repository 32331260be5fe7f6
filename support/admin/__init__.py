"""Support's admin, one module per area of work."""

from . import catalog, enterprise, tickets  # noqa: F401  (registers the ModelAdmins)
