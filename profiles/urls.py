from django.urls import path

from .views import account, account_team, connected, deletion, organization, preferences

app_name = "profiles"

urlpatterns = [
    path("", account.account_detail, name="account_detail"),
    path("account-team/request/", account_team.account_team_request, name="account_team_request"),
    path("delete/", deletion.account_delete, name="account_delete"),
    path("email-preferences/", preferences.email_preferences, name="email_preferences"),
    path("connected/", connected.connected_accounts, name="connected_accounts"),
    path("organization/", organization.organization_settings, name="organization_settings"),
]
