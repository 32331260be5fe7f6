from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from .notifications import queue_email


class HubAccountAdapter(DefaultAccountAdapter):
    """Accounts are provisioned by the vendor and by brand administrators in the product, so the
    hub has no public sign-up. allauth's emails go through the hub's queue like every other."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        queue_email(
            to_email=email,
            template="allauth/" + template_prefix.rsplit("/", 1)[-1],
            context={key: value for key, value in context.items() if key != "request"},
            user=user if getattr(user, "pk", None) else None,
        )


class HubSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False
