"""PRO-1..7: the account page by role — the account team card, the FedRAMP rule, "Manage your
license", and who deletes the account."""

import pytest
from django.urls import reverse

from hub.models import User
from tests.factories import (
    BrandAdminFactory,
    CertificationFactory,
    OrganizationFactory,
    StaffContactFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("profiles:account_detail")


def page(client_for, user):
    response = client_for(user).get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_brand_admins_see_their_customer_success_manager_and_account_executive(client_for, cast):
    html = page(client_for, cast.brand_admin)
    assert "Your account team" in html
    for contact in (cast.csm, cast.ae):
        assert contact.name in html
        assert f'href="mailto:{contact.email}"' in html
        assert f'href="tel:{contact.phone.as_e164}"' in html
    assert ">DW</span>" in html and ">ML</span>" in html  # initials instead of photos
    assert "Customer Success Manager" in html and "Account Executive" in html
    assert "Ask Account Services" not in html  # PRO-4 only without a CSM


def test_brand_admins_get_a_link_to_their_organizations_users(client_for, cast):
    html = page(client_for, cast.brand_admin)
    assert f'href="{reverse("profiles:organization_settings")}#organization-users"' in html


def test_standard_users_see_the_brand_administrator_their_organization_chose(client_for, cast):
    other_admin = BrandAdminFactory(organization=cast.northwind, first_name="Chris", last_name="Park")
    html = page(client_for, cast.standard_user)
    assert "Your brand administrator" in html
    assert "Alex Morgan" in html and 'href="mailto:alex.morgan@northwind.example"' in html
    assert other_admin.email not in html
    assert cast.csm.name not in html  # the account team is for brand admins


def test_standard_users_see_a_custom_contact_when_the_organization_entered_one(client_for, cast):
    cast.northwind.admin_contact = None
    cast.northwind.admin_contact_name = "Northwind IT Desk"
    cast.northwind.admin_contact_email = "it@northwind.example"
    cast.northwind.admin_contact_phone = "+4930123456"
    cast.northwind.save()
    html = page(client_for, cast.standard_user)
    assert "Northwind IT Desk" in html and "mailto:it@northwind.example" in html and "tel:+4930123456" in html
    assert cast.brand_admin.email not in html


def test_without_a_chosen_contact_standard_users_see_up_to_three_active_brand_admins(client_for, cast):
    cast.brand_admin.is_active = False
    cast.brand_admin.save()
    admins = [BrandAdminFactory(organization=cast.northwind, last_name=f"Admin{i}") for i in range(4)]
    html = page(client_for, cast.standard_user)
    assert cast.brand_admin.email not in html  # chosen, but no longer active
    assert sum(admin.email in html for admin in admins) == 3


def test_fedramp_users_never_see_brand_admin_details_and_get_the_help_page(client_for, cast, settings):
    cast.civic.admin_contact = cast.fedramp_admin
    cast.civic.admin_contact_name = "Civic Help Desk"
    cast.civic.save()
    html = page(client_for, cast.fedramp_user)
    for detail in (cast.fedramp_admin.email, cast.fedramp_admin.get_full_name(), "Civic Help Desk"):
        assert detail not in html
    assert f'href="{settings.HUB_SUPPORT_HELP_URL}"' in html
    assert "How to find your brand administrator" in html


def test_fedramp_users_read_that_community_and_academy_still_work(client_for, cast):
    html = page(client_for, cast.fedramp_user)
    assert "You can still use both sites as usual." in html
    assert "You can still use both sites as usual." not in page(client_for, cast.standard_user)


def test_fedramp_brand_admins_see_their_account_team(client_for, cast):
    cast.civic.customer_success_manager = cast.csm
    cast.civic.save()
    html = page(client_for, cast.fedramp_admin)
    assert cast.csm.name in html and cast.csm.email in html


def test_self_service_brand_admins_manage_their_license_instead(client_for, cast, settings):
    settings.HUB_LICENSE_URL = "https://app.example.com/license/"
    org = OrganizationFactory(license_type="self_service", customer_success_manager=cast.csm)
    html = page(client_for, BrandAdminFactory(organization=org))
    assert 'href="https://app.example.com/license/">Manage your license' in html
    assert cast.csm.name not in html and "Ask Account Services" not in html


def test_self_service_standard_users_see_their_brand_administrator(client_for):
    org = OrganizationFactory(license_type="self_service")
    admin = BrandAdminFactory(organization=org)
    org.admin_contact = admin
    org.save()
    html = page(client_for, UserFactory(organization=org))
    assert admin.email in html and "Manage your license" not in html


def test_free_users_are_pointed_to_the_community(client_for, cast, settings):
    html = page(client_for, cast.free_user)
    assert "Free accounts have no account team." in html
    assert f'href="{settings.HUB_COMMUNITY_URL}"' in html
    assert "Upgrade your plan" in html


def test_vendor_staff_see_their_details_only(client_for):
    html = page(client_for, StaffUserFactory())
    assert "Your account team" not in html and "Delete your account" not in html


@pytest.mark.parametrize(
    ("persona", "says"),
    [
        ("standard_user", "brand administrators delete user accounts"),
        ("brand_admin", "deleted by your account team"),
        ("fedramp_user", "brand administrators delete user accounts"),
        ("free_user", "You can delete your account yourself."),
    ],
)
def test_the_deletion_block_fits_the_account_type(client_for, cast, persona, says):
    html = page(client_for, getattr(cast, persona))
    assert says in html
    assert (reverse("profiles:account_delete") in html) == (persona == "free_user")


def test_enterprise_standard_users_are_told_which_brand_admin_deletes_accounts(client_for, cast):
    html = page(client_for, cast.standard_user)
    block = html[html.index('id="account-deletion-title"'):]
    assert "Alex Morgan" in block


def test_enterprise_brand_admins_are_told_to_ask_their_account_team(client_for, cast):
    html = page(client_for, cast.brand_admin)
    block = html[html.index('id="account-deletion-title"'):]
    assert cast.csm.name in block and cast.ae.name in block


def test_brand_admins_without_any_account_team_are_sent_to_account_services(client_for, cast, settings):
    html = page(client_for, cast.outsider)  # Contoso has neither a CSM nor an AE
    assert "Ask Account Services" in html
    block = html[html.index('id="account-deletion-title"'):]
    assert settings.HUB_ACCOUNT_SERVICES_EMAIL in block


@pytest.mark.parametrize(
    "persona", ["brand_admin", "standard_user", "fedramp_user", "fedramp_admin", "free_user", "outsider"]
)
def test_the_account_page_stays_within_budget_at_1_and_20_certifications(client_for, cast, count_queries, persona):
    user = getattr(cast, persona)
    client = client_for(user)
    CertificationFactory(user=user)
    one = count_queries(lambda: client.get(URL))
    CertificationFactory.create_batch(19, user=user)
    BrandAdminFactory.create_batch(5, organization=user.organization)
    twenty = count_queries(lambda: client.get(URL))
    assert one == twenty
    assert twenty <= 12


def test_another_organizations_team_is_never_shown(client_for, cast):
    other_csm = StaffContactFactory(name="Other Csm")
    cast.other.customer_success_manager = other_csm
    cast.other.save()
    html = page(client_for, cast.brand_admin)
    assert "Other Csm" not in html and cast.outsider.email not in html


def test_a_chosen_admin_from_another_organization_is_ignored(client_for, cast):
    # Staff could mis-pick in the admin; standard users still only see their own organization.
    cast.northwind.admin_contact = cast.outsider
    cast.northwind.save()
    html = page(client_for, cast.standard_user)
    assert cast.outsider.email not in html
    assert "alex.morgan@northwind.example" in html


def test_deleted_users_read_as_deleted_user(cast):
    cast.free_user.deleted_at = cast.free_user.date_joined
    assert str(cast.free_user) == "Deleted user"
    assert str(User(first_name="Ana", last_name="Lima")) == "Ana Lima"
