"""Profiles' Celery tasks, one module per feature; imported here so Celery's autodiscovery finds them."""
from .connected import start_connected_accounts_sync, sync_connected_accounts_batch  # noqa: F401
