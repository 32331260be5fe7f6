"""Reads for email preferences: which categories an address sees, in which language, and the
state of each of its choices (PREF-2, PREF-3, PREF-5). Two queries, whatever the number of
categories or changes."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Lower
from django.utils import translation

from ..models import EmailCategory, EmailCategoryTranslation, EmailPreference, PreferenceChange


def normalize_email(email: str) -> str:
    """Addresses match case-insensitively (PREF-1): they are stored and looked up lower-cased."""
    return (email or "").strip().lower()


def address_is_brand_admin(email: str) -> bool:
    """Whether an active brand administrator's account uses this address: its subscription page
    then shows the brand administrators' categories too (PREF-3)."""
    return (
        get_user_model()
        .objects.exclude(email="")
        .annotate(email_lower=Lower("email"))
        .filter(email_lower=normalize_email(email), user_type="brand_admin", is_active=True,
                organization__isnull=False)
        .exists()
    )


def localized_categories(*, include_brand_admin: bool, language: str | None = None):
    """Active categories in display order, each annotated with `local_name` and
    `local_description` in `language` (English when no translation exists). One query."""
    language = language or translation.get_language() or "en"
    rows = EmailCategory.objects.filter(is_active=True)
    if not include_brand_admin:
        rows = rows.exclude(audience=EmailCategory.Audience.BRAND_ADMINS)
    translated = EmailCategoryTranslation.objects.filter(category=OuterRef("pk"), language=language.lower())
    return rows.annotate(
        local_name=Coalesce(Subquery(translated.values("name")[:1]), F("name")),
        local_description=Coalesce(Subquery(translated.values("description")[:1]), F("description")),
    ).order_by("position", "pk")


@dataclass(frozen=True)
class CategoryChoice:
    """One category as an address sees it: its current choice and its sync state."""

    category: EmailCategory
    is_subscribed: bool
    is_explicit: bool
    is_pending: bool
    changed_at: datetime | None
    last_synced_at: datetime | None

    @property
    def key(self):
        return self.category.key

    @property
    def name(self):
        return getattr(self.category, "local_name", self.category.name)

    @property
    def description(self):
        return getattr(self.category, "local_description", self.category.description)

    @property
    def is_locked(self):
        return self.category.is_always_on


def category_choices(*, email: str, include_brand_admin: bool, language: str | None = None) -> list[CategoryChoice]:
    """The categories `email` sees with its current choices: explicit ones from its preferences,
    defaults otherwise; always-on categories are on. Each says whether its last change still waits
    for the mailing system (PREF-5). Two queries."""
    categories = list(localized_categories(include_brand_admin=include_brand_admin, language=language))
    pending = PreferenceChange.objects.filter(preference=OuterRef("pk"), status=PreferenceChange.Status.PENDING)
    preferences = {
        preference.category_id: preference
        for preference in EmailPreference.objects.filter(subscriber__email=normalize_email(email)).annotate(
            is_pending=Exists(pending)
        )
    }
    choices = []
    for category in categories:
        preference = preferences.get(category.pk)
        if category.is_always_on:
            is_subscribed = True
        elif preference is not None:
            is_subscribed = preference.is_subscribed
        else:
            is_subscribed = category.is_subscribed_by_default
        choices.append(
            CategoryChoice(
                category=category,
                is_subscribed=is_subscribed,
                is_explicit=preference is not None,
                is_pending=bool(preference and preference.is_pending),
                changed_at=preference.changed_at if preference else None,
                last_synced_at=preference.last_synced_at if preference else None,
            )
        )
    return choices


def is_subscribed(*, email: str, category_key: str) -> bool:
    """Whether `email` wants emails of the category: for code that sends marketing emails."""
    category = EmailCategory.objects.filter(key=category_key, is_active=True).first()
    if category is None:
        return False
    if category.is_always_on:
        return True
    choice = (
        EmailPreference.objects.filter(subscriber__email=normalize_email(email), category=category)
        .values_list("is_subscribed", flat=True)
        .first()
    )
    return category.is_subscribed_by_default if choice is None else choice


def pending_change_count() -> int:
    """How many changes wait for the mailing system (reads the pending index only)."""
    return PreferenceChange.objects.filter(status=PreferenceChange.Status.PENDING).count()
