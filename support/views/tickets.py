"""My tickets (SUP-6): the list with status filter, search and — for brand admins — the
organization toggle; a ticket's timeline; reply, mark solved, rate; attachments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.access import get_visible_or_404, require
from hub.responses import render_htmx

from .. import access, ratelimit, selectors
from ..forms import EnterpriseVerificationForm, RatingForm, RatingReasonForm, ReplyForm, TicketFilterForm
from ..models import Ticket, TicketAttachment, TicketRating, number_from_reference
from ..services import add_customer_reply, explain_rating, mark_ticket_solved, rate_ticket
from .common import redirect_after_post, refuse_rate_limited

PAGE_SIZE = 20
DETAIL_TEMPLATE = "support/ticket_detail.html"


def ticket_list(request):
    user = request.user
    require(access.can_get_support(user))
    form = TicketFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organization_wide = access.can_see_organization_tickets(user) and filters.get("scope") == "organization"
    tickets = selectors.ticket_list(
        user, organization_wide=organization_wide, status=filters.get("status", ""), query=filters.get("q", "").strip(),
    )
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_htmx(request, "support/ticket_list.html", {
        "form": form,
        "page": page,
        "organization_wide": organization_wide,
        "can_see_organization_tickets": access.can_see_organization_tickets(user),
        "filter_query": query.urlencode(),
        "is_filtered": bool(filters.get("status") or filters.get("q")),
    }, partial="results")


def _ticket_or_404(user, reference):
    require(access.can_get_support(user))
    number = number_from_reference(reference)
    if number is None:
        raise Http404
    rows = Ticket.objects.select_related("product_area", "requester", "rating", "scheduled_call", "callback")
    return get_visible_or_404(rows, user, number=number)


def _detail_context(request, ticket, **forms):
    user = request.user
    can_act = access.can_act_on_ticket(user, ticket)
    rating = getattr(ticket, "rating", None)
    return {
        "ticket": ticket,
        "events": list(selectors.ticket_timeline(ticket)),
        "can_act": can_act,
        "reply_form": forms.get("reply_form") or (ReplyForm() if can_act and not ticket.is_closed else None),
        "rating": rating,
        "rating_form": forms.get("rating_form") or (RatingForm() if can_act and ticket.can_be_rated and not rating else None),
        # ENT-3: Verify and confirm, while the request waits for it.
        "verification_form": forms.get("verification_form") or (
            EnterpriseVerificationForm() if access.can_verify_ticket(user, ticket) else None
        ),
        "reason_form": forms.get("reason_form") or (
            RatingReasonForm() if can_act and rating and rating.score == TicketRating.Score.BAD and not rating.reason
            else None
        ),
    }


def ticket_detail(request, reference):
    ticket = _ticket_or_404(request.user, reference)
    return render_htmx(request, DETAIL_TEMPLATE, _detail_context(request, ticket), partial="conversation")


def _require_requester(user, ticket):
    if not access.can_act_on_ticket(user, ticket):
        raise PermissionDenied


@require_POST
def ticket_reply(request, reference):
    ticket = _ticket_or_404(request.user, reference)
    _require_requester(request.user, ticket)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        wait = ratelimit.consume(request, "reply_ticket")
        if wait:
            return refuse_rate_limited(request, form, DETAIL_TEMPLATE, _detail_context(request, ticket, reply_form=form),
                                       wait, partial="conversation")
        try:
            add_customer_reply(actor=request.user, ticket=ticket, body=form.cleaned_data["message"],
                               attachments=form.cleaned_data["attachments"])
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return render_htmx(request, DETAIL_TEMPLATE, _detail_context(request, ticket, reply_form=form),
                           partial="conversation", status=422)
    if getattr(request, "htmx", False):
        ticket = _ticket_or_404(request.user, reference)
        context = _detail_context(request, ticket)
        context["reply_sent"] = True
        return render_htmx(request, DETAIL_TEMPLATE, context, partial="conversation")
    messages.success(request, _("Your reply was added to the request."))
    return redirect_after_post(request, "support:ticket_detail", ticket.reference, anchor="timeline")


@require_POST
def ticket_solve(request, reference):
    ticket = _ticket_or_404(request.user, reference)
    _require_requester(request.user, ticket)
    mark_ticket_solved(actor=request.user, ticket=ticket)
    messages.success(request, _("Thank you. We marked your request as solved."))
    return redirect_after_post(request, "support:ticket_detail", ticket.reference, anchor="rating")


@require_POST
def ticket_rate(request, reference):
    """CSAT: good or bad, once; after bad, the reason form appears."""
    ticket = _ticket_or_404(request.user, reference)
    _require_requester(request.user, ticket)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            rate_ticket(actor=request.user, ticket=ticket, score=form.cleaned_data["score"])
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return render_htmx(request, DETAIL_TEMPLATE, _detail_context(request, ticket, rating_form=form),
                           partial="rating", status=422)
    ticket = _ticket_or_404(request.user, reference)
    return render_htmx(request, DETAIL_TEMPLATE, _detail_context(request, ticket), partial="rating") \
        if getattr(request, "htmx", False) else redirect_after_post(
            request, "support:ticket_detail", ticket.reference, anchor="rating")


@require_POST
def ticket_rate_reason(request, reference):
    ticket = _ticket_or_404(request.user, reference)
    _require_requester(request.user, ticket)
    form = RatingReasonForm(request.POST)
    if form.is_valid():
        try:
            explain_rating(actor=request.user, ticket=ticket, reason=form.cleaned_data["reason"],
                           comment=form.cleaned_data["comment"])
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return render_htmx(request, DETAIL_TEMPLATE, _detail_context(request, ticket, reason_form=form),
                           partial="rating", status=422)
    ticket = _ticket_or_404(request.user, reference)
    return render_htmx(request, DETAIL_TEMPLATE, _detail_context(request, ticket), partial="rating") \
        if getattr(request, "htmx", False) else redirect_after_post(
            request, "support:ticket_detail", ticket.reference, anchor="rating")


def attachment_download(request, public_id, name):
    """A ticket's file, for those who may see the ticket (its customers, or staff working its
    queue) — never from a public media URL. Always a download, never rendered in our origin."""
    user = request.user
    attachment = TicketAttachment.objects.select_related("ticket", "event").filter(public_id=public_id).first()
    if attachment is None:
        raise Http404
    ticket = attachment.ticket
    if user.is_staff:
        allowed = user.has_perm("support.view_ticket") and ticket.queue in access.staff_queues(user)
    else:
        is_internal = attachment.event is not None and attachment.event.is_internal
        allowed = not is_internal and Ticket.objects.visible_to(user).filter(pk=ticket.pk).exists()
    if not allowed:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
