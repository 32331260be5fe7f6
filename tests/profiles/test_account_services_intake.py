"""PRO-4: brand administrators without a Customer Success Manager send Account Services a request
from their account page; it is stored as an Account Services request (SUP-12)."""

import pytest
from django.core import mail
from django.urls import reverse

from support.models import AccountServicesRequest
from tests.factories import BrandAdminFactory, CertificationFactory, OrganizationFactory, StaffContactFactory

pytestmark = pytest.mark.django_db
URL = reverse("profiles:account_team_request")
DATA = {"category": "license_request", "subject": "Ten more seats", "message": "We hire ten analysts in May."}


@pytest.fixture
def nocsm_admin(cast):
    harbor = OrganizationFactory(name="Harbor Logistics", account_executive=StaffContactFactory(name="Marcus Lee"))
    return BrandAdminFactory(organization=harbor, email="jordan.blake@harbor.example")


def test_the_form_shows_for_brand_admins_without_a_csm_with_license_request_preselected(client_for, nocsm_admin):
    html = client_for(nocsm_admin).get(reverse("profiles:account_detail")).content.decode()
    assert "Ask Account Services" in html and f'action="{URL}"' in html
    assert '<option value="license_request" selected>' in html
    assert "Marcus Lee" in html  # the Account Executive is still shown


def test_a_request_is_stored_and_account_services_is_emailed(client_for, nocsm_admin, django_capture_on_commit_callbacks):
    client = client_for(nocsm_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, DATA, follow=True)
    assert response.redirect_chain == [(reverse("profiles:account_detail"), 302)]
    assert "Account Services received your request “Ten more seats”" in response.content.decode()
    request = AccountServicesRequest.objects.get()
    assert (request.organization, request.requester, request.source, request.category, request.status) == (
        nocsm_admin.organization, nocsm_admin, "profile", "license_request", "new")
    # SUP-12: the team's notice, then the requester's confirmation of the ticket (reply to add to it).
    assert [m.subject for m in mail.outbox] == [
        f"[{nocsm_admin.organization.public_id}] License request: Ten more seats",
        f"[{request.reference}] We received your request: Ten more seats",
    ]


def test_htmx_gets_the_confirmation_partial(client_for, nocsm_admin):
    response = client_for(nocsm_admin).post(URL, DATA, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="account-services-intake"' in html
    assert "Request sent." in html and "jordan.blake@harbor.example" in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("htmx", [False, True])
def test_bad_input_is_explained_at_the_field(client_for, nocsm_admin, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client_for(nocsm_admin).post(URL, {**DATA, "message": "short"}, **headers)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Describe your request in at least 10 characters." in html
    assert 'aria-invalid="true"' in html
    assert ("<html" in html) is not htmx
    assert not AccountServicesRequest.objects.exists()


@pytest.mark.parametrize("persona", ["brand_admin", "standard_user", "free_user", "billing_contact"])
def test_users_who_do_not_get_the_form_get_404(client_for, cast, persona):
    assert client_for(getattr(cast, persona)).post(URL, DATA).status_code == 404
    assert not AccountServicesRequest.objects.exists()


def test_an_outsiders_request_belongs_to_their_own_organization(client_for, cast, nocsm_admin):
    client_for(cast.outsider).post(URL, DATA)
    assert AccountServicesRequest.objects.get().organization == cast.other
    assert not AccountServicesRequest.objects.visible_to(nocsm_admin).exists()


def test_get_is_not_allowed(client_for, nocsm_admin):
    assert client_for(nocsm_admin).get(URL).status_code == 405


def test_the_page_with_the_form_stays_within_budget(client_for, nocsm_admin, count_queries):
    client = client_for(nocsm_admin)
    url = reverse("profiles:account_detail")
    CertificationFactory(user=nocsm_admin)
    one = count_queries(lambda: client.get(url))
    CertificationFactory.create_batch(19, user=nocsm_admin)
    assert count_queries(lambda: client.get(url)) == one <= 12
