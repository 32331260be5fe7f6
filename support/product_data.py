"""The product data support ships with: the eleven product areas of SUP-3 and the support hours of
SUP-5. Migration 0003 installs them; `seed()` is idempotent, so the demo data and tests can put
them back into a flushed database. Staff edit both in the admin afterwards.

Keep `seed()` to the fields migration 0002 created: the migration runs it against those models.
The texts are marked with gettext_noop so the catalogs translate them (ProductArea.display_*)."""

import datetime

from django.utils.translation import gettext_noop

CHAT, EMAIL, PHONE = "chat", "email", "phone"
ALL = (CHAT, EMAIL, PHONE)

# slug: (name, description, picture, queue, team note, channels, chat languages, scheduled calls, enterprise phone)
AREAS = [
    ("surveys", gettext_noop("Surveys & XM Directory"),
     gettext_noop("Build, distribute and analyze surveys; manage contacts, mailing lists, samples and transactions in the directory."),
     "img/areas/surveys.svg", "technical", "", ALL, ["en", "es"], True, True),
    ("employee-experience", gettext_noop("Employee Experience"),
     gettext_noop("Engagement, lifecycle and pulse programs: participants, org hierarchies, anonymity rules and employee dashboards."),
     "img/areas/employee-experience.svg", "technical", "", ALL, ["en"], True, True),
    ("cx-dashboards", gettext_noop("CX Dashboards"),
     gettext_noop("Customer experience dashboards: widgets, filters, roles, data mapping, scheduled exports and sharing."),
     "img/areas/cx-dashboards.svg", "technical", "", ALL, ["en"], True, True),
    ("bx-dashboards", gettext_noop("BX Dashboards"),
     gettext_noop("Brand experience dashboards: brand tracking, ad testing, market research reporting and benchmarks."),
     "img/areas/bx-dashboards.svg", "technical", "", ALL, ["en"], True, False),
    ("360", gettext_noop("360"),
     gettext_noop("Multi-rater feedback projects: subjects, evaluators, nominations, participant portals and 360 reports."),
     "img/areas/360.svg", "technical", "", ALL, ["en"], True, False),
    ("website-app-insights", gettext_noop("Website & App Insights"),
     gettext_noop("Intercepts and creatives that collect feedback on websites and in mobile apps, and their targeting logic."),
     "img/areas/website-app-insights.svg", "technical", "", ALL, ["en"], True, False),
    ("stats-crosstabs", gettext_noop("Stats iQ & Crosstabs"),
     gettext_noop("Statistical analysis: relationships, regression, significance testing and cross tabulation of your data."),
     "img/areas/stats-crosstabs.svg", "technical", "", ALL, ["en"], False, False),
    ("integrations-api", gettext_noop("Integrations / API"),
     gettext_noop("The public API, webhooks and connections to CRM, HR and data warehouse systems."),
     "img/areas/integrations-api.svg", "technical", "", ALL, ["en"], True, True),
    ("sso", gettext_noop("SSO settings"),
     gettext_noop("Single sign-on with SAML or OpenID Connect: identity provider setup, user attributes and sign-in errors."),
     "img/areas/sso.svg", "technical", "", ALL, ["en"], True, True),
    ("accessibility", gettext_noop("Accessibility"),
     gettext_noop("Making surveys and dashboards usable by everyone: screen readers, keyboard use, contrast and WCAG conformance."),
     "img/areas/accessibility.svg", "technical", "", ALL, ["en"], False, False),
    ("xm-discover", gettext_noop("XM Discover"),
     gettext_noop("Conversation analytics for calls, chats, reviews and social posts: connectors, topic models and Studio dashboards."),
     "img/areas/xm-discover.svg", "discover",
     gettext_noop("A separate specialist team handles XM Discover. Your request goes straight to them."),
     (EMAIL, PHONE), [], True, False),
]

WEEKDAYS = range(0, 5)
T = datetime.time
# (name, channel, languages, zone, always open, enterprise, [(weekday, opens, closes)])
SCHEDULES = [
    ("Chat: English and Spanish", CHAT, ["en", "es"], "America/Denver", False, False,
     [(d, T(7, 0), T(16, 30)) for d in WEEKDAYS]),
    ("Email: English, around the clock", EMAIL, ["en"], "UTC", True, False, []),
    ("Phone: English, around the clock", PHONE, ["en"], "UTC", True, False, []),
]
for channel, label in ((EMAIL, "Email"), (PHONE, "Phone")):
    SCHEDULES += [
        (f"{label}: European languages (CET)", channel, ["es", "pt-br", "de", "fr", "it", "nl"], "Europe/Berlin",
         False, False, [(d, T(8, 0), T(16, 30)) for d in WEEKDAYS]),
        (f"{label}: Spanish and Portuguese (US business hours)", channel, ["es", "pt-br"], "America/Denver",
         False, False, [(d, T(8, 0), T(17, 0)) for d in WEEKDAYS]),
        (f"{label}: Japanese (JST)", channel, ["ja"], "Asia/Tokyo", False, False,
         [(d, T(9, 0), T(17, 0)) for d in WEEKDAYS]),
        (f"{label}: Enterprise Support", channel, ["en"], "America/Denver", False, True,
         [(6, T(17, 0), T(0, 0))] + [(d, T(0, 0), T(0, 0)) for d in range(0, 4)] + [(4, T(0, 0), T(17, 0))]),
    ]


def seed(apps=None, schema_editor=None):
    """Create the areas and hours that do not exist yet (by slug / name); never changes existing rows.
    `apps` is a migration's app registry, or None for the live one (demo data, tests)."""
    if apps is None:
        from django.apps import apps
    ProductArea = apps.get_model("support", "ProductArea")
    SupportSchedule = apps.get_model("support", "SupportSchedule")
    SupportWindow = apps.get_model("support", "SupportWindow")
    for position, (slug, name, description, picture, queue, note, channels, chat_languages, scheduled,
                   enterprise_phone) in enumerate(AREAS, start=1):
        ProductArea.objects.get_or_create(
            slug=slug,
            defaults=dict(
                name=name, description=description, picture=picture, queue=queue, team_note=note,
                offers_chat=CHAT in channels, offers_email=EMAIL in channels, offers_phone=PHONE in channels,
                offers_scheduled_calls=scheduled, chat_languages=chat_languages,
                enterprise_phone=enterprise_phone, position=position * 10,
            ),
        )
    for name, channel, languages, zone, always_open, enterprise, windows in SCHEDULES:
        schedule, created = SupportSchedule.objects.get_or_create(
            name=name,
            defaults=dict(channel=channel, languages=languages, time_zone=zone, is_always_open=always_open,
                          is_enterprise=enterprise),
        )
        if created:
            SupportWindow.objects.bulk_create(
                SupportWindow(schedule=schedule, weekday=day, opens=opens, closes=closes)
                for day, opens, closes in windows
            )


def ensure():
    """Seed when the product data is missing — a database flushed by a test, say — and only then."""
    from .models import ProductArea

    if not ProductArea.objects.exists():
        seed()
