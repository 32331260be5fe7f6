from django.conf import settings
from django.shortcuts import render

from hub.access import is_customer, is_fedramp
from profiles import access
from profiles.selectors.account_team import account_team_contacts, brand_admin_contacts
from support.forms import AccountServicesRequestForm
from support.models import AccountServicesRequest


def account_context(request, *, intake_form=None, intake_request=None):
    """Everything the account page shows, by role (PRO-1..7). Shared by the intake view, which
    re-renders the page (or its intake partial) after a submission."""
    user = request.user
    team_kind = access.account_team_kind(user)
    deletion_kind = access.account_deletion_kind(user)
    context = {
        "current_section": "account",
        "user_admin_url": settings.HUB_USER_ADMIN_URL,
        "license_url": settings.HUB_LICENSE_URL,
        "account_services_email": settings.HUB_ACCOUNT_SERVICES_EMAIL,
        "team_kind": team_kind,
        "deletion_kind": deletion_kind,
        "can_see_organization_settings": access.can_see_organization_settings(user),
        "can_delete_own_account": access.can_delete_own_account(user),
        # CON-3: FedRAMP users have no Connected accounts section; this note tells them why.
        "show_fedramp_connected_note": is_customer(user) and is_fedramp(user),
    }
    if team_kind == access.TEAM_ACCOUNT_TEAM:
        context["team"] = account_team_contacts(user.organization)
    if team_kind == access.TEAM_BRAND_ADMIN or deletion_kind == access.DELETION_BRAND_ADMIN:
        context["admin_contacts"] = brand_admin_contacts(user)
    if access.can_request_account_services_from_profile(user):
        context["intake_request"] = intake_request
        context["intake_form"] = intake_form or AccountServicesRequestForm(
            initial={"category": AccountServicesRequest.Category.LICENSE}
        )
    return context


def account_detail(request):
    """PRO-1..7: the account as the hub knows it, who changes it, whom to ask, how to delete it."""
    return render(request, "profiles/account_detail.html", account_context(request))
