"""ENT-1: brand administrators designate up to 5 users per Success package in the organization
settings; the next one is refused at the field; removing frees a seat; the history is kept; the
limit holds when two administrators designate at once; designated users see the label."""

import threading

import pytest
from django.db import close_old_connections
from django.urls import reverse

from support.models import EnterpriseDesignation
from support.services import designate_enterprise_user
from tests.factories import BrandAdminFactory, UserFactory

pytestmark = pytest.mark.django_db
SETTINGS = reverse("profiles:organization_settings")
CREATE = reverse("support:enterprise_designation_create")


def remove_url(designation):
    return reverse("support:enterprise_designation_remove", args=[designation.public_id])


def designees(organization):
    return set(EnterpriseDesignation.objects.active().filter(organization=organization).values_list("user__username",
                                                                                                    flat=True))


def test_a_brand_admin_designates_a_user_and_sees_the_seat_count(client_for, cast):
    client = client_for(cast.brand_admin)
    page = client.get(SETTINGS).content.decode()
    assert "Enterprise Support" in page and "Seats used: 0 of 10" in page
    response = client.post(CREATE, {"user": cast.standard_user.pk})
    assert response.status_code == 302 and response["Location"].endswith("#enterprise-support")
    row = EnterpriseDesignation.objects.get()
    assert (row.user, row.designated_by, row.organization) == (cast.standard_user, cast.brand_admin, cast.northwind)
    page = client.get(SETTINGS).content.decode()
    assert "Seats used: 1 of 10" in page and "Alex Morgan designated Sam Rivera" in page


def test_the_htmx_form_answers_with_the_section(client_for, cast):
    client = client_for(cast.brand_admin)
    response = client.post(CREATE, {"user": cast.standard_user.pk}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<section class="card" id="enterprise-support"')
    assert "Sam Rivera now has Enterprise Support." in body and "<html" not in body


def test_the_sixth_user_of_a_package_is_refused_at_the_field_and_removing_frees_a_seat(client_for, cast):
    cast.northwind.success_packages = 1
    cast.northwind.save(update_fields=["success_packages"])
    users = [UserFactory(organization=cast.northwind) for _ in range(6)]
    for user in users[:5]:
        designate_enterprise_user(actor=cast.brand_admin, user=user)
    client = client_for(cast.brand_admin)
    response = client.post(CREATE, {"user": users[5].pk}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "All 5 Enterprise Support seats are taken." in body and 'aria-invalid="true"' in body
    assert len(designees(cast.northwind)) == 5
    # Without JavaScript: the section again, with the message, status 422.
    response = client.post(CREATE, {"user": users[5].pk})
    assert response.status_code == 422 and "All 5 Enterprise Support seats are taken." in response.content.decode()

    first = EnterpriseDesignation.objects.get(user=users[0])
    assert client.post(remove_url(first)).status_code == 302
    first.refresh_from_db()
    assert first.removed_at is not None and first.removed_by == cast.brand_admin
    assert client.post(CREATE, {"user": users[5].pk}).status_code == 302
    assert users[5].username in designees(cast.northwind) and users[0].username not in designees(cast.northwind)
    # History: both rows of the first user are kept (designated, then removed).
    page = client.get(SETTINGS).content.decode()
    assert f"removed {users[0].get_full_name()}" in page
    assert EnterpriseDesignation.objects.filter(organization=cast.northwind).count() == 6


def test_a_user_cannot_be_designated_twice_and_may_be_designated_again_after_removal(client_for, cast):
    client = client_for(cast.brand_admin)
    client.post(CREATE, {"user": cast.standard_user.pk})
    response = client.post(CREATE, {"user": cast.standard_user.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "not designated yet" in response.content.decode()
    client.post(remove_url(EnterpriseDesignation.objects.get()))
    assert client.post(CREATE, {"user": cast.standard_user.pk}).status_code == 302
    assert EnterpriseDesignation.objects.filter(user=cast.standard_user).count() == 2


def test_bad_input_is_refused_at_the_field(client_for, cast):
    client = client_for(cast.brand_admin)
    for data in ({}, {"user": "nonsense"}, {"user": cast.outsider.pk}):
        response = client.post(CREATE, data, headers={"HX-Request": "true"})
        assert response.status_code == 422 and 'aria-invalid="true"' in response.content.decode()
    assert not EnterpriseDesignation.objects.exists()


def test_standard_users_outsiders_and_organizations_without_packages_cannot_designate(client_for, cast):
    designation = designate_enterprise_user(actor=cast.brand_admin, user=cast.billing_contact)
    client = client_for(cast.standard_user)
    assert client.post(CREATE, {"user": cast.standard_user.pk}).status_code == 404
    assert client.post(remove_url(designation)).status_code == 404
    # Another organization's brand admin: the designation does not exist for them.
    cast.other.success_packages = 1
    cast.other.save(update_fields=["success_packages"])
    client = client_for(cast.outsider)
    assert client.post(remove_url(designation)).status_code == 404
    assert client.post(CREATE, {"user": cast.standard_user.pk}).status_code == 422
    # Without Success packages there is nothing to designate: no section, 404 on the URL.
    no_packages = BrandAdminFactory(organization=cast.other)
    cast.other.success_packages = 0
    cast.other.save(update_fields=["success_packages"])
    client = client_for(no_packages)
    assert 'id="enterprise-support"' not in client.get(SETTINGS).content.decode()
    assert client.post(CREATE, {"user": no_packages.pk}).status_code == 404
    designation.refresh_from_db()
    assert designation.removed_at is None


def test_designated_users_see_the_enterprise_label_on_the_channels_it_covers(client_for, cast):
    url = reverse("support:contact_methods", args=["surveys"])
    client = client_for(cast.standard_user)
    assert "badge--info" not in client.get(url).content.decode()
    designate_enterprise_user(actor=cast.brand_admin, user=cast.standard_user)
    page = client.get(url).content.decode()
    # Email, phone (the survey area has Enterprise phone) and scheduled calls.
    assert page.count('<span class="badge badge--info">Enterprise Support</span>') == 3


@pytest.mark.parametrize("rows", [1, 20])
def test_the_organization_settings_page_stays_within_its_query_budget(client_for, cast, count_queries, rows):
    cast.northwind.success_packages = 4
    cast.northwind.save(update_fields=["success_packages"])
    for _ in range(rows):
        designate_enterprise_user(actor=cast.brand_admin, user=UserFactory(organization=cast.northwind))
    client = client_for(cast.brand_admin)
    client.get(SETTINGS)
    assert count_queries(lambda: client.get(SETTINGS)) <= 12


@pytest.mark.django_db(transaction=True)
def test_two_admins_designating_the_last_seat_at_once_get_one_seat(cast):
    """The organization row is locked while the seats are counted: one of two racing
    designations for the last seat wins, the other is refused."""
    cast.northwind.success_packages = 1
    cast.northwind.save(update_fields=["success_packages"])
    for _ in range(4):
        designate_enterprise_user(actor=cast.brand_admin, user=UserFactory(organization=cast.northwind))
    second_admin = BrandAdminFactory(organization=cast.northwind)
    contenders = [UserFactory(organization=cast.northwind) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def designate(actor, user):
        try:
            barrier.wait()
            designate_enterprise_user(actor=actor, user=user)
            outcomes.append("designated")
        except Exception as error:  # noqa: BLE001 — the refusal is what we count
            outcomes.append(type(error).__name__)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=designate, args=(actor, user))
               for actor, user in zip((cast.brand_admin, second_admin), contenders, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ValidationError", "designated"]
    assert EnterpriseDesignation.objects.active().filter(organization=cast.northwind).count() == 5
