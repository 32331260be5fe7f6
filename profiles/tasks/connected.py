"""CON-4: the daily Community/Academy sync. Beat starts a run; each batch task handles one keyset
batch and enqueues the next, so no task runs long and a lost message is resumed by the next start."""

from celery import shared_task

from profiles.services import connected as services


@shared_task
def start_connected_accounts_sync():
    run = services.start_connected_accounts_sync()
    if run is not None:
        sync_connected_accounts_batch.delay_on_commit(run.pk)


# A retry continues after the claimed batch (the cursor already moved past it): one failing batch
# never blocks the rest of the run.
@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def sync_connected_accounts_batch(self, run_id):
    if services.sync_connected_accounts_batch(run_id=run_id):
        sync_connected_accounts_batch.delay_on_commit(run_id)
