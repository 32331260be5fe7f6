"""The hub's demo data: organizations, account teams, personas and staff. Idempotent: running it
again updates the same rows. Other apps add theirs in `<app>/demo.py` (see `seed_demo`)."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Organization, StaffContact, User
from .sso import demo as sso_demo
from .staff import ACCOUNT_SERVICES, SUPPORT_AGENTS, sync_staff_groups

PASSWORD = "hub-demo-password"

# username → (first, last, email, organization key, user type, what the persona shows)
PERSONAS = {
    "brand.admin": ("Alex", "Morgan", "alex.morgan@northwind.example", "northwind", "brand_admin",
                    "brand admin, enterprise org with CSM + AE, 2 Success packages, billing contacts on"),
    "standard.user": ("Sam", "Rivera", "sam.rivera@northwind.example", "northwind", "standard",
                      "standard user of Northwind"),
    "billing.contact": ("Priya", "Nair", "priya.nair@northwind.example", "northwind", "standard",
                        "standard user of Northwind who is a contract's billing contact"),
    "nocsm.admin": ("Jordan", "Blake", "jordan.blake@harbor.example", "harbor", "brand_admin",
                    "brand admin of an enterprise org without a Customer Success Manager"),
    "fedramp.user": ("Casey", "Ortiz", "casey.ortiz@civic.example", "civic", "standard",
                     "standard user in the FedRAMP environment"),
    "fedramp.admin": ("Taylor", "Brooks", "taylor.brooks@civic.example", "civic", "brand_admin",
                      "brand admin in the FedRAMP environment"),
    "free.user": ("Robin", "Chen", "robin.chen@solo.example", "solo", "standard", "free account"),
    "selfservice.admin": ("Jamie", "Lund", "jamie.lund@brightbakery.example", "bakery", "brand_admin",
                          "brand admin of a self-service org"),
}
STAFF = {
    "support.agent": ("Elena", "García", "elena.garcia@vendor.example", [SUPPORT_AGENTS], False,
                      "support agent (admin: ticket queues)"),
    "account.services": ("Noah", "Williams", "noah.williams@vendor.example", [ACCOUNT_SERVICES], False,
                         "Account Services (admin: contracts, renewals, requests)"),
    "hub.superuser": ("Hub", "Superuser", "superuser@vendor.example", [], True, "superuser"),
}

ORGANIZATIONS = {
    "northwind": dict(public_id="ORG-NW7K2", name="Northwind Analytics", data_center="fra1",
                      license_type="enterprise", success_packages=2, billing_contacts_enabled=True,
                      time_zone="Europe/Berlin", team=("csm", "ae")),
    "harbor": dict(public_id="ORG-HB4M9", name="Harbor Logistics", data_center="iad1",
                   license_type="enterprise", success_packages=0, billing_contacts_enabled=True,
                   time_zone="America/New_York", team=(None, "ae")),
    "civic": dict(public_id="ORG-GV2P8", name="Civic Records Agency", data_center="gov1",
                  license_type="enterprise", is_fedramp=True, success_packages=1,
                  time_zone="America/Denver", team=("csm", "ae")),
    "solo": dict(public_id="ORG-FR3Q6", name="Solo Research", data_center="iad1",
                 license_type="free", time_zone="America/Los_Angeles", team=(None, None)),
    "bakery": dict(public_id="ORG-SS5T3", name="Bright Bakery Co", data_center="syd1",
                   license_type="self_service", time_zone="Australia/Sydney", team=(None, None)),
}


def _user(username, first, last, email, **fields):
    user, _created = User.objects.update_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": email, **fields}
    )
    if not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def seed(out):
    sync_staff_groups()
    csm, _ = StaffContact.objects.update_or_create(
        email="dana.whitfield@vendor.example",
        defaults={"name": "Dana Whitfield", "title": "Customer Success Manager", "phone": "+13035550142"},
    )
    ae, _ = StaffContact.objects.update_or_create(
        email="marcus.lee@vendor.example",
        defaults={"name": "Marcus Lee", "title": "Account Executive", "phone": "+13035550177"},
    )
    team = {"csm": csm, "ae": ae, None: None}
    orgs = {}
    for key, spec in ORGANIZATIONS.items():
        spec = dict(spec)
        csm_key, ae_key = spec.pop("team")
        public_id = spec.pop("public_id")
        org, _ = Organization.objects.update_or_create(
            public_id=public_id,
            defaults={**spec, "customer_success_manager": team[csm_key], "account_executive": team[ae_key]},
        )
        orgs[key] = org
    users = {}
    for username, (first, last, email, org_key, user_type, _about) in PERSONAS.items():
        users[username] = _user(username, first, last, email, organization=orgs[org_key], user_type=user_type,
                                is_staff=False, is_superuser=False)
    for username, (first, last, email, groups, is_superuser, _about) in STAFF.items():
        user = _user(username, first, last, email, organization=None, is_staff=True, is_superuser=is_superuser)
        user.groups.set(Group.objects.filter(name__in=groups))
        users[username] = user
    for org_key, admin_username in (("northwind", "brand.admin"), ("harbor", "nocsm.admin"),
                                    ("civic", "fedramp.admin"), ("bakery", "selfservice.admin")):
        Organization.objects.filter(pk=orgs[org_key].pk).update(admin_contact=users[admin_username])
    out.write(f"hub: {len(orgs)} organizations, {len(users)} users")
    sso_demo.seed(out)
    return {"organizations": orgs, "users": users}


def logins_table():
    rows = [(name, about[-1]) for name, about in {**PERSONAS, **STAFF}.items()]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"  {name.ljust(width)}  {about}" for name, about in rows)
