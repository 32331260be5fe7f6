from django.urls import path

from . import views

app_name = "profiles"

urlpatterns = [
    path("", views.account_detail, name="account_detail"),
]
