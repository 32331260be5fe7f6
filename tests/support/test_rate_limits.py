"""Anti-automation (SUP-6): per-user and per-IP limits on new requests and replies, with a clear
message; counted in the shared Redis cache."""

import pytest
from django.urls import reverse

from support import ratelimit
from support.models import Ticket
from tests.factories import TicketFactory, UserFactory

pytestmark = pytest.mark.django_db
EMAIL_FORM = reverse("support:email_request_create", args=["surveys"])


def request_data(n):
    return {"subject": f"Problem {n}", "description": "A description that is long enough to pass.", "language": "en"}


def test_a_user_over_the_limit_gets_429_with_a_clear_message(client_for, cast, settings):
    settings.HUB_SUPPORT_RATE_LIMITS = {**settings.HUB_SUPPORT_RATE_LIMITS, "create_ticket": "2/10m/user"}
    client = client_for(cast.standard_user)
    assert [client.post(EMAIL_FORM, request_data(n)).status_code for n in range(2)] == [302, 302]
    refused = client.post(EMAIL_FORM, request_data(3))
    assert refused.status_code == 429
    assert "please wait" in refused.content.decode() and int(refused["Retry-After"]) > 0
    assert Ticket.objects.count() == 2
    # Another user is not affected.
    assert client_for(cast.brand_admin).post(EMAIL_FORM, request_data(4)).status_code == 302


def test_the_limit_per_ip_spans_accounts(client_for, cast, settings):
    settings.HUB_SUPPORT_RATE_LIMITS = {**settings.HUB_SUPPORT_RATE_LIMITS, "create_ticket": "2/h/ip"}
    for user in (cast.standard_user, cast.brand_admin):
        assert client_for(user).post(EMAIL_FORM, request_data(user.pk)).status_code == 302
    third = client_for(UserFactory(organization=cast.northwind)).post(EMAIL_FORM, request_data(9))
    assert third.status_code == 429
    elsewhere = client_for(cast.billing_contact).post(EMAIL_FORM, request_data(10), REMOTE_ADDR="198.51.100.7")
    assert elsewhere.status_code == 302


def test_replies_are_limited_too_and_htmx_shows_the_message_in_place(client_for, cast, settings):
    settings.HUB_SUPPORT_RATE_LIMITS = {**settings.HUB_SUPPORT_RATE_LIMITS, "reply_ticket": "1/10m/user"}
    ticket = TicketFactory(requester=cast.standard_user)
    url = reverse("support:ticket_reply", args=[ticket.reference])
    client = client_for(cast.standard_user)
    assert client.post(url, {"message": "First"}).status_code == 302
    refused = client.post(url, {"message": "Second"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and "please wait" in refused.content.decode()
    assert ticket.events.filter(kind="customer_reply").count() == 1


def test_invalid_submissions_do_not_use_up_the_budget(client_for, cast, settings):
    settings.HUB_SUPPORT_RATE_LIMITS = {**settings.HUB_SUPPORT_RATE_LIMITS, "create_ticket": "1/10m/user"}
    client = client_for(cast.standard_user)
    assert client.post(EMAIL_FORM, {**request_data(1), "subject": ""}).status_code == 422
    assert client.post(EMAIL_FORM, request_data(1)).status_code == 302


@pytest.mark.parametrize(("spec", "rules"), [
    ("5/10m/user,30/d/user,20/h/ip", [(5, 600, "user"), (30, 86400, "user"), (20, 3600, "ip")]),
    (" 1 / s / ip ", [(1, 1, "ip")]),
    ("", []),
])
def test_limit_specs_parse(spec, rules):
    assert ratelimit.parse(spec) == rules


def test_a_bad_limit_spec_is_an_error():
    with pytest.raises(ValueError):
        ratelimit.parse("5/week/user")
