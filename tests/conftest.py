"""The fixed cast every feature test can use (STYLE.md) and the test plumbing.

Celery runs eagerly unless a test asks for the real worker (`celery_worker`, tests/hub). Each
xdist worker gets its own Redis databases, so rate limits and queues never leak between them."""

import os
import time
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import translation

from hub.celery import app as celery_app

from .factories import BrandAdminFactory, OrganizationFactory, StaffContactFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def worker_index():
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw") or 0) % 7


def redis_url_for_db(db):
    parts = urlsplit(settings.REDIS_URL)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


@pytest.fixture(scope="session", autouse=True)
def _isolated_services():
    index = worker_index()
    caches = {"default": {**settings.CACHES["default"], "LOCATION": redis_url_for_db(1 + 2 * index)}}
    broker = redis_url_for_db(2 + 2 * index)
    fast_hasher = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(CACHES=caches, CELERY_BROKER_URL=broker, PASSWORD_HASHERS=fast_hasher):
        celery_app.conf.broker_url = broker
        celery_app.conf.task_always_eager = True
        celery_app.conf.task_eager_propagates = True
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: middleware and email code activate a user's
    language on the test's thread, and it would otherwise leak into whichever test runs next."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def cast(db):
    """Northwind (enterprise, CSM + AE, billing contacts on) with a brand admin, a standard user
    and a billing contact; a FedRAMP user; a free user; and an outsider in another organization."""
    csm = StaffContactFactory(name="Dana Whitfield", title="Customer Success Manager")
    ae = StaffContactFactory(name="Marcus Lee", title="Account Executive")
    northwind = OrganizationFactory(
        name="Northwind Analytics", success_packages=2, billing_contacts_enabled=True,
        customer_success_manager=csm, account_executive=ae,
    )
    brand_admin = BrandAdminFactory(organization=northwind, username="brand.admin",
                                    first_name="Alex", last_name="Morgan", email="alex.morgan@northwind.example")
    northwind.admin_contact = brand_admin
    northwind.save(update_fields=["admin_contact"])
    standard_user = UserFactory(organization=northwind, username="standard.user",
                                first_name="Sam", last_name="Rivera", email="sam.rivera@northwind.example")
    billing_contact = UserFactory(organization=northwind, username="billing.contact",
                                  first_name="Priya", last_name="Nair", email="priya.nair@northwind.example")
    civic = OrganizationFactory(name="Civic Records Agency", is_fedramp=True, data_center="gov1",
                                time_zone="America/Denver")
    fedramp_admin = BrandAdminFactory(organization=civic, username="fedramp.admin")
    fedramp_user = UserFactory(organization=civic, username="fedramp.user")
    solo = OrganizationFactory(name="Solo Research", license_type="free", time_zone="America/Los_Angeles")
    free_user = UserFactory(organization=solo, username="free.user")
    other = OrganizationFactory(name="Contoso Outsiders")
    outsider = BrandAdminFactory(organization=other, username="outsider.admin")
    return SimpleNamespace(
        northwind=northwind, civic=civic, solo=solo, other=other, csm=csm, ae=ae,
        brand_admin=brand_admin, standard_user=standard_user, billing_contact=billing_contact,
        fedramp_admin=fedramp_admin, fedramp_user=fedramp_user, free_user=free_user, outsider=outsider,
    )


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the test client, signed in as `user`."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (a thread, solo pool) consuming this xdist worker's queue on the real
    Redis. Tests using it see committed data only, like production."""
    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20) as worker:
            yield worker
    finally:
        celery_app.conf.task_always_eager = True


def wait_for(predicate, timeout=20.0):
    """Poll until `predicate()` is true (for work done by a real worker); False on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def count_queries():
    """`count_queries(callable)` → how many SQL queries it ran. Compare a page at 1 and 20 rows:
    `assert count_queries(lambda: client.get(url)) == before`."""

    def count(action):
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured.captured_queries)

    return count


@pytest.fixture
def contracts(cast):
    """Northwind's contracts as in the demo, ending 140, 100 and 400 days from today (in
    Northwind's time zone): inside the 150-day window, inside the 120-day window, outside both.
    `cast.billing_contact` is the billing contact of the 100-day contract only; the brand admin is
    its primary contact; the other two have a non-user primary contact (Lee Park) and a shared
    mailbox as billing contact. Terms are 12 months, 24 for the 400-day one. Plus one contract of the outsider's organization, with the
    outsider as both contacts. Each has one license line.

    Attributes: `ending_in_140`, `ending_in_100`, `ending_in_400`, `outsider`, and `northwind`
    (the three Northwind contracts, soonest end first)."""
    from .factories import ContractContactFactory, ContractFactory, ContractLicenseFactory

    def contract(organization, number, days, primary, billing, term=12):
        made = ContractFactory(organization=organization, contract_number=number, ends_in_days=days, term=term)
        ContractLicenseFactory(contract=made, product="Surveys & XM Directory — user seats", quantity=250)
        for role, (first, last, email) in (("primary", primary), ("billing", billing)):
            ContractContactFactory(contract=made, role=role, first_name=first, last_name=last, email=email)
        return made

    lee = ("Lee", "Park", "lee.park@northwind.example")
    mailbox = ("Accounts", "Payable", "accounts.payable@northwind.example")
    admin = (cast.brand_admin.first_name, cast.brand_admin.last_name, cast.brand_admin.email)
    priya = (cast.billing_contact.first_name, cast.billing_contact.last_name, cast.billing_contact.email)
    outsider = (cast.outsider.first_name, cast.outsider.last_name, cast.outsider.email)
    ending_in_140 = contract(cast.northwind, "40018231", 140, lee, mailbox)
    ending_in_100 = contract(cast.northwind, "40018232", 100, admin, priya)
    ending_in_400 = contract(cast.northwind, "40018233", 400, lee, mailbox, term=24)
    return SimpleNamespace(
        ending_in_140=ending_in_140, ending_in_100=ending_in_100, ending_in_400=ending_in_400,
        outsider=contract(cast.other, "70000001", 140, outsider, outsider),
        northwind=[ending_in_100, ending_in_140, ending_in_400],
    )
