from django.urls import path

from .views import help

app_name = "help"

urlpatterns = [
    path("", help.article_list, name="article_list"),
    path("<slug:slug>/", help.article_detail, name="article_detail"),
    path("<slug:slug>/feedback/", help.article_feedback, name="article_feedback"),
]
