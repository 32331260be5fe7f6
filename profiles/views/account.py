from django.conf import settings
from django.shortcuts import render


def account_detail(request):
    """PRO-1, PRO-2: the account as the hub knows it, and who changes it."""
    return render(
        request,
        "profiles/account_detail.html",
        {"current_section": "account", "user_admin_url": settings.HUB_USER_ADMIN_URL},
    )
