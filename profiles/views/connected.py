from django.shortcuts import render

from hub.access import require
from profiles.access import can_see_connected_accounts
from profiles.models import Certification, CommunityProfile


def connected_accounts(request):
    """CON-1, CON-2: the user's Community account and Academy certifications, as last synced."""
    require(can_see_connected_accounts(request.user))
    return render(
        request,
        "profiles/connected_accounts.html",
        {
            "current_section": "connected",
            "community": CommunityProfile.objects.visible_to(request.user).first(),
            "certifications": list(Certification.objects.visible_to(request.user)),
        },
    )
