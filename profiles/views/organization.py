from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hub.access import is_fedramp, require
from hub.responses import render_htmx
from profiles.access import can_see_organization_settings
from profiles.forms.organization import AdminContactForm
from profiles.selectors.account_team import active_brand_admins, brand_admin_contacts
from profiles.selectors.organization import organization_members
from profiles.services.organization import set_admin_contact
from support.views.enterprise import designation_panel

USERS_PER_PAGE = 50


@require_http_methods(["GET", "POST"])
def organization_settings(request):
    """PRO-8: brand administrators choose the contact their standard users see, and read who is in
    their organization. In the FedRAMP environment no contact is shown to anyone (PRO-5), so there
    is nothing to choose and no addresses are listed."""
    user = request.user
    require(can_see_organization_settings(user))
    fedramp = is_fedramp(user)
    if fedramp and request.method == "POST":
        raise PermissionDenied
    form = saved = None
    if not fedramp:
        admins = list(active_brand_admins(user.organization))
        form = AdminContactForm(
            request.POST if request.method == "POST" else None,
            admins=admins, organization=user.organization, viewer=user,
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                user.organization = set_admin_contact(
                    actor=user, admin=data["admin"], name=data["name"], email=data["email"], phone=data["phone"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if not request.htmx:
                    messages.success(request, _("Saved. Standard users now see this contact."))
                    return redirect("profiles:organization_settings")
                saved = True
                form = AdminContactForm(admins=admins, organization=user.organization, viewer=user)
    page = Paginator(organization_members(user.organization), USERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "current_section": "organization",
        "organization": user.organization,
        "is_fedramp": fedramp,
        "form": form,
        "saved": saved,
        "shown_contacts": brand_admin_contacts(user) if not fedramp else [],
        "users_page": page,
        "user_admin_url": settings.HUB_USER_ADMIN_URL,
        "enterprise": designation_panel(user),  # ENT-1, None unless the viewer may designate
    }
    status = 422 if form is not None and form.errors else 200
    return render_htmx(request, "profiles/organization_settings.html", context, partial="contact", status=status)
