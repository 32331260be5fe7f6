from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Hub")

    def ready(self):

        from . import staff
        from .navigation import ProfileSection, register_profile_section

        register_profile_section(
            ProfileSection(
                key="security",
                label=_("Sign-in and security"),
                url_name="mfa_index",
                order=90,
                is_visible=lambda user: user.is_authenticated,
            )
        )
        for group in (staff.SUPPORT_AGENTS, staff.ACCOUNT_SERVICES, staff.CUSTOMER_SUCCESS):
            staff.grant(group, ["hub.view_organization", "hub.view_user", "hub.view_staffcontact"])
        staff.grant(staff.SUPPORT_AGENTS, ["hub.view_outboundemail"])
        staff.grant(staff.ACCOUNT_SERVICES, ["hub.view_outboundemail", "hub.change_organization"])
        staff.grant(
            staff.CUSTOMER_SUCCESS,
            ["hub.change_organization", "hub.add_staffcontact", "hub.change_staffcontact"],
        )
        # AUTH-2: everyone may look up an organization's sign-in settings; Customer success
        # (who onboard organizations) configure them.
        for group in (staff.SUPPORT_AGENTS, staff.ACCOUNT_SERVICES, staff.CUSTOMER_SUCCESS):
            staff.grant(group, ["hub.view_organizationsignin"])
        staff.grant(staff.CUSTOMER_SUCCESS, ["hub.add_organizationsignin", "hub.change_organizationsignin"])
        post_migrate.connect(staff.sync_staff_groups, sender=self)
