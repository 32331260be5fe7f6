"""Demo email preferences (idempotent; dates relative to today): brand.admin turned News &
updates off three days ago and it has reached the mailing system; standard.user turned Customer
events off just now, so it shows as pending sync until the sync runs (with no mailing system
configured under `make run`, it stays pending and the admin says why)."""

import importlib
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from hub.models import User

from ..models import ConsentEvent, EmailPreference, PreferenceChange
from .services import update_email_preferences

SEED_MIGRATION = "profiles.migrations.0003_seed_email_categories"


def ensure_default_categories():
    """The categories the data migration seeds, put back if missing (a test database that a
    transactional test flushed). Never overwrites a category that exists."""
    importlib.import_module(SEED_MIGRATION).seed(apps, None)


@transaction.atomic
def seed(out):
    ensure_default_categories()
    brand_admin = User.objects.get(username="brand.admin")
    standard_user = User.objects.get(username="standard.user")
    changed = update_email_preferences(
        actor=brand_admin, email=brand_admin.email, choices={"news_and_updates": False}, source=ConsentEvent.Source.HUB
    )
    if changed:
        then = timezone.now() - timedelta(days=3)
        synced = then + timedelta(hours=20)
        preference = EmailPreference.objects.get(subscriber__email=brand_admin.email.lower(),
                                                 category__key="news_and_updates")
        EmailPreference.objects.filter(pk=preference.pk).update(changed_at=then, last_synced_at=synced)
        ConsentEvent.objects.filter(pk__in=[event.pk for event in changed]).update(occurred_at=then)
        PreferenceChange.objects.filter(preference=preference, status=PreferenceChange.Status.PENDING).update(
            status=PreferenceChange.Status.SENT, changed_at=then, sent_at=synced, attempts=1
        )
    update_email_preferences(
        actor=standard_user, email=standard_user.email, choices={"customer_events": False},
        source=ConsentEvent.Source.HUB,
    )
    out.write("profiles: email preferences for brand.admin (synced) and standard.user (pending sync)")
