"""Profiles' demo data (idempotent; dates relative to today): a fuller Northwind, Harbor's custom
contact for standard users (PRO-8), Community/Academy records as the sync would store them
(CON-1, CON-2) — with no API configured the sync leaves these alone — and email preferences
(`profiles/preferences/demo.py`)."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hub.models import Organization, User
from profiles.adapters.connected import CertificationData, CommunityProfileData
from profiles.services.connected import store_connected_accounts

# Colleagues who don't sign in to the demo: they fill Northwind's user list and give its brand
# administrators a choice of contact. (first, last, user type)
NORTHWIND_COLLEAGUES = {
    "chris.park": ("Chris", "Park", "brand_admin"),
    "mei.tanaka": ("Mei", "Tanaka", "standard"),
    "lucas.martin": ("Lucas", "Martin", "standard"),
    "fatima.haddad": ("Fatima", "Haddad", "standard"),
}


def _community(username, rank, years, topics):
    return CommunityProfileData(
        username=username,
        rank=rank,
        member_since=timezone.localdate() - timedelta(days=int(365 * years)),
        topics_count=topics,
        profile_url=f"{settings.HUB_COMMUNITY_URL.rstrip('/')}/u/{username}",
    )


def _certification(external_id, name, *, completed_days_ago=None):
    if completed_days_ago is None:
        return CertificationData(external_id=external_id, name=name, status="in_progress")
    return CertificationData(
        external_id=external_id,
        name=name,
        status="completed",
        completed_on=timezone.localdate() - timedelta(days=completed_days_ago),
        certificate_url=f"{settings.HUB_ACADEMY_URL.rstrip('/')}/certificates/{external_id}",
    )


# username → (Community profile or None, certifications)
CONNECTED = {
    "brand.admin": (
        _community("alex_morgan", "Expert", 3.2, 128),
        [
            _certification("NW-ADM-101", "Platform Administrator", completed_days_ago=410),
            _certification("NW-DSH-201", "Dashboards Specialist", completed_days_ago=75),
            _certification("NW-API-301", "Integrations and API Developer"),
        ],
    ),
    "standard.user": (
        _community("sam_rivera", "Contributor", 1.1, 14),
        [_certification("NW-SUR-101", "Survey Design Essentials")],
    ),
    "billing.contact": (None, []),
    "nocsm.admin": (None, [_certification("HB-ADM-101", "Platform Administrator", completed_days_ago=220)]),
    "free.user": (_community("robin_chen", "Newcomer", 0.2, 3), []),
    "selfservice.admin": (
        _community("jamie_bakes", "Regular", 0.8, 9),
        [_certification("SS-SUR-101", "Survey Design Essentials", completed_days_ago=30)],
    ),
}


@transaction.atomic
def seed(out):
    northwind = Organization.objects.get(public_id="ORG-NW7K2")
    for username, (first, last, user_type) in NORTHWIND_COLLEAGUES.items():
        email = f"{username}@northwind.example"
        user, created = User.objects.update_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": email, "organization": northwind,
                      "user_type": user_type},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})

    # Harbor shows its standard users a service desk instead of a brand administrator.
    harbor = Organization.objects.get(public_id="ORG-HB4M9")
    contact = {"admin_contact": None, "admin_contact_name": "Harbor IT Service Desk",
               "admin_contact_email": "it-desk@harbor.example", "admin_contact_phone": "+16175550123"}
    if any(getattr(harbor, field) != value for field, value in contact.items()):
        for field, value in contact.items():
            setattr(harbor, field, value)
        harbor.save(update_fields=list(contact))

    users = dict(User.objects.filter(username__in=CONNECTED).values_list("username", "pk"))
    for username, (community, certifications) in CONNECTED.items():
        store_connected_accounts(user_id=users[username], community=community, certifications=certifications)
    out.write(f"profiles: {len(NORTHWIND_COLLEAGUES)} colleagues, Harbor's contact, {len(CONNECTED)} connected accounts")

    from .preferences import demo as preferences_demo

    preferences_demo.seed(out)
