from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalsConfig(AppConfig):
    name = "renewals"
    verbose_name = _("Renewals")

    def ready(self):
        from billing.panels import ContractBanner, register_contract_banner
        from billing.reminders import ReminderKind, register_reminder_kind
        from hub import staff
        from hub.navigation import HomePanel, register_home_panel

        from . import home
        from .access import RENEWAL_WINDOW_DAYS

        # REN-1: "Your renewal is coming up" on the home page and above the contract on the
        # billing page.
        register_home_panel(
            HomePanel(
                key="renewal-coming-up", slot="banner", order=20, template="renewals/_banners.html",
                get_context=home.renewal_banners,
            )
        )
        register_contract_banner(
            ContractBanner(
                key="renewal-coming-up", order=5, template="renewals/_banners.html",
                get_context=home.contract_renewal_banner,
            )
        )
        # REN-8: the 120-day "prepare your renewal" email, to both contacts, through billing's
        # shared reminder mechanism (the same daily job, rows and guarantees as the 150-day one);
        # not sent for a renewal already submitted for the cycle.
        register_reminder_kind(
            ReminderKind(
                key="renewal_prepare_120",
                days_before_end=RENEWAL_WINDOW_DAYS,
                template="renewals/prepare_reminder",
                contract_filter=home.without_submitted_renewal,
                extra_context=home.reminder_context,
            )
        )
        staff.grant(
            staff.ACCOUNT_SERVICES,
            ["renewals.view_renewal", "renewals.change_renewal"],
        )
        staff.grant(staff.CUSTOMER_SUCCESS, ["renewals.view_renewal"])
