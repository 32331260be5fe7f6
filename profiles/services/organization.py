"""Organization settings (PRO-8): the contact standard users see."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hub.models import Organization, User
from profiles.access import can_see_organization_settings


def set_admin_contact(*, actor: User, admin: User | None = None, name: str = "", email: str = "",
                      phone="") -> Organization:
    """Choose whom the actor's organization shows its standard users: one of its active brand
    administrators (`admin`), or a contact of its choosing (`name` with an email and/or phone).
    The two are exclusive; the change is recorded in the organization's history with the actor."""
    if not can_see_organization_settings(actor):
        raise PermissionDenied
    name = name.strip()
    if admin is None and not name:
        raise ValidationError(_("Choose a brand administrator or enter a contact."), code="required")
    if admin is None and not (email or phone):
        raise ValidationError(_("Enter an email address or a phone number for the contact."), code="required")
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=actor.organization_id)
        if admin is not None:
            is_admin_of_org = User.objects.filter(
                pk=admin.pk, organization=organization, user_type=User.UserType.BRAND_ADMIN,
                is_active=True, deleted_at__isnull=True,
            ).exists()
            if not is_admin_of_org:
                raise ValidationError(_("Choose an active brand administrator of your organization."),
                                      code="invalid_choice")
            organization.admin_contact = admin
            organization.admin_contact_name = organization.admin_contact_email = ""
            organization.admin_contact_phone = ""
        else:
            organization.admin_contact = None
            organization.admin_contact_name = name
            organization.admin_contact_email = email
            organization.admin_contact_phone = phone or ""
        organization._history_user = actor
        organization.save(
            update_fields=["admin_contact", "admin_contact_name", "admin_contact_email", "admin_contact_phone"]
        )
    return organization
