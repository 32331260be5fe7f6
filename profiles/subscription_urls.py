"""PREF-6: the pages behind the links in emails. Public (no sign-in): the signed token is the
authority. Mounted at /email-preferences/ by hub/urls.py."""

from django.urls import path

from .views import preferences

app_name = "subscriptions"

urlpatterns = [
    path("<str:token>/", preferences.subscription_manage, name="manage"),
    path("<str:token>/unsubscribe/", preferences.subscription_unsubscribe, name="unsubscribe"),
]
