"""PRO-6: users of free and self-service organizations delete their own account after re-entering
their password. Personal data is anonymized in place; their requests stay, as "Deleted user"."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hub.models import OutboundEmail, User
from profiles.models import Certification, CommunityProfile
from profiles.services import deletion
from profiles.services.deletion import IncorrectPassword, delete_own_account
from support.models import AccountServicesRequest
from support.services import submit_account_services_request
from tests.factories import (
    PASSWORD,
    BrandAdminFactory,
    CertificationFactory,
    CommunityProfileFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("profiles:account_delete")


@pytest.fixture
def free_user(cast):
    user = cast.free_user
    user.first_name, user.last_name, user.email = "Robin", "Chen", "robin.chen@solo.example"
    user.save()
    EmailAddress.objects.filter(user=user).update(email=user.email)
    return user


def _request(user):
    return submit_account_services_request(requester=user, category="license_request", subject="Upgrade",
                                           message="We would like to upgrade.", source="profile")


def test_deletion_anonymizes_the_account_in_place(free_user, django_capture_on_commit_callbacks):
    request = _request(free_user)
    CommunityProfileFactory(user=free_user)
    CertificationFactory(user=free_user)
    Authenticator.objects.create(user=free_user, type="totp", data={"secret": "x"})
    SocialAccount.objects.create(user=free_user, provider="openid_connect", uid="robin-1")
    pk = free_user.pk
    with django_capture_on_commit_callbacks(execute=True):
        delete_own_account(actor=free_user, password=PASSWORD)

    user = User.objects.get(pk=pk)
    assert (user.first_name, user.last_name, user.email, user.time_zone) == ("", "", "", "")
    assert user.username == f"deleted-{user.public_id.hex}"
    assert not user.is_active and not user.has_usable_password() and user.deleted_at is not None
    assert str(user) == "Deleted user"
    for model in (EmailAddress, Authenticator, SocialAccount, CommunityProfile, Certification):
        assert not model.objects.filter(user_id=pk).exists(), model
    assert not CommunityProfile.history.filter(user_id=pk).exists()
    assert not Certification.history.filter(user_id=pk).exists()
    # Records that reference the user are kept, now pointing at "Deleted user".
    kept = AccountServicesRequest.objects.get(pk=request.pk)
    assert kept.requester_id == pk and str(kept.requester) == "Deleted user"
    assert kept.subject == "Upgrade"


def test_a_confirmation_is_sent_to_the_old_address_in_the_users_language(free_user, django_capture_on_commit_callbacks):
    free_user.language = "de"
    free_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        delete_own_account(actor=free_user, password=PASSWORD)
    confirmations = [m for m in mail.outbox if m.to == ["robin.chen@solo.example"]]
    assert len(confirmations) == 1
    message = confirmations[0]
    assert "gelöscht" in message.subject
    assert "Hallo Robin" in message.body and "Solo Research" in message.body
    assert OutboundEmail.objects.get(template="account_deleted").to_email == "robin.chen@solo.example"


def test_a_wrong_password_changes_nothing(free_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(IncorrectPassword):
        delete_own_account(actor=free_user, password="not my password")
    free_user.refresh_from_db()
    assert free_user.is_active and free_user.email == "robin.chen@solo.example"
    assert not mail.outbox


@pytest.mark.parametrize("persona", ["brand_admin", "standard_user", "fedramp_user"])
def test_enterprise_users_cannot_delete_themselves(client_for, cast, persona):
    user = getattr(cast, persona)
    with pytest.raises(PermissionDenied):
        delete_own_account(actor=user, password=PASSWORD)
    client = client_for(user)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"password": PASSWORD}).status_code == 404
    assert User.objects.get(pk=user.pk).is_active


def test_deleting_twice_is_refused(free_user):
    delete_own_account(actor=free_user, password=PASSWORD)
    user = User.objects.get(pk=free_user.pk)
    with pytest.raises(PermissionDenied):
        delete_own_account(actor=user, password=PASSWORD)


def test_a_self_service_brand_admin_who_was_the_chosen_contact_is_replaced_by_the_fallback(client_for):
    org = OrganizationFactory(license_type="self_service")
    leaving = BrandAdminFactory(organization=org)
    staying = BrandAdminFactory(organization=org)
    org.admin_contact = leaving
    org.save()
    delete_own_account(actor=leaving, password=PASSWORD)
    org.refresh_from_db()
    assert org.admin_contact is None
    assert org.history.first().admin_contact_id is None
    html = client_for(UserFactory(organization=org)).get(reverse("profiles:account_detail")).content.decode()
    assert staying.email in html


def test_registered_erasers_run_with_the_old_address(free_user, monkeypatch):
    seen = []
    monkeypatch.setattr(deletion, "_erasers", [])
    deletion.register_account_eraser(lambda *, user, email: seen.append((user.pk, email)))
    delete_own_account(actor=free_user, password=PASSWORD)
    assert seen == [(free_user.pk, "robin.chen@solo.example")]


# --- the page ----------------------------------------------------------------------------------

def test_the_page_explains_what_happens(client_for, free_user):
    html = client_for(free_user).get(URL).content.decode()
    assert "What happens when you delete your account" in html
    assert "We send a confirmation to robin.chen@solo.example." in html
    assert 'autocomplete="current-password"' in html
    assert f'<a href="{reverse("profiles:account_detail")}" aria-current="page">' in html


def test_self_service_brand_admins_are_warned_about_their_license(client_for, settings):
    admin = BrandAdminFactory(organization=OrganizationFactory(license_type="self_service"))
    html = client_for(admin).get(URL).content.decode()
    assert "Deleting your account does not cancel your organization" in html
    assert f'href="{settings.HUB_LICENSE_URL}"' in html


def test_deleting_signs_out_and_lands_on_the_sign_in_page(client_for, free_user, django_capture_on_commit_callbacks):
    client = client_for(free_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"password": PASSWORD}, follow=True)
    assert response.redirect_chain == [(reverse("account_login"), 302)]
    assert "Your account has been deleted." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("profiles:account_detail")).status_code == 302
    assert not User.objects.get(pk=free_user.pk).is_active
    assert len(mail.outbox) == 1


def test_other_sessions_of_the_deleted_user_end_too(client, django_user_model, free_user):
    from django.test import Client

    other_device = Client()
    other_device.force_login(free_user)
    client.force_login(free_user)
    client.post(URL, {"password": PASSWORD})
    assert other_device.get(reverse("profiles:account_detail")).status_code == 302


def test_users_without_a_password_are_sent_to_support(client_for, free_user, settings):
    free_user.set_unusable_password()
    free_user.save()
    html = client_for(free_user).get(URL).content.decode()
    assert "Your account has no password in the hub" in html and f'href="{settings.HUB_SUPPORT_HELP_URL}"' in html
    assert 'name="password"' not in html
    with pytest.raises(IncorrectPassword):
        delete_own_account(actor=free_user, password="")


def test_htmx_success_redirects_the_whole_page(client_for, free_user):
    response = client_for(free_user).post(URL, {"password": PASSWORD}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("account_login")


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(("password", "message"), [("wrong-password", "The password is not correct."),
                                                   ("", "This field is required.")])
def test_a_wrong_or_missing_password_is_explained_at_the_field(client_for, free_user, htmx, password, message):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client_for(free_user).post(URL, {"password": password}, **headers)
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html and 'href="#id_password"' in html
    assert ("<html" in html) is not htmx
    if htmx:
        assert html.lstrip().startswith('<form id="delete-account-form"')
    assert User.objects.get(pk=free_user.pk).is_active


def test_password_guessing_is_rate_limited(client_for, free_user):
    client = client_for(free_user)
    for _attempt in range(10):
        client.post(URL, {"password": "wrong-password"})
    response = client.post(URL, {"password": PASSWORD})
    assert response.status_code == 422
    assert "Too many attempts." in response.content.decode()
    assert User.objects.get(pk=free_user.pk).is_active


def test_the_page_stays_within_budget_at_1_and_20_certifications(client_for, free_user, count_queries):
    client = client_for(free_user)
    CertificationFactory(user=free_user)
    one = count_queries(lambda: client.get(URL))
    CertificationFactory.create_batch(19, user=free_user)
    assert count_queries(lambda: client.get(URL)) == one <= 12
