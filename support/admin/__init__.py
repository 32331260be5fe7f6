"""Support's admin, one module per area of work."""

from . import catalog, knowledge, tickets  # noqa: F401  (registers the ModelAdmins)
