"""CON-1..3: the Connected accounts section shows the stored Community account and Academy
certifications; empty states; hidden (404) for FedRAMP users and staff."""

from datetime import date

import pytest
from django.urls import reverse

from profiles.models import Certification
from tests.factories import CertificationFactory, CommunityProfileFactory, StaffUserFactory

pytestmark = pytest.mark.django_db
URL = reverse("profiles:connected_accounts")


def test_the_community_account_and_certifications_are_shown(client_for, cast):
    CommunityProfileFactory(user=cast.standard_user, username="sam_rivera", rank="Expert",
                            member_since=date(2021, 3, 14), topics_count=1234)
    CertificationFactory(user=cast.standard_user, name="Platform Administrator", completed_on=date(2024, 5, 2),
                         certificate_url="https://academy.example.com/certificates/PA-1")
    CertificationFactory(user=cast.standard_user, name="Dashboards Specialist", status="in_progress",
                         completed_on=None, certificate_url="")
    response = client_for(cast.standard_user).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="{URL}" aria-current="page">Connected accounts</a>' in html
    for text in ("sam_rivera", "Expert", "March 14, 2021", "1,234", "https://community.example.com/u/sam_rivera"):
        assert text in html
    assert "Platform Administrator" in html and "May 2, 2024" in html
    assert 'href="https://academy.example.com/certificates/PA-1"' in html
    assert "Completed" in html and "In progress" in html
    # In progress is listed first: something still to finish.
    assert html.index("Dashboards Specialist") < html.index("Platform Administrator")


def test_dates_follow_the_users_language(client_for, cast):
    cast.standard_user.language = "de"
    cast.standard_user.save()
    CommunityProfileFactory(user=cast.standard_user, member_since=date(2021, 3, 14))
    html = client_for(cast.standard_user).get(URL).content.decode()
    assert "14. März 2021" in html and "Verbundene Konten" in html


def test_empty_states_say_there_is_no_account_and_no_certification(client_for, cast, settings):
    html = client_for(cast.billing_contact).get(URL).content.decode()
    assert "No Community account uses your email address." in html
    assert "You have no Academy certifications yet." in html
    assert f'href="{settings.HUB_COMMUNITY_URL}"' in html and f'href="{settings.HUB_ACADEMY_URL}"' in html


def test_configured_site_names_are_used(client_for, cast, settings):
    settings.HUB_COMMUNITY_NAME, settings.HUB_ACADEMY_NAME = "Forum", "University"
    html = client_for(cast.billing_contact).get(URL).content.decode()
    assert "No Forum account uses your email address." in html and "University certifications" in html


@pytest.mark.parametrize("persona", ["fedramp_user", "fedramp_admin"])
def test_fedramp_users_have_no_section(client_for, cast, persona):
    user = getattr(cast, persona)
    CommunityProfileFactory(user=user)
    client = client_for(user)
    assert client.get(URL).status_code == 404
    assert URL not in client.get(reverse("profiles:account_detail")).content.decode()
    assert not Certification.objects.visible_to(user).exists()


def test_staff_have_no_section(client_for):
    assert client_for(StaffUserFactory()).get(URL).status_code == 404


def test_only_the_users_own_records_are_shown(client_for, cast):
    CertificationFactory(user=cast.outsider, name="Outsider Certification")
    CertificationFactory(user=cast.brand_admin, name="Colleague Certification")
    CommunityProfileFactory(user=cast.outsider, username="outsider_member")
    html = client_for(cast.standard_user).get(URL).content.decode()
    assert "Outsider Certification" not in html and "Colleague Certification" not in html
    assert "outsider_member" not in html


def test_free_users_have_the_section(client_for, cast):
    assert client_for(cast.free_user).get(URL).status_code == 200


def test_the_page_stays_within_budget_at_1_and_20_certifications(client_for, cast, count_queries):
    client = client_for(cast.standard_user)
    CommunityProfileFactory(user=cast.standard_user)
    CertificationFactory(user=cast.standard_user)
    one = count_queries(lambda: client.get(URL))
    CertificationFactory.create_batch(19, user=cast.standard_user)
    twenty = count_queries(lambda: client.get(URL))
    assert one == twenty <= 12
    assert client.get(URL).content.decode().count("View certificate") == 20
