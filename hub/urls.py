from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

hub_patterns = [
    path("", views.home, name="home"),
    path("language/", views.language_set, name="language_set"),
    path("health/", views.health, name="health"),
]

# Staff sign in through allauth like everyone else: rate limits and MFA apply to the admin too.
admin.site.login = login_required(admin.site.login)
admin.site.site_header = _("Customer Success Hub — staff")
admin.site.site_title = _("Customer Success Hub")
admin.site.index_title = _("Queues and records")

urlpatterns = [
    path("", include((hub_patterns, "hub"))),
    path("", include("hub.sso.urls")),
    path("accounts/", include("allauth.urls")),
    path("profile/billing/", include("billing.urls")),
    path("renewals/", include("renewals.urls")),
    path("profile/", include("profiles.urls")),
    path("support/", include("support.urls")),
    path("help/", include("support.help_urls")),
    path("email-preferences/", include("profiles.subscription_urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
