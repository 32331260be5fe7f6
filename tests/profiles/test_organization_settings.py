"""PRO-8: brand administrators choose the contact their standard users see and read their
organization's users; the place for Enterprise Support designees (ENT-1) is kept free."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import get_template
from django.template.loader_tags import BlockNode, IncludeNode
from django.urls import reverse

from hub.models import Organization
from profiles.services.organization import set_admin_contact
from tests.factories import BrandAdminFactory, CertificationFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("profiles:organization_settings")


@pytest.fixture
def chris(cast):
    return BrandAdminFactory(organization=cast.northwind, first_name="Chris", last_name="Park",
                             email="chris.park@northwind.example")


def custom(**extra):
    return {"contact": "someone_else", "name": "Northwind IT Desk", "email": "it@northwind.example",
            "phone": "+49 30 1234567", **extra}


def test_brand_admins_see_the_section_in_the_menu_and_the_current_contact(client_for, cast, chris):
    html = client_for(cast.brand_admin).get(URL).content.decode()
    assert f'<a href="{URL}" aria-current="page">Organization settings</a>' in html
    assert "Standard users see now" in html and "mailto:alex.morgan@northwind.example" in html
    assert f'value="{cast.brand_admin.public_id}" required id="id_contact_0" checked' in html
    assert "Chris Park (chris.park@northwind.example)" in html


@pytest.mark.parametrize("persona", ["standard_user", "billing_contact", "free_user", "fedramp_user"])
def test_other_users_do_not_have_the_section(client_for, cast, persona):
    client = client_for(getattr(cast, persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, custom()).status_code == 404
    assert URL not in client.get(reverse("profiles:account_detail")).content.decode()


def test_choosing_another_brand_admin_shows_them_to_standard_users_with_history(client_for, cast, chris):
    response = client_for(cast.brand_admin).post(URL, {"contact": str(chris.public_id)}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Saved. Standard users now see this contact." in response.content.decode()
    cast.northwind.refresh_from_db()
    assert cast.northwind.admin_contact == chris
    latest = cast.northwind.history.first()
    assert (latest.history_user, latest.admin_contact_id) == (cast.brand_admin, chris.pk)
    html = client_for(cast.standard_user).get(reverse("profiles:account_detail")).content.decode()
    assert "chris.park@northwind.example" in html and "alex.morgan@northwind.example" not in html


def test_choosing_someone_else_stores_their_name_email_and_phone(client_for, cast):
    client_for(cast.brand_admin).post(URL, custom())
    org = Organization.objects.get(pk=cast.northwind.pk)
    assert org.admin_contact is None
    assert (org.admin_contact_name, org.admin_contact_email, org.admin_contact_phone.as_e164) == (
        "Northwind IT Desk", "it@northwind.example", "+49301234567")
    html = client_for(cast.standard_user).get(reverse("profiles:account_detail")).content.decode()
    assert "Northwind IT Desk" in html and "tel:+49301234567" in html


def test_someone_else_with_a_phone_only_is_enough(client_for, cast):
    response = client_for(cast.brand_admin).post(URL, custom(email=""))
    assert response.status_code == 302
    assert Organization.objects.get(pk=cast.northwind.pk).admin_contact_email == ""


def test_choosing_an_admin_again_clears_the_custom_contact(client_for, cast):
    client = client_for(cast.brand_admin)
    client.post(URL, custom())
    client.post(URL, {"contact": str(cast.brand_admin.public_id)})
    org = Organization.objects.get(pk=cast.northwind.pk)
    assert (org.admin_contact, org.admin_contact_name, org.admin_contact_email, str(org.admin_contact_phone)) == (
        cast.brand_admin, "", "", "")


def test_htmx_gets_the_saved_partial(client_for, cast, chris):
    response = client_for(cast.brand_admin).post(URL, {"contact": str(chris.public_id)}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="organization-contact">')
    assert "Saved. Standard users now see this contact." in html and "mailto:chris.park@northwind.example" in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (custom(name=""), "name", "Enter the contact&#x27;s name."),
        (custom(email="", phone=""), "email", "Enter an email address or a phone number for the contact."),
        (custom(email="not-an-email"), "email", "Enter a valid email address."),
        (custom(phone="12"), "phone", "Enter a valid phone number"),
        ({}, "contact", "This field is required."),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_input_is_explained_at_the_field(client_for, cast, data, field, message, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client_for(cast.brand_admin).post(URL, data, **headers)
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert f'href="#id_{field}' in html  # the error summary links to the field
    assert ("<html" in html) is not htmx
    assert Organization.objects.get(pk=cast.northwind.pk).admin_contact == cast.brand_admin


def test_another_organizations_admin_cannot_be_chosen(client_for, cast):
    response = client_for(cast.brand_admin).post(URL, {"contact": str(cast.outsider.public_id)})
    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()
    assert Organization.objects.get(pk=cast.northwind.pk).admin_contact == cast.brand_admin


def test_the_service_rechecks_role_and_candidate(cast, chris):
    with pytest.raises(PermissionDenied):
        set_admin_contact(actor=cast.standard_user, admin=chris)
    chris.is_active = False
    chris.save()
    with pytest.raises(ValidationError):
        set_admin_contact(actor=cast.brand_admin, admin=chris)
    with pytest.raises(ValidationError):
        set_admin_contact(actor=cast.brand_admin, admin=cast.outsider)
    with pytest.raises(ValidationError):
        set_admin_contact(actor=cast.brand_admin, name="Desk")
    assert Organization.objects.get(pk=cast.northwind.pk).admin_contact == cast.brand_admin


def test_the_users_list_shows_the_organizations_users_with_their_type_only(client_for, cast):
    html = client_for(cast.brand_admin).get(URL).content.decode()
    for member in (cast.brand_admin, cast.standard_user, cast.billing_contact):
        assert member.username in html and member.email in html
    assert "Brand administrator" in html and "Standard user" in html
    for stranger in (cast.outsider, cast.fedramp_user, cast.free_user):
        assert stranger.username not in html


def test_deactivated_users_are_marked(client_for, cast):
    UserFactory(organization=cast.northwind, is_active=False, username="gone.user")
    html = client_for(cast.brand_admin).get(URL).content.decode()
    row = html[html.index("gone.user"):]
    assert "Deactivated" in row[:400]


def test_the_users_list_is_paginated(client_for, cast):
    UserFactory.create_batch(55, organization=cast.northwind)
    client = client_for(cast.brand_admin)
    assert "Page 1 of 2" in client.get(URL).content.decode()
    assert "Page 2 of 2" in client.get(URL + "?page=2").content.decode()


def test_fedramp_brand_admins_see_no_contact_choice_and_no_addresses(client_for, cast):
    colleague = BrandAdminFactory(organization=cast.civic)
    client = client_for(cast.fedramp_admin)
    html = client.get(URL).content.decode()
    assert 'name="contact"' not in html
    assert colleague.email not in html and cast.fedramp_user.email not in html
    assert colleague.username in html
    assert cast.fedramp_user.username in html
    assert client.post(URL, custom()).status_code == 403


def test_enterprise_support_designees_fill_the_named_block(cast):
    """ENT-1 lives in its named block: the section support renders for brand administrators."""
    template = get_template("profiles/organization_settings.html").template
    blocks = {node.name: node for node in template.nodelist.get_nodes_by_type(BlockNode)}
    assert "enterprise_support" in blocks
    includes = blocks["enterprise_support"].nodelist.get_nodes_by_type(IncludeNode)
    assert [node.template.var for node in includes] == ["support/_enterprise_designations.html"]


@pytest.mark.parametrize("rows", ["users", "certifications"])
def test_the_page_stays_within_budget_at_1_and_20_rows(client_for, cast, count_queries, rows):
    org = cast.other
    admin = cast.outsider
    client = client_for(admin)
    if rows == "users":
        one = count_queries(lambda: client.get(URL))  # the admin alone
        UserFactory.create_batch(19, organization=org)
    else:
        CertificationFactory(user=admin)
        one = count_queries(lambda: client.get(URL))
        CertificationFactory.create_batch(19, user=admin)
    assert count_queries(lambda: client.get(URL)) == one <= 12
