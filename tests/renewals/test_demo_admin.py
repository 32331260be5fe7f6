"""Demo data (the demo billing contact and brand admin see a renewal inside the window, with
addresses on file) and the staff admin (pipeline, Mark invoiced through the service, history)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from billing import demo as billing_demo
from hub import demo
from hub.models import User
from hub.staff import sync_staff_groups
from renewals import demo as renewals_demo
from renewals.models import Renewal

from ..factories import StaffUserFactory


class Quiet:
    def write(self, text):
        pass


@pytest.fixture
def seeded(db):
    demo.seed(Quiet())
    billing_demo.seed(Quiet())
    renewals_demo.seed(Quiet())
    renewals_demo.seed(Quiet())  # idempotent
    return User.objects


@pytest.mark.django_db
def test_demo_billing_contact_prepares_the_renewal_with_addresses_on_file(client, seeded):
    assert Renewal.objects.count() == 1
    user = User.objects.get(username="billing.contact")
    client.force_login(user)
    assert "Prepare my renewal" in client.get(reverse("hub:home")).content.decode()
    client.post("/renewals/40018232/intent/", {"intent": "renew"})
    for step in ("primary", "billing"):
        client.post(f"/renewals/40018232/{step}/", {"action": "confirm", "version": 1})
    client.post("/renewals/40018232/po/", {"no_po_needed": "on"})
    page = client.get("/renewals/40018232/addresses/").content.decode()
    assert "Am Sandtorkai 12" in page and "This address is right" in page
    response = client.post("/renewals/40018232/addresses/", {"shipping_address_action": "confirmed",
                                                             "billing_address_action": "confirmed"})
    assert response["Location"] == "/renewals/40018232/instructions/"
    current = Renewal.objects.get(contract__contract_number="40018232", status="in_progress")
    assert current.shipping_street == "Am Sandtorkai 12" and current.shipping_address_action == "confirmed"


@pytest.mark.django_db
def test_demo_brand_admin_sees_the_status(client, seeded):
    client.force_login(User.objects.get(username="brand.admin"))
    html = client.get(reverse("hub:home")).content.decode()
    assert "Your renewal is coming up" in html


@pytest.mark.django_db
def test_account_services_marks_a_submitted_renewal_invoiced_from_the_pipeline(client, cast, contracts):
    sync_staff_groups()
    contract = contracts.ending_in_100
    renewal = Renewal.objects.create(contract=contract, cycle=contract.end_date, status="submitted",
                                     intent="renew", submitted_at="2026-01-01T00:00Z", completed_steps=7)
    staff = StaffUserFactory()
    staff.groups.add(Group.objects.get(name="Account services"))
    client.force_login(staff)
    changelist = reverse("admin:renewals_renewal_changelist")
    page = client.get(changelist + "?status__exact=submitted&window=120")
    assert page.status_code == 200 and "40018232" in page.content.decode()
    response = client.post(changelist, {"action": "mark_invoiced", "_selected_action": [renewal.pk]})
    assert response.status_code == 302
    renewal.refresh_from_db()
    assert renewal.status == "invoiced" and renewal.frozen_contacts["billing"]["email"] == cast.billing_contact.email
    history = client.get(reverse("admin:renewals_renewal_history", args=[renewal.pk]))
    assert history.status_code == 200
    viewer = StaffUserFactory()
    viewer.groups.add(Group.objects.get(name="Customer success"))
    client.force_login(viewer)
    assert client.get(changelist).status_code == 200
    client.post(changelist, {"action": "mark_invoiced", "_selected_action": [renewal.pk]})
    assert Renewal.objects.get(pk=renewal.pk).invoiced_at == renewal.invoiced_at
