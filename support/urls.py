from django.urls import path

from .views import callbacks, chat, enterprise, entry, inbound, requests, scheduled_calls, tickets

app_name = "support"

urlpatterns = [
    path("", entry.contact, name="contact"),
    path("technical/", entry.precheck, name="precheck"),
    path("technical/areas/", entry.area_list, name="area_list"),
    path("technical/<slug:area>/", entry.contact_methods, name="contact_methods"),
    path("technical/<slug:area>/email/", requests.email_request_create, name="email_request_create"),
    path("technical/<slug:area>/chat/", chat.chat_start, name="chat_start"),
    path("chats/<uuid:public_id>/", chat.chat_detail, name="chat_detail"),
    path("chats/<uuid:public_id>/messages/", chat.chat_messages, name="chat_messages"),
    path("chats/<uuid:public_id>/send/", chat.chat_send, name="chat_send"),
    path("chats/<uuid:public_id>/end/", chat.chat_end, name="chat_end"),
    path("technical/<slug:area>/callback/", callbacks.callback_create, name="callback_create"),
    path("callbacks/<uuid:public_id>/", callbacks.callback_detail, name="callback_detail"),
    path("technical/<slug:area>/scheduled-call/", scheduled_calls.scheduled_call_create, name="scheduled_call_create"),
    path("scheduled-calls/", scheduled_calls.scheduled_call_list, name="scheduled_call_list"),
    path("scheduled-calls/<uuid:public_id>/", scheduled_calls.scheduled_call_detail, name="scheduled_call_detail"),
    path("scheduled-calls/<uuid:public_id>/reschedule/", scheduled_calls.scheduled_call_reschedule,
         name="scheduled_call_reschedule"),
    path("scheduled-calls/<uuid:public_id>/cancel/", scheduled_calls.scheduled_call_cancel,
         name="scheduled_call_cancel"),
    path("account-services/", requests.account_services_create, name="account_services_create"),
    path("tickets/", tickets.ticket_list, name="ticket_list"),
    path("tickets/<str:reference>/", tickets.ticket_detail, name="ticket_detail"),
    path("tickets/<str:reference>/reply/", tickets.ticket_reply, name="ticket_reply"),
    path("tickets/<str:reference>/solve/", tickets.ticket_solve, name="ticket_solve"),
    path("tickets/<str:reference>/rating/", tickets.ticket_rate, name="ticket_rate"),
    path("tickets/<str:reference>/rating/reason/", tickets.ticket_rate_reason, name="ticket_rate_reason"),
    path("tickets/<str:reference>/verify/", enterprise.ticket_verify, name="ticket_verify"),
    path("enterprise/designations/", enterprise.designation_create, name="enterprise_designation_create"),
    path("enterprise/designations/<uuid:public_id>/remove/", enterprise.designation_remove,
         name="enterprise_designation_remove"),
    path("entitlements/", enterprise.entitlements, name="entitlements"),
    path("attachments/<uuid:public_id>/<str:name>", tickets.attachment_download, name="attachment_download"),
    path("inbound-email/", inbound.inbound_email, name="inbound_email"),
]
