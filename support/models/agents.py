"""Support agents as support sees them: languages, product areas and whether they are online
for chat (SUP-5 opens chat only while an agent is online)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SupportAgent(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff account"), on_delete=models.CASCADE,
        related_name="support_agent", limit_choices_to={"is_staff": True},
    )
    languages = ArrayField(models.CharField(max_length=8), verbose_name=_("languages"), default=list)
    product_areas = models.ManyToManyField(
        "support.ProductArea", verbose_name=_("product areas"), blank=True, related_name="agents",
        help_text=_("Empty: every area."),
    )
    is_online_for_chat = models.BooleanField(_("online for chat"), default=False)
    online_changed_at = models.DateTimeField(_("online status changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("support agent")
        verbose_name_plural = _("support agents")
        ordering = ["user__first_name", "user__last_name"]

    def __str__(self):
        return str(self.user)
