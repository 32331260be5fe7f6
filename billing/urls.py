from django.urls import path, register_converter

from . import views
from .models import CONTRACT_NUMBER_PATTERN, ContractContact


class ContractNumberConverter:
    regex = CONTRACT_NUMBER_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


class ContactRoleConverter:
    regex = "|".join(ContractContact.Role.values)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(ContractNumberConverter, "contract_number")
register_converter(ContactRoleConverter, "contact_role")

app_name = "billing"

urlpatterns = [
    path("", views.contract_detail, name="contract_detail"),
    path("contact-us/", views.question_create, name="question_create"),
    path("<contract_number:contract_number>/", views.contract_detail, name="contract_detail"),
    path(
        "<contract_number:contract_number>/contacts/confirm/", views.contacts_confirm, name="contacts_confirm"
    ),
    path(
        "<contract_number:contract_number>/contacts/<contact_role:role>/",
        views.contact_detail,
        name="contact_detail",
    ),
    path(
        "<contract_number:contract_number>/contacts/<contact_role:role>/edit/",
        views.contact_edit,
        name="contact_edit",
    ),
]
