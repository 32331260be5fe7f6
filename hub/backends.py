from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model


class HubAuthenticationBackend(AuthenticationBackend):
    """allauth's backend; loads the session's user together with its organization (one query)."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("organization").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
