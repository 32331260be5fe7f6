from django.urls import path

import billing.urls  # noqa: F401  (registers the contract_number converter)

from . import views

app_name = "renewals"

urlpatterns = [
    path("<contract_number:contract_number>/", views.renewal_start, name="start"),
    path("<contract_number:contract_number>/summary/", views.renewal_summary, name="summary"),
    path("<contract_number:contract_number>/submit/", views.renewal_submit, name="submit"),
    path("<contract_number:contract_number>/key-dates/", views.key_dates_detail, name="key_dates"),
    path("<contract_number:contract_number>/key-dates.ics", views.key_dates_ics, name="key_dates_ics"),
    path("<contract_number:contract_number>/<slug:step>/", views.renewal_step, name="step"),
]
