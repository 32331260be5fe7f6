"""SUP-12 foundations: Account Services requests are recorded, scoped and announced to the team."""

import pytest
from django.core import mail

from support.forms import AccountServicesRequestForm
from support.models import AccountServicesRequest
from support.services import submit_account_services_request

pytestmark = pytest.mark.django_db


def _submit(user, **extra):
    return submit_account_services_request(
        requester=user, category="license_request", subject="More seats", message="We need 20 more seats.",
        source="profile", **extra,
    )


def test_a_request_is_stored_for_the_requesters_organization_and_emailed_in_english(
    cast, settings, django_capture_on_commit_callbacks
):
    cast.brand_admin.language = "de"
    with django_capture_on_commit_callbacks(execute=True):
        request = _submit(cast.brand_admin)
    assert request.organization == cast.northwind
    assert request.status == AccountServicesRequest.Status.NEW
    assert mail.outbox[0].to == [settings.HUB_ACCOUNT_SERVICES_EMAIL]
    assert mail.outbox[0].reply_to == [cast.brand_admin.email]
    assert "License request: More seats" in mail.outbox[0].subject
    assert "New Account Services request" in mail.outbox[0].body


def test_requests_are_visible_to_the_requester_and_their_brand_admins_only(cast):
    mine = _submit(cast.standard_user)
    assert list(AccountServicesRequest.objects.visible_to(cast.standard_user)) == [mine]
    assert list(AccountServicesRequest.objects.visible_to(cast.brand_admin)) == [mine]
    assert not AccountServicesRequest.objects.visible_to(cast.billing_contact).exists()
    assert not AccountServicesRequest.objects.visible_to(cast.outsider).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"category": "nonsense", "subject": "Seats", "message": "We need more seats."}, "category"),
        ({"category": "license_request", "subject": "  ", "message": "We need more seats."}, "subject"),
        ({"category": "license_request", "subject": "Seats", "message": "short"}, "message"),
    ],
)
def test_the_form_explains_bad_input_at_the_field(data, field):
    form = AccountServicesRequestForm(data)
    assert not form.is_valid()
    assert list(form.errors) == [field]
