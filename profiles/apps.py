from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = _("Profiles")

    def ready(self):
        from hub.navigation import ProfileSection, register_profile_section

        register_profile_section(
            ProfileSection(
                key="account",
                label=_("Account information"),
                url_name="profiles:account_detail",
                order=10,
                is_visible=lambda user: user.is_authenticated,
            )
        )
