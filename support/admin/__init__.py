"""Support's admin, one module per area of work."""

from . import (  # noqa: F401  (registers the ModelAdmins)
    callbacks,
    catalog,
    chat,
    enterprise,
    knowledge,
    scheduled_calls,
    tickets,
)
