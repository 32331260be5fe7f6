from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from hub import staff
        from hub.navigation import HomePanel, ProfileSection, register_home_panel, register_profile_section

        from . import home
        from .access import CONFIRMATION_WINDOW_DAYS, can_see_billing
        from .panels import ContractBanner, register_contract_banner
        from .reminders import ReminderKind, register_reminder_kind

        register_profile_section(
            ProfileSection(
                key="billing",
                label=_("Billing details"),
                url_name="billing:contract_detail",
                order=30,
                is_visible=can_see_billing,
            )
        )
        register_home_panel(
            HomePanel(
                key="billing-confirmation",
                slot="banner",
                order=30,
                template="billing/_confirm_banners.html",
                get_context=home.confirmation_banners,
            )
        )
        register_home_panel(
            HomePanel(
                key="billing", slot="card", order=30, template="billing/_home_card.html", get_context=home.billing_card
            )
        )
        register_contract_banner(
            ContractBanner(
                key="billing-confirmation",
                order=10,
                template="billing/_confirm_banners.html",
                get_context=home.contract_confirmation_banner,
            )
        )
        # BILL-9 / REN-8: the 150-day "confirm your billing contact" email, to both contacts,
        # for organizations with the billing-contacts feature, until someone confirms.
        register_reminder_kind(
            ReminderKind(
                key="billing_contacts_150",
                days_before_end=CONFIRMATION_WINDOW_DAYS,
                template="billing/contacts_confirm_reminder",
                contract_filter=lambda contracts: contracts.filter(
                    organization__billing_contacts_enabled=True
                ).unconfirmed_this_cycle(),
            )
        )
        staff.grant(
            staff.ACCOUNT_SERVICES,
            [
                "billing.view_contract", "billing.add_contract", "billing.change_contract",
                "billing.view_contractlicense", "billing.add_contractlicense", "billing.change_contractlicense",
                "billing.delete_contractlicense",
                "billing.view_contractcontact", "billing.add_contractcontact", "billing.change_contractcontact",
                "billing.view_contactconfirmation", "billing.view_contractreminder",
            ],
        )
        staff.grant(
            staff.CUSTOMER_SUCCESS,
            [
                "billing.view_contract", "billing.view_contractlicense", "billing.view_contractcontact",
                "billing.view_contactconfirmation", "billing.view_contractreminder",
            ],
        )
