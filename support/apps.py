from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = _("Support")

    def ready(self):
        from hub import staff

        staff.grant(
            staff.ACCOUNT_SERVICES,
            ["support.view_accountservicesrequest", "support.change_accountservicesrequest"],
        )
        staff.grant(staff.CUSTOMER_SUCCESS, ["support.view_accountservicesrequest"])
