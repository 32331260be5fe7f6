from django.db import transaction

from .models import User


def set_user_language(*, user: User, language: str) -> None:
    """Persist the language the user chose; every page and email follows it (I18N-1)."""
    with transaction.atomic():
        user.language = language
        user.save(update_fields=["language"])
