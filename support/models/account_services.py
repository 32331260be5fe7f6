"""Account Services requests (SUP-12) are tickets in the Account Services queue. This proxy keeps
the name the intake forms use (profile PRO-4, billing BILL-5): `AccountServicesRequest.objects`
holds exactly those tickets, with their categories and sources."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AccountServicesCategory, Queue
from .tickets import Ticket, TicketQuerySet


class AccountServicesRequestManager(models.Manager.from_queryset(TicketQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(queue=Queue.ACCOUNT_SERVICES)


class AccountServicesRequest(Ticket):
    Category = AccountServicesCategory
    Source = Ticket.Source

    objects = AccountServicesRequestManager()

    class Meta:
        proxy = True
        verbose_name = _("Account Services request")
        verbose_name_plural = _("Account Services requests")

    @property
    def message(self):
        """The request's text (a ticket's description)."""
        return self.description
