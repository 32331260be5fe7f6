from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = _("Profiles")

    def ready(self):
        from hub import staff
        from hub.navigation import ProfileSection, register_profile_section

        from . import access

        register_profile_section(
            ProfileSection(
                key="account",
                label=_("Account information"),
                url_name="profiles:account_detail",
                order=10,
                is_visible=lambda user: user.is_authenticated,
            )
        )
        register_profile_section(
            ProfileSection(
                key="connected",
                label=_("Connected accounts"),
                url_name="profiles:connected_accounts",
                order=40,
                is_visible=access.can_see_connected_accounts,
            )
        )
        register_profile_section(
            ProfileSection(
                key="organization",
                label=_("Organization settings"),
                url_name="profiles:organization_settings",
                order=50,
                is_visible=access.can_see_organization_settings,
            )
        )
        # CON-4, ADM-1: every staff group reads the synced Community/Academy data; Customer
        # success corrects it and reads the sync runs.
        connected_view = ["profiles.view_communityprofile", "profiles.view_certification"]
        for group in (staff.SUPPORT_AGENTS, staff.ACCOUNT_SERVICES):
            staff.grant(group, connected_view)
        staff.grant(
            staff.CUSTOMER_SUCCESS,
            [*connected_view, "profiles.change_communityprofile", "profiles.change_certification",
             "profiles.view_connectedaccountssync"],
        )
