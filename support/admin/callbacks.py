"""The callback console (CB-4): callbacks in queue order — per language and product area, first
come first called — with the wait so far and the customer's consents. "Call started",
"Completed" and "No answer" go through the services, which record them on the ticket."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..access import staff_queues
from ..models import Callback
from ..services import complete_callback, mark_callback_no_answer, start_callback


class ActiveFilter(admin.SimpleListFilter):
    """The console opens on the live queue: waiting and in-progress calls."""

    title = _("queue")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("all", _("All, including finished"))]

    def choices(self, changelist):
        yield {"selected": self.value() is None, "query_string": changelist.get_query_string(remove=[self.parameter_name]),
               "display": _("Waiting or in progress")}
        for lookup, title in self.lookup_choices:
            yield {"selected": self.value() == lookup,
                   "query_string": changelist.get_query_string({self.parameter_name: lookup}), "display": title}

    def queryset(self, request, queryset):
        if self.value() == "all" or "status__exact" in request.GET:  # a chosen status wins
            return queryset
        return queryset.filter(status__in=Callback.ACTIVE)


def _minutes(delta):
    minutes = int(delta.total_seconds() // 60)
    if minutes >= 60:
        return _("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}
    return _("%(minutes)d min") % {"minutes": minutes}


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    list_display = ["position", "requested_at", "wait_so_far", "status", "language", "product_area", "phone_link",
                    "requester", "organization", "consents", "ticket_link", "agent"]
    list_display_links = None
    list_filter = [ActiveFilter, "status", "language", "product_area"]
    list_select_related = ["ticket", "requester", "organization", "product_area", "agent"]
    search_fields = ["subject", "requester__email", "email", "organization__name", "phone"]
    list_per_page = 100
    actions = ["call_started", "call_completed", "call_no_answer"]
    readonly_fields = ["ticket_link", "organization", "requester", "product_area", "language", "country", "phone",
                       "extension", "email", "subject", "can_access_account", "consents_to_recording", "status",
                       "estimated_wait_seconds", "agent", "requested_at", "started_at", "ended_at"]
    fields = readonly_fields

    def get_queryset(self, request):
        """Only the queues the agent works; each waiting callback numbered in its language and area's
        queue, whatever the filters and search."""
        queryset = super().get_queryset(request).filter(ticket__queue__in=staff_queues(request.user))
        ahead = (
            Callback.objects.waiting()
            .filter(language=OuterRef("language"), product_area=OuterRef("product_area"))
            .filter(Q(requested_at__lt=OuterRef("requested_at"))
                    | Q(requested_at=OuterRef("requested_at"), pk__lt=OuterRef("pk")))
            .values("language").annotate(n=Count("pk")).values("n")
        )
        return queryset.annotate(
            queue_number=Coalesce(Subquery(ahead, output_field=IntegerField()), 0) + 1,
            waiting_first=Case(When(status=Callback.Status.QUEUED, then=Value(0)),
                               When(status=Callback.Status.IN_PROGRESS, then=Value(1)),
                               default=Value(2), output_field=IntegerField()),
        ).order_by("waiting_first", "requested_at", "pk")

    def has_add_permission(self, request):
        return False  # callbacks come from customers

    def has_delete_permission(self, request, obj=None):
        return False  # kept with their ticket

    def has_change_permission(self, request, obj=None):
        return False  # read-only record; the actions change it, through the services

    def has_work_permission(self, request):
        return request.user.has_perm("support.change_callback")

    @admin.display(description=_("no."), ordering="requested_at")
    def position(self, callback):
        return callback.queue_number if callback.status == Callback.Status.QUEUED else "—"

    @admin.display(description=_("waiting"))
    def wait_so_far(self, callback):
        if callback.status == Callback.Status.QUEUED:
            return _minutes(timezone.now() - callback.requested_at)
        if callback.started_at:
            return _minutes(callback.started_at - callback.requested_at)
        return "—"

    @admin.display(description=_("phone number"))
    def phone_link(self, callback):
        return format_html('<a href="{}">{}</a>', callback.phone.as_rfc3966 if callback.phone else "",
                           callback.phone_display)

    @admin.display(description=_("consents"))
    def consents(self, callback):
        recording = _("recording: yes") if callback.consents_to_recording else _("recording: NO")
        access = _("account access: yes") if callback.can_access_account else _("account access: no")
        return f"{recording} · {access}"

    @admin.display(description=_("ticket"), ordering="ticket__number")
    def ticket_link(self, callback):
        url = reverse("admin:support_ticket_change", args=[callback.ticket_id])
        return format_html('<a href="{}">{}</a>', url, callback.ticket.reference)

    def _each(self, request, queryset, action, done_message):
        done = 0
        for callback in queryset.select_related("ticket"):
            try:
                action(callback)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, f"{callback.ticket.reference}: "
                                        f"{'; '.join(getattr(error, 'messages', [str(error)]))}")
        if done:
            messages.success(request, done_message(done))

    @admin.action(description=_("Call started"), permissions=["work"])
    def call_started(self, request, queryset):
        self._each(request, queryset, lambda c: start_callback(actor=request.user, callback=c),
                   lambda n: ngettext("%(count)d call started.", "%(count)d calls started.", n) % {"count": n})

    @admin.action(description=_("Completed"), permissions=["work"])
    def call_completed(self, request, queryset):
        self._each(request, queryset, lambda c: complete_callback(actor=request.user, callback=c),
                   lambda n: ngettext("%(count)d call completed.", "%(count)d calls completed.", n) % {"count": n})

    @admin.action(description=_("No answer"), permissions=["work"])
    def call_no_answer(self, request, queryset):
        self._each(request, queryset, lambda c: mark_callback_no_answer(actor=request.user, callback=c),
                   lambda n: ngettext("%(count)d call marked as not answered; the customer was emailed.",
                                      "%(count)d calls marked as not answered; the customers were emailed.", n)
                   % {"count": n})
