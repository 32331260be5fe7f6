"""Billing demo data: Northwind's three contracts — ending in 140 days (inside the 150-day
window), in 100 days (inside the 120-day window) and in 400 days — with `billing.contact` as
billing contact of the 100-day one only; one contract each for Harbor Logistics (no CSM) and
Bright Bakery Co (self-service, billing-contacts feature off). Idempotent; dates relative to
today in each organization's time zone."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hub.models import Organization, User

from .models import Contract, ContractContact, ContractLicense, add_months, organization_today

LEE_PARK = ("Lee", "Park", "lee.park@northwind.example")
NORTHWIND_AP = ("Accounts", "Payable", "accounts.payable@northwind.example")

# number: (organization, days until the end, term in months, primary, billing, licenses)
# A contact is (first, last, email) or a demo username.
CONTRACTS = {
    "40018231": ("ORG-NW7K2", 140, 12, LEE_PARK, NORTHWIND_AP,
                 [("Surveys & XM Directory — user seats", 250), ("CX Dashboards — viewers", 500)]),
    "40018232": ("ORG-NW7K2", 100, 12, "brand.admin", "billing.contact",
                 [("Employee Experience — employees", 1200), ("360 — participants", 150)]),
    "40018233": ("ORG-NW7K2", 400, 24, LEE_PARK, NORTHWIND_AP,
                 [("Website & App Insights — sites", 5), ("Survey responses per year", 100000)]),
    "40020417": ("ORG-HB4M9", 200, 12, "nocsm.admin", ("Harbor", "Finance", "finance@harbor.example"),
                 [("Surveys & XM Directory — user seats", 80)]),
    "40031190": ("ORG-SS5T3", 45, 12, "selfservice.admin", "selfservice.admin",
                 [("Surveys & XM Directory — user seats", 3)]),
}
# The billing contact of 40018231 was changed by the brand administrator a month ago (BILL-8);
# every other contact has not been touched since the last renewal.
RECENTLY_UPDATED = {("40018231", "billing"): ("brand.admin", 30)}


def _person(spec):
    if isinstance(spec, str):
        user = User.objects.get(username=spec)
        return user.first_name, user.last_name, user.email
    return spec


@transaction.atomic
def seed(out):
    now = timezone.now()
    for number, (org_id, days_left, term, primary, billing, licenses) in CONTRACTS.items():
        organization = Organization.objects.get(public_id=org_id)
        end = organization_today(organization, now) + timedelta(days=days_left)
        start = add_months(end + timedelta(days=1), -term)
        contract, _created = Contract.objects.update_or_create(
            contract_number=number, defaults={"organization": organization, "start_date": start, "end_date": end}
        )
        ContractLicense.objects.filter(contract=contract).delete()
        ContractLicense.objects.bulk_create(
            ContractLicense(contract=contract, product=product, quantity=quantity) for product, quantity in licenses
        )
        for role, spec in ((ContractContact.Role.PRIMARY, primary), (ContractContact.Role.BILLING, billing)):
            first, last, email = _person(spec)
            updated_by, updated_at = None, None
            if (number, role) in RECENTLY_UPDATED:
                username, days_ago = RECENTLY_UPDATED[(number, role)]
                updated_by, updated_at = User.objects.get(username=username), now - timedelta(days=days_ago)
            ContractContact.objects.update_or_create(
                contract=contract, role=role,
                defaults={"first_name": first, "last_name": last, "email": email,
                          "updated_by": updated_by, "updated_at": updated_at},
            )
    out.write(f"billing: {len(CONTRACTS)} contracts")
