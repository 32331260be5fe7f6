from django.urls import path

from .views import assistant, entry, inbound, requests, tickets

app_name = "support"

urlpatterns = [
    path("", entry.contact, name="contact"),
    path("technical/", entry.precheck, name="precheck"),
    path("technical/areas/", entry.area_list, name="area_list"),
    path("technical/<slug:area>/", entry.contact_methods, name="contact_methods"),
    path("technical/<slug:area>/assistant/", assistant.assistant, name="assistant"),
    path("assistant/<uuid:public_id>/", assistant.assistant_conversation, name="assistant_conversation"),
    path("assistant/<uuid:public_id>/answers/<uuid:turn>/feedback/", assistant.assistant_feedback,
         name="assistant_feedback"),
    path("assistant/<uuid:public_id>/contact/", assistant.assistant_contact, name="assistant_contact"),
    path("technical/<slug:area>/email/", requests.email_request_create, name="email_request_create"),
    path("account-services/", requests.account_services_create, name="account_services_create"),
    path("tickets/", tickets.ticket_list, name="ticket_list"),
    path("tickets/<str:reference>/", tickets.ticket_detail, name="ticket_detail"),
    path("tickets/<str:reference>/reply/", tickets.ticket_reply, name="ticket_reply"),
    path("tickets/<str:reference>/solve/", tickets.ticket_solve, name="ticket_solve"),
    path("tickets/<str:reference>/rating/", tickets.ticket_rate, name="ticket_rate"),
    path("tickets/<str:reference>/rating/reason/", tickets.ticket_rate_reason, name="ticket_rate_reason"),
    path("attachments/<uuid:public_id>/<str:name>", tickets.attachment_download, name="attachment_download"),
    path("inbound-email/", inbound.inbound_email, name="inbound_email"),
]
