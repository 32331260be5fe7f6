"""The people a user can turn to (PRO-3, PRO-5): their organization's brand-administrator contact
or their account team, as uniform `Contact` cards."""

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext_lazy as _

from hub.models import StaffContact, User
from profiles.access import can_see_brand_admin_contacts

# Shown when an organization chose nobody (or the chosen admin left): a few of its brand admins.
FALLBACK_ADMINS = 3


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    title: str = ""
    email: str = ""
    phone: object = ""  # a phonenumbers PhoneNumber, or "" when unknown

    @property
    def initials(self):
        return "".join(part[0] for part in self.name.split()[:2] if part).upper()


def active_brand_admins(organization):
    """The organization's brand administrators who can still sign in, by name."""
    return User.objects.filter(
        organization=organization, user_type=User.UserType.BRAND_ADMIN, is_active=True, deleted_at__isnull=True
    ).order_by("last_name", "first_name", "username")


def brand_admin_contacts(user) -> list[Contact]:
    """PRO-3: whom a standard user asks about their account. The brand administrator their
    organization chose; else the custom contact it entered; else (nobody chosen, or the chosen
    one left) up to three of its active brand administrators. Always empty for FedRAMP users
    (PRO-5). One query at most."""
    if not can_see_brand_admin_contacts(user):
        return []
    organization = user.organization
    role = _("Brand administrator")
    if organization.admin_contact_id is None and organization.admin_contact_name:
        return [
            Contact(
                name=organization.admin_contact_name,
                role=_("Your organization's contact"),
                email=organization.admin_contact_email,
                phone=organization.admin_contact_phone or "",
            )
        ]
    admins = list(
        active_brand_admins(organization)
        .annotate(is_chosen=ExpressionWrapper(Q(pk=organization.admin_contact_id), output_field=BooleanField()))
        .order_by("-is_chosen", "last_name", "first_name", "username")
        .only("first_name", "last_name", "username", "email")[:FALLBACK_ADMINS]
    )
    if admins and admins[0].is_chosen:
        admins = admins[:1]
    return [Contact(name=str(admin), role=role, email=admin.email) for admin in admins]


def account_team_contacts(organization) -> list[Contact]:
    """PRO-3: a brand administrator's Customer Success Manager and Account Executive (one query,
    none when the organization has neither)."""
    roles = [
        (organization.customer_success_manager_id, _("Customer Success Manager")),
        (organization.account_executive_id, _("Account Executive")),
    ]
    people = StaffContact.objects.in_bulk([pk for pk, _role in roles if pk is not None])
    return [
        Contact(name=people[pk].name, role=role, title=people[pk].title, email=people[pk].email,
                phone=people[pk].phone or "")
        for pk, role in roles
        if pk in people
    ]
