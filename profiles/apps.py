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
        self._ready_email_preferences()

    def _ready_email_preferences(self):
        """PREF-1..8: the profile section, the links on every email, the sync's tasks, staff rights."""
        from hub import staff
        from hub.navigation import ProfileSection, register_profile_section
        from hub.notifications import register_email_decorator

        from . import access
        from .preferences import checks, tasks  # noqa: F401 (registers the checks and the Celery tasks)
        from .preferences.emails import add_subscription_links

        register_profile_section(
            ProfileSection(
                key="email_preferences",
                label=_("Email preferences"),
                url_name="profiles:email_preferences",
                order=20,
                is_visible=access.can_manage_email_preferences,
            )
        )
        register_email_decorator(add_subscription_links)
        staff.grant(staff.SUPPORT_AGENTS, [
            "profiles.view_emailcategory", "profiles.view_subscriber", "profiles.change_subscriber",
            "profiles.view_emailpreference", "profiles.add_emailpreference", "profiles.change_emailpreference",
            "profiles.view_consentevent", "profiles.export_consentevent", "profiles.view_preferencechange",
        ])
        staff.grant(staff.CUSTOMER_SUCCESS, [
            "profiles.view_emailcategory", "profiles.add_emailcategory", "profiles.change_emailcategory",
            "profiles.view_emailcategorytranslation", "profiles.add_emailcategorytranslation",
            "profiles.change_emailcategorytranslation", "profiles.delete_emailcategorytranslation",
            "profiles.view_subscriber", "profiles.view_emailpreference", "profiles.view_consentevent",
            "profiles.export_consentevent", "profiles.view_preferencechange", "profiles.change_preferencechange",
            "profiles.view_mailingsyncrun", "profiles.view_mailingsyncstate",
        ])
        staff.grant(staff.ACCOUNT_SERVICES, [
            "profiles.view_subscriber", "profiles.view_emailpreference", "profiles.view_consentevent",
        ])
