"""FedRAMP sign-in: the US Government system-use notification (NIST SP 800-53 AC-8) is shown, and
accepted with an explicit action, before a FedRAMP user is signed in — on the FedRAMP sign-in page,
or as a step of the login when they came another way (standard page, SSO, emailed code)."""

import time

from allauth.account.stages import LoginStage
from django.conf import settings
from django.shortcuts import redirect

from . import policy

NOTICE_SESSION_KEY = "hub_system_use_notice_accepted_at"


def record_notice_accepted(request) -> None:
    """The visitor pressed a button under the notice (FedRAMP sign-in page or the login step)."""
    request.session[NOTICE_SESSION_KEY] = time.time()


def take_notice_acceptance(request) -> bool:
    """True once per acceptance, while it is fresh: it covers the sign-in it was given for."""
    accepted_at = request.session.pop(NOTICE_SESSION_KEY, None)
    return accepted_at is not None and time.time() - accepted_at <= settings.HUB_FEDRAMP_NOTICE_MAX_AGE


class SystemUseNoticeStage(LoginStage):
    key = "hub_system_use_notice"
    urlname = "sso:system_use_notice"

    def handle(self):
        if not policy.needs_system_use_notice(self.login.user) or take_notice_acceptance(self.request):
            return None, True
        return redirect(self.urlname), True
