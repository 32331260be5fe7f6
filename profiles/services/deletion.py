"""Self-service account deletion (PRO-6) for users of free and self-service organizations.

The user row is anonymized in place rather than deleted: records that point at it (Account
Services requests, tickets, history rows) stay intact and show "Deleted user". Features that
keep personal data of their own for an account register an eraser here.
"""

from collections.abc import Callable

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.models import Organization, User
from hub.notifications import queue_email
from profiles.access import can_delete_own_account
from profiles.models import Certification, CommunityProfile

AccountEraser = Callable[..., None]
_erasers: list[AccountEraser] = []


class IncorrectPassword(ValidationError):
    pass


def register_account_eraser(eraser: AccountEraser) -> AccountEraser:
    """`eraser(*, user, email)` runs inside the deletion transaction, before the user row is
    anonymized, and removes what its feature keeps about this account or address."""
    if eraser not in _erasers:
        _erasers.append(eraser)
    return eraser


def delete_own_account(*, actor: User, password: str) -> None:
    """PRO-6: after the actor re-entered their password, send the confirmation email to their
    address, then remove their personal data: name, email and username replaced, sign-in email
    addresses, two-factor authenticators and social logins removed, Community/Academy data and
    its history erased, the password made unusable and the account deactivated (which also ends
    every other session). Raises IncorrectPassword or PermissionDenied."""
    if not can_delete_own_account(actor):
        raise PermissionDenied
    if not password or not actor.check_password(password):
        raise IncorrectPassword(_("The password is not correct."), code="incorrect_password")
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update(of=("self",)).select_related("organization").get(pk=actor.pk)
        if user.deleted_at is not None or not user.is_active:
            raise PermissionDenied
        old_email = user.email
        if old_email:
            queue_email(
                to_email=old_email,
                template="account_deleted",
                context={"username": user.username, "organization": user.organization, "deleted_at": now,
                         "help_url": settings.HUB_SUPPORT_HELP_URL},
                user=user,
                idempotency_key=f"account-deleted:{user.public_id}",
            )
        for erase in _erasers:
            erase(user=user, email=old_email)
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        SocialAccount.objects.filter(user=user).delete()
        for model in (CommunityProfile, Certification):
            model.objects.filter(user=user).delete()
            model.history.filter(user_id=user.pk).delete()
        chosen_by = Organization.objects.select_for_update().filter(pk=user.organization_id, admin_contact=user).first()
        if chosen_by is not None:
            # Standard users fall back to the organization's remaining brand administrators.
            chosen_by.admin_contact = None
            chosen_by._history_user = user
            chosen_by.save(update_fields=["admin_contact"])
        user.first_name = user.last_name = user.email = user.time_zone = ""
        user.username = f"deleted-{user.public_id.hex}"
        user.set_unusable_password()
        user.is_active = False
        user.deleted_at = now
        user.save(
            update_fields=["first_name", "last_name", "email", "time_zone", "username", "password", "is_active",
                           "deleted_at"]
        )
