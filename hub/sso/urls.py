from django.urls import path

from . import views

app_name = "sso"
urlpatterns = [
    path("accounts/sso/", views.sso_start, name="start"),
    path("accounts/login/notice/", views.system_use_notice, name="system_use_notice"),
    path("fedramp/login/", views.fedramp_login, name="fedramp_login"),
    path("fedramp/sso/", views.sso_start, {"fedramp": True}, name="fedramp_start"),
]
