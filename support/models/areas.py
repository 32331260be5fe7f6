"""Product areas (SUP-3): data staff edit in the admin; eleven are seeded by a data migration."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.templatetags.static import static
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..availability import Area
from ..choices import ENGLISH, Channel, Queue

PICTURE_DIR = "img/areas/"


def default_chat_languages():
    return [ENGLISH]


class ProductAreaQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ProductArea(models.Model):
    """A part of the product a technical request is about. It decides the queue a ticket lands
    in, which channels and chat languages are offered, and whether scheduled calls are allowed.

    Names, descriptions and team notes are written in English; the seeded texts are in the
    translation catalogs, so `display_*` show them in the reader's language. Text staff change
    shows as written until the catalogs catch up."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"))
    picture = models.CharField(
        _("picture"), max_length=200,
        help_text=_("A picture shipped with the hub, under static/img/areas/."),
    )
    queue = models.CharField(
        _("queue"), max_length=20, choices=Queue.choices, default=Queue.TECHNICAL,
        help_text=_("Where this area's technical requests go."),
    )
    team_note = models.TextField(
        _("team note"), blank=True,
        help_text=_("Shown to customers when a separate team handles this area."),
    )
    offers_chat = models.BooleanField(_("offers chat"), default=True)
    offers_email = models.BooleanField(_("offers email"), default=True)
    offers_phone = models.BooleanField(_("offers phone"), default=True)
    offers_scheduled_calls = models.BooleanField(
        _("allows scheduled calls"), default=True, help_text=_("For customers with Success packages.")
    )
    chat_languages = ArrayField(
        models.CharField(max_length=8), verbose_name=_("chat languages"), default=default_chat_languages,
        blank=True, help_text=_("Languages chat is offered in for this area."),
    )
    enterprise_phone = models.BooleanField(
        _("Enterprise Support by phone"), default=False,
        help_text=_("Enterprise Support covers phone requests for this area."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ProductAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("product area")
        verbose_name_plural = _("product areas")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return gettext(self.name)

    @property
    def display_description(self):
        return gettext(self.description)

    @property
    def display_team_note(self):
        return gettext(self.team_note) if self.team_note else ""

    @property
    def picture_url(self):
        return static(self.picture)

    @property
    def channels(self) -> frozenset[str]:
        offered = {
            Channel.CHAT: self.offers_chat,
            Channel.EMAIL: self.offers_email,
            Channel.PHONE: self.offers_phone,
            Channel.SCHEDULED_CALL: self.offers_scheduled_calls,
        }
        return frozenset(channel for channel, is_offered in offered.items() if is_offered)

    def as_rules(self) -> Area:
        """This area as plain data for the availability engine."""
        return Area(
            slug=self.slug,
            channels=self.channels,
            chat_languages=frozenset(self.chat_languages),
            enterprise_phone=self.enterprise_phone,
        )
