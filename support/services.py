from django.conf import settings
from django.db import transaction

from hub.notifications import queue_email

from .models import AccountServicesRequest


def submit_account_services_request(
    *, requester, category: str, subject: str, message: str, source: str, contract_number: str = ""
) -> AccountServicesRequest:
    """Record a request for Account Services (SUP-12) and tell their team inbox. Requests are
    handled in English, so the team's email is English whatever the requester's language."""
    with transaction.atomic():
        request = AccountServicesRequest.objects.create(
            organization=requester.organization,
            requester=requester,
            category=category,
            source=source,
            subject=subject,
            message=message,
            contract_number=contract_number,
        )
        queue_email(
            to_email=settings.HUB_ACCOUNT_SERVICES_EMAIL,
            template="account_services_request_new",
            context={"request": request, "requester": requester},
            organization=requester.organization,
            language="en",
            reply_to=requester.email,
        )
    return request
