"""Each demo persona × each profile section: exactly what SPEC §3 and §7 say, FedRAMP and free
personas included. Sections a persona may not see are absent from the menu and answer 404."""

import pytest
from django.urls import reverse

from hub import demo as hub_demo
from hub.models import User
from profiles import demo as profiles_demo

pytestmark = pytest.mark.django_db

SECTIONS = {
    "account": reverse("profiles:account_detail"),
    "connected": reverse("profiles:connected_accounts"),
    "organization": reverse("profiles:organization_settings"),
    "delete": reverse("profiles:account_delete"),
}

# persona → (sections they may open, texts each section must show, texts no section may show)
EXPECTED = {
    "brand.admin": (
        {"account", "connected", "organization"},
        {"account": ["Your account team", "Dana Whitfield", "Marcus Lee", "deleted by your account team"],
         "connected": ["alex_morgan", "Platform Administrator", "Integrations and API Developer"],
         "organization": ["Chris Park", "sam.rivera@northwind.example", "Standard users see now"]},
        ["Ask Account Services", "Manage your license"],
    ),
    "standard.user": (
        {"account", "connected"},
        {"account": ["Your brand administrator", "alex.morgan@northwind.example",
                     "brand administrators delete user accounts"],
         "connected": ["sam_rivera", "Survey Design Essentials", "In progress"]},
        ["Dana Whitfield", "Chris Park"],
    ),
    "billing.contact": (
        {"account", "connected"},
        {"account": ["alex.morgan@northwind.example"],
         "connected": ["No Community account uses your email address.", "You have no Academy certifications yet."]},
        ["Dana Whitfield"],
    ),
    "nocsm.admin": (
        {"account", "connected", "organization"},
        {"account": ["Ask Account Services", "no dedicated Customer Success Manager", "Marcus Lee"],
         "connected": ["No Community account", "Platform Administrator"],
         "organization": ["Harbor IT Service Desk", "it-desk@harbor.example"]},
        ["Dana Whitfield"],
    ),
    "fedramp.user": (
        {"account"},
        {"account": ["How to find your brand administrator", "You can still use both sites as usual."]},
        ["Taylor Brooks", "taylor.brooks@civic.example", "Dana Whitfield"],
    ),
    "fedramp.admin": (
        {"account", "organization"},
        {"account": ["Dana Whitfield", "Marcus Lee", "You can still use both sites as usual."],
         "organization": ["Casey Ortiz", "fedramp.user", "standard users are not shown a brand administrator"]},
        ["casey.ortiz@civic.example", "Connected accounts</a>"],
    ),
    "free.user": (
        {"account", "connected", "delete"},
        {"account": ["Free accounts have no account team.", "You can delete your account yourself."],
         "connected": ["robin_chen", "Newcomer", "You have no Academy certifications yet."],
         "delete": ["What happens when you delete your account"]},
        ["Your account team", "Manage your license"],
    ),
    "selfservice.admin": (
        {"account", "connected", "organization", "delete"},
        {"account": ["Manage your license", "You can delete your account yourself."],
         "connected": ["jamie_bakes", "Survey Design Essentials"],
         "delete": ["does not cancel your organization"]},
        ["Your account team", "Ask Account Services", "Dana Whitfield"],
    ),
}


class Quiet:
    def write(self, text):
        pass


@pytest.fixture
def demo_data(db):
    hub_demo.seed(Quiet())
    profiles_demo.seed(Quiet())


def test_every_persona_is_covered():
    assert set(EXPECTED) == set(hub_demo.PERSONAS)


@pytest.mark.parametrize("section", list(SECTIONS))
@pytest.mark.parametrize("username", list(EXPECTED))
def test_persona_sees_exactly_what_the_spec_says(client, demo_data, username, section):
    allowed, shows, never = EXPECTED[username]
    client.force_login(User.objects.get(username=username))
    response = client.get(SECTIONS[section])
    if section not in allowed:
        assert response.status_code == 404
        # Absent from the menu, and no link to it anywhere on the profile.
        assert f'href="{SECTIONS[section]}' not in client.get(SECTIONS["account"]).content.decode()
        return
    html = response.content.decode()
    assert response.status_code == 200
    for text in shows.get(section, []):
        assert text in html, text
    for text in never:
        assert text not in html, text


def test_the_demo_is_idempotent(demo_data):
    from profiles.models import Certification, CommunityProfile

    before = (CommunityProfile.history.count(), Certification.history.count(), User.objects.count())
    profiles_demo.seed(Quiet())
    assert (CommunityProfile.history.count(), Certification.history.count(), User.objects.count()) == before
