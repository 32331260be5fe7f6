from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.access import require
from hub.responses import render_htmx
from profiles.access import can_request_account_services_from_profile
from support.forms import AccountServicesRequestForm
from support.models import AccountServicesRequest
from support.services import submit_account_services_request

from .account import account_context


@require_POST
def account_team_request(request):
    """PRO-4: a brand administrator without a Customer Success Manager asks Account Services."""
    require(can_request_account_services_from_profile(request.user))
    form = AccountServicesRequestForm(request.POST)
    if not form.is_valid():
        return render_htmx(
            request, "profiles/account_detail.html", account_context(request, intake_form=form),
            partial="intake", status=422,
        )
    created = submit_account_services_request(
        requester=request.user, source=AccountServicesRequest.Source.PROFILE, **form.cleaned_data
    )
    if request.htmx:
        return render_htmx(
            request, "profiles/account_detail.html", account_context(request, intake_request=created),
            partial="intake",
        )
    messages.success(
        request,
        _("Thank you. Account Services received your request “%(subject)s” and will reply to %(email)s.")
        % {"subject": created.subject, "email": request.user.email},
    )
    return redirect("profiles:account_detail")
