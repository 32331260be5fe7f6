"""The renewal wizard (REN-2..7) under /renewals/<contract number>/. One URL per step; each
serves the full page or, for htmx, the wizard panel. Steps only in order; everything works
without JavaScript. Not visible → 404; visible read-only (brand administrators who are not
contacts) → the summary, and 403 on any change."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, push_url

from billing.access import can_edit_contacts
from billing.models import ContractContact
from billing.services import ContactChangedError
from hub.responses import render_htmx

from .access import can_prepare_renewal
from .forms import AddressForm, ContactStepForm, InstructionsForm, IntentForm, PoForm
from .key_dates import key_dates, to_ics
from .models import STEP_LABELS, STEPS, Renewal
from .selectors import get_contract_with_renewal, get_renewal_for
from .services import (
    RenewalClosedError,
    StepOrderError,
    decline_renewal,
    save_contact_step,
    save_renewal_step,
    submit_renewal,
)

PAGE = "renewals/wizard.html"
SUMMARY = "renewals/summary.html"
REVIEW = STEPS.index("review")


def step_url(contract, step: str) -> str:
    return reverse("renewals:step", kwargs={"contract_number": contract.contract_number, "step": step})


def summary_url(contract) -> str:
    return reverse("renewals:summary", kwargs={"contract_number": contract.contract_number})


def resume_step(renewal: Renewal) -> str:
    """REN-4: where a returning user continues — the first step not done, or the review."""
    return STEPS[min(renewal.completed_steps, REVIEW)]


def _header(contract, renewal: Renewal, current: str | None) -> list[dict]:
    """REN-3: the steps as a timeline; done steps (and the next one) are links."""
    items = []
    for index, key in enumerate(STEPS):
        items.append({
            "key": key,
            "number": index + 1,
            "label": STEP_LABELS[key],
            "is_done": index < renewal.completed_steps and not renewal.is_not_renewing,
            "is_current": key == current,
            "url": step_url(contract, key) if index <= renewal.completed_steps and key != current else "",
        })
    return items


def _contact(contract, role):
    return next((c for c in contract.contacts.all() if c.role == role), None)


def _answers_context(contract, renewal) -> dict:
    return {
        "urls": {key: step_url(contract, key) for key in STEPS},
        "shipping_lines": renewal.address_lines("shipping"),
        "billing_lines": renewal.address_lines("billing"),
        "contacts": {c.role: c for c in contract.contacts.all()},
    }


def _form_for(request, contract, renewal, step, data=None):
    if step == "intent":
        return IntentForm.for_renewal(renewal, data=data)
    if step in ("primary", "billing"):
        return ContactStepForm.for_contact(
            _contact(contract, step), may_edit=can_edit_contacts(request.user, contract), data=data
        )
    if step == "po":
        return PoForm.for_renewal(renewal, data=data)
    if step == "addresses":
        return AddressForm(data=data, renewal=renewal)
    if step == "instructions":
        return InstructionsForm.for_renewal(renewal, data=data)
    return None


def _render_step(request, contract, renewal, step, *, form=None, status=200, notice=""):
    index = STEPS.index(step)
    previous = STEPS[index - 1] if index else None
    context = {
        "contract": contract,
        "renewal": renewal,
        "step": step,
        "step_label": STEP_LABELS[step],
        "step_number": index + 1,
        "step_count": len(STEPS),
        "steps": _header(contract, renewal, step),
        "form": form if form is not None else _form_for(request, contract, renewal, step),
        "back_url": step_url(contract, previous) if previous else reverse(
            "billing:contract_detail", kwargs={"contract_number": contract.contract_number}
        ),
        "step_url": step_url(contract, step),
        "contact": _contact(contract, step) if step in ("primary", "billing") else None,
        "may_edit_contacts": can_edit_contacts(request.user, contract),
        "notice": notice,
        **_answers_context(contract, renewal),
    }
    if step == "addresses":
        form = context["form"]
        context["addresses"] = [
            {"label": form[f"{kind}_address_action"].label, "lines": renewal.address_lines(kind),
             "fields": [form[f"{kind}_address_action"], *form.kind_fields(kind)]}
            for kind in ("shipping", "billing")
        ]
    return render_htmx(request, PAGE, context, partial="wizard_panel", status=status)


def _go(request, contract_number, step: str):
    """After a successful change: without htmx a redirect (POST/redirect/GET); with htmx the
    step's panel, freshly loaded, and its URL pushed."""
    try:
        contract, renewal = get_renewal_for(request.user, contract_number)
    except Http404:
        # The user named someone else as the contact they were: the renewal is no longer theirs.
        messages.info(request, _("You are no longer a contact of contract %(number)s, so its renewal is no "
                                 "longer shown to you.") % {"number": contract_number})
        target = reverse("hub:home")
        return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
    if not request.htmx:
        return redirect(step_url_for(contract_number, step))
    if step == "summary":
        return push_url(_render_summary(request, contract, renewal), summary_url(contract))
    return push_url(_render_step(request, contract, renewal, step), step_url(contract, step))


def step_url_for(contract_number, step):
    if step == "summary":
        return reverse("renewals:summary", kwargs={"contract_number": contract_number})
    return reverse("renewals:step", kwargs={"contract_number": contract_number, "step": step})


@require_GET
def renewal_start(request, contract_number):
    """Prepare my renewal: resume where the user left off (REN-4)."""
    contract, renewal = get_renewal_for(request.user, contract_number)
    if renewal.is_submitted or not can_prepare_renewal(request.user, contract):
        return redirect(summary_url(contract))
    return redirect(step_url(contract, resume_step(renewal)))


@require_http_methods(["GET", "POST"])
def renewal_step(request, contract_number, step):
    user = request.user
    if step not in STEPS:
        raise Http404
    contract, renewal = get_renewal_for(user, contract_number)
    if not can_prepare_renewal(user, contract):
        if request.method == "POST":
            raise PermissionDenied
        return redirect(summary_url(contract))
    if renewal.is_submitted:
        if request.method == "POST":
            messages.info(request, _("This renewal was already submitted; nothing was changed."))
        return _go(request, contract_number, "summary")
    if STEPS.index(step) > renewal.completed_steps:
        # REN-2: a later step is neither shown nor saved before the earlier ones are done.
        allowed = resume_step(renewal)
        if request.method == "GET":
            return redirect(step_url(contract, allowed))
        notice = _("Please complete this step first.")
        return _render_step(request, contract, renewal, allowed, status=409, notice=notice)
    if request.method == "GET" or step == "review":
        if request.method == "POST":
            return HttpResponseNotAllowed(["GET"])
        return _render_step(request, contract, renewal, step)

    form = _form_for(request, contract, renewal, step, data=request.POST)
    if not form.is_valid():
        return _render_step(request, contract, renewal, step, form=form, status=422)
    try:
        next_step = _save_step(request, contract, renewal, step, form)
    except ContactChangedError as exc:
        form.add_error(None, _(
            "Someone changed this contact while you were editing; it now reads %(name)s <%(email)s>. "
            "Nothing was saved. Check it and save again."
        ) % {"name": exc.current.full_name, "email": exc.current.email})
        contract, renewal = get_renewal_for(user, contract_number)
        data = request.POST.copy()
        data["version"] = str(exc.current.version)
        fresh = _form_for(request, contract, renewal, step, data=data)
        fresh.is_valid()
        for error in form.non_field_errors():
            fresh.add_error(None, error)
        return _render_step(request, contract, renewal, step, form=fresh, status=422)
    except StepOrderError as exc:
        contract, renewal = get_renewal_for(user, contract_number)
        return _render_step(request, contract, renewal, exc.allowed_step, status=409,
                            notice=_("Please complete this step first."))
    except RenewalClosedError:
        return _go(request, contract_number, "summary")
    return _go(request, contract_number, next_step)


def _save_step(request, contract, renewal, step, form) -> str:
    """Call the step's service; return where to go next."""
    user = request.user
    data = form.cleaned_data
    if step == "intent" and data["intent"] == Renewal.Intent.NOT_RENEWING:
        decline_renewal(actor=user, contract=contract, reason=data["reason"])
        return "summary"
    if step == "intent":
        saved = save_renewal_step(actor=user, contract=contract, step=step, values={"intent": data["intent"]})
    elif step in ("primary", "billing"):
        edit = data.get("action") == "edit"
        saved = save_contact_step(
            actor=user, contract=contract, role=ContractContact.Role(step), edit=edit,
            first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
            email=data.get("email", ""), expected_version=data.get("version") or 0,
        )
    elif step == "po":
        saved = save_renewal_step(actor=user, contract=contract, step=step, values={
            "po_number": data["po_number"], "no_po_needed": bool(data["no_po_needed"]) and not data["po_number"]})
    elif step == "addresses":
        saved = save_renewal_step(actor=user, contract=contract, step=step, values=form.values())
    else:
        saved = save_renewal_step(actor=user, contract=contract, step=step, values={
            "instructions": data["instructions"],
            "no_instructions": bool(data["no_instructions"]) and not data["instructions"]})
    return resume_step(saved)


@require_POST
def renewal_submit(request, contract_number):
    """REN-6, REN-7: Confirm & submit; a second submit shows the same confirmation."""
    contract, renewal = get_renewal_for(request.user, contract_number)
    if not can_prepare_renewal(request.user, contract):
        raise PermissionDenied
    try:
        submit_renewal(actor=request.user, contract=contract)
    except StepOrderError as exc:
        contract, renewal = get_renewal_for(request.user, contract_number)
        return _render_step(request, contract, renewal, exc.allowed_step, status=409,
                            notice=_("Please complete this step first."))
    return _go(request, contract_number, "summary")


def invoice_email_of(contract, renewal: Renewal) -> str:
    """Until invoiced, the invoice goes to the billing contact as it is now (REN-5); once
    invoiced, to the address frozen then (REN-7)."""
    if renewal.is_invoiced:
        return renewal.invoice_email
    billing = _contact(contract, ContractContact.Role.BILLING)
    return billing.email if billing else renewal.invoice_email


def _render_summary(request, contract, renewal):
    context = {
        "contract": contract,
        "renewal": renewal,
        "steps": _header(contract, renewal, None),
        "can_prepare": can_prepare_renewal(request.user, contract),
        **_answers_context(contract, renewal),
        "resume_url": step_url(contract, resume_step(renewal)),
        "billing_url": reverse("billing:contract_detail", kwargs={"contract_number": contract.contract_number}),
        "invoice_email": invoice_email_of(contract, renewal),
        "account_services_email": settings.HUB_ACCOUNT_SERVICES_EMAIL,
    }
    return render_htmx(request, SUMMARY, context, partial="summary_panel")


@require_GET
def renewal_summary(request, contract_number):
    """The confirmation after submitting (REN-6), the read-only view once invoiced (REN-7), and
    the status for brand administrators who are not contacts (REN-1)."""
    contract, renewal = get_renewal_for(request.user, contract_number)
    return _render_summary(request, contract, renewal)


@require_GET
def key_dates_detail(request, contract_number):
    """The key dates of the contract's current renewal cycle, for everyone who may see the
    contract (BILL-2), all year round."""
    contract, renewal = get_contract_with_renewal(request.user, contract_number)
    context = {
        "contract": contract,
        "dates": key_dates(contract, renewal),
        "today": contract.today(),
        "billing_url": reverse("billing:contract_detail", kwargs={"contract_number": contract.contract_number}),
    }
    return render(request, "renewals/key_dates.html", context)


@require_GET
def key_dates_ics(request, contract_number):
    contract, renewal = get_contract_with_renewal(request.user, contract_number)
    response = HttpResponse(to_ics(contract, key_dates(contract, renewal)), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contract-{contract.contract_number}-key-dates.ics"'
    return response
