from django.urls import path

from .views import account

app_name = "profiles"

urlpatterns = [
    path("", account.account_detail, name="account_detail"),
]
